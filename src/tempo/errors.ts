export type TempoErrorCode =
  | 'bad-request' // Tempo refused the request (400): its message says why
  | 'unauthorized' // 401/403 from Tempo or the proxy in front of it
  | 'too-large' // 422: the trace exceeds Tempo's max_bytes_per_trace
  | 'unavailable' // 5xx: Tempo or the proxy failed
  | 'network' // no HTTP answer at all
  | 'bad-response' // an answer that is not what Tempo sends
  | 'aborted'; // the caller cancelled

/** A failed call to Tempo, with what happened, where, and Tempo's own words when it gave any. */
export class TempoError extends Error {
  constructor(
    readonly code: TempoErrorCode,
    message: string,
    readonly status?: number,
    readonly url?: string
  ) {
    super(message);
    this.name = 'TempoError';
  }
}

export function isTempoError(e: unknown): e is TempoError {
  return e instanceof TempoError;
}
