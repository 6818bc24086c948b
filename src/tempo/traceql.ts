/**
 * TraceQL from the Search page's fields: pure functions, tested by exact strings. Every value the user
 * types is escaped or refused here, so no field can produce a query that means something else.
 */

export { FILTER_OPERATORS } from './searchFields';
export type { AttributeFilter, FilterOperator, FilterScope, StatusFilter, TraceSearch } from './searchFields';
import type { FilterOperator, FilterScope, TraceSearch } from './searchFields';

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

/**
 * What no TraceQL string can carry, or undefined: Tempo's lexer ends a string at a raw line break and
 * refuses NUL, while Grafana's grammar (the query editor's) knows no escape but \\ and \" for either; an
 * unpaired UTF-16 surrogate cannot be sent in a URL at all.
 */
export function unwritableCharacter(value: string): string | undefined {
  const m = /[\n\0]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(value);
  if (!m) {
    return undefined;
  }
  return m[0] === '\n' ? 'a line break' : m[0] === '\0' ? 'a NUL character' : 'an unpaired UTF-16 surrogate';
}

/**
 * A TraceQL string literal: backslash and double quote escaped, every other character as it is. Those
 * two are the only escapes both Tempo (its quoted attribute names take no other) and Grafana's grammar
 * accept; tabs and other control characters are valid as they are. Throws for what cannot be written
 * (see unwritableCharacter).
 */
export function traceqlString(value: string): string {
  const bad = unwritableCharacter(value);
  if (bad) {
    throw new Error(`A TraceQL string cannot hold ${bad}: remove it`);
  }
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * Names Grafana's TraceQL grammar reads as a keyword when they start an attribute name (even `spanx`),
 * so they are quoted; Tempo reads the quoted and the bare name the same.
 */
const KEYWORD_PREFIX = /^(span|resource|event|parent|with|link|instrumentation)/;

/** `span.http.route`, `resource.service.name`, `.key` for any scope; other names quoted: `span."x-request-id"`. */
export function traceqlAttribute(scope: FilterScope, key: string): string {
  const prefix = scope === 'any' ? '' : scope;
  const bare = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(key) && !key.endsWith('.') && !KEYWORD_PREFIX.test(key);
  return `${prefix}.${bare ? key : traceqlString(key)}`;
}

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|μs|ms|s|m|h)\s*$/;
const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
/** Tempo's durations are Go's time.Duration: int64 nanoseconds, about 2,562,047 hours. */
const MAX_DURATION_NS = 9_223_372_036_854_775_807;

/** A decimal as TraceQL (Go) reads it: no leading zeros (Go reads 010 as octal), no trailing ones, no exponent. */
function decimal(text: string): string {
  const [int, frac = ''] = text.split('.');
  const i = int.replace(/^0+(?=\d)/, '');
  const f = frac.replace(/0+$/, '');
  return f ? `${i}.${f}` : i;
}

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
  if (Number(m[1]) * UNIT_NS[unit] >= MAX_DURATION_NS) {
    return { error: `"${text.trim()}" is longer than Tempo can compare (about 2,562,047 hours)` };
  }
  return { duration: `${decimal(m[1])}${unit}` };
}

/** Tempo's integers are Go's int64; a longer integer is written as a float so that the query still parses. */
const MAX_INT64 = BigInt('9223372036854775807');

/** A filter's value as TraceQL: numbers and booleans bare (so `= 500` compares numbers), else a string. */
function filterValue(operator: FilterOperator, value: string): string {
  const text = value.trim();
  if (operator !== '=~' && operator !== '!~') {
    if (/^-?\d+(\.\d+)?$/.test(text)) {
      const number = decimal(text.replace(/^-/, ''));
      const sign = text.startsWith('-') && /[1-9]/.test(number) ? '-' : '';
      return !number.includes('.') && BigInt(number) > MAX_INT64 ? `${sign}${number}.0` : `${sign}${number}`;
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

/** Throws an Error naming the field when its value holds what TraceQL cannot carry. */
function checked(field: string, value: string): string {
  const bad = unwritableCharacter(value);
  if (bad) {
    throw new Error(`The ${field} holds ${bad}, which a TraceQL query cannot search for: remove it`);
  }
  return value;
}

/** The conditions of the spanset filter for the fields that are set (see buildTraceQL). */
function traceqlTerms(search: TraceSearch, options: BuildOptions): string[] {
  const terms: string[] = [];
  const service = search.service?.trim();
  if (service) {
    terms.push(`resource.service.name = ${traceqlString(checked('service', service))}`);
  }
  const name = search.spanName?.trim();
  if (name) {
    terms.push(`name = ${traceqlString(checked('span name', name))}`);
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
    const given = (options.requestIdKeys ?? []).map((k) => k.trim()).filter((k) => k !== '');
    const keys = given.length ? given : DEFAULT_REQUEST_ID_KEYS;
    const value = traceqlString(checked('request ID', requestId));
    const alternatives = keys.flatMap((key) =>
      (['span', 'resource'] as const).map(
        (scope) => `${traceqlAttribute(scope, checked(`request ID key ${JSON.stringify(key)}`, key))} = ${value}`
      )
    );
    terms.push(alternatives.length > 1 ? `(${alternatives.join(' || ')})` : alternatives[0]);
  }
  for (const f of search.filters ?? []) {
    const key = f.key.trim();
    if (key === '') {
      continue;
    }
    checked(`attribute name ${JSON.stringify(key)}`, key);
    const value = checked(`value of ${key}`, f.value);
    terms.push(`${traceqlAttribute(f.scope, key)} ${f.operator} ${filterValue(f.operator, value)}`);
  }
  return terms;
}

/**
 * One TraceQL spanset filter for the fields that are set, `{}` (every trace) when none is. Fields
 * combine with `&&`; the request ID matches any of its keys at span or resource scope (`||`). Throws
 * an Error naming the field for a duration that is not one, or a value TraceQL cannot carry (a line
 * break), so no query is built from it.
 */
export function buildTraceQL(search: TraceSearch, options: BuildOptions = {}): string {
  const terms = traceqlTerms(search, options);
  return terms.length === 0 ? '{}' : `{ ${terms.join(' && ')} }`;
}

/**
 * The query that finds which traces of a search failed: the same conditions and, in another spanset, a
 * span with status error (the failed span need not be the one that matched). The page runs it beside the
 * main query to mark failed traces.
 *
 * For the fields: undefined when they filter by status themselves (with error every result failed, with
 * ok none did). For TraceQL text (advanced mode): the query must be one spanset filter `{ ... }` without
 * a pipeline; for anything else undefined, since `&&` could bind into it and mean something else.
 */
export function errorCompanionQuery(search: TraceSearch | string, options: BuildOptions = {}): string | undefined {
  if (typeof search === 'string') {
    const query = search.trim();
    if (!isOneSpansetFilter(query)) {
      return undefined;
    }
    return query.slice(1, -1).trim() === '' ? '{ status = error }' : `${query} && { status = error }`;
  }
  if (search.status === 'error' || search.status === 'ok') {
    return undefined;
  }
  const terms = traceqlTerms(search, options);
  return terms.length === 0 ? '{ status = error }' : `{ ${terms.join(' && ')} } && { status = error }`;
}

/** `{ ... }` whose first brace closes at the very end (strings skipped), as buildTraceQL writes. */
function isOneSpansetFilter(query: string): boolean {
  if (!query.startsWith('{') || !query.endsWith('}')) {
    return false;
  }
  let depth = 0;
  for (let i = 0; i < query.length; i++) {
    const ch = query[i];
    if (ch === '"' || ch === '`') {
      const close = ch;
      for (i++; i < query.length && query[i] !== close; i++) {
        if (query[i] === '\\' && close === '"') {
          i++;
        }
      }
      if (i >= query.length) {
        return false;
      }
    } else if (ch === '{') {
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0 && i !== query.length - 1) {
        return false;
      }
    }
  }
  return depth === 0;
}
