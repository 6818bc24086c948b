import {
  discardBody,
  isHttpError,
  networkCause,
  readHead,
  serverWords,
  type HttpResponse,
  type HttpTransport,
} from '../../http';
import { urlProblem } from '../url';
import { ProxyFailure } from './proxy';
import { DEFAULT_CHECK_TIMEOUT_MS, type Check, type CheckOptions, type CheckStatus } from './types';

/** At most this much of an answer is read: every check's answer is small, and a wrong server's may not be. */
const MAX_BODY_BYTES = 64 * 1024;

/** Why a URL cannot be checked, in a check's words, or undefined. Paths from the root (Grafana's proxy routes) pass. */
export function urlProblemText(url: string): string | undefined {
  const problem = urlProblem(url, { rootPath: true, request: true });
  switch (problem?.kind) {
    case undefined:
      return undefined;
    case 'whitespace':
      return 'it holds a space or another blank; remove it';
    case 'host-port':
      return `it is a host and port without a scheme; write ${problem.suggestion.slice(0, 200)}`;
    case 'no-slashes':
      // "http:tempo" is read by WHATWG URLs as http://tempo/; a typo like that is better named than guessed.
      return `it lacks the // after ${problem.scheme}; write ${problem.suggestion.slice(0, 200)}`;
    case 'not-url':
      return 'it is not an absolute URL (such as http://host:port/path)';
    case 'scheme':
      return `its scheme is ${problem.scheme}, not http: or https:`;
    case 'credentials':
      return 'it carries a user or password; send credentials as a header instead';
    case 'query':
      return 'it has a query or fragment; the checks add their own paths to it';
  }
}

/** Why no HTTP answer came. */
export type FailureKind =
  | 'bad-url'
  | 'refused'
  | 'dns'
  | 'tls'
  | 'reset'
  | 'timeout'
  | 'redirect'
  | 'aborted'
  | 'network'
  // Grafana's app proxy answered 502 / 504 with no body: it could not connect to / got no answer from the upstream.
  | 'proxy-connect'
  | 'proxy-timeout';

export type ProbeResult =
  | { ok: true; status: number; headers: { get(name: string): string | null }; body: string }
  | { ok: false; kind: FailureKind; detail: string };

/** The URL as shown in a result: never its user and password. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url;
  }
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/**
 * One request with its own deadline: the timer and the caller's signal both abort it, and the result is
 * settled at once even when a transport ignores the signal, so a dead endpoint fails within `timeoutMs`.
 * Failures without an HTTP answer are classified (refused, DNS, TLS, ...) rather than thrown.
 */
export async function probe(
  transport: HttpTransport,
  method: 'GET' | 'POST',
  url: string,
  options: CheckOptions & { body?: string }
): Promise<ProbeResult> {
  const problem = urlProblemText(url);
  if (problem) {
    return { ok: false, kind: 'bad-url', detail: problem };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  const stop = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true })
  );
  stop.catch(() => undefined);
  const onCallerAbort = () => controller.abort();
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  (timer as { unref?: () => void }).unref?.();
  if (options.signal?.aborted) {
    controller.abort();
  } else {
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  }
  const failed = (e: unknown): ProbeResult =>
    timedOut
      ? { ok: false, kind: 'timeout', detail: `no answer within ${seconds(timeoutMs)}` }
      : options.signal?.aborted
        ? { ok: false, kind: 'aborted', detail: 'the check was cancelled' }
        : classify(e);
  let response: HttpResponse | undefined;
  try {
    const headers = { ...options.headers };
    response = await Promise.race([
      transport(url, { method, headers, body: options.body, signal: controller.signal, subject: 'the answer' }),
      stop,
    ]);
    const body = await Promise.race([readHead(response, MAX_BODY_BYTES), stop]);
    if (controller.signal.aborted) {
      return failed(undefined);
    }
    return { ok: true, status: response.status, headers: response.headers, body };
  } catch (e) {
    if (response) {
      discardBody(response); // a body still arriving after a timeout or cancel
    }
    return failed(e);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function classify(e: unknown): ProbeResult {
  if (e instanceof ProxyFailure) {
    return { ok: false, kind: e.kind, detail: e.message };
  }
  if (isHttpError(e)) {
    if (e.code === 'timeout' || e.code === 'redirect' || e.code === 'aborted') {
      return { ok: false, kind: e.code, detail: e.message };
    }
  }
  // src/http reads Node's cause chain (and a wrapped error's message) once: probe only words it.
  const { reason, codes, text } = networkCause(e);
  switch (reason) {
    case 'refused':
      return { ok: false, kind: 'refused', detail: 'the connection was refused (ECONNREFUSED)' };
    case 'dns':
      return {
        ok: false,
        kind: 'dns',
        detail: `the host name does not resolve (${codes.find((c) => c.startsWith('E'))})`,
      };
    case 'connect-timeout':
      return { ok: false, kind: 'timeout', detail: 'the connection timed out' };
    case 'tls':
      return {
        ok: false,
        kind: 'tls',
        detail: `the TLS handshake failed (${codes.join(', ') || serverWords(text, 300) || 'no HTTP answer'})`,
      };
    case 'reset':
      return { ok: false, kind: 'reset', detail: 'the connection was closed without an answer' };
    default:
      return { ok: false, kind: 'network', detail: serverWords(text, 300) || 'no HTTP answer' };
  }
}

/** Builds one Check; `started` is when it began (Date.now()). */
export function checkResult(
  base: { id: string; title: string; method: 'GET' | 'POST'; url: string; started: number },
  status: CheckStatus,
  message: string,
  hint?: string,
  docsUrl?: string
): Check {
  return {
    id: base.id,
    title: base.title,
    status,
    ms: Math.max(0, Date.now() - base.started),
    request: { method: base.method, url: displayUrl(base.url) },
    message,
    ...(hint ? { hint } : {}),
    ...(docsUrl ? { docsUrl } : {}),
  };
}

/** The server's own words from a body, for a message: `: <words>`, or '' when it said nothing readable. */
export function words(body: string): string {
  if (/^\s*</.test(body)) {
    return ' (an HTML page: a proxy or another server answered)';
  }
  const w = serverWords(body, 300);
  return w ? `: ${w}` : '';
}

/** The OTLP receiver's gRPC-style error message (`{"code":14,"message":"no org id"}`), or the plain text. */
export function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed?.message === 'string') {
      return parsed.message;
    }
  } catch {
    // not JSON: plain text
  }
  return body;
}
