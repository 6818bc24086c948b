/** @jest-environment node */
import http from 'node:http';
import { fetchTransport } from '../../http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  grafanaDataSourceHealth,
  grafanaServiceMap,
  grafanaTempoDataSource,
  prometheusServiceGraph,
  type DataSourceCheck,
} from './grafana';
import { runChecks } from './run';

const transport = fetchTransport();

/** A recorded Prometheus answer (these recordings are bodies only: served as 200 JSON, bad-promql as 400). */
const promBody = (name: string) =>
  readFileSync(path.resolve(__dirname, '../../../fixtures/prometheus-2.42-service-graph', `${name}.json`), 'utf8');

/*
 * Grafana's answers, in the shapes its HTTP API gives (nobody recorded a Grafana; the sources):
 * - GET /api/datasources: a JSON array of { id, uid, orgId, name, type, typeName, access, url, isDefault, jsonData,
 *   readOnly } (Grafana's data source HTTP API documentation, "Get all data sources").
 * - GET /api/datasources/uid/<uid>/health: pkg/api/datasources.go checkDatasourceHealth: 200
 *   {"status":"OK","message":...}; any other plugin status is HTTP 400 with {"status":"ERROR","message":...}.
 *   Tempo's backend (pkg/tsdb/tempo) has no CheckHealth: the plugin client's ErrMethodNotImplemented becomes, in
 *   pkg/api/plugins.go translatePluginRequestErrorToAPIError, 404 {"message":"Not found"} before errutil, and since
 *   (response.ErrOrFallback of errutil.NotImplemented("plugin.notImplemented"), whose public message is the
 *   status's, "Not implemented") 501 {"message":"Not implemented","messageId":"plugin.notImplemented","statusCode":501}.
 * - GET /api/datasources/proxy/uid/<uid>/api/echo: Tempo's own answer, 200 "echo" (fixtures/tempo-2.7.2/echo);
 *   an upstream 401 becomes 400 with the plain-text body "Authentication to data source failed"
 *   (pkg/api/pluginproxy/ds_proxy.go, its modifyResponse).
 * - errors are {"message":...}: 401 "Unauthorized" / "invalid API key", 403 "Access denied" with the permission
 *   needed, 404 "Data source not found" (pkg/api/datasources.go, pkg/middleware).
 * - Prometheus behind the data source proxy answers as Prometheus does: the recorded no-series.json.
 */
const TEMPO = {
  id: 2,
  uid: 'tempo',
  orgId: 1,
  name: 'Tempo',
  type: 'tempo',
  typeName: 'Tempo',
  access: 'proxy',
  url: 'http://tempo:3200',
  isDefault: false,
  jsonData: { serviceMap: { datasourceUid: 'prometheus' }, nodeGraph: { enabled: true } },
  readOnly: true,
};
const PROMETHEUS = { ...TEMPO, id: 1, uid: 'prometheus', name: 'Prometheus', type: 'prometheus', jsonData: {} };

type Answer = { status: number; body: unknown };
async function grafana(routes: Record<string, Answer | ((headers: http.IncomingHttpHeaders) => Answer)>) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    seen.push(req.url ?? '');
    const route = routes[new URL(req.url ?? '/', 'http://g').pathname];
    const answer =
      typeof route === 'function' ? route(req.headers) : (route ?? { status: 404, body: { message: 'Not found' } });
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('grafanaTempoDataSource', () => {
  it('picks the default Tempo data source, else the first, and says how many there are', async () => {
    const g = await grafana({
      '/api/datasources': {
        status: 200,
        body: [PROMETHEUS, TEMPO, { ...TEMPO, uid: 'tempo-2', name: 'Tempo staging', isDefault: true }],
      },
    });
    try {
      const check = await grafanaTempoDataSource(transport, g.url);
      expect(check.status).toBe('pass');
      expect(check.message).toBe(
        '2 Tempo data sources; checking "Tempo staging" (uid tempo-2), the default data source.'
      );
      expect(check.request).toEqual({ method: 'GET', url: `${g.url}/api/datasources` });
    } finally {
      await g.close();
    }
  });

  it('fails when Grafana has none, and reads the one named by uid', async () => {
    const g = await grafana({
      '/api/datasources': { status: 200, body: [PROMETHEUS] },
      '/api/datasources/uid/tempo': { status: 200, body: TEMPO },
      '/api/datasources/uid/prometheus': { status: 200, body: PROMETHEUS },
      '/api/datasources/uid/gone': { status: 404, body: { message: 'Data source not found' } },
    });
    try {
      const none = await grafanaTempoDataSource(transport, g.url);
      expect(none).toMatchObject({
        status: 'fail',
        message: 'Grafana has no Tempo data source (1 data source of other types).',
      });
      const named = await grafanaTempoDataSource(transport, g.url, { tempoDatasourceUid: 'tempo' });
      expect(named.status).toBe('pass');
      expect(named.dataSource).toEqual({
        uid: 'tempo',
        name: 'Tempo',
        isDefault: false,
        serviceMapUid: 'prometheus',
        url: 'http://tempo:3200',
        headerNames: [],
      });
      const wrongType = await grafanaTempoDataSource(transport, g.url, { tempoDatasourceUid: 'prometheus' });
      expect(wrongType.message).toBe('The data source "prometheus" is a prometheus data source, not Tempo.');
      const gone = await grafanaTempoDataSource(transport, g.url, { tempoDatasourceUid: 'gone' });
      expect(gone).toMatchObject({ status: 'fail', message: 'Grafana has no data source with the uid "gone".' });
    } finally {
      await g.close();
    }
  });

  it('names a missing or wrong token (401), a user who may not read data sources (403), and no Grafana there', async () => {
    const g = await grafana({
      '/api/datasources': (headers) =>
        headers.authorization === 'Bearer viewer'
          ? {
              status: 403,
              body: {
                accessErrorId: 'ACE0123456789',
                message:
                  "You'll need additional permissions to perform this action. Permissions needed: datasources:read",
                title: 'Access denied',
              },
            }
          : { status: 401, body: { message: 'invalid API key', traceID: '' } },
    });
    try {
      const noToken = await grafanaTempoDataSource(transport, g.url);
      expect(noToken.status).toBe('fail');
      expect(noToken.message).toMatch(/HTTP 401: invalid API key\): the token is missing, wrong or expired/);
      expect(noToken.hint).toMatch(/Admin role/);
      const viewer = await grafanaTempoDataSource(transport, g.url, { headers: { Authorization: 'Bearer viewer' } });
      expect(viewer.message).toMatch(
        /^Grafana denied the data source list \(HTTP 403: You'll need additional permissions/
      );
      expect(JSON.stringify(viewer)).not.toContain('Bearer viewer');
    } finally {
      await g.close();
    }
    // A port nothing listens on (a fresh one: the pool may still hold a socket to g).
    const closed = await grafana({});
    await closed.close();
    const dead = await grafanaTempoDataSource(transport, closed.url, { timeoutMs: 2000 });
    expect(dead).toMatchObject({
      status: 'fail',
      message: 'Grafana did not answer: the connection was refused (ECONNREFUSED).',
    });
  });
});

describe('grafanaDataSourceHealth', () => {
  it("passes on 200 OK and fails with the plugin's message on 400 ERROR", async () => {
    const g = await grafana({
      '/api/datasources/uid/tempo/health': { status: 200, body: { status: 'OK', message: 'Data source is working' } },
      '/api/datasources/uid/broken/health': {
        status: 400,
        body: { status: 'ERROR', message: 'failed to connect: dial tcp: lookup tempo on 127.0.0.11:53: no such host' },
      },
    });
    try {
      const ok = await grafanaDataSourceHealth(transport, g.url, 'tempo');
      expect(ok).toMatchObject({
        status: 'pass',
        message: "Grafana's health check of the data source passes: Data source is working.",
      });
      const bad = await grafanaDataSourceHealth(transport, g.url, 'broken');
      expect(bad.status).toBe('fail');
      expect(bad.message).toBe(
        "Grafana's health check of the data source fails (ERROR: failed to connect: dial tcp: lookup tempo on 127.0.0.11:53: no such host)."
      );
      expect(bad.hint).toMatch(/Grafana's server reaches Tempo/);
    } finally {
      await g.close();
    }
  });
});

describe('grafanaDataSourceHealth without a server-side health check (Tempo)', () => {
  // Current Grafana (errutil): 501; older Grafana: 404 "Not found" (see the sources at the top).
  const NOT_IMPLEMENTED_501 = {
    status: 501,
    body: { message: 'Not implemented', messageId: 'plugin.notImplemented', statusCode: 501 },
  };
  const NOT_FOUND_404 = { status: 404, body: { message: 'Not found' } };
  const ECHO = {
    status: 200,
    body: readFileSync(path.resolve(__dirname, '../../../fixtures/tempo-2.7.2/echo.txt'), 'utf8'),
  };

  it('asks /api/echo through the data source proxy, as Tempo\'s "Save & test" does, and passes on "echo"', async () => {
    for (const notImplemented of [NOT_IMPLEMENTED_501, NOT_FOUND_404]) {
      const g = await grafana({
        '/api/datasources/uid/tempo/health': notImplemented,
        '/api/datasources/proxy/uid/tempo/api/echo': ECHO,
      });
      try {
        const check = await grafanaDataSourceHealth(transport, g.url, 'tempo');
        expect(check).toMatchObject({
          status: 'pass',
          message: 'Grafana reaches Tempo through the data source: /api/echo answered.',
          request: { url: `${g.url}/api/datasources/proxy/uid/tempo/api/echo` },
        });
        expect(g.seen).toEqual(['/api/datasources/uid/tempo/health', '/api/datasources/proxy/uid/tempo/api/echo']);
      } finally {
        await g.close();
      }
    }
  });

  it("fails with what came back: Grafana's 400 for an upstream 401, another server's 200, Grafana's 502", async () => {
    const g = await grafana({
      '/api/datasources/uid/auth/health': NOT_IMPLEMENTED_501,
      // ds_proxy.go: the upstream's 401 becomes this plain-text 400.
      '/api/datasources/proxy/uid/auth/api/echo': { status: 400, body: 'Authentication to data source failed' },
      '/api/datasources/uid/html/health': NOT_IMPLEMENTED_501,
      '/api/datasources/proxy/uid/html/api/echo': { status: 200, body: '<!doctype html><title>Sign in</title>' },
      '/api/datasources/uid/dead/health': NOT_IMPLEMENTED_501,
      '/api/datasources/proxy/uid/dead/api/echo': { status: 502, body: '' },
    });
    try {
      const auth = await grafanaDataSourceHealth(transport, g.url, 'auth');
      expect(auth.status).toBe('fail');
      expect(auth.message).toMatch(/HTTP 400 "Authentication to data source failed"/);
      expect(auth.message).toMatch(/Grafana turns an upstream 401 into this 400/);
      const html = await grafanaDataSourceHealth(transport, g.url, 'html');
      expect(html).toMatchObject({ status: 'fail' });
      expect(html.message).toMatch(/answered 200 but not Tempo's "echo" \(an HTML page/);
      const dead = await grafanaDataSourceHealth(transport, g.url, 'dead');
      expect(dead.status).toBe('fail');
      expect(dead.message).toMatch(/HTTP 502: its server could not connect to Tempo at the data source's URL/);
    } finally {
      await g.close();
    }
  });
});

describe('grafanaTempoDataSource compared with the plan', () => {
  const withHeader = { ...TEMPO, jsonData: { ...TEMPO.jsonData, httpHeaderName1: 'X-Scope-OrgID' } };
  it('warns when the tenant is not sent by the data source, or its URL is another Tempo', async () => {
    const g = await grafana({
      '/api/datasources/uid/tempo': { status: 200, body: TEMPO },
      '/api/datasources/uid/tenanted': { status: 200, body: { ...withHeader, uid: 'tenanted' } },
    });
    try {
      const noHeader = await grafanaTempoDataSource(transport, g.url, {
        tempoDatasourceUid: 'tempo',
        expected: { tempoUrl: 'http://tempo:3200', tenant: 'team-a' },
      });
      expect(noHeader.status).toBe('warn');
      expect(noHeader.message).toMatch(/sends no X-Scope-OrgID header, but the tenant is "team-a"/);
      expect(noHeader.message).toMatch(/401 "no org id"/);
      expect(noHeader.dataSource?.uid).toBe('tempo'); // the rows that follow still run
      const otherUrl = await grafanaTempoDataSource(transport, g.url, {
        tempoDatasourceUid: 'tenanted',
        expected: { tempoUrl: 'http://tempo-gateway:8080', tenant: 'team-a' },
      });
      expect(otherUrl.status).toBe('warn');
      expect(otherUrl.message).toMatch(
        /its URL is http:\/\/tempo:3200, but the Tempo checks asked http:\/\/tempo-gateway:8080/
      );
      // Equal up to a trailing slash, the header named in another letter case: nothing to say.
      const same = await grafanaTempoDataSource(transport, g.url, {
        tempoDatasourceUid: 'tenanted',
        expected: { tempoUrl: 'http://tempo:3200/', tenant: 'team-a' },
      });
      expect(same.status).toBe('pass');
      const noTenant = await grafanaTempoDataSource(transport, g.url, {
        tempoDatasourceUid: 'tempo',
        expected: { tempoUrl: 'http://tempo:3200' },
      });
      expect(noTenant.status).toBe('pass');
    } finally {
      await g.close();
    }
  });
});

describe('grafanaServiceMap', () => {
  const found = (jsonData: object): DataSourceCheck => ({
    id: 'grafana-datasource',
    title: 'Tempo data source',
    status: 'pass',
    ms: 1,
    request: { method: 'GET', url: 'http://g/api/datasources' },
    message: '',
    dataSource: { uid: 'tempo', name: 'Tempo', isDefault: true, headerNames: [], ...jsonData },
  });
  it('passes when the named data source is a Prometheus one, warns without one, fails on a missing or other one', async () => {
    const g = await grafana({
      '/api/datasources/uid/prometheus': { status: 200, body: PROMETHEUS },
      '/api/datasources/uid/loki': { status: 200, body: { ...PROMETHEUS, uid: 'loki', name: 'Loki', type: 'loki' } },
      // Grafana's GET /api/datasources/uid/<uid> for an unknown uid: 404 {"message":"Data source not found"}.
      '/api/datasources/uid/gone': { status: 404, body: { message: 'Data source not found' } },
    });
    try {
      const ok = await grafanaServiceMap(transport, g.url, found({ serviceMapUid: 'prometheus' }));
      expect(ok).toMatchObject({
        status: 'pass',
        message: 'The service map reads the Prometheus data source "Prometheus" (uid prometheus).',
      });
      const missing = await grafanaServiceMap(transport, g.url, found({}));
      expect(missing.status).toBe('warn');
      expect(missing.message).toMatch(/jsonData\.serviceMap\.datasourceUid/);
      const gone = await grafanaServiceMap(transport, g.url, found({ serviceMapUid: 'gone' }));
      expect(gone.status).toBe('fail');
      expect(gone.message).toMatch(/Grafana has no data source with uid "gone"/);
      const loki = await grafanaServiceMap(transport, g.url, found({ serviceMapUid: 'loki' }));
      expect(loki).toMatchObject({
        status: 'fail',
        message: 'The service map names "Loki" (uid loki), a loki data source, not Prometheus.',
      });
      expect(g.seen).toEqual([
        '/api/datasources/uid/prometheus',
        '/api/datasources/uid/gone',
        '/api/datasources/uid/loki',
      ]);
    } finally {
      await g.close();
    }
  });
});

describe('prometheusServiceGraph', () => {
  it('warns when Prometheus holds no service-graph series (recorded empty vector), asked through Grafana', async () => {
    const empty = { body: promBody('no-series') };
    const g = await grafana({
      '/api/datasources/proxy/uid/prometheus/api/v1/query': { status: 200, body: empty.body },
    });
    try {
      const check = await prometheusServiceGraph(transport, { grafanaUrl: g.url, datasourceUid: 'prometheus' });
      expect(check.status).toBe('warn');
      expect(check.message).toBe(
        'Prometheus has no traces_service_graph_request_total series: the service map will be empty.'
      );
      expect(check.hint).toMatch(/service-graphs processor/);
      expect(check.hint).toMatch(/remote_write/);
      expect(g.seen).toEqual([
        '/api/datasources/proxy/uid/prometheus/api/v1/query?query=count%28traces_service_graph_request_total%29',
      ]);
    } finally {
      await g.close();
    }
  });

  it('passes with the series count, asked of Prometheus directly; reads its error JSON', async () => {
    // Prometheus's instant-query envelope as recorded (no-series.json), with count()'s one sample.
    const p = await grafana({
      '/api/v1/query': {
        status: 200,
        body: {
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [1795247301.771, '14'] }] },
        },
      },
    });
    try {
      const check = await prometheusServiceGraph(transport, { prometheusUrl: p.url });
      expect(check).toMatchObject({
        status: 'pass',
        message: 'Prometheus holds 14 traces_service_graph_request_total series.',
      });
    } finally {
      await p.close();
    }
    const bad = { body: promBody('bad-promql') };
    const q = await grafana({ '/api/v1/query': { status: 400, body: bad.body } });
    try {
      const check = await prometheusServiceGraph(transport, { prometheusUrl: q.url });
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(/^Prometheus answered HTTP 400: invalid parameter/);
    } finally {
      await q.close();
    }
  });
});

describe('prometheusServiceGraph through a missing data source', () => {
  it('words the proxy 404 as no data source with that uid', async () => {
    const g = await grafana({}); // Grafana's data source proxy: 404 for a uid it does not have
    try {
      const check = await prometheusServiceGraph(transport, { grafanaUrl: g.url, datasourceUid: 'prometheus' });
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(/^Grafana has no data source with uid "prometheus" \(HTTP 404: Not found\)/);
    } finally {
      await g.close();
    }
  });
});

describe('runChecks with Grafana', () => {
  it('checks the data source found, its health, the service map and the metric through Grafana', async () => {
    const g = await grafana({
      '/api/datasources': { status: 200, body: [TEMPO, PROMETHEUS] },
      '/api/datasources/uid/tempo/health': { status: 200, body: { status: 'OK', message: 'Data source is working' } },
      '/api/datasources/uid/prometheus': { status: 200, body: PROMETHEUS },
      '/api/datasources/proxy/uid/prometheus/api/v1/query': {
        status: 200,
        body: promBody('no-series'),
      },
    });
    try {
      const checks = await runChecks({ transport, grafana: { url: g.url, headers: { Authorization: 'Bearer t' } } });
      expect(checks.map((c) => [c.id, c.status])).toEqual([
        ['grafana-datasource', 'pass'],
        ['grafana-datasource-health', 'pass'],
        ['grafana-service-map', 'pass'],
        ['prometheus-service-graph', 'warn'],
      ]);
    } finally {
      await g.close();
    }
  });

  it('marks the rows that depend on a missing data source as not checked', async () => {
    const g = await grafana({ '/api/datasources': { status: 200, body: [] } });
    try {
      const checks = await runChecks({ transport, grafana: { url: g.url } });
      expect(checks.map((c) => [c.id, c.status])).toEqual([
        ['grafana-datasource', 'fail'],
        ['grafana-datasource-health', 'warn'],
        ['grafana-service-map', 'warn'],
        ['prometheus-service-graph', 'warn'],
      ]);
      expect(checks[1].message).toBe('Not checked: no Tempo data source.');
    } finally {
      await g.close();
    }
  });
});
