import type { NetworkReason } from './network';

export type HttpErrorCode =
  | 'bad-request' // the server refused the request (400): its message says why
  | 'unauthorized' // 401/403 from the server or a proxy in front of it
  | 'not-found' // 404 where the caller expected the path to exist
  | 'too-large' // the answer is larger than the server or the client will handle
  | 'unavailable' // 5xx or another unexpected status: the server or a proxy failed
  | 'network' // no HTTP answer at all, or the body broke off
  | 'timeout' // no answer, or a body that stalled or took too long: the message names the URL and the wait
  | 'redirect' // a redirect to another origin, which is not followed: the message names that origin
  | 'bad-response' // an answer that is not what the server sends
  | 'aborted'; // the caller cancelled

/**
 * A failed HTTP call, with what happened, the URL, and the server's own words when it gave any.
 * Every client (Tempo, Prometheus, the Collector, Grafana's API) throws these or a subclass, so the UI
 * and the CLI describe failures one way.
 */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly status?: number,
    readonly url?: string,
    /** For `network`: why no answer came (refused, DNS, TLS, reset, connect timeout), when Node said. */
    readonly reason?: NetworkReason
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}
