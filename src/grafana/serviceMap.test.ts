import { readFileSync } from 'node:fs';
import path from 'node:path';

import { HttpError } from '../http';
import { serviceGraphQueries } from '../prometheus';
import { setTestDataSources } from '../testing/dataSources';
import { fetchVia } from '../testing/jsdomFetch';
import { Reply, SeenRequest, recorded, startReplayServer } from '../testing/replayServer';
import {
  ServiceMapError,
  describeEmptyServiceMap,
  describeServiceMapFailure,
  loadServiceMap,
  prometheusUidFor,
} from './serviceMap';

const dataSources = [
  { uid: 'tempo', name: 'Tempo', type: 'tempo', jsonData: { serviceMap: { datasourceUid: 'prometheus' } } },
  { uid: 'tempo-bare', name: 'Tempo bare', type: 'tempo', jsonData: {} },
  { uid: 'prometheus', name: 'Prometheus', type: 'prometheus', jsonData: {} },
  { uid: 'prom-down', name: 'Prometheus down', type: 'prometheus', jsonData: {} },
  { uid: 'prom-401', name: 'Prometheus locked', type: 'prometheus', jsonData: {} },
  { uid: 'prom-bad', name: 'Prometheus strict', type: 'prometheus', jsonData: {} },
  { uid: 'prom-empty', name: 'Prometheus empty', type: 'prometheus', jsonData: {} },
  { uid: 'prom-slow', name: 'Prometheus slow', type: 'prometheus', jsonData: {} },
];
setTestDataSources(dataSources);

const PROM_DIR = path.resolve(__dirname, '../../fixtures/prometheus-2.42-service-graph');
const promBody = (name: string) => readFileSync(path.join(PROM_DIR, `${name}.json`), 'utf8');
const EMPTY = '{"status":"success","data":{"resultType":"vector","result":[]}}';
const FROM = 1795247001_000;
const TO = 1795247301_000;
const q = serviceGraphQueries(300);
const RECORDED: Record<string, string> = {
  [q.requests]: 'request-rate',
  [q.failed]: 'failed-rate',
  [q.p95]: 'server-p95',
  [q.serverSum]: 'server-seconds-rate',
  [q.connectionTypes]: 'connection-types',
};
const SCAN = '5feb30ccfb3cdb0936f11324d886982a';
const proxy = (uid: string) => `/api/datasources/proxy/uid/${uid}`;

let server: Awaited<ReturnType<typeof startReplayServer>>;
beforeAll(async () => {
  server = await startReplayServer({
    [`${proxy('prometheus')}/api/v1/query`]: (r: SeenRequest): Reply => {
      const name = RECORDED[r.query.get('query') ?? ''];
      return { status: 200, contentType: 'application/json', body: name ? promBody(name) : EMPTY };
    },
    [`${proxy('prom-empty')}/api/v1/query`]: { status: 200, contentType: 'application/json', body: EMPTY },
    // what Grafana's proxy answers when the data source's server does not answer
    [`${proxy('prom-down')}/api/v1/query`]: {
      status: 502,
      contentType: 'text/plain',
      body: 'Bad Gateway',
    },
    // Grafana's proxy gives a data source's 401 as this 400 (see transport.ts)
    [`${proxy('prom-401')}/api/v1/query`]: { status: 400, body: 'Authentication to data source failed' },
    [`${proxy('prom-bad')}/api/v1/query`]: {
      status: 400,
      contentType: 'application/json',
      body: promBody('bad-promql'),
    },
    // CONSTRUCTED, not recorded: Prometheus's answer to a query that ran past --query.timeout (its HTTP API
    // sends errorType "timeout" with 503; the words are PromQL's ErrQueryTimeout), passed on by Grafana's proxy
    [`${proxy('prom-slow')}/api/v1/query`]: {
      status: 503,
      contentType: 'application/json',
      body: '{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}',
    },
    [`${proxy('tempo')}/api/search`]: { fixture: 'tempo-2.7.2/search-request-id' },
    [`${proxy('tempo')}/api/v2/traces/${SCAN}`]: { fixture: 'tempo-2.7.2/trace-v2' },
    [`${proxy('tempo-bare')}/api/search`]: { fixture: 'tempo-2.7.2/search-empty' },
  });
  window.fetch = fetchVia(server.url);
});

afterAll(() => server.close());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the load to fail');
    },
    (e: unknown) => e
  );

describe('loadServiceMap over the data source proxy', () => {
  it('from metrics: the recorded Prometheus answers as rates over the range', async () => {
    const loaded = await loadServiceMap({ kind: 'metrics', prometheusUid: 'prometheus' }, { fromMs: FROM, toMs: TO });
    expect(loaded.kind).toBe('metrics');
    expect(loaded.noSeries).toBe(false);
    expect(loaded.map.unit).toBe('per-second');
    expect(loaded.map.edges.map((e) => `${e.source}>${e.target}`)).toEqual([
      'core>jobservice',
      'core>postgresql',
      'core>registry',
      'gateway>core',
      'harbor-ui>gateway',
    ]);
    expect('noSeries' in loaded.map).toBe(false);
    expect(describeEmptyServiceMap(loaded)).toBeUndefined();
    const asked = server.requests.filter((r) => r.path.startsWith(proxy('prometheus')));
    expect(asked.every((r) => r.query.get('time') === String(TO / 1000))).toBe(true);
  });

  it('from metrics with no series: not an error, said as the metrics-generator being off', async () => {
    const loaded = await loadServiceMap({ kind: 'metrics', prometheusUid: 'prom-empty' }, { fromMs: FROM, toMs: TO });
    expect(loaded).toEqual({ map: { nodes: [], edges: [], unit: 'per-second' }, kind: 'metrics', noSeries: true });
    expect(describeEmptyServiceMap(loaded)).toEqual({
      title: 'No service-graph metrics',
      advice: expect.stringContaining('service-graphs processor'),
    });
  });

  it('from traces: a sample of the recorded traces, counted', async () => {
    const loaded = await loadServiceMap({ kind: 'traces', tempoUid: 'tempo', limit: 10 }, { fromMs: FROM, toMs: TO });
    expect(loaded.kind).toBe('traces');
    expect(loaded.sample).toEqual({ traces: 1, asked: 10, fromMs: FROM, toMs: TO, failed: 0 });
    expect(loaded.map.unit).toBe('calls');
    expect(loaded.map.edges).toHaveLength(5);
  });

  it('from traces, none in range: an empty sample, said so', async () => {
    const loaded = await loadServiceMap({ kind: 'traces', tempoUid: 'tempo-bare' }, { fromMs: FROM, toMs: TO });
    expect(loaded.sample?.traces).toBe(0);
    expect(describeEmptyServiceMap(loaded)?.title).toBe('No traces in this time range');
  });

  it('no Prometheus configured, or not a Prometheus, before any request', async () => {
    const before = server.requests.length;
    const none = await failure(loadServiceMap({ kind: 'metrics', prometheusUid: ' ' }, { fromMs: FROM, toMs: TO }));
    expect(none).toBeInstanceOf(ServiceMapError);
    expect(describeServiceMapFailure(none).title).toBe('No Prometheus data source configured');
    const wrong = await failure(
      loadServiceMap({ kind: 'metrics', prometheusUid: 'tempo' }, { fromMs: FROM, toMs: TO })
    );
    expect(describeServiceMapFailure(wrong)).toEqual({
      title: 'The Prometheus data source is not usable',
      advice:
        'Data source "Tempo" (uid tempo) is a tempo data source, not Prometheus. ' +
        "Pick a Prometheus data source on Traceway's configuration page.",
    });
    const gone = await failure(loadServiceMap({ kind: 'traces', tempoUid: 'nope' }, { fromMs: FROM, toMs: TO }));
    expect(describeServiceMapFailure(gone).title).toBe('The Tempo data source is not usable');
    expect(server.requests.length).toBe(before);
  });

  it('Prometheus unreachable (502 from the proxy)', async () => {
    const e = await failure(
      loadServiceMap({ kind: 'metrics', prometheusUid: 'prom-down' }, { fromMs: FROM, toMs: TO })
    );
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(502);
    const said = describeServiceMapFailure(e);
    expect(said.title).toBe('Prometheus is unreachable');
    expect(said.advice).toBe(
      'Prometheus answered HTTP 502: Bad Gateway. Check that Prometheus is running and that the data ' +
        "source's URL reaches it from Grafana's server (Connections > Data sources > Save & test)."
    );
  });

  it('a query timeout is not "unreachable": Prometheus answered 503 with errorType timeout (constructed)', async () => {
    const e = await failure(
      loadServiceMap({ kind: 'metrics', prometheusUid: 'prom-slow' }, { fromMs: FROM, toMs: TO })
    );
    expect((e as HttpError).status).toBe(503);
    const said = describeServiceMapFailure(e);
    expect(said.title).toBe('Prometheus ran out of time for the service map');
    expect(said.advice).toBe(
      'Prometheus could not run the query (timeout): query timed out in expression evaluation. The service ' +
        "map's queries read every call over the whole time range: pick a shorter time range, or show the map from " +
        "a sample of traces. An administrator can raise the limit (Prometheus's --query.timeout, 2 minutes by " +
        'default).'
    );
    // another 503 (errorType "unavailable") is still Prometheus being unable to answer
    const down = new ServiceMapError('prometheus', new HttpError('unavailable', 'Prometheus answered HTTP 503.', 503));
    expect(describeServiceMapFailure(down).title).toBe('Prometheus is unreachable');
  });

  it('credentials refused (the proxy’s 400 for a 401)', async () => {
    const e = await failure(loadServiceMap({ kind: 'metrics', prometheusUid: 'prom-401' }, { fromMs: FROM, toMs: TO }));
    expect((e as HttpError).code).toBe('unauthorized');
    // the restored 401 names Prometheus, not Tempo
    expect((e as HttpError).message).toContain("Prometheus refused the data source's credentials");
    expect((e as HttpError).message).not.toContain('Tempo');
    expect(describeServiceMapFailure(e).title).toBe('Prometheus refused the credentials');
    expect(describeServiceMapFailure(e).advice).toBe(
      "Grafana's proxy to Prometheus was refused access (HTTP 401). Check the data source's authentication (and, " +
        'for a multi-tenant Prometheus or Mimir, its X-Scope-OrgID header) under Connections > Data sources; you may ' +
        'also lack permission to query it.'
    );
  });

  it("a refused query keeps Prometheus's own words (recorded bad_data)", async () => {
    const e = await failure(loadServiceMap({ kind: 'metrics', prometheusUid: 'prom-bad' }, { fromMs: FROM, toMs: TO }));
    const said = describeServiceMapFailure(e);
    expect(said.title).toBe('Prometheus refused the query');
    const recordedError = (JSON.parse(promBody('bad-promql')) as { error: string }).error;
    expect(said.advice).toContain(recordedError);
  });

  it('a Tempo failure names Tempo', async () => {
    const e = new ServiceMapError('tempo', new HttpError('network', 'No answer from /api/search.'));
    expect(describeServiceMapFailure(e).title).toBe('Tempo is unreachable');
    expect(describeServiceMapFailure(new Error('boom'))).toEqual({
      title: 'The service map could not be built',
      advice: 'boom',
    });
  });

  it('refuses an empty time range', async () => {
    await expect(
      loadServiceMap({ kind: 'metrics', prometheusUid: 'prometheus' }, { fromMs: TO, toMs: TO })
    ).rejects.toThrow("The service map's time range must end after it starts");
  });
});

describe('prometheusUidFor', () => {
  it("takes the app's setting, else the Tempo data source's service map, else nothing", () => {
    expect(prometheusUidFor({ prometheusDatasourceUid: 'mine' }, 'tempo')).toBe('mine');
    expect(prometheusUidFor({}, 'tempo')).toBe('prometheus');
    expect(prometheusUidFor({}, 'tempo-bare')).toBeUndefined();
    expect(prometheusUidFor({}, 'missing')).toBeUndefined();
  });
});

it('uses the recorded fixtures it names', () => {
  expect(recorded('tempo-2.7.2/search-request-id').status).toBe(200);
});
