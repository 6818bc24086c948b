import { HttpError } from './errors';
import { formatBytes } from './describe';

/**
 * The one thing every client (Tempo, Prometheus, the Collector, Grafana's API) needs from the outside
 * world: a fetch-like function.
 * The app passes one that goes through Grafana's data source proxy, the CLI passes Node's fetch, and
 * tests pass fetch against an in-process server that replays recorded responses.
 */
export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Called with the bytes of the body received so far, as they arrive (where the transport can tell). */
  onProgress?: (bytes: number) => void;
  /** What the body is, for messages: "the trace is larger than 100 MB". Default "the answer". */
  subject?: string;
}

export interface HttpResponse {
  status: number;
  headers: { get(name: string): string | null };
  /**
   * The whole body as text. A body over the transport's byte limit is an HttpError `too-large`, one that
   * stalls or takes too long is `timeout`: the body is cancelled either way.
   */
  text(): Promise<string>;
  /** At most the first `bytes` bytes of the body, as text; the rest is cancelled unread. */
  head?(bytes: number): Promise<string>;
  /** Cancels the body unread (and stops its timers). */
  discard?(): void;
}

export type HttpTransport = (url: string, request: HttpRequest) => Promise<HttpResponse>;

/** How long a request may take and how much of an answer is read. */
export interface TransportLimits {
  /** The longest wait for the answer to start, or between two pieces of its body. */
  idleTimeoutMs?: number;
  /** The longest a whole request may take, its body included (a body dripping a byte a second). */
  timeoutMs?: number;
  /** The most body bytes read, counted after decompression (a gzip bomb counts what it inflates to). */
  maxBytes?: number;
}

/** 30 s without a byte; 5 minutes in all; 100 MB of body (20 times Tempo's default max_bytes_per_trace, 5 MB). */
export const DEFAULT_LIMITS: Required<TransportLimits> = {
  idleTimeoutMs: 30_000,
  timeoutMs: 300_000,
  maxBytes: 100_000_000,
};

/** How many same-origin redirects are followed before giving up. */
const MAX_REDIRECTS = 5;

/**
 * A transport over a WHATWG fetch (browser or Node 18+). `init` adds to every request, e.g. the
 * credentials and org header Grafana's proxy wants; `limits` bound every request's time and size.
 * Redirects are followed only within the origin of the URL asked for.
 */
export function fetchTransport(
  fetchImpl: typeof fetch = fetch,
  init: RequestInit = {},
  limits: TransportLimits = {}
): HttpTransport {
  const { idleTimeoutMs, timeoutMs, maxBytes } = { ...DEFAULT_LIMITS, ...limits };
  return async (url, request) => {
    const watch = new Watch(url, request.signal, idleTimeoutMs, timeoutMs);
    let response: Response;
    try {
      response = await watch.race(fetchFollowing(fetchImpl, url, init, request, watch.signal));
    } catch (e) {
      watch.finish();
      throw watch.failure ?? e;
    }
    watch.started();
    return new StreamedResponse(response, url, watch, maxBytes, request);
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function originOf(url: string): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  return new URL(url, base).origin;
}

function redirectError(url: string, target: string): HttpError {
  let where = 'another origin';
  try {
    where = originOf(target);
  } catch {
    // a Location that is not a URL: "another origin" says enough
  }
  return new HttpError(
    'redirect',
    `${url} redirected to ${where}, another origin; Traceway does not follow that. ` +
      'Point the URL at the server itself.',
    undefined,
    url
  );
}

/**
 * fetch with `redirect: 'manual'`: Node shows the redirect with its Location, which is followed when it
 * stays on the origin asked for. A browser hides it (an opaque redirect): then fetch again following
 * redirects and check where the answer came from.
 */
async function fetchFollowing(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  request: HttpRequest,
  signal: AbortSignal
): Promise<Response> {
  const origin = originOf(url);
  let current = url;
  let method = request.method ?? 'GET';
  let body = request.body;
  const make = (redirect: RequestRedirect): RequestInit => ({
    ...init,
    method,
    headers: { ...(init.headers as Record<string, string> | undefined), ...request.headers },
    body,
    signal,
    redirect,
  });
  for (let hops = 0; ; hops++) {
    let response = await fetchImpl(current, make('manual'));
    if (response.type === 'opaqueredirect') {
      response = await fetchImpl(current, make('follow'));
      if (response.url && originOf(response.url) !== origin) {
        void response.body?.cancel().catch(() => undefined);
        throw redirectError(url, response.url);
      }
      return response;
    }
    const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
    if (location === null) {
      return response;
    }
    void response.body?.cancel().catch(() => undefined);
    const target = new URL(location, new URL(current, (globalThis as { location?: { href?: string } }).location?.href));
    if (target.origin !== origin) {
      throw redirectError(url, target.href);
    }
    if (hops >= MAX_REDIRECTS) {
      throw new HttpError('bad-response', `${url} redirected more than ${MAX_REDIRECTS} times`, response.status, url);
    }
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    current = target.href;
  }
}

/** In Node, a timer alone does not keep the process alive: the request it watches does. */
function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/**
 * The clock of one request: the caller's signal combined with an idle timer (no answer, or no byte of the
 * body, for idleTimeoutMs) and a total timer. A timer that fires aborts the request with an HttpError
 * `timeout` naming the URL and the time waited.
 */
class Watch {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  failure: HttpError | undefined;
  bytes = 0;
  private body = false;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private readonly total: ReturnType<typeof setTimeout>;
  private readonly onCallerAbort = () =>
    this.fail(new HttpError('aborted', 'The request was cancelled.', undefined, this.url));

  constructor(
    private readonly url: string,
    private readonly caller: AbortSignal | undefined,
    private readonly idleMs: number,
    private readonly totalMs: number
  ) {
    this.total = unref(setTimeout(() => this.fail(this.timeout(this.totalMs, true)), this.totalMs));
    this.resetIdle();
    if (caller?.aborted) {
      this.onCallerAbort();
    } else {
      caller?.addEventListener('abort', this.onCallerAbort, { once: true });
    }
  }

  private timeout(ms: number, total: boolean): HttpError {
    const message = !this.body
      ? `${this.url} did not answer within ${seconds(ms)}`
      : total
        ? `The answer from ${this.url} took longer than ${seconds(ms)} (${formatBytes(this.bytes)} received)`
        : `The answer from ${this.url} stalled: nothing arrived for ${seconds(ms)} (after ${formatBytes(this.bytes)})`;
    return new HttpError('timeout', message, undefined, this.url);
  }

  private resetIdle() {
    clearTimeout(this.idle);
    this.idle = unref(setTimeout(() => this.fail(this.timeout(this.idleMs, false)), this.idleMs));
  }

  fail(error: HttpError) {
    if (this.failure) {
      return;
    }
    this.failure = error;
    this.finish();
    this.controller.abort(error);
  }

  /**
   * Resolves as `work` does, or rejects as soon as the request is aborted (a fetch that ignores signals too).
   * Not Promise.race with one pending promise: each race leaves a reaction on it holding its result, so a body's
   * every chunk would stay in memory until the request is dropped.
   */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.signal.aborted) {
      // `work` fails with the abort too: handled, not an unhandled rejection.
      work.catch(() => undefined);
      return Promise.reject(this.failure);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.failure);
      this.signal.addEventListener('abort', onAbort, { once: true });
      const done = () => this.signal.removeEventListener('abort', onAbort);
      work.then(
        (value) => {
          done();
          resolve(value);
        },
        (e: unknown) => {
          done();
          reject(e);
        }
      );
    });
  }

  started() {
    this.body = true;
    this.resetIdle();
  }

  progress(bytes: number) {
    this.bytes = bytes;
    this.resetIdle();
  }

  finish() {
    clearTimeout(this.idle);
    clearTimeout(this.total);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }
}

class StreamedResponse implements HttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  private consumed = false;

  constructor(
    private readonly response: Response,
    private readonly url: string,
    private readonly watch: Watch,
    private readonly maxBytes: number,
    private readonly request: HttpRequest
  ) {
    this.status = response.status;
    this.headers = response.headers;
  }

  text(): Promise<string> {
    return this.read(this.maxBytes, false);
  }

  head(bytes: number): Promise<string> {
    return this.read(Math.min(bytes, this.maxBytes), true);
  }

  discard(): void {
    this.watch.finish();
    if (!this.consumed) {
      this.consumed = true;
      void this.response.body?.cancel().catch(() => undefined);
    }
  }

  private tooLarge(): HttpError {
    const subject = this.request.subject ?? 'the answer';
    return new HttpError(
      'too-large',
      `${subject[0].toUpperCase()}${subject.slice(1)} is larger than ${formatBytes(this.maxBytes)}, ` +
        `the most Traceway reads: stopped reading ${this.url}`,
      this.status,
      this.url
    );
  }

  private async read(limit: number, truncate: boolean): Promise<string> {
    if (this.consumed) {
      throw new Error('the body of this response was already read');
    }
    this.consumed = true;
    const { response, watch } = this;
    try {
      const declared = Number(response.headers.get('content-length'));
      if (!truncate && !response.headers.get('content-encoding') && declared > limit) {
        throw this.tooLarge();
      }
      if (!response.body) {
        return '';
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parts: string[] = [];
      let bytes = 0;
      try {
        for (;;) {
          const { done, value } = await watch.race(reader.read());
          if (done) {
            break;
          }
          if (bytes + value.byteLength > limit) {
            if (!truncate) {
              throw this.tooLarge();
            }
            parts.push(decoder.decode(value.subarray(0, limit - bytes), { stream: true }));
            bytes = limit;
            break;
          }
          bytes += value.byteLength;
          parts.push(decoder.decode(value, { stream: true }));
          watch.progress(bytes);
          this.request.onProgress?.(bytes);
          if (truncate && bytes === limit) {
            break;
          }
        }
      } finally {
        // Stops a body that is still arriving: after the limit, an error, or a timeout.
        void reader.cancel().catch(() => undefined);
      }
      parts.push(decoder.decode());
      return parts.join('');
    } catch (e) {
      throw watch.failure ?? e;
    } finally {
      watch.finish();
    }
  }
}
