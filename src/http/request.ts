import { describeText, looksLikeHtml, serverWords } from './describe';
import { HttpError, isHttpError } from './errors';
import { networkCause } from './network';
import type { HttpRequest, HttpResponse, HttpTransport } from './transport';

/** At most this much of an error body goes into a message: enough for a server's own words. */
export const MAX_ERROR_DETAIL = 300;

/** At most this much of an error body is read; the rest is cancelled unread (a 1 GB HTML 502, say). */
export const MAX_ERROR_BYTES = 4096;

/**
 * Sends one request. A transport that throws becomes an HttpError: `aborted` when the caller cancelled,
 * `network` otherwise, naming the URL; the transport's own HttpErrors (`timeout`, `redirect`) pass as they
 * are. `service` names the server in messages ("Tempo", "Prometheus").
 */
export async function send(
  transport: HttpTransport,
  url: string,
  request: HttpRequest,
  service: string
): Promise<HttpResponse> {
  try {
    return await transport(url, request);
  } catch (e) {
    throw transportError(e, request.signal, url, `Could not reach ${service} at ${url}`);
  }
}

/**
 * Reads a whole body (within the transport's byte limit and timeouts); a connection that drops (or a user
 * who leaves) while it arrives is a typed error.
 */
export async function readText(response: HttpResponse, url: string, signal?: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (e) {
    throw transportError(e, signal, url, `The answer from ${url} broke off`);
  }
}

/** The first `bytes` of a body, the rest cancelled; '' when the body cannot be read. */
export async function readHead(response: HttpResponse, bytes = MAX_ERROR_BYTES): Promise<string> {
  try {
    return response.head ? await response.head(bytes) : (await response.text()).slice(0, bytes);
  } catch {
    return '';
  }
}

/** Drops a body the caller does not need, so that it stops arriving. */
export function discardBody(response: HttpResponse): void {
  response.discard?.();
}

/**
 * The server's own words from an error body, for a message: ": <words>" (capped, control characters
 * dropped), ": an HTML page" for a page (a proxy's, most likely), '' for none.
 */
export function errorDetail(text: string): string {
  if (looksLikeHtml(text)) {
    return ' (an HTML page)';
  }
  const words = serverWords(text, MAX_ERROR_DETAIL);
  return words ? `: ${words}` : '';
}

/**
 * The error for an answer whose status the caller does not handle itself, with the server's words
 * from the start of its body (at most MAX_ERROR_BYTES are read). 404 here means the path does not exist:
 * callers for whom 404 is "no such item" check for it first.
 */
export async function statusError(response: HttpResponse, url: string, service: string): Promise<HttpError> {
  const said = errorDetail(await readHead(response));
  const { status } = response;
  switch (true) {
    case status === 400:
      return new HttpError('bad-request', `${service} refused the request${said}`, status, url);
    case status === 401 || status === 403:
      return new HttpError(
        'unauthorized',
        `${service} or its proxy refused access (HTTP ${status})${said}. Check the data source's authentication.`,
        status,
        url
      );
    case status === 404:
      return new HttpError('not-found', `${url} does not exist (HTTP 404)${said}. Check the URL.`, status, url);
    default:
      return new HttpError('unavailable', `${service} answered HTTP ${status}${said}`, status, url);
  }
}

/** JSON text to a value; anything else is a `bad-response` that describes (never quotes) what came instead. */
export function parseJsonBody(text: string, url: string, service: string, status?: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(
      'bad-response',
      `Expected JSON from ${url}, got ${describeText(text)}. Is the URL pointing at ${service}?`,
      status,
      url
    );
  }
}

export function isJsonResponse(response: HttpResponse): boolean {
  return (response.headers.get('content-type') ?? '').includes('json');
}

function transportError(e: unknown, signal: AbortSignal | undefined, url: string, what: string): HttpError {
  if (isHttpError(e)) {
    return e;
  }
  if (signal?.aborted || (e as Error)?.name === 'AbortError') {
    return new HttpError('aborted', 'The request was cancelled.', undefined, url);
  }
  // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is its cause.
  const cause = (e as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const said = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return new HttpError(
    'network',
    `${what}: ${(e as Error)?.message ?? e}${said ? ` (${said})` : ''}`,
    undefined,
    url,
    networkCause(e).reason
  );
}
