/** @jest-environment node */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { HttpError, fetchTransport } from '../http';
import { Reply, SeenRequest, startReplayServer } from '../testing/replayServer';
import { PrometheusClient, Sample } from './client';
import { nativeLatencyQueries, serviceGraphQueries, servicesMatcher } from './queries';
import { fetchServiceGraph, serviceGraphFromMetrics } from './serviceGraph';

const DIR = path.resolve(__dirname, '../../fixtures/prometheus-2.42-service-graph');
const body = (name: string) => readFileSync(path.join(DIR, `${name}.json`), 'utf8');
const EMPTY = '{"status":"success","data":{"resultType":"vector","result":[]}}';
const q = serviceGraphQueries(300);
/** Which recording answers which query; the rest were not recorded and answer with no series. */
const RECORDED: Record<string, string> = {
  [q.requests]: 'request-rate',
  [q.failed]: 'failed-rate',
  [q.p95]: 'server-p95',
  [q.serverSum]: 'server-seconds-rate',
  // recorded as the instant `group by (client, connection_type, server) (m)`: over this steady traffic the same
  // series as the range form asked now (fixtures/README.md)
  [q.connectionTypes]: 'connection-types',
};
const TIME = 1795247301;

/** The query of a GET, or of a form POST. */
const promqlOf = (r: SeenRequest) => (r.method === 'POST' ? new URLSearchParams(r.body) : r.query).get('query') ?? '';

function prometheus(request: SeenRequest): Reply {
  const name = RECORDED[promqlOf(request)];
  return { status: 200, contentType: 'application/json', body: name ? body(name) : EMPTY };
}

async function withPrometheus(
  route: (r: SeenRequest) => Reply,
  run: (c: PrometheusClient, seen: SeenRequest[]) => Promise<void>
) {
  const server = await startReplayServer({ '/api/v1/query': route });
  try {
    await run(new PrometheusClient(server.url, fetchTransport()), server.requests);
  } finally {
    await server.close();
  }
}

describe('fetchServiceGraph against the recorded Prometheus 2.42 answers', () => {
  it('asks every query once at the end of the range and builds the map', async () => {
    await withPrometheus(prometheus, async (client, seen) => {
      const map = await fetchServiceGraph(client, { rangeSec: 300, timeSec: TIME });
      expect(seen.map((r) => r.query.get('query')).sort()).toEqual(Object.values(q).sort());
      expect(seen.every((r) => r.query.get('time') === String(TIME))).toBe(true);
      expect(map.noSeries).toBe(false);
      expect(map.edges).toEqual([
        {
          source: 'core',
          target: 'jobservice',
          requests: 0.11249999999999999,
          errors: 0,
          connectionType: '',
          p95Ms: 95,
        },
        { source: 'core', target: 'postgresql', requests: 0.3, errors: 0, connectionType: 'virtual_node' },
        { source: 'core', target: 'registry', requests: 0.44999999999999996, errors: 0, connectionType: '', p95Ms: 95 },
        {
          source: 'gateway',
          target: 'core',
          requests: 0.44999999999999996,
          errors: 0.11249999999999999,
          connectionType: '',
          p95Ms: 95,
        },
        {
          source: 'harbor-ui',
          target: 'gateway',
          requests: 0.44999999999999996,
          errors: 0.11249999999999999,
          connectionType: '',
          p95Ms: 95,
        },
      ]);
      expect(map.nodes).toEqual([
        { id: 'core', virtual: false, requests: 0.44999999999999996, errors: 0.11249999999999999, p95Ms: 95 },
        { id: 'gateway', virtual: false, requests: 0.44999999999999996, errors: 0.11249999999999999, p95Ms: 95 },
        { id: 'harbor-ui', virtual: false, requests: 0, errors: 0 },
        { id: 'jobservice', virtual: false, requests: 0.11249999999999999, errors: 0, p95Ms: 95 },
        // a database named by core's client spans: Tempo records no server latency for it
        { id: 'postgresql', virtual: true, requests: 0.3, errors: 0 },
        { id: 'registry', virtual: false, requests: 0.44999999999999996, errors: 0, p95Ms: 95 },
      ]);
    });
  });

  it('keeps the type and namespaces of a pair that went quiet before the range ended (CONSTRUCTED answers)', async () => {
    // Constructed, not recorded: Prometheus's answers for a pair `web -> pg` (a database, namespace "shop") whose
    // last sample is 20 minutes before `time` in a 1 h range. The rate still counts it; an instant selector
    // (5 min lookback) would answer no series, last_over_time over the range answers the series.
    const hour = serviceGraphQueries(3600);
    const vector = (metric: Record<string, string>, value: string) =>
      JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric, value: [TIME, value] }] } });
    const answers: Record<string, string> = {
      [hour.requests]: vector({ client: 'web', server: 'pg' }, '0.2'),
      // written out, so that going back to the instant selector (answered with no series) fails this test
      'group by (client, server, connection_type) (last_over_time(traces_service_graph_request_total[1h]))': vector(
        { client: 'web', server: 'pg', connection_type: 'database' },
        '1'
      ),
      'group by (client, server, client_service_namespace, server_service_namespace) (last_over_time(traces_service_graph_request_total[1h]))':
        vector({ client: 'web', server: 'pg', client_service_namespace: 'shop', server_service_namespace: '' }, '1'),
    };
    await withPrometheus(
      (r) => ({ status: 200, contentType: 'application/json', body: answers[promqlOf(r)] ?? EMPTY }),
      async (client) => {
        const map = await fetchServiceGraph(client, { rangeSec: 3600, timeSec: TIME });
        expect(map.edges.map((e) => `${e.source}>${e.target}:${e.connectionType}`)).toEqual(['web>pg:database']);
        expect(map.nodes.find((n) => n.id === 'pg')?.virtual).toBe(true);
        expect(map.nodes.find((n) => n.id === 'web')?.namespace).toBe('shop');
      }
    );
  });

  it('says "no series" when the metrics-generator wrote nothing (recorded no-series)', async () => {
    await withPrometheus(
      () => ({ status: 200, contentType: 'application/json', body: body('no-series') }),
      async (client, seen) => {
        const matchers = [{ label: 'client', value: 'no-such-service' }];
        const map = await fetchServiceGraph(client, { rangeSec: 3600, timeSec: TIME, matchers });
        expect(map).toEqual({ nodes: [], edges: [], noSeries: true, unit: 'per-second' });
        // the filter reached the queries: the request-rate one is the recorded no-series query
        const promql = readFileSync(path.join(DIR, 'no-series.promql'), 'utf8').trim();
        expect(seen.map((r) => r.query.get('query'))).toContain(promql);
        expect(seen.every((r) => r.query.get('query')!.includes('{client="no-such-service"}'))).toBe(true);
      }
    );
  });

  it("fails with the first error, in Prometheus's words", async () => {
    let n = 0;
    await withPrometheus(
      () =>
        ++n === 3
          ? { status: 400, contentType: 'application/json', body: body('bad-promql') }
          : { status: 200, contentType: 'application/json', body: EMPTY },
      async (client) => {
        const error = await fetchServiceGraph(client, { rangeSec: 300, timeSec: TIME }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(HttpError);
        expect((error as HttpError).message).toContain('(bad_data): invalid parameter "query"');
      }
    );
  });

  it('cancels the queries still running when one fails', async () => {
    // a real server that holds every query but the failing one open, and sees the others hang up
    const closed: string[] = [];
    const held: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
      const promql = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      if (promql === q.failed) {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(body('bad-promql'));
        return;
      }
      held.push(res);
      req.socket.on('close', () => closed.push(promql));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = new PrometheusClient(`http://127.0.0.1:${port}`, fetchTransport());
      const error = await fetchServiceGraph(client, { rangeSec: 300, timeSec: TIME }).catch((e: unknown) => e);
      expect((error as HttpError).code).toBe('bad-request');
      const others = Object.values(q).filter((x) => x !== q.failed);
      for (let i = 0; i < 100 && closed.length < others.length; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(closed.sort()).toEqual(others.sort());
    } finally {
      held.forEach((res) => res.destroy());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('is cancelled by the caller', async () => {
    await withPrometheus(prometheus, async (client) => {
      const abort = new AbortController();
      abort.abort();
      const error = await fetchServiceGraph(client, { rangeSec: 300, timeSec: TIME, signal: abort.signal }).catch(
        (e: unknown) => e
      );
      expect((error as HttpError).code).toBe('aborted');
    });
  });
});

describe('serviceGraphFromMetrics', () => {
  const s = (metric: Record<string, string>, value: number): Sample => ({ metric, timeSec: TIME, value });

  it('leaves out latency to a peer, for which the recorded Tempo counted requests of 0 s', () => {
    // the recording's evidence: core -> postgresql has requests, a server-seconds rate of 0, and yet a p95
    // of 95 ms (interpolated in the lowest bucket): a number that is not a latency
    const recorded = (name: string) =>
      (
        JSON.parse(body(name)) as {
          data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
        }
      ).data.result
        .filter((r) => r.metric.server === 'postgresql')
        .map((r) => r.value[1]);
    expect([recorded('request-rate'), recorded('server-seconds-rate'), recorded('server-p95')]).toEqual([
      ['0.3'],
      ['0'],
      ['0.095'],
    ]);
    const map = serviceGraphFromMetrics({
      requests: [s({ client: 'core', server: 'postgresql' }, 0.3)],
      p95: [s({ client: 'core', server: 'postgresql' }, 0.095)],
      connectionTypes: [s({ client: 'core', server: 'postgresql', connection_type: 'virtual_node' }, 1)],
    });
    expect(map.edges[0].p95Ms).toBeUndefined();
    expect(map.nodes.find((n) => n.id === 'postgresql')).toEqual({
      id: 'postgresql',
      virtual: true,
      requests: 0.3,
      errors: 0,
    });
  });

  it('gives the mean from sum/count, node quantiles by server, and drops unknown (NaN) quantiles', () => {
    const map = serviceGraphFromMetrics({
      requests: [s({ client: 'a', server: 'b' }, 2), s({ client: 'c', server: 'b' }, 1)],
      serverSum: [s({ client: 'a', server: 'b' }, 0.5)],
      serverCount: [s({ client: 'a', server: 'b' }, 2)],
      p50: [s({ client: 'a', server: 'b' }, NaN)],
      nodeP95: [s({ server: 'b' }, 0.25)],
    });
    expect(map.edges[0]).toEqual({ source: 'a', target: 'b', requests: 2, errors: 0, connectionType: '', meanMs: 250 });
    expect(map.nodes.find((n) => n.id === 'b')).toEqual({
      id: 'b',
      virtual: false,
      requests: 3,
      errors: 0,
      p95Ms: 250,
    });
  });

  it('marks user, databases and peers virtual, but not a peer that is also an instrumented service', () => {
    const map = serviceGraphFromMetrics({
      requests: [],
      connectionTypes: [
        s({ client: 'user', server: 'web', connection_type: 'virtual_node' }, 1),
        s({ client: 'web', server: 'pg', connection_type: 'database' }, 1),
        s({ client: 'web', server: 'kafka-consumer', connection_type: 'messaging_system' }, 1),
        s({ client: 'web', server: 'billing', connection_type: 'virtual_node' }, 1),
        s({ client: 'billing', server: 'ledger' }, 1),
        s({ client: 'web', server: 'stripe', connection_type: 'virtual_node' }, 1),
        s({ client: 'web', server: 'odd', connection_type: 'something_new' }, 1),
        s({ server: 'no-client' }, 1),
      ],
    });
    expect(map.noSeries).toBe(false);
    expect(map.nodes.filter((n) => n.virtual).map((n) => n.id)).toEqual(['pg', 'stripe', 'user']);
    expect(map.edges.map((e) => `${e.source}>${e.target}:${e.connectionType}`)).toEqual([
      'billing>ledger:',
      'user>web:virtual_node',
      'web>billing:virtual_node',
      'web>kafka-consumer:messaging_system',
      'web>odd:',
      'web>pg:database',
      'web>stripe:virtual_node',
    ]);
    expect(map.edges.every((e) => e.requests === 0)).toBe(true);
  });

  it('names namespaces from client_/server_service_namespace, when the dimension is configured', () => {
    // Tempo adds `<client|server>_<dimension with dots as underscores>` labels for each `dimensions` entry;
    // no recording has them, so these samples are shaped like the recorded group-by answers.
    const map = serviceGraphFromMetrics({
      requests: [s({ client: 'gateway', server: 'core' }, 1), s({ client: 'core', server: 'postgresql' }, 1)],
      namespaces: [
        s(
          { client: 'gateway', server: 'core', client_service_namespace: 'edge', server_service_namespace: 'harbor' },
          1
        ),
        // a peer has no resource: Tempo writes the label empty or leaves it out
        s(
          { client: 'core', server: 'postgresql', client_service_namespace: 'harbor', server_service_namespace: '' },
          1
        ),
      ],
    });
    expect(map.nodes.map((n) => [n.id, n.namespace])).toEqual([
      ['core', 'harbor'],
      ['gateway', 'edge'],
      ['postgresql', undefined],
    ]);
    expect(map.unit).toBe('per-second');
    // without the dimension, the group-by has only client and server: no namespaces
    const plain = serviceGraphFromMetrics({
      requests: [s({ client: 'gateway', server: 'core' }, 1)],
      namespaces: [s({ client: 'gateway', server: 'core' }, 1)],
    });
    expect(plain.nodes.every((n) => !('namespace' in n))).toBe(true);
  });

  it('asks the native histogram when the classic latency series do not exist (constructed answer)', async () => {
    const native = nativeLatencyQueries(300);
    expect(native.p95).toBe(readFileSync(path.join(DIR, 'constructed-native-p95.promql'), 'utf8').trim());
    // a Prometheus with rates but no _bucket/_sum/_count series: only native histograms were written
    const route = (r: SeenRequest): Reply => {
      const query = promqlOf(r);
      const name = {
        [q.requests]: 'request-rate',
        [q.connectionTypes]: 'connection-types',
        [native.p95]: 'constructed-native-p95',
      }[query];
      return { status: 200, contentType: 'application/json', body: name ? body(name) : EMPTY };
    };
    await withPrometheus(route, async (client, seen) => {
      const map = await fetchServiceGraph(client, { rangeSec: 300, timeSec: TIME });
      expect(seen.map(promqlOf).sort()).toEqual([...Object.values(q), ...Object.values(native)].sort());
      expect(map.edges.map((e) => [e.target, e.p95Ms])).toEqual([
        ['jobservice', 21.7],
        ['postgresql', undefined],
        ['registry', 38.9],
        ['core', 81.4],
        ['gateway', 87.3],
      ]);
    });
    // with the classic series recorded, the native ones are not asked
    await withPrometheus(prometheus, async (client, seen) => {
      await fetchServiceGraph(client, { rangeSec: 300, timeSec: TIME });
      expect(seen.map(promqlOf)).not.toContain(native.p95);
    });
  });

  it('sends a query whose URL would pass 8 kB as a form POST, and reads the same answer', async () => {
    // a focus on 600 services: the matcher alone is several kilobytes
    const services = Array.from({ length: 600 }, (_, i) => `service-${i}`);
    const matchers = [servicesMatcher('client', services)];
    const long = serviceGraphQueries(300, matchers);
    const route = (r: SeenRequest): Reply => ({
      status: 200,
      contentType: 'application/json',
      body: promqlOf(r) === long.requests ? body('request-rate') : EMPTY,
    });
    await withPrometheus(route, async (client, seen) => {
      const map = await fetchServiceGraph(client, { rangeSec: 300, timeSec: TIME, matchers });
      expect(map.edges).toHaveLength(5);
      expect(seen.every((r) => r.method === 'POST')).toBe(true);
      const first = seen.find((r) => promqlOf(r) === long.requests)!;
      expect(first.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(first.path).toBe('/api/v1/query');
      expect([...first.query.keys()]).toEqual([]);
      expect(new URLSearchParams(first.body).get('time')).toBe(String(TIME));
    });
    // short queries stay GETs
    await withPrometheus(prometheus, async (client, seen) => {
      await fetchServiceGraph(client, { rangeSec: 300, timeSec: TIME });
      expect(seen.every((r) => r.method === 'GET')).toBe(true);
    });
  });
});
