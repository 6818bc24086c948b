/*
 * The sandbox server: serves the host page, the built plugin from dist/ the way Grafana serves plugin
 * files, a small part of Grafana's HTTP API, and Grafana's data source proxy path, answered from files
 * or by a live Tempo/Prometheus. Loopback only by default. Usage: see sandbox/README.md.
 */
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildHost } from './build-host';
import { HOSTS, HostDef, HostVersions, hostByName, hostPackageDir, hostVersions } from './hosts';
import { generateServiceMap } from '../bench/servicemapData';
import { serviceMapFrames } from '../src/testing/serviceMapFrames';
import { AppRoute, AppSettings, forwardThroughRoute, matchRoute } from './appProxy';
import { createDataSourceStore } from './datasources';

const ROOT = path.resolve(__dirname, '..');
const APP_ID = 'traceway-explorer-app';

export interface SandboxOptions {
  host: string;
  port: number;
  /** Which Grafana line the host page is built from (sandbox/hosts.ts); grafana12 when not given. */
  grafana?: HostDef;
  dist: string;
  data: string;
  tempo?: string;
  prometheus?: string;
  /** How long an app route's upstream has to answer before the proxy answers 504 (30 s). */
  proxyTimeoutMs?: number;
  /** Where the proxy's reasons for a 502/504 go (Grafana's server log); stderr when not given. */
  log?: (message: string) => void;
}

/** Grafana's plugin proxy gives up connecting after 30 s (its dialer's timeout), then answers 504. */
export const DEFAULT_PROXY_TIMEOUT_MS = 30_000;

const MIME: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Grafana's font files (GlobalStyles/fonts in @grafana/ui) and the Fontsource files that stand in for them. */
const FONTS: Record<string, string> = {
  'inter/Inter-Regular.woff2': '@fontsource/inter/files/inter-latin-400-normal.woff2',
  'inter/Inter-Medium.woff2': '@fontsource/inter/files/inter-latin-500-normal.woff2',
  'inter/Inter-Italic.woff2': '@fontsource/inter/files/inter-latin-400-italic.woff2',
  'inter/Inter-MediumItalic.woff2': '@fontsource/inter/files/inter-latin-500-italic.woff2',
};
const SPINNER_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 3a9 9 0 1 0 9 9h-2a7 7 0 1 1-7-7z"/></svg>';
/** Icons Grafana serves that @grafana/ui's package lacks, drawn as simple stand-ins (not Grafana's artwork). */
const STAND_IN_ICONS: Record<string, string> = {
  // Grafana's `crosshair` (the service map's "Focus on this service").
  'unicons/crosshair.svg':
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2">' +
    '<circle cx="12" cy="12" r="7"/><path d="M12 2v5M12 17v5M2 12h5M17 12h5"/></svg>',
};
const ROBOTO_MONO = '@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2';
const FONT_PACKAGES = path.join(__dirname, 'hosts', 'fonts', 'node_modules');

export const USAGE = `Usage: npm run sandbox -- [options]

Serves the built plugin (dist/) in a stand-in for Grafana's frontend; see sandbox/README.md.

Options:
  --grafana 12|13    the host's Grafana line: 12 (Grafana 12.4, React 18, the repository's packages, default)
                     or 13 (Grafana 13.x, React 19 development build, sandbox/hosts/grafana13)
  --port N           port to listen on (3100; 0 picks a free one)
  --host ADDRESS     address to listen on (127.0.0.1)
  --dist DIR         the built plugin (dist/)
  --data DIR         recorded answers and panel data (sandbox/data/)
  --tempo URL        proxy the tempo data source to a live Tempo, and start with it as the app's tempoUrl
  --prometheus URL   the same for prometheus (prometheusUrl)
  --proxy-timeout S  seconds an app route's upstream has to answer before the proxy answers 504 (30)
  --help             print this and exit

Pages: /a/traceway-explorer-app/..., /plugins/traceway-explorer-app, /panel/waterfall?data=NAME, /sandbox/info.
Add ?theme=light or ?theme=dark to any page.`;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** An error the client caused: answered with its status and message instead of 500. */
class ClientError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

/** The largest request body the sandbox reads (a settings update or a query sent on to Tempo needs far less). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** decodeURIComponent with a 400 instead of a URIError for a malformed escape such as `%E0%A4%A` or `%zz`. */
function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ClientError(400, `Sandbox: malformed percent-escape in the path ${JSON.stringify(text)}`);
  }
}

/** The file `relative` names below base, or null when the path would climb out of base. */
function fileInside(base: string, relative: string): string | null {
  const file = path.resolve(base, '.' + path.posix.normalize('/' + decodePath(relative)));
  return file.startsWith(base + path.sep) ? file : null;
}

/** Serves a file below base, refusing paths that climb out of it. */
function sendFile(res: ServerResponse, base: string, relative: string): boolean {
  const file = fileInside(base, relative);
  if (!file || !existsSync(file) || !statSync(file).isFile()) {
    return false;
  }
  res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
  return true;
}

/**
 * Replays a recorded response below base: `<rel>.json` or `<rel>.txt` as the body and, when present,
 * `<rel>.status` ("422 text/plain; charset=utf-8") as the status line, as in fixtures/.
 */
function sendRecorded(res: ServerResponse, base: string, rel: string): boolean {
  for (const ext of ['.json', '.txt']) {
    const file = fileInside(base, rel + ext);
    if (!file || !existsSync(file)) {
      continue;
    }
    const statusFile = file.slice(0, -ext.length) + '.status';
    let status = 200;
    let type = MIME[ext];
    if (existsSync(statusFile)) {
      const [code, ...rest] = readFileSync(statusFile, 'utf8').trim().split(' ');
      status = Number(code);
      type = rest.join(' ') || type;
    }
    res.writeHead(status, { 'Content-Type': type });
    createReadStream(file).pipe(res);
    return true;
  }
  return false;
}

interface SearchRoute {
  q: string;
  answer: string[];
}

interface RecordedTrace {
  traceID: string;
  startTimeUnixNano: string;
  spanSet?: { spans?: Array<{ startTimeUnixNano?: string }> };
  spanSets?: Array<{ spans?: Array<{ startTimeUnixNano?: string }> }>;
}

/**
 * Answers /api/search from recorded answers: `api/search.routes.json` maps the TraceQL `q` (first matching
 * regular expression) to fixtures in `api/search/`. A fixture that is not 200 is replayed as it is (Tempo's
 * parse error). Results are merged by trace ID and moved to the last hour: newest first, spread evenly over
 * the 55 minutes before now (each trace's spans moved with it), because the recorded traces are from a
 * fixed date and would fall outside any range a user picks. Only those in the asked `start`..`end` are
 * answered, at most `limit`, so each time slice of a progressive search finds its own. False without a
 * routes file.
 */
export function replaySearch(res: ServerResponse, base: string, params: URLSearchParams): boolean {
  const routesFile = path.join(base, 'api', 'search.routes.json');
  if (!existsSync(routesFile)) {
    return false;
  }
  const { routes } = JSON.parse(readFileSync(routesFile, 'utf8')) as { routes: SearchRoute[] };
  const q = params.get('q') ?? '{}';
  const route = routes.find((r) => new RegExp(r.q).test(q));
  if (!route) {
    sendJson(res, 404, { message: `Sandbox: no route in ${routesFile} matches q=${JSON.stringify(q)}` });
    return true;
  }
  const traces = new Map<string, RecordedTrace>();
  for (const name of route.answer) {
    const rel = path.join('api', 'search', name);
    if (!existsSync(path.join(base, `${rel}.json`))) {
      // Not JSON: an error answer (status and text), replayed as recorded.
      return sendRecorded(res, base, rel);
    }
    const body = JSON.parse(readFileSync(path.join(base, `${rel}.json`), 'utf8')) as { traces?: RecordedTrace[] };
    for (const t of body.traces ?? []) {
      if (!traces.has(t.traceID)) {
        traces.set(t.traceID, t);
      }
    }
  }
  const nowNs = BigInt(Date.now()) * BigInt(1_000_000);
  const secondsNs = (v: string | null, fallback: bigint) =>
    v && /^\d+$/.test(v) ? BigInt(v) * BigInt(1_000_000_000) : fallback;
  const endNs = secondsNs(params.get('end'), nowNs);
  const startNs = secondsNs(params.get('start'), endNs - BigInt(3600) * BigInt(1_000_000_000));
  const limit = Number(params.get('limit')) || 20;
  const sorted = [...traces.values()].sort((a, b) =>
    BigInt(b.startTimeUnixNano) > BigInt(a.startTimeUnixNano) ? 1 : -1
  );
  // The recorded traces, newest first, spread evenly over the 55 minutes before now.
  const spacing = (BigInt(55 * 60) * BigInt(1_000_000_000)) / BigInt(Math.max(1, sorted.length));
  const moved = sorted
    .map((t, i) => {
      const at = nowNs - spacing * BigInt(i) - spacing / BigInt(2);
      const delta = at - BigInt(t.startTimeUnixNano);
      const shift = <T extends { startTimeUnixNano?: string }>(x: T): T =>
        x.startTimeUnixNano ? { ...x, startTimeUnixNano: String(BigInt(x.startTimeUnixNano) + delta) } : x;
      const shiftSet = (set?: RecordedTrace['spanSet']) => set && { ...set, spans: set.spans?.map(shift) };
      return {
        at,
        trace: {
          ...shift(t),
          ...(t.spanSet ? { spanSet: shiftSet(t.spanSet) } : {}),
          ...(t.spanSets ? { spanSets: t.spanSets.map(shiftSet) } : {}),
        },
      };
    })
    .filter(({ at }) => at >= startNs && at < endNs)
    .slice(0, limit)
    .map(({ trace }) => trace);
  sendJson(res, 200, {
    traces: moved,
    metrics: { inspectedTraces: traces.size, inspectedBytes: '0', completedJobs: 1, totalJobs: 1 },
  });
  return true;
}

/**
 * Answers /api/v2/search/tag/name/values from the span names in the recorded traces (api/v2/traces/),
 * narrowed to one service when `q` names it as `resource.service.name = "..."`, as Tempo does.
 */
export function replaySpanNames(res: ServerResponse, base: string, params: URLSearchParams): boolean {
  const dir = path.join(base, 'api', 'v2', 'traces');
  if (!existsSync(dir)) {
    return false;
  }
  const service = /resource\.service\.name\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(params.get('q') ?? '')?.[1];
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const body = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
      trace?: {
        resourceSpans?: Array<{
          resource?: { attributes?: Array<{ key: string; value?: { stringValue?: string } }> };
          scopeSpans?: Array<{ spans?: Array<{ name?: string }> }>;
        }>;
      };
    };
    for (const rs of body.trace?.resourceSpans ?? []) {
      const name = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue;
      if (service !== undefined && name !== service) {
        continue;
      }
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          if (span.name) {
            names.add(span.name);
          }
        }
      }
    }
  }
  sendJson(res, 200, {
    tagValues: [...names].sort().map((value) => ({ type: 'string', value })),
    metrics: { inspectedBytes: '0' },
  });
  return true;
}

interface PromQueryRoute {
  query: string;
  answer: string;
}

/**
 * Answers Prometheus's instant query (`/api/v1/query`, GET or POST with a form body, as Grafana's proxy
 * passes both) from recorded answers: `api/v1/query.routes.json` below base maps the PromQL (first matching
 * regular expression wins) to a recording, `answer` naming `<answer>.json` (with an optional `.status`)
 * relative to the data folder, so several data sources can share recordings. False without a routes file.
 */
export async function replayPromQuery(
  req: IncomingMessage,
  res: ServerResponse,
  data: string,
  uid: string,
  params: URLSearchParams
): Promise<boolean> {
  const routesFile = path.join(data, uid, 'api', 'v1', 'query.routes.json');
  if (!existsSync(routesFile)) {
    return false;
  }
  const form = req.method === 'POST' ? new URLSearchParams((await readBody(req)).toString('utf8')) : undefined;
  const query = form?.get('query') ?? params.get('query');
  if (query === null || query === '') {
    // Prometheus's own answer to a query without `query`.
    sendJson(res, 400, {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:1: parse error: no expression found in input',
    });
    return true;
  }
  const { routes } = JSON.parse(readFileSync(routesFile, 'utf8')) as { routes: PromQueryRoute[] };
  const route = routes.find((r) => new RegExp(r.query).test(query));
  if (!route || !sendRecorded(res, data, route.answer)) {
    sendJson(res, 404, {
      status: 'error',
      errorType: 'sandbox',
      error: route
        ? `Sandbox: no recorded answer ${route.answer}.json in ${data}`
        : `Sandbox: no route in ${routesFile} matches the query ${JSON.stringify(query)}`,
    });
  }
  return true;
}

/** The largest generated service map the sandbox serves (`servicemap-<N>`). */
export const MAX_GENERATED_SERVICES = 5000;

/**
 * Panel data `servicemap-<N>`: the node-graph frames of `generateServiceMap({ services: N, edges: 5N, seed: 1 })`
 * (bench/servicemapData.ts), as Grafana's Tempo data source returns them for its service map. Made on first
 * use and kept, so every host and test sees the same map. Undefined for any other name.
 */
const generatedPanels = new Map<number, string>();
export function generatedPanelData(name: string): string | undefined {
  const m = /^servicemap-(\d{1,5})$/.exec(name);
  if (!m) {
    return undefined;
  }
  const services = Number(m[1]);
  if (services < 2 || services > MAX_GENERATED_SERVICES) {
    throw new ClientError(
      400,
      `Sandbox: servicemap-${m[1]} is out of range: N must be from 2 to ${MAX_GENERATED_SERVICES} services`
    );
  }
  let body = generatedPanels.get(services);
  if (!body) {
    body = JSON.stringify(serviceMapFrames(generateServiceMap({ services, edges: 5 * services, seed: 1 })));
    generatedPanels.set(services, body);
  }
  return body;
}

/** The request's body, at most MAX_BODY_BYTES: a larger one (declared or streamed) is a 413. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const tooLarge = () =>
    new ClientError(413, `Sandbox: the request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Where a proxied request goes: `rest` (the path below the proxy prefix, as the client sent it, still
 * percent-encoded) resolved against the upstream, or a 400 when it would leave it. Only paths below the
 * upstream's own path on its origin are forwarded: an absolute URL (`http://other/`), a scheme-relative
 * `//other/`, a rooted `/path`, backslashes, encoded slashes or backslashes, a malformed escape or dot
 * segments that climb out of the upstream's path are refused, so the sandbox is never an open proxy.
 */
export function proxyTarget(upstream: string, rest: string, search: string): URL {
  const base = new URL(upstream.endsWith('/') ? upstream : upstream + '/');
  const refuse = (why: string) =>
    new ClientError(
      400,
      `Sandbox proxy: refused ${JSON.stringify(rest)}: ${why}; only paths below ${base.href} are forwarded`
    );
  const decoded = decodePath(rest);
  if (/^[a-z][a-z0-9+.-]*:/i.test(decoded)) {
    throw refuse('an absolute URL');
  }
  if (decoded.startsWith('/')) {
    throw refuse('a path from the root or another host');
  }
  if (decoded.includes('\\') || /%2f/i.test(rest)) {
    throw refuse('a backslash or an encoded slash');
  }
  if (/[\u0000-\u001f\u007f]/.test(decoded)) {
    throw refuse('a control character');
  }
  const target = new URL(rest + search, base);
  if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) {
    throw refuse('it leaves the upstream');
  }
  return target;
}

/**
 * Forwards a request to a live upstream, as Grafana's data source proxy does: no cookies, the client's own auth
 * dropped, the data source's headers (`dsHeaders`: its custom headers and basic auth) added.
 */
async function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  rest: string,
  search: string,
  dsHeaders: Record<string, string> = {}
) {
  const target = proxyTarget(upstream, rest, search);
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
  const headers: Record<string, string> = { ...dsHeaders };
  for (const name of ['accept', 'content-type']) {
    const value = req.headers[name];
    if (typeof value === 'string') {
      headers[name] = value;
    }
  }
  try {
    const upstreamRes = await fetch(target, {
      method: req.method,
      headers,
      body: body && new Uint8Array(body),
    });
    const buf = Buffer.from(await upstreamRes.arrayBuffer());
    res.writeHead(upstreamRes.status, {
      'Content-Type': upstreamRes.headers.get('content-type') ?? 'application/octet-stream',
    });
    res.end(buf);
  } catch (e) {
    sendJson(res, 502, { message: `Sandbox proxy could not reach ${target.origin}: ${(e as Error).message}` });
  }
}

export function createSandbox(options: SandboxOptions) {
  const hostIndex = readFileSync(path.join(__dirname, 'host', 'index.html'), 'utf8');
  const systemjs = path.join(ROOT, 'node_modules', 'systemjs', 'dist');
  const upstreams: Record<string, string | undefined> = { tempo: options.tempo, prometheus: options.prometheus };
  const proxyTimeoutMs = options.proxyTimeoutMs ?? DEFAULT_PROXY_TIMEOUT_MS;
  // The app's settings live in memory, like a fresh Grafana with the app provisioned. The secrets are kept for the
  // proxy routes' headers and never answered: only whether each is set (secureJsonFields), as in Grafana.
  const settings: AppSettings = {
    jsonData: {
      tempoDatasourceUid: 'tempo',
      prometheusDatasourceUid: 'prometheus',
      ...(options.tempo ? { tempoUrl: options.tempo } : {}),
      ...(options.prometheus ? { prometheusUrl: options.prometheus } : {}),
    },
    secureJsonData: {},
  };
  const secureJsonFields = () =>
    Object.fromEntries(Object.entries(settings.secureJsonData).map(([k, v]) => [k, v !== ''] as const));
  // Grafana's data sources: the provisioned three (read-only, as provisioned ones are), and what the wizard creates.
  // The recorded-data ones have no URL: their proxy answers from files (or --tempo/--prometheus).
  const datasources = createDataSourceStore([
    {
      uid: 'tempo',
      name: 'Tempo',
      type: 'tempo',
      readOnly: true,
      jsonData: { serviceMap: { datasourceUid: 'prometheus' } },
    },
    { uid: 'prometheus', name: 'Prometheus', type: 'prometheus', readOnly: true, jsonData: {} },
    // A Prometheus without Tempo's service-graph series (no metrics-generator): every query finds nothing.
    {
      uid: 'prometheus-empty',
      name: 'Prometheus (no service graphs)',
      type: 'prometheus',
      readOnly: true,
      jsonData: {},
    },
  ]);
  const log = options.log ?? ((message: string) => console.error(`sandbox: ${message}`));
  /** The app's proxy routes, from the built plugin.json (re-read when it changes, as a rebuild would). */
  let routesCache: { mtimeMs: number; routes: AppRoute[] } | undefined;
  const appRoutes = (): AppRoute[] => {
    const file = path.join(options.dist, 'plugin.json');
    const { mtimeMs } = statSync(file);
    if (routesCache?.mtimeMs !== mtimeMs) {
      const routes = (JSON.parse(readFileSync(file, 'utf8')) as { routes?: AppRoute[] }).routes ?? [];
      routesCache = { mtimeMs, routes };
    }
    return routesCache.routes;
  };
  const hostDef = options.grafana ?? HOSTS.grafana12;
  let host = { js: '', css: '' };
  let versions: HostVersions | undefined;
  const icons = path.join(hostPackageDir(hostDef, '@grafana/ui'), 'dist', 'public', 'img', 'icons');

  const appMeta = () => {
    const pluginJson = JSON.parse(readFileSync(path.join(options.dist, 'plugin.json'), 'utf8'));
    return {
      ...pluginJson,
      enabled: true,
      pinned: true,
      baseUrl: `public/plugins/${APP_ID}`,
      module: `public/plugins/${APP_ID}/module.js`,
      jsonData: settings.jsonData,
      secureJsonFields: secureJsonFields(),
    };
  };

  const bootData = (theme: string) => ({
    settings: {
      appSubUrl: '',
      buildInfo: { version: versions?.grafana ?? '0.0.0', commit: 'sandbox', env: 'production' },
      featureToggles: {},
      datasources: {},
    },
    user: { isSignedIn: true, id: 1, login: 'admin', orgId: 1, orgRole: 'Admin', theme, regionalFormat: 'en-US' },
    navTree: [],
    assets: { dark: '', light: '' },
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const p = url.pathname;
    // The path as the client sent it: URL parsing has already resolved dot segments and turned backslashes
    // into slashes, and the proxy must judge what was asked for.
    const rawPath = (req.url ?? '/').replace(/[?#].*$/s, '');

    if (p === '/sandbox/host.js' || p === '/sandbox/host.css') {
      res.writeHead(200, { 'Content-Type': MIME[path.extname(p)] });
      res.end(p.endsWith('.js') ? host.js : host.css);
      return;
    }
    if (p.startsWith('/sandbox/vendor/')) {
      const name = p.slice('/sandbox/vendor/'.length);
      const file = name === 'amd.min.js' ? 'extras/amd.min.js' : name;
      if (sendFile(res, systemjs, file)) {
        return;
      }
    }
    if (p === '/sandbox/info') {
      sendJson(res, 200, {
        host: versions,
        tempo: options.tempo,
        prometheus: options.prometheus,
        datasources: datasources.instanceSettings(),
      });
      return;
    }
    if (p.startsWith('/sandbox/data/')) {
      if (sendFile(res, options.data, p.slice('/sandbox/data/'.length))) {
        return;
      }
      const panelData = p.match(/^\/sandbox\/data\/panels\/([^/]+)\.json$/);
      const generated = panelData ? generatedPanelData(decodePath(panelData[1])) : undefined;
      if (generated !== undefined) {
        res.writeHead(200, { 'Content-Type': MIME['.json'], 'Cache-Control': 'no-store' });
        res.end(generated);
        return;
      }
      if (panelData) {
        const names = listNames(path.join(options.data, 'panels'), '.json');
        sendJson(res, 404, {
          message: `No panel data "${decodePath(panelData[1])}": ?data= takes one of ${names.join(', ')}, or servicemap-<N> (a generated map of N services)`,
        });
        return;
      }
      sendJson(res, 404, { message: `No sandbox data file ${p.slice('/sandbox/data/'.length)} in ${options.data}` });
      return;
    }
    if (p.startsWith(`/public/plugins/${APP_ID}/`)) {
      if (sendFile(res, options.dist, p.slice(`/public/plugins/${APP_ID}/`.length))) {
        return;
      }
      sendJson(res, 404, { message: `Not in ${options.dist}: ${p}. Did you run npm run build?` });
      return;
    }
    if (p === `/api/plugins/${APP_ID}/settings`) {
      if (req.method === 'POST') {
        let update: { jsonData?: Record<string, unknown>; secureJsonData?: Record<string, unknown> };
        try {
          update = JSON.parse((await readBody(req)).toString('utf8') || '{}');
        } catch (e) {
          if (e instanceof ClientError) {
            throw e;
          }
          throw new ClientError(400, `Sandbox: the settings are not JSON: ${(e as Error).message}`);
        }
        if (update.jsonData) {
          settings.jsonData = update.jsonData;
        }
        // Secrets are write-only, as in Grafana: a key sent replaces the stored one, the others are kept; only
        // whether each is set is ever returned.
        for (const [key, value] of Object.entries(update.secureJsonData ?? {})) {
          settings.secureJsonData[key] = String(value);
        }
        sendJson(res, 200, { message: 'Plugin settings updated' });
        return;
      }
      sendJson(res, 200, appMeta());
      return;
    }
    if (p === '/api/datasources' || p.startsWith('/api/datasources/uid/')) {
      const uidPath = /^\/api\/datasources\/uid\/([^/]+)(\/health)?$/.exec(rawPath);
      const uid = uidPath ? decodePath(uidPath[1]) : undefined;
      const readJson = async () => {
        try {
          return JSON.parse((await readBody(req)).toString('utf8') || 'null');
        } catch (e) {
          if (e instanceof ClientError) {
            throw e;
          }
          return undefined; // web.Bind fails: 400 bad request data
        }
      };
      let answer;
      if (p === '/api/datasources' && req.method === 'GET') {
        answer = datasources.list();
      } else if (p === '/api/datasources' && req.method === 'POST') {
        answer = datasources.create(await readJson());
      } else if (uid !== undefined && uidPath?.[2] && req.method === 'GET') {
        answer = await datasources.health(uid, async (target, headers) => {
          const r = await fetch(target, { headers, signal: AbortSignal.timeout(proxyTimeoutMs) });
          return { status: r.status, body: await r.text() };
        });
      } else if (uid !== undefined && !uidPath?.[2] && req.method === 'GET') {
        answer = datasources.getByUid(uid);
      } else if (uid !== undefined && !uidPath?.[2] && req.method === 'PUT') {
        answer = datasources.update(uid, await readJson());
      }
      if (answer) {
        sendJson(res, answer.status, answer.body);
        return;
      }
    }
    if (p.startsWith('/api/dashboards/uid/') && req.method === 'GET') {
      // The sandbox has no dashboards: Grafana's answer for a uid it does not have (the wizard then leaves out its
      // link to the compose stack's demo dashboard).
      sendJson(res, 404, { message: 'Dashboard not found' });
      return;
    }
    const dsProxy = rawPath.match(/^\/api\/datasources\/proxy\/uid\/([^/]+)\/(.*)$/s);
    if (dsProxy) {
      const [, uid, rest] = dsProxy;
      // --tempo/--prometheus for the provisioned ones; a data source created with a URL proxies to it.
      const upstream = upstreams[uid] ?? (datasources.get(uid)?.url || undefined);
      if (upstream) {
        await proxy(req, res, upstream, rest, url.search, datasources.proxyHeaders(uid));
        return;
      }
      // No live back end: search and span names answer from recorded data (see replaySearch), and every other
      // path replays data/<uid>/<path>.{json,txt} with its .status, as recorded.
      if (rest === 'api/search' && replaySearch(res, path.join(options.data, uid), url.searchParams)) {
        return;
      }
      if (
        rest === 'api/v2/search/tag/name/values' &&
        replaySpanNames(res, path.join(options.data, uid), url.searchParams)
      ) {
        return;
      }
      if (rest === 'api/v1/query' && (await replayPromQuery(req, res, options.data, uid, url.searchParams))) {
        return;
      }
      if (sendRecorded(res, options.data, `${uid}/${rest}`)) {
        return;
      }
      sendJson(res, 404, {
        message: `Sandbox: no live ${uid} (start with --${uid} URL) and no file ${uid}/${rest}.json in ${options.data}`,
      });
      return;
    }
    const appProxy = rawPath.match(new RegExp(`^/api/plugin-proxy/${APP_ID}(?:/(.*))?$`, 's'));
    if (appProxy) {
      const matched = matchRoute(appRoutes(), req.method ?? 'GET', appProxy[1] ?? '');
      if (!matched) {
        sendJson(res, 404, { message: 'plugin route match not found' });
        return;
      }
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
      await forwardThroughRoute(req, res, matched.route, matched.rawRest, url.search, body, settings, {
        resolve: proxyTarget,
        timeoutMs: proxyTimeoutMs,
        log,
      });
      return;
    }
    if (p.startsWith('/public/fonts/')) {
      // Grafana serves Inter and Roboto Mono from public/fonts/; Fontsource's Latin subsets stand in.
      const name = p.slice('/public/fonts/'.length);
      const file = FONTS[name] ?? (name.startsWith('roboto/') ? ROBOTO_MONO : undefined);
      if (file && sendFile(res, FONT_PACKAGES, file)) {
        return;
      }
      // Fonts not installed: no body, and the browser falls back to its sans-serif.
      res.writeHead(204);
      res.end();
      return;
    }
    if (p.startsWith('/public/build/img/icons/')) {
      // @grafana/ui's Icon fetches its SVGs from public/build/img/icons/<unicons|solid|mono|custom>/NAME.svg;
      // the package ships the same files in dist/public/img/icons/.
      if (sendFile(res, icons, p.slice('/public/build/img/icons/'.length))) {
        return;
      }
      const standIn = STAND_IN_ICONS[p.slice('/public/build/img/icons/'.length)];
      if (standIn) {
        res.writeHead(200, { 'Content-Type': MIME['.svg'] });
        res.end(standIn);
        return;
      }
      if (p.endsWith('/spinner.svg')) {
        // The one icon Grafana serves that the package lacks (`<Spinner>`, "fa fa-spinner"): an arc that spins.
        res.writeHead(200, { 'Content-Type': MIME['.svg'] });
        res.end(SPINNER_SVG);
        return;
      }
      // The time picker's "move back" button asks for angle-double-left, which the package lacks too (Grafana
      // has it): the package's angle-double-right, mirrored.
      const right = p.endsWith('-left.svg')
        ? fileInside(icons, p.slice('/public/build/img/icons/'.length).replace(/-left\.svg$/, '-right.svg'))
        : null;
      if (right && existsSync(right)) {
        const svg = readFileSync(right, 'utf8')
          .replace(/<svg([^>]*)>/, '<svg$1><g transform="matrix(-1 0 0 1 24 0)">')
          .replace(/<\/svg>\s*$/, '</g></svg>');
        res.writeHead(200, { 'Content-Type': MIME['.svg'] });
        res.end(svg);
        return;
      }
    }
    if (p.startsWith('/api/') || p.startsWith('/public/')) {
      sendJson(res, 404, { message: `The sandbox does not fake ${p}` });
      return;
    }
    // Every other path is a page of the single-page host.
    const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
    res.writeHead(200, { 'Content-Type': MIME['.html'], 'Cache-Control': 'no-store' });
    res.end(hostIndex.replace('__BOOT_DATA__', JSON.stringify(bootData(theme))));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (e instanceof ClientError && !res.headersSent) {
        // A body left unread would keep the connection busy: answer and close it.
        res.setHeader('Connection', 'close');
        sendJson(res, e.status, { message: e.message });
        req.resume();
      } else if (!res.headersSent) {
        sendJson(res, 500, { message: `Sandbox error: ${(e as Error).message}` });
      } else {
        res.end();
      }
    });
  });

  return {
    async start(): Promise<string> {
      if (!existsSync(path.join(options.dist, 'module.js'))) {
        throw new Error(`${options.dist}/module.js is missing: run npm run build first`);
      }
      versions = hostVersions(hostDef);
      host = await buildHost(hostDef);
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) =>
          reject(
            e.code === 'EADDRINUSE'
              ? new Error(
                  `port ${options.port} on ${options.host} is in use: stop what runs there or pick another --port`
                )
              : e
          )
        );
        server.listen(options.port, options.host, resolve);
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      return `http://${options.host}:${port}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    /** The host's Grafana and React versions, once started. */
    versions: () => versions,
  };
}

/** The names of the files with the extension in a folder, without it. */
function listNames(dir: string, ext: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(ext))
        .map((f) => f.slice(0, -ext.length))
        .sort()
    : [];
}

function parseOptions(argv: string[]): SandboxOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      grafana: { type: 'string', default: '12' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '3100' },
      dist: { type: 'string', default: path.join(ROOT, 'dist') },
      data: { type: 'string', default: path.join(__dirname, 'data') },
      tempo: { type: 'string' },
      prometheus: { type: 'string' },
      'proxy-timeout': { type: 'string', default: String(DEFAULT_PROXY_TIMEOUT_MS / 1000) },
    },
    strict: true,
  });
  if (values.help) {
    return 'help';
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  }
  for (const key of ['tempo', 'prometheus'] as const) {
    const value = values[key];
    if (value !== undefined && !/^https?:\/\//.test(value)) {
      throw new Error(`--${key} must be an http(s) URL such as http://localhost:3200, not "${value}"`);
    }
  }
  const proxyTimeout = Number(values['proxy-timeout']);
  if (!Number.isFinite(proxyTimeout) || proxyTimeout <= 0) {
    throw new Error(
      `--proxy-timeout must be a number of seconds above 0, such as 30, not "${values['proxy-timeout']}"`
    );
  }
  return {
    proxyTimeoutMs: proxyTimeout * 1000,
    grafana: hostByName(values.grafana!),
    host: values.host!,
    port,
    dist: path.resolve(values.dist!),
    data: path.resolve(values.data!),
    tempo: values.tempo,
    prometheus: values.prometheus,
  };
}

if (require.main === module) {
  let parsed: SandboxOptions | 'help';
  try {
    parsed = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error(`sandbox: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (parsed === 'help') {
    console.log(USAGE);
    process.exit(0);
  }
  const options = parsed;
  if (!existsSync(FONT_PACKAGES)) {
    console.warn('sandbox: no fonts in sandbox/hosts/fonts (npm run sandbox:install); the browser falls back');
  }
  const sandbox = createSandbox(options);
  sandbox
    .start()
    .then((url) => {
      const v = sandbox.versions()!;
      console.log(
        `Traceway sandbox (host ${v.host}: Grafana ${v.grafana}, React ${v.react} ${v.reactBuild} build) on ${url}/a/${APP_ID}/search`
      );
      if (options.tempo) {
        console.log(`Proxying the tempo data source to ${options.tempo}`);
      }
    })
    .catch((e) => {
      console.error(`sandbox: ${(e as Error).message}`);
      process.exit(1);
    });
}
