import { HttpError } from './errors';
import type { HttpRequest, HttpResponse, HttpTransport } from './transport';

/** At most this much of an error body goes into a message: enough for a server's own words. */
export const MAX_ERROR_DETAIL = 300;

/**
 * Sends one request. A transport that throws becomes an HttpError: `aborted` when the caller cancelled,
 * `network` otherwise, naming the URL. `service` names the server in messages ("Tempo", "Prometheus").
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

/** Reads a whole body; a connection that drops (or a user who leaves) while it arrives is a typed error. */
export async function readText(response: HttpResponse, url: string, signal?: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (e) {
    throw transportError(e, signal, url, `The answer from ${url} broke off`);
  }
}

/**
 * The error for an answer whose status the caller does not handle itself, with the server's words
 * from its body. 404 here means the path does not exist: callers for whom 404 is "no such item" check
 * for it first.
 */
export async function statusError(response: HttpResponse, url: string, service: string): Promise<HttpError> {
  const detail = (await response.text().catch(() => '')).trim().slice(0, MAX_ERROR_DETAIL);
  const said = detail ? `: ${detail}` : '';
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

/** JSON text to a value; anything else is a `bad-response` that quotes the start of what came instead. */
export function parseJsonBody(text: string, url: string, service: string, status?: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const got = text.length === 0 ? 'an empty body' : `"${text.slice(0, 80)}"`;
    throw new HttpError(
      'bad-response',
      `Expected JSON from ${url}, got ${got}. Is the URL pointing at ${service}?`,
      status,
      url
    );
  }
}

export function isJsonResponse(response: HttpResponse): boolean {
  return (response.headers.get('content-type') ?? '').includes('json');
}

function transportError(e: unknown, signal: AbortSignal | undefined, url: string, what: string): HttpError {
  if (signal?.aborted || (e as Error)?.name === 'AbortError') {
    return new HttpError('aborted', 'The request was cancelled.', undefined, url);
  }
  return new HttpError('network', `${what}: ${(e as Error)?.message ?? e}`, undefined, url);
}
