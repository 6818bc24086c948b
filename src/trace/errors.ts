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

/** Short, printable rendering of a bad value for messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) {
    return 'nothing';
  }
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
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
