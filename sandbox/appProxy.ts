/*
 * Grafana's app plugin proxy (`/api/plugin-proxy/<app>/<route>/...`), as Grafana 12 and 13 do it
 * (pkg/api/plugin_proxy.go, pkg/api/pluginproxy/pluginproxy.go, pkg/util/proxyutil/reverse_proxy.go):
 *
 * - The routes come from the plugin's plugin.json. A route matches when its method is empty, "*" or the request's,
 *   and its `path` matches the request's path the way Grafana's router tree does: segment by segment, a final `*`
 *   taking one or more remaining segments (which are appended to the upstream URL), `:name` any one segment. A path
 *   without `*` matches only itself exactly: route `tempo` does NOT match `tempo/api/echo` (that needs `tempo/*`).
 *   The first matching route in plugin.json order wins; none matching is 404 `plugin route match not found`.
 * - The route's `url` and each header's `content` are Go templates over the SAVED settings' `.JsonData` and
 *   `.SecureJsonData`. As in Go's text/template, a key that is not set prints `<no value>` (unless piped through
 *   Grafana's `orEmpty`). Each header is set, even to an empty string.
 * - The upstream cannot be reached (refused, no such host, an empty or non-http URL): 502 with an empty body. No
 *   answer in time: 504 with an empty body. The reason goes to the server's log only, as in Grafana.
 */
import { IncomingMessage, ServerResponse } from 'node:http';

export interface AppRoute {
  path: string;
  method?: string;
  url?: string;
  reqRole?: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface AppSettings {
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

/**
 * The route for a proxy path (the part after `/api/plugin-proxy/<app>/`, still percent-encoded), and the rest of
 * the path its `*` took, or undefined when none matches. Grafana first cleans the path (`path.Join("/", p)`: dot
 * segments resolved, duplicate and trailing slashes dropped), then matches the unescaped segments.
 */
export function matchRoute(
  routes: AppRoute[],
  method: string,
  proxyPath: string
): { route: AppRoute; rest: string; rawRest: string } | undefined {
  const segments = cleanPath(proxyPath)
    .split('/')
    .filter((s) => s !== '');
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method.toUpperCase() !== method.toUpperCase()) {
      continue;
    }
    const pattern = route.path
      .replace(/^\/+|\/+$/g, '')
      .split('/')
      .filter((s) => s !== '');
    const rest = matchSegments(pattern, segments);
    if (rest !== undefined) {
      // The same part as the client sent it (still percent-encoded), for the sandbox's own escape check.
      const rawRest = rest === '' ? '' : segments.slice(pattern.length - 1).join('/');
      return { route, rest, rawRest };
    }
  }
  return undefined;
}

/** `path.Join("/", p)` in Go: dot segments resolved, repeated slashes and a trailing slash removed. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const segment of p.split('/')) {
    if (segment === '' || segment === '.') {
      continue;
    }
    if (segment === '..') {
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}

function unescape(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The part a final `*` took ('' when the pattern has none), or undefined when the path does not match. */
function matchSegments(pattern: string[], segments: string[]): string | undefined {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '*' && i === pattern.length - 1) {
      // Grafana's match-all leaf needs at least one segment; it hands on the rest, unescaped.
      return segments.length > i
        ? segments
            .slice(i)
            .map((s) => unescape(s) ?? s)
            .join('/')
        : undefined;
    }
    const segment = segments[i] === undefined ? undefined : unescape(segments[i]);
    if (segment === undefined) {
      return undefined;
    }
    if (p.startsWith(':') ? segment === '' : p !== segment) {
      return undefined;
    }
  }
  return segments.length === pattern.length ? '' : undefined;
}

/** How Go's fmt prints a JSON value (%v), for a template that interpolates a non-string setting. */
function goFormat(value: unknown): string {
  if (value === null) {
    return '<nil>';
  }
  if (Array.isArray(value)) {
    return `[${value.map(goFormat).join(' ')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${k}:${goFormat((value as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  if (typeof value === 'number' && Math.abs(value) >= 1e21) {
    return value.toExponential().replace(/e\+?(-?)(\d)$/, 'e+$10$2');
  }
  return String(value);
}

/**
 * A route template over the saved settings, as Grafana's `interpolateString` (Go text/template) renders it. Only
 * the forms plugins use here are understood: `{{ .JsonData.key }}`, `{{ .SecureJsonData.key }}`, each optionally
 * piped through `orEmpty`; anything else is an error naming the template, so a new form is noticed rather than
 * rendered wrongly.
 */
export function interpolate(template: string, settings: AppSettings): string {
  return template.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (action, body: string) => {
    const m = /^\.(JsonData|SecureJsonData)\.([A-Za-z_][A-Za-z0-9_]*)(\s*\|\s*orEmpty)?$/.exec(body);
    if (!m) {
      throw new Error(`Sandbox: the route template ${JSON.stringify(template)} uses ${action}, which it cannot render`);
    }
    const [, map, key, orEmpty] = m;
    const source: Record<string, unknown> = map === 'JsonData' ? settings.jsonData : settings.secureJsonData;
    if (!Object.prototype.hasOwnProperty.call(source, key)) {
      // Go's text/template prints a missing map key as "<no value>"; Grafana's orEmpty turns it into "".
      return orEmpty ? '' : '<no value>';
    }
    return goFormat(source[key]);
  });
}

/** The request headers a reverse proxy passes on (besides the route's own); cookies and auth are never sent. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-encoding', 'content-type', 'content-encoding', 'user-agent'];
/** Hop-by-hop response headers, which a proxy does not copy (RFC 9110 7.6.1), and the cookies Grafana drops. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'content-length',
  'content-encoding',
]);

export interface ProxyOptions {
  /**
   * The URL for the upstream and the percent-encoded rest of the path: the sandbox refuses (throws) a rest that
   * would leave the upstream's path, so it is never an open proxy.
   */
  resolve: (upstream: string, rawRest: string, search: string) => URL;
  /** How long the upstream has to answer before the proxy gives up with 504 (30 s, like Grafana's dial timeout). */
  timeoutMs: number;
  /** Where the reason for a 502/504 goes (Grafana's log). */
  log: (message: string) => void;
}

/**
 * Forwards one request through a matched route: the upstream from the route's `url` template, `rawRest` (what the
 * route's `*` took) appended to its path, the query string kept, the route's headers set from the settings.
 */
export async function forwardThroughRoute(
  req: IncomingMessage,
  res: ServerResponse,
  route: AppRoute,
  rawRest: string,
  search: string,
  body: Buffer | undefined,
  settings: AppSettings,
  options: ProxyOptions
): Promise<void> {
  const upstreamText = interpolate(route.url ?? '', settings);
  let base: URL;
  try {
    base = new URL(upstreamText);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new Error(`unsupported protocol scheme "${base.protocol.replace(/:$/, '')}"`);
    }
  } catch (e) {
    // Go's transport refuses a URL without a scheme or host ("unsupported protocol scheme"): a bodiless 502.
    options.log(`Proxy request failed: route ${route.path}: ${JSON.stringify(upstreamText)}: ${(e as Error).message}`);
    res.writeHead(502);
    res.end();
    return;
  }
  // util.JoinURLFragments: nothing appended when the route took no rest; else one slash between the two.
  let target: URL;
  if (rawRest === '') {
    target = new URL(base.href);
    target.search = search;
  } else {
    target = options.resolve(base.href, rawRest, search);
  }
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') {
      headers[name] = value;
    }
  }
  for (const header of route.headers ?? []) {
    headers[header.name] = interpolate(header.content, settings);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  // The browser leaving the page cancels the proxied request too (Grafana answers 499 to a closed client).
  const onClose = () => !res.writableEnded && controller.abort();
  res.on('close', onClose);
  try {
    const upstream = await fetch(target, {
      method: req.method,
      headers,
      body: body && body.length > 0 ? new Uint8Array(body) : undefined,
      signal: controller.signal,
      redirect: 'manual',
    });
    const buf = Buffer.from(await upstream.arrayBuffer());
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!DROPPED_RESPONSE_HEADERS.has(name)) {
        out[name] = value;
      }
    });
    res.writeHead(upstream.status, out);
    res.end(buf);
  } catch (e) {
    const timedOut = controller.signal.aborted && !res.destroyed;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    options.log(
      `Proxy request ${timedOut ? 'timed out' : 'failed'}: ${req.method} ${target.href}: ${cause?.code ?? ''} ${cause?.message ?? (e as Error).message}`.trim()
    );
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(timedOut ? 504 : 502);
      res.end();
    }
  } finally {
    clearTimeout(timer);
    res.off('close', onClose);
  }
}
