/*
 * The sandbox server: serves the host page, the built plugin from dist/ the way Grafana serves plugin
 * files, a small part of Grafana's HTTP API, and Grafana's data source proxy path, answered from files
 * or by a live Tempo/Prometheus. Loopback only by default. Usage: see sandbox/README.md.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildHost } from './build-host';

const ROOT = path.resolve(__dirname, '..');
const APP_ID = 'traceway-explorer-app';

export interface SandboxOptions {
  host: string;
  port: number;
  dist: string;
  data: string;
  tempo?: string;
  prometheus?: string;
}

const MIME: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The file `relative` names below base, or null when the path would climb out of base. */
function fileInside(base: string, relative: string): string | null {
  const file = path.resolve(base, '.' + path.posix.normalize('/' + decodeURIComponent(relative)));
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Forwards a request to a live upstream, as Grafana's data source proxy does (minus auth and cookies). */
async function proxy(req: IncomingMessage, res: ServerResponse, upstream: string, rest: string) {
  const target = new URL(rest, upstream.endsWith('/') ? upstream : upstream + '/');
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
  const headers: Record<string, string> = {};
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
  // The app's settings live in memory, like a fresh Grafana with the app provisioned.
  let jsonData: Record<string, string> = {
    tempoDatasourceUid: 'tempo',
    prometheusDatasourceUid: 'prometheus',
    ...(options.tempo ? { tempoUrl: options.tempo } : {}),
    ...(options.prometheus ? { prometheusUrl: options.prometheus } : {}),
  };
  const secureJsonFields: Record<string, boolean> = {};
  let host = { js: '', css: '' };

  const appMeta = () => {
    const pluginJson = JSON.parse(readFileSync(path.join(options.dist, 'plugin.json'), 'utf8'));
    return {
      ...pluginJson,
      enabled: true,
      pinned: true,
      baseUrl: `public/plugins/${APP_ID}`,
      module: `public/plugins/${APP_ID}/module.js`,
      jsonData,
      secureJsonFields,
    };
  };

  const bootData = (theme: string) => ({
    settings: {
      appSubUrl: '',
      buildInfo: { version: '12.3.0', commit: 'sandbox', env: 'production' },
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
        tempo: options.tempo,
        prometheus: options.prometheus,
        datasources: [
          { uid: 'tempo', name: 'Tempo', type: 'tempo', jsonData: { serviceMap: { datasourceUid: 'prometheus' } } },
          { uid: 'prometheus', name: 'Prometheus', type: 'prometheus', jsonData: {} },
        ],
      });
      return;
    }
    if (p.startsWith('/sandbox/data/')) {
      if (sendFile(res, options.data, p.slice('/sandbox/data/'.length))) {
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
        const update = JSON.parse((await readBody(req)).toString('utf8') || '{}');
        if (update.jsonData) {
          jsonData = update.jsonData;
        }
        // Secrets are write-only, as in Grafana: only whether each is set is ever returned.
        for (const [key, value] of Object.entries(update.secureJsonData ?? {})) {
          secureJsonFields[key] = value !== '';
        }
        sendJson(res, 200, { message: 'Plugin settings updated' });
        return;
      }
      sendJson(res, 200, appMeta());
      return;
    }
    const dsProxy = p.match(/^\/api\/datasources\/proxy\/uid\/([^/]+)\/(.*)$/);
    if (dsProxy) {
      const [, uid, rest] = dsProxy;
      const upstream = upstreams[uid];
      if (upstream) {
        await proxy(req, res, upstream, rest + url.search);
        return;
      }
      // No live back end: replay data/<uid>/<path>.{json,txt} with its .status, as recorded.
      if (sendRecorded(res, options.data, `${uid}/${rest}`)) {
        return;
      }
      sendJson(res, 404, {
        message: `Sandbox: no live ${uid} (start with --${uid} URL) and no file ${uid}/${rest}.json in ${options.data}`,
      });
      return;
    }
    const appProxy = p.match(new RegExp(`^/api/plugin-proxy/${APP_ID}/([^/]+)/?(.*)$`));
    if (appProxy) {
      const [, route, rest] = appProxy;
      const upstream = upstreams[route];
      if (upstream) {
        await proxy(req, res, upstream, rest + url.search);
        return;
      }
      sendJson(res, 502, { message: `Sandbox: the app route "${route}" has no upstream here` });
      return;
    }
    if (p.includes('/public/fonts/')) {
      // Grafana serves its Inter font; the sandbox has none and the browser falls back to sans-serif.
      res.writeHead(204);
      res.end();
      return;
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
      if (!res.headersSent) {
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
      host = await buildHost();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, resolve);
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      return `http://${options.host}:${port}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function parseOptions(argv: string[]): SandboxOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '3100' },
      dist: { type: 'string', default: path.join(ROOT, 'dist') },
      data: { type: 'string', default: path.join(__dirname, 'data') },
      tempo: { type: 'string' },
      prometheus: { type: 'string' },
    },
    strict: true,
  });
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
  return {
    host: values.host!,
    port,
    dist: path.resolve(values.dist!),
    data: path.resolve(values.data!),
    tempo: values.tempo,
    prometheus: values.prometheus,
  };
}

if (require.main === module) {
  let options: SandboxOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error(`sandbox: ${(e as Error).message}`);
    process.exit(2);
  }
  createSandbox(options)
    .start()
    .then((url) => {
      console.log(`Traceway sandbox on ${url}/a/${APP_ID}/search`);
      if (options.tempo) {
        console.log(`Proxying the tempo data source to ${options.tempo}`);
      }
    })
    .catch((e) => {
      console.error(`sandbox: ${(e as Error).message}`);
      process.exit(1);
    });
}
