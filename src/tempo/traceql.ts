/**
 * TraceQL from the Search page's fields: pure functions, tested by exact strings. Every value the user
 * types is escaped or refused here, so no field can produce a query that means something else.
 */

export type StatusFilter = 'any' | 'error' | 'ok';
export type FilterScope = 'span' | 'resource' | 'any';
export const FILTER_OPERATORS = ['=', '!=', '=~', '!~', '>', '>=', '<', '<='] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface AttributeFilter {
  scope: FilterScope;
  key: string;
  operator: FilterOperator;
  value: string;
}

/** What a trace search asks for, field by field (durations as Grafana duration strings). */
export interface TraceSearch {
  service?: string;
  spanName?: string;
  minDuration?: string;
  maxDuration?: string;
  status?: StatusFilter;
  requestId?: string;
  filters?: AttributeFilter[];
}

/**
 * Attribute keys that commonly carry a request ID: Harbor's and most gateways' `X-Request-ID`, as
 * OpenTelemetry's HTTP conventions record the header (an array of strings), and the names SDKs and
 * log bridges use. Searched at span and resource scope; the app's settings can replace the list.
 */
export const DEFAULT_REQUEST_ID_KEYS = [
  'request_id',
  'http.request.header.x-request-id',
  'http.request_id',
  'x-request-id',
  'requestId',
];

/** A TraceQL string literal: backslash, double quote and control characters escaped. */
export function traceqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') {
      out += `\\${ch}`;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (code < 0x20 || code === 0x7f) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

/** `span.http.route`, `resource.service.name`, `.key` for any scope; other names quoted: `span."x-request-id"`. */
export function traceqlAttribute(scope: FilterScope, key: string): string {
  const prefix = scope === 'any' ? '' : scope;
  const name = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(key) && !key.endsWith('.') ? key : traceqlString(key);
  return `${prefix}.${name}`;
}

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|μs|ms|s|m|h)\s*$/;

/**
 * A Grafana duration string ("250ms", "1.5s", "2m", "100µs") in TraceQL's form, or why it is not one.
 * A bare number is refused rather than guessed: 250 could be ms or s.
 */
export function normalizeDuration(text: string): { duration: string } | { error: string } {
  const m = DURATION.exec(text);
  if (!m) {
    return {
      error: `"${text.trim()}" is not a duration: write a number and a unit, e.g. 250ms, 1.5s, 2m (units: ns, us, ms, s, m, h)`,
    };
  }
  const unit = m[2] === 'µs' || m[2] === 'μs' ? 'us' : m[2];
  const number = String(Number(m[1]));
  return { duration: `${number}${unit}` };
}

/** A filter's value as TraceQL: numbers and booleans bare (so `= 500` compares numbers), else a string. */
function filterValue(operator: FilterOperator, value: string): string {
  const text = value.trim();
  if (operator !== '=~' && operator !== '!~') {
    if (/^-?\d+(\.\d+)?$/.test(text)) {
      return String(Number(text));
    }
    if (text === 'true' || text === 'false') {
      return text;
    }
  }
  return traceqlString(value);
}

export interface BuildOptions {
  requestIdKeys?: readonly string[];
}

/**
 * One TraceQL spanset filter for the fields that are set, `{}` (every trace) when none is. Fields
 * combine with `&&`; the request ID matches any of its keys at span or resource scope (`||`). Throws
 * an Error naming the field for a duration that is not one, so no query is built from it.
 */
export function buildTraceQL(search: TraceSearch, options: BuildOptions = {}): string {
  const terms: string[] = [];
  const service = search.service?.trim();
  if (service) {
    terms.push(`resource.service.name = ${traceqlString(service)}`);
  }
  const name = search.spanName?.trim();
  if (name) {
    terms.push(`name = ${traceqlString(name)}`);
  }
  for (const [field, op, text] of [
    ['minimum duration', '>=', search.minDuration],
    ['maximum duration', '<=', search.maxDuration],
  ] as const) {
    if (text?.trim()) {
      const d = normalizeDuration(text);
      if ('error' in d) {
        throw new Error(`The ${field}: ${d.error}`);
      }
      terms.push(`duration ${op} ${d.duration}`);
    }
  }
  if (search.status === 'error') {
    terms.push('status = error');
  } else if (search.status === 'ok') {
    // Most successful spans are left unset, not marked ok: "ok" means "did not fail".
    terms.push('status != error');
  }
  const requestId = search.requestId?.trim();
  if (requestId) {
    const keys = options.requestIdKeys?.length ? options.requestIdKeys : DEFAULT_REQUEST_ID_KEYS;
    const value = traceqlString(requestId);
    const alternatives = keys.flatMap((key) =>
      (['span', 'resource'] as const).map((scope) => `${traceqlAttribute(scope, key)} = ${value}`)
    );
    terms.push(alternatives.length > 1 ? `(${alternatives.join(' || ')})` : alternatives[0]);
  }
  for (const f of search.filters ?? []) {
    if (f.key.trim() === '') {
      continue;
    }
    terms.push(`${traceqlAttribute(f.scope, f.key.trim())} ${f.operator} ${filterValue(f.operator, f.value)}`);
  }
  return terms.length === 0 ? '{}' : `{ ${terms.join(' && ')} }`;
}
