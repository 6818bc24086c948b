import http from 'node:http';
import { Readable } from 'node:stream';
import { closedPort } from './ports';

/**
 * jsdom has no fetch. `fetchVia` is one for tests: each call makes a real HTTP request through `node:http` to
 * an in-process server (usually `startReplayServer`), so the code under test runs its real transport: method,
 * headers, body, AbortSignal, redirects, status, headers and a streamed body (a web ReadableStream, as a
 * browser's fetch gives it).
 *
 * `targets` is either one base URL, against which relative URLs (Grafana's `/api/...` paths) are resolved, or
 * a map from path prefix to base URL: the longest prefix that the path starts with picks the server, and `'/'`
 * is the default. The path itself is sent unchanged. Absolute URLs go where they say, except those on the
 * page's own origin (jsdom's `http://localhost`), which are Grafana's and are routed like relative ones.
 */
export type FetchTargets = string | Readonly<Record<string, string>>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** What browsers and undici allow before they give up. */
const MAX_REDIRECTS = 20;

export function fetchVia(targets: FetchTargets): typeof fetch {
  const routes = typeof targets === 'string' ? { '/': targets } : targets;
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
  const pageOrigin = () => (globalThis as { location?: { origin?: string } }).location?.origin;

  const resolve = (input: string): URL => {
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(input) ? new URL(input) : undefined;
    if (absolute && absolute.origin !== pageOrigin()) {
      return absolute;
    }
    const relative = absolute ? `${absolute.pathname}${absolute.search}` : input;
    const pathname = new URL(relative, 'http://page').pathname;
    const prefix = prefixes.find((p) => pathname.startsWith(p));
    if (prefix === undefined) {
      throw new Error(`fetchVia: no server for ${relative}; it has servers for ${prefixes.join(', ')}. Add a prefix.`);
    }
    return new URL(relative, routes[prefix]);
  };

  return (async (input: string | URL | { url: string }, init: RequestInit = {}) => {
    const text = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let url = resolve(text);
    let method = (init.method ?? 'GET').toUpperCase();
    const headers = headerRecord(init.headers);
    let body = requestBody(init.body, headers);
    for (let hops = 0; ; hops++) {
      const res = await send(url, method, headers, body, init.signal ?? undefined);
      const location = REDIRECTS.has(res.statusCode ?? 0) ? res.headers.location : undefined;
      // 'manual' shows the redirect itself, as Node's fetch does (a browser would hide it: 'opaqueredirect').
      if (location === undefined || init.redirect === 'manual') {
        return response(res, url, hops > 0);
      }
      res.resume();
      if (init.redirect === 'error') {
        throw new TypeError(`Failed to fetch (${url} redirected, and redirect is 'error')`);
      }
      if (hops >= MAX_REDIRECTS) {
        throw new TypeError(`Failed to fetch (${url} redirected more than ${MAX_REDIRECTS} times)`);
      }
      if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
        delete headers['content-length'];
      }
      const next = new URL(location, url);
      url = next.origin === pageOrigin() ? resolve(next.href) : next;
    }
  }) as unknown as typeof fetch;
}

/** A base URL where nothing listens (`closedPort()`), for a real "connection refused". */
export async function unreachableUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}`;
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal | undefined
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, signal }, resolve);
    req.on('error', (e) =>
      // An abort rejects with its AbortError, as fetch does; anything else is fetch's TypeError, with the reason.
      reject(e.name === 'AbortError' ? e : new TypeError(`Failed to fetch (${e.message})`))
    );
    req.end(body);
  });
}

/** Lower-case names, from any of the shapes RequestInit allows. */
function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : String(value);
  };
  if (!init) {
    return out;
  }
  if (Array.isArray(init)) {
    init.forEach(([name, value]) => add(name, value));
  } else if (typeof (init as Headers).forEach === 'function') {
    (init as Headers).forEach((value, name) => add(name, value));
  } else {
    Object.entries(init as Record<string, string>).forEach(([name, value]) => add(name, value));
  }
  return out;
}

/** The body as bytes, with the Content-Type fetch would add for it when the caller set none. */
function requestBody(body: BodyInit | null | undefined, headers: Record<string, string>): Buffer | undefined {
  const type = (value: string) => {
    headers['content-type'] ??= value;
  };
  if (body === null || body === undefined) {
    return undefined;
  }
  if (typeof body === 'string') {
    type('text/plain;charset=UTF-8');
    return Buffer.from(body, 'utf8');
  }
  if (Object.prototype.toString.call(body) === '[object URLSearchParams]') {
    type('application/x-www-form-urlencoded;charset=UTF-8');
    return Buffer.from(String(body), 'utf8');
  }
  if (body instanceof ArrayBuffer) {
    return Buffer.from(body);
  }
  if (ArrayBuffer.isView(body)) {
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }
  throw new TypeError(
    `fetchVia: a ${Object.prototype.toString.call(body)} body is not supported; send a string, URLSearchParams or bytes`
  );
}

/** The parts of a Response that the code under test reads; the body streams as the server sends it. */
function response(res: http.IncomingMessage, url: URL, redirected: boolean): Response {
  const headers = new Map(
    Object.entries(res.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)])
  );
  const body = Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>;
  let used = false;
  const bytes = async (): Promise<Buffer> => {
    if (used) {
      throw new TypeError('Body has already been consumed.');
    }
    used = true;
    const chunks: Uint8Array[] = [];
    const reader = body.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      chunks.push(part.value);
    }
    return Buffer.concat(chunks);
  };
  const status = res.statusCode ?? 0;
  return {
    status,
    statusText: res.statusMessage ?? '',
    ok: status >= 200 && status < 300,
    type: 'basic',
    url: url.href,
    redirected,
    headers: {
      get: (name: string) => headers.get(name.toLowerCase()) ?? null,
      has: (name: string) => headers.has(name.toLowerCase()),
      forEach: (fn: (value: string, name: string) => void) => headers.forEach((value, name) => fn(value, name)),
    },
    body,
    get bodyUsed() {
      return used;
    },
    text: async () => (await bytes()).toString('utf8'),
    json: async () => JSON.parse((await bytes()).toString('utf8')),
    arrayBuffer: async () => {
      const b = await bytes();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    },
  } as unknown as Response;
}
