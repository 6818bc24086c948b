import { discardBody, isHttpError, readHead, serverWords, type HttpResponse, type HttpTransport } from '../../http';
import { ProxyFailure } from './proxy';
import { DEFAULT_CHECK_TIMEOUT_MS, type Check, type CheckOptions, type CheckStatus } from './types';

/** At most this much of an answer is read: every check's answer is small, and a wrong server's may not be. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Why a URL cannot be checked, or undefined. A path from the root (`/api/plugin-proxy/...`) is allowed: in
 * Grafana the checks go through the app's proxy routes on the page's own origin.
 */
export function urlProblem(url: string): string | undefined {
  if (/^\/(?!\/)/.test(url)) {
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not an absolute URL (such as http://host:port/path)';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `its scheme is ${parsed.protocol.slice(0, 20)}, not http: or https:`;
  }
  if (!/^https?:\/\/[^/]/i.test(url)) {
    // WHATWG URLs accept "http:tempo" as http://tempo/; a typo like that is better named than guessed.
    return 'it does not start with http:// or https:// and a host';
  }
  if (parsed.username || parsed.password) {
    return 'it carries a user or password; send credentials as a header instead';
  }
  return undefined;
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
  const problem = urlProblem(url);
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

/** The codes and messages along an error's `cause` chain (Node's fetch says "fetch failed"; the cause says why). */
function causes(e: unknown): { codes: string[]; text: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  let current: unknown = e;
  for (let depth = 0; current && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') {
      codes.push(code);
    }
    if (typeof message === 'string') {
      texts.push(message);
    }
    current = cause;
  }
  // A transport that wraps the error (src/http's send) keeps the code only in its message: "... (ECONNREFUSED)".
  for (const m of texts.join(' ').matchAll(/\b(E[A-Z]{3,}|(?:ERR|UND_ERR)_[A-Z_]+)\b/g)) {
    codes.push(m[1]);
  }
  return { codes, text: texts.join(': ') };
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
  const { codes, text } = causes(e);
  const has = (...names: string[]) => codes.some((c) => names.includes(c));
  const detail = serverWords(text, 300) || 'no HTTP answer';
  if (has('ECONNREFUSED')) {
    return { ok: false, kind: 'refused', detail: 'the connection was refused (ECONNREFUSED)' };
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME')) {
    return {
      ok: false,
      kind: 'dns',
      detail: `the host name does not resolve (${codes.find((c) => c.startsWith('E'))})`,
    };
  }
  if (has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return { ok: false, kind: 'timeout', detail: 'the connection timed out' };
  }
  if (codes.some((c) => /SSL|TLS|CERT|SELF_SIGNED|EPROTO/.test(c)) || /\b(ssl|tls|certificate)\b/i.test(text)) {
    return { ok: false, kind: 'tls', detail: `the TLS handshake failed (${codes.join(', ') || detail})` };
  }
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE')) {
    return { ok: false, kind: 'reset', detail: 'the connection was closed without an answer' };
  }
  return { ok: false, kind: 'network', detail };
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
