export type TraceInputErrorCode =
  | 'not-json'
  | 'empty-input'
  | 'unknown-format'
  | 'not-found'
  | 'bad-structure'
  | 'no-valid-spans'
  | 'multiple-traces'
  | 'trace-id-not-found';

/**
 * The one error type the model throws for bad input. `path` points into the input
 * (`resourceSpans[3].scopeSpans[0].spans[17].spanId`), `hint` says what to do about it.
 */
export class TraceInputError extends Error {
  readonly code: TraceInputErrorCode;
  readonly path: string;
  readonly hint: string;
  /** the message without path and hint */
  readonly problem: string;

  constructor(code: TraceInputErrorCode, path: string, problem: string, hint = '') {
    super((path ? `${path}: ` : '') + problem + (hint ? ` (${hint})` : ''));
    this.name = 'TraceInputError';
    this.code = code;
    this.path = path;
    this.hint = hint;
    this.problem = problem;
  }

  /** The same error at `where` (e.g. "line 3") within a larger input. */
  within(where: string): TraceInputError {
    return new TraceInputError(this.code, this.path ? `${where}: ${this.path}` : where, this.problem, this.hint);
  }
}

export function isTraceInputError(e: unknown): e is TraceInputError {
  return e instanceof TraceInputError;
}

const DESCRIBE_LIMIT = 60;
/** Strings longer than this are described, not quoted: they are unknown content, not a bad ID. */
const QUOTE_LIMIT = 60;

/**
 * Short, printable rendering of a bad value for messages (`got "xyz"`, `got {"a":1}`). Bounded
 * in time and depth whatever the value (a list nested 10,000 deep, a 1 GB string): it renders at
 * most a few levels and characters, and a long string is described (`a string of 5,000
 * characters`), never quoted.
 */
export function describeValue(v: unknown): string {
  if (v === undefined) {
    return 'nothing';
  }
  if (typeof v === 'string' && v.length > QUOTE_LIMIT) {
    return `a string of ${v.length.toLocaleString('en-US')} characters`;
  }
  const out: string[] = [];
  let len = 0;
  const put = (s: string): boolean => {
    out.push(s);
    len += s.length;
    return len <= DESCRIBE_LIMIT;
  };
  const render = (x: unknown, depth: number): boolean => {
    switch (typeof x) {
      case 'string':
        return put(JSON.stringify(x.length > QUOTE_LIMIT ? x.slice(0, QUOTE_LIMIT) : x));
      case 'number':
      case 'boolean':
        return put(Number.isNaN(x) ? 'NaN' : String(x));
      case 'bigint':
        return put(String(x));
      case 'undefined':
      case 'function':
      case 'symbol':
        return put('null');
      default:
        break;
    }
    if (x === null) {
      return put('null');
    }
    if (depth >= 4) {
      return put('...');
    }
    if (Array.isArray(x)) {
      if (!put('[')) {
        return false;
      }
      for (let i = 0; i < x.length; i++) {
        if ((i > 0 && !put(',')) || !render(x[i], depth + 1)) {
          return false;
        }
      }
      return put(']');
    }
    if (!put('{')) {
      return false;
    }
    let first = true;
    for (const k in x as object) {
      if (!Object.prototype.hasOwnProperty.call(x, k)) {
        continue;
      }
      if ((!first && !put(',')) || !put(JSON.stringify(k.slice(0, QUOTE_LIMIT)) + ':')) {
        return false;
      }
      first = false;
      if (!render((x as Record<string, unknown>)[k], depth + 1)) {
        return false;
      }
    }
    return put('}');
  };
  render(v, 0);
  const s = out.join('');
  return s.length > DESCRIBE_LIMIT ? s.slice(0, DESCRIBE_LIMIT - 3) + '...' : s;
}

/**
 * The shape of a value whose content is unknown (an input that is not a trace at all), for
 * messages: its type and size, never its text (`a string of 12 characters`, `a list of 3 items`).
 */
export function describeShape(v: unknown): string {
  if (v === undefined) {
    return 'nothing';
  }
  if (v === null || typeof v === 'number' || typeof v === 'boolean') {
    return String(v);
  }
  if (typeof v === 'string') {
    return `a string of ${v.length.toLocaleString('en-US')} ${v.length === 1 ? 'character' : 'characters'}`;
  }
  if (Array.isArray(v)) {
    return `a list of ${v.length.toLocaleString('en-US')} ${v.length === 1 ? 'item' : 'items'}`;
  }
  return `a ${typeof v}`;
}

/**
 * A server's own error text (a data source's `error`, Jaeger's `errors[].msg`), quoted because it
 * is the answer to a query, not unknown content; cut to `max` characters, control characters
 * shown as `?`, so that a megabyte error page does not become a megabyte message.
 */
export function serverText(s: string, max = 300): string {
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 3) + '...' : t;
}

/**
 * Thrown inside a parser for a problem confined to one span; the caller turns it into a
 * 'bad-span' warning and keeps going.
 */
export class SpanProblem extends Error {
  readonly path: string;
  readonly problem: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}
