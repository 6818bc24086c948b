/**
 * Test-only: the part of Grafana's HTTP API the configuration page calls, in-process (node:http), so that the
 * page's tests make real requests: the app's settings (`POST /api/plugins/<id>/settings`, secrets merged as
 * Grafana merges them, '' stored as ''), the data source API (`GET/POST /api/datasources`,
 * `GET/PUT /api/datasources/uid/<uid>` where PUT replaces all but the secrets as Grafana does,
 * `GET /api/datasources/name/<name>`, Tempo's health: 501 as Grafana's Tempo backend has none, the data source
 * proxy with the data source's headers and basic auth, a 401 given as Grafana's 400), and the app's
 * proxy routes of src/plugin.json, matched by sandbox/appProxy's matchRoute (method, `*`) and forwarded to the
 * URLs of the SAVED settings with their headers (an unset URL or a dead upstream: 502, empty body).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// The sandbox's route matching and templates, which follow Grafana's source: one reading of plugin.json's routes.
import { interpolate, matchRoute, type AppRoute } from '../../../sandbox/appProxy';
import pluginJson from '../../plugin.json';

export interface StoredDataSource {
  id: number;
  uid: string;
  name: string;
  type: string;
  url?: string;
  isDefault?: boolean;
  readOnly?: boolean;
  basicAuth?: boolean;
  basicAuthUser?: string;
  jsonData?: Record<string, unknown>;
  /** What was sent as secureJsonData (Grafana would encrypt it and never give it back). */
  secureJsonData?: Record<string, string>;
}

export interface GrafanaStandIn {
  url: string;
  settings: { jsonData: Record<string, unknown>; secureJsonData: Record<string, string> };
  dataSources: StoredDataSource[];
  /** Every request: "METHOD /path" and its JSON body, if any. */
  requests: Array<{ method: string; path: string; body?: any; headers: http.IncomingHttpHeaders }>;
  /** The next settings save fails with this status and message. */
  failNextSave?: { status: number; message: string };
  close(): Promise<void>;
}

const APP = '/api/plugin-proxy/traceway-explorer-app/';

/** plugin.json's own routes, matched as Grafana matches them (method, exact paths, a final `*`). */
const ROUTES = (pluginJson as { routes?: AppRoute[] }).routes ?? [];

/**
 * What Grafana answers for a Tempo data source's health check: its Tempo backend implements no CheckHealth, so
 * current Grafana answers 501 (review 11, item 3; older Grafana 404).
 */
const TEMPO_HEALTH = {
  status: 501,
  body: { message: 'Not implemented', messageId: 'plugin.notImplemented', statusCode: 501, traceID: '' },
};

/** A data source's own headers as its proxy sends them: `httpHeaderNameN` with `httpHeaderValueN`, basic auth. */
function dataSourceHeaders(ds: StoredDataSource): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, name] of Object.entries(ds.jsonData ?? {})) {
    const m = /^httpHeaderName(\d+)$/.exec(key);
    if (m && typeof name === 'string' && name !== '') {
      headers[name] = ds.secureJsonData?.[`httpHeaderValue${m[1]}`] ?? '';
    }
  }
  if (ds.basicAuth) {
    const pw = ds.secureJsonData?.basicAuthPassword ?? '';
    headers.Authorization = `Basic ${Buffer.from(`${ds.basicAuthUser ?? ''}:${pw}`).toString('base64')}`;
  }
  return headers;
}

export async function startGrafanaStandIn(
  initial: { jsonData?: Record<string, unknown>; secureJsonData?: Record<string, string> } = {},
  dataSources: StoredDataSource[] = []
): Promise<GrafanaStandIn> {
  const sockets = new Set<import('node:net').Socket>();
  const state: GrafanaStandIn = {
    url: '',
    settings: { jsonData: { ...(initial.jsonData ?? {}) }, secureJsonData: { ...(initial.secureJsonData ?? {}) } },
    dataSources: [...dataSources],
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const proxy = (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer, rest: string) => {
    const q = rest.indexOf('?');
    const proxyPath = q < 0 ? rest : rest.slice(0, q);
    const query = q < 0 ? '' : rest.slice(q);
    const match = matchRoute(ROUTES, req.method ?? 'GET', proxyPath);
    if (!match) {
      json(res, 404, { message: 'plugin route match not found' });
      return;
    }
    let base: URL;
    try {
      base = new URL(interpolate(match.route.url ?? '', state.settings));
    } catch {
      // An unset URL: Go's transport refuses it, Grafana answers 502 with an empty body.
      res.writeHead(502).end();
      return;
    }
    const target = new URL(
      base.href.replace(/\/+$/, '') + (match.rawRest ? `/${match.rawRest}` : base.href.endsWith('/') ? '/' : '')
    );
    const headers: Record<string, string> = {};
    for (const key of ['content-type', 'accept']) {
      if (req.headers[key]) {
        headers[key] = String(req.headers[key]);
      }
    }
    for (const header of match.route.headers ?? []) {
      // Grafana sets each route header, even to ''.
      headers[header.name] = interpolate(header.content, state.settings);
    }
    const upstream = http.request(target.href + query, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502).end();
      } else {
        res.destroy();
      }
    });
    // The browser gave up (cancelled): so does Grafana's proxy.
    res.on('close', () => upstream.destroy());
    upstream.end(raw.length ? raw : undefined);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = req.url ?? '/';
      let body: any;
      try {
        body = raw.length && !path.startsWith(APP) ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        body = raw.toString('utf8');
      }
      state.requests.push({ method: req.method ?? 'GET', path, body, headers: req.headers });
      if (path.startsWith(APP)) {
        proxy(req, res, raw, path.slice(APP.length));
        return;
      }
      const settings = /^\/api\/plugins\/([^/]+)\/settings$/.exec(path);
      if (settings && req.method === 'POST') {
        if (state.failNextSave) {
          const { status, message } = state.failNextSave;
          state.failNextSave = undefined;
          json(res, status, { message });
          return;
        }
        state.settings.jsonData = body.jsonData ?? {};
        // Grafana merges secrets: a key sent is stored (an empty one as an encrypted ''), the others are kept.
        Object.assign(state.settings.secureJsonData, body.secureJsonData ?? {});
        json(res, 200, { message: 'Plugin settings updated' });
        return;
      }
      const viaDs = /^\/api\/datasources\/proxy\/uid\/([^/?]+)(.*)$/.exec(path);
      if (viaDs) {
        const ds = state.dataSources.find((d) => d.uid === decodeURIComponent(viaDs[1]));
        if (!ds || !ds.url) {
          json(res, 404, { message: 'Data source not found' });
          return;
        }
        // Grafana's data source proxy: the data source's URL, headers and basic auth; its 401 becomes this 400.
        const upstream = http.request(
          ds.url.replace(/\/+$/, '') + viaDs[2],
          { method: req.method, headers: dataSourceHeaders(ds) },
          (answer) => {
            if (answer.statusCode === 401) {
              answer.resume();
              res.writeHead(400).end('Authentication to data source failed');
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          }
        );
        upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
        upstream.end();
        return;
      }
      const byUid = /^\/api\/datasources\/uid\/([^/]+)(\/health)?$/.exec(path);
      if (byUid) {
        const uid = decodeURIComponent(byUid[1]);
        const ds = state.dataSources.find((d) => d.uid === uid);
        if (!ds) {
          json(res, 404, { message: 'Data source not found' });
        } else if (byUid[2]) {
          json(res, ds.type === 'tempo' ? TEMPO_HEALTH.status : 200, ds.type === 'tempo' ? TEMPO_HEALTH.body : {});
        } else if (req.method === 'PUT') {
          // Grafana replaces the data source with the body; only secureJsonData is merged (keys sent are stored).
          const { secureJsonData: sent, ...fields } = (body ?? {}) as StoredDataSource;
          const stored = { ...(ds.secureJsonData ?? {}), ...(sent ?? {}) };
          const index = state.dataSources.indexOf(ds);
          const next: StoredDataSource = { ...fields, uid: ds.uid, id: ds.id, secureJsonData: stored };
          state.dataSources[index] = next;
          json(res, 200, { datasource: next, id: next.id, message: 'Datasource updated', name: next.name });
        } else {
          const { secureJsonData, ...shown } = ds;
          json(res, 200, {
            ...shown,
            secureJsonFields: Object.fromEntries(Object.keys(secureJsonData ?? {}).map((k) => [k, true])),
          });
        }
        return;
      }
      const byName = /^\/api\/datasources\/name\/([^/]+)$/.exec(path);
      if (byName) {
        const ds = state.dataSources.find((d) => d.name === decodeURIComponent(byName[1]));
        json(res, ds ? 200 : 404, ds ?? { message: 'Data source not found' });
        return;
      }
      if (path === '/api/datasources' && req.method === 'POST') {
        if (state.dataSources.some((d) => d.name === body.name)) {
          json(res, 409, { message: 'data source with the same name already exists' });
          return;
        }
        const ds = { ...body, id: state.dataSources.length + 1 } as StoredDataSource;
        state.dataSources.push(ds);
        json(res, 200, { datasource: ds, id: ds.id, message: 'Datasource added', name: ds.name });
        return;
      }
      if (path === '/api/datasources' && req.method === 'GET') {
        json(res, 200, state.dataSources);
        return;
      }
      json(res, 404, { message: 'Not found' });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
