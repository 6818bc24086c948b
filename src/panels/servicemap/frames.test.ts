import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { DataFrame, DataFrameJSON } from '@grafana/data';

import { generateServiceMap } from '../../../bench/servicemapData';
import { Sample, serviceGraphFromMetrics } from '../../prometheus';
import { serviceMapFrames } from '../../testing/serviceMapFrames';
import { ServiceMap } from '../../trace';
import { serviceMapFromFrames } from './frames';

const DIR = path.resolve(__dirname, '../../../fixtures/prometheus-2.42-service-graph');
const recorded = (name: string) =>
  (
    JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as {
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    }
  ).data.result;
const samples = (name: string): Sample[] =>
  recorded(name).map((r) => ({ metric: r.metric, timeSec: r.value[0], value: Number(r.value[1]) }));

/** A frame as Grafana hands it to a panel: fields with plain `values` arrays. */
function frame(
  fields: Array<{ name: string; values: unknown[]; labels?: Record<string, string> }>,
  extra: Partial<DataFrame> = {}
): DataFrame {
  return {
    fields: fields.map((f) => ({ type: 'other', config: {}, ...f })),
    length: fields[0]?.values.length ?? 0,
    ...extra,
  } as unknown as DataFrame;
}

/**
 * The frames Grafana's Tempo data source makes from these same recorded answers, by its
 * graphTransform.ts (mapPromMetricsToServiceMap): ids are the names (no namespace dimension), node
 * stats are the server side's sums, mainstat is seconds/total in ms, secondarystat the rate to 2 decimals.
 */
function tempoDataSourceFrames(): DataFrame[] {
  const total = samples('request-rate');
  const seconds = samples('server-seconds-rate');
  const failed = samples('failed-rate');
  const key = (s: Sample) => `${s.metric.client}_${s.metric.server}`;
  const sum = (list: Sample[], pick: (s: Sample) => boolean) => list.filter(pick).reduce((a, s) => a + s.value, 0);
  const ids = [...new Set(total.flatMap((s) => [s.metric.client, s.metric.server]))];
  const node = (id: string) => {
    const t = sum(total, (s) => s.metric.server === id);
    const sec = sum(seconds, (s) => s.metric.server === id);
    const f = Math.min(
      sum(failed, (s) => s.metric.server === id),
      t
    );
    return { t, sec, f };
  };
  const meta = { preferredVisualisationType: 'nodeGraph' };
  const nodes = frame(
    [
      { name: 'id', values: ids },
      { name: 'title', values: ids },
      { name: 'subtitle', values: ids.map(() => undefined) },
      { name: 'mainstat', values: ids.map((id) => (node(id).t ? (node(id).sec / node(id).t) * 1000 : NaN)) },
      { name: 'secondarystat', values: ids.map((id) => (node(id).t ? Math.round(node(id).t * 100) / 100 : NaN)) },
      { name: 'arc__success', values: ids.map((id) => (node(id).t ? (node(id).t - node(id).f) / node(id).t : 1)) },
      { name: 'arc__failed', values: ids.map((id) => (node(id).t ? node(id).f / node(id).t : 0)) },
    ],
    { name: 'Nodes', meta } as Partial<DataFrame>
  );
  const sec = new Map(seconds.map((s) => [key(s), s.value]));
  const edges = frame(
    [
      { name: 'id', values: total.map(key) },
      { name: 'source', values: total.map((s) => s.metric.client) },
      { name: 'target', values: total.map((s) => s.metric.server) },
      { name: 'mainstat', values: total.map((s) => ((sec.get(key(s)) ?? 0) / s.value) * 1000) },
      { name: 'secondarystat', values: total.map((s) => Math.round(s.value * 100) / 100) },
    ],
    { name: 'Edges', meta } as Partial<DataFrame>
  );
  return [nodes, edges];
}

const summary = (m: ServiceMap) => ({
  nodes: m.nodes.map((n) => `${n.id}${n.virtual ? '*' : ''}`),
  edges: m.edges.map((e) => `${e.source}>${e.target}:${e.connectionType}`),
});

describe("serviceMapFromFrames: Grafana's Tempo data source node-graph frames", () => {
  it('reads the recorded traffic as Grafana shows it: rates, failure shares, mean times, the peer virtual', () => {
    const { map, problem } = serviceMapFromFrames(tempoDataSourceFrames());
    expect(problem).toBeUndefined();
    const fromMetrics = serviceGraphFromMetrics({
      requests: samples('request-rate'),
      connectionTypes: samples('connection-types'),
    });
    // the same graph as from the metrics themselves, virtual peer included (Grafana does not mark it)
    expect(summary(map!)).toEqual(summary(fromMetrics));
    expect(map!.unit).toBe('per-second');
    const gatewayToCore = map!.edges.find((e) => e.source === 'gateway' && e.target === 'core')!;
    expect(gatewayToCore.requests).toBe(0.45);
    // core has one caller: the node's failures (a quarter of its requests, recorded) are the edge's
    expect(gatewayToCore.errors).toBeCloseTo(0.1125, 2);
    expect(map!.nodes.find((n) => n.id === 'core')!.errors).toBeCloseTo(0.1125, 3);
    expect(gatewayToCore.meanMs).toBeGreaterThan(0);
    expect(map!.edges.find((e) => e.target === 'postgresql')!.meanMs).toBeUndefined();
    expect(map!.nodes.find((n) => n.id === 'user')).toBeUndefined();
  });

  it("sandbox format: round-trips a 300-service map through the sandbox's frames, detail__ fields included", () => {
    // src/testing/serviceMapFrames.ts adds detail__errors/p50/p95/virtual, which Grafana's Tempo data source does
    // not send: this proves writer and reader agree; the test below reads what Grafana sends.
    const original = generateServiceMap({ services: 300, edges: 1500, seed: 7 });
    const frames: DataFrameJSON[] = serviceMapFrames(original);
    const { map, problem } = serviceMapFromFrames(frames);
    expect(problem).toBeUndefined();
    expect(summary(map!).nodes).toEqual(summary(original).nodes.sort());
    expect(map!.edges).toHaveLength(original.edges.length);
    for (const n of map!.nodes) {
      const o = original.nodes.find((x) => x.id === n.id)!;
      expect(n.requests).toBeCloseTo(o.requests, 9);
      expect(n.errors).toBeCloseTo(o.errors, 9);
      expect(n.namespace).toBe(o.namespace);
      expect(n.p95Ms).toBe(o.p95Ms);
    }
    for (const e of map!.edges) {
      const o = original.edges.find((x) => x.source === e.source && x.target === e.target)!;
      expect(e.requests).toBeCloseTo(o.requests, 9);
      expect(e.errors).toBeCloseTo(o.errors, 9);
    }
  });

  it("Grafana's format: a 300-service map without the detail__ fields, read by the fallback rules", () => {
    const generated = generateServiceMap({ services: 300, edges: 1500, seed: 7 });
    // Tempo records a peer's server time as 0 s (the recorded core -> postgresql), so Grafana's mainstat for a
    // peer is 0; the generator gives peers a latency, which the writer would pass on.
    const virtualIds = new Set(generated.nodes.filter((n) => n.virtual).map((n) => n.id));
    const original: ServiceMap = {
      ...generated,
      edges: generated.edges.map((e) => (virtualIds.has(e.target) ? { ...e, meanMs: 0 } : e)),
    };
    const frames = serviceMapFrames(original).map((f) => {
      const keep = f.schema!.fields.map((field) => !field.name.startsWith('detail__'));
      return {
        schema: { ...f.schema!, fields: f.schema!.fields.filter((_, i) => keep[i]) },
        data: { values: f.data!.values.filter((_, i) => keep[i]) },
      };
    });
    expect(frames.flatMap((f) => f.schema!.fields.map((field) => field.name)).filter((n) => n.includes('__'))).toEqual([
      'arc__success',
      'arc__failed',
    ]);
    const { map, problem } = serviceMapFromFrames(frames);
    expect(problem).toBeUndefined();
    // Kept: every node and edge, which nodes are virtual (no calls out, 0 ms mean; `user`), rates, namespaces,
    // node failures (arc__failed x requests) and edge means to services.
    expect(summary(map!).nodes).toEqual(summary(original).nodes.sort());
    expect(map!.edges).toHaveLength(original.edges.length);
    const failedOf = new Map<string, number>();
    for (const n of map!.nodes) {
      const o = original.nodes.find((x) => x.id === n.id)!;
      expect(n.requests).toBeCloseTo(o.requests, 9);
      expect(n.errors).toBeCloseTo(o.errors, 9);
      expect(n.namespace).toBe(o.namespace);
      // Lost: percentiles (Grafana sends only the mean)
      expect([n.p50Ms, n.p95Ms]).toEqual([undefined, undefined]);
    }
    let typesLost = 0;
    for (const e of map!.edges) {
      const o = original.edges.find((x) => x.source === e.source && x.target === e.target)!;
      expect(e.requests).toBeCloseTo(o.requests, 9);
      failedOf.set(e.target, (failedOf.get(e.target) ?? 0) + e.errors);
      // Lost: connection types, but for "a call to a virtual node"; a peer's 0 ms mean, which is no latency
      const peer = virtualIds.has(e.target);
      expect(e.connectionType).toBe(peer ? 'virtual_node' : '');
      typesLost += e.connectionType === o.connectionType ? 0 : 1;
      expect(e.meanMs).toBe(peer ? undefined : o.meanMs);
    }
    expect(typesLost).toBeGreaterThan(0);
    // Lost: each edge's own failures; a node's are shared among its callers by request share, keeping the sum
    for (const n of map!.nodes) {
      expect(failedOf.get(n.id) ?? 0).toBeCloseTo(n.errors, 6);
    }
  });

  it('names nodes by title when ids are namespace/name, keeping namespaces from the subtitle', () => {
    const meta = { preferredVisualisationType: 'nodeGraph' };
    const { map } = serviceMapFromFrames([
      frame(
        [
          { name: 'id', values: ['user', 'harbor/core', 'harbor/registry'] },
          { name: 'title', values: ['user', 'core', 'registry'] },
          { name: 'subtitle', values: [undefined, 'harbor', 'harbor'] },
          { name: 'mainstat', values: [NaN, 40, 12] },
          { name: 'secondarystat', values: [NaN, 2, 1] },
          { name: 'arc__failed', values: [0, 0.5, 0] },
        ],
        { meta } as Partial<DataFrame>
      ),
      frame([
        { name: 'id', values: ['a', 'b'] },
        { name: 'source', values: ['user', 'harbor/core'] },
        { name: 'target', values: ['harbor/core', 'harbor/registry'] },
        { name: 'mainstat', values: [40, 12] },
        { name: 'secondarystat', values: [2, 1] },
      ]),
    ]);
    expect(map!.nodes).toEqual([
      { id: 'core', virtual: false, requests: 2, errors: 1, namespace: 'harbor' },
      { id: 'registry', virtual: false, requests: 1, errors: 0, namespace: 'harbor' },
      { id: 'user', virtual: true, requests: 0, errors: 0 },
    ]);
    expect(map!.edges.map((e) => `${e.source}>${e.target}:${e.errors}`)).toEqual(['core>registry:0', 'user>core:1']);
  });
});

describe('serviceMapFromFrames: a name in two namespaces', () => {
  it('keeps the namespace/name ids apart and the service name in `name`', () => {
    // CONSTRUCTED frames, shaped as the test above: two services titled `api`, in namespaces shop and billing
    const meta = { preferredVisualisationType: 'nodeGraph' };
    const { map } = serviceMapFromFrames([
      frame(
        [
          { name: 'id', values: ['edge/gateway', 'shop/api', 'billing/api'] },
          { name: 'title', values: ['gateway', 'api', 'api'] },
          { name: 'subtitle', values: ['edge', 'shop', 'billing'] },
          { name: 'secondarystat', values: [NaN, 2, 1] },
        ],
        { meta } as Partial<DataFrame>
      ),
      frame([
        { name: 'id', values: ['a', 'b'] },
        { name: 'source', values: ['edge/gateway', 'edge/gateway'] },
        { name: 'target', values: ['shop/api', 'billing/api'] },
        { name: 'secondarystat', values: [2, 1] },
      ]),
    ]);
    expect(map!.nodes).toEqual([
      { id: 'billing/api', name: 'api', virtual: false, requests: 1, errors: 0, namespace: 'billing' },
      { id: 'edge/gateway', name: 'gateway', virtual: false, requests: 0, errors: 0, namespace: 'edge' },
      { id: 'shop/api', name: 'api', virtual: false, requests: 2, errors: 0, namespace: 'shop' },
    ]);
    expect(map!.edges.map((e) => `${e.source}>${e.target}`)).toEqual([
      'edge/gateway>billing/api',
      'edge/gateway>shop/api',
    ]);
  });
});

describe('serviceMapFromFrames: Prometheus frames of the service-graph series', () => {
  const expected = () =>
    serviceGraphFromMetrics({
      requests: samples('request-rate'),
      failed: samples('failed-rate'),
      p95: samples('server-p95'),
      connectionTypes: samples('connection-types'),
    });

  /** A table as Prometheus's instant "Table" format gives it: Time, label columns, `Value #<refId>`. */
  function table(name: string, refId: string, query: string): DataFrame {
    const rows = recorded(name);
    const labels = [...new Set(rows.flatMap((r) => Object.keys(r.metric)))].sort();
    return frame(
      [
        { name: 'Time', values: rows.map((r) => r.value[0] * 1000) },
        ...labels.map((l) => ({ name: l, values: rows.map((r) => r.metric[l] ?? '') })),
        { name: `Value #${refId}`, values: rows.map((r) => Number(r.value[1])) },
      ],
      { refId, meta: { executedQueryString: `Expr: ${query}\nStep: 15s` } } as Partial<DataFrame>
    );
  }

  it('reads tables of the recorded answers, each told apart by its query', () => {
    const promql = (n: string) => readFileSync(path.join(DIR, `${n}.promql`), 'utf8').trim();
    const frames = ['request-rate', 'failed-rate', 'server-p95', 'connection-types'].map((n, i) =>
      table(n, String.fromCharCode(65 + i), promql(n))
    );
    const { map, problem } = serviceMapFromFrames(frames);
    expect(problem).toBeUndefined();
    const want = expected();
    expect(map).toEqual({ nodes: want.nodes, edges: want.edges, unit: 'per-second' });
  });

  it('reads time-series frames (labels on the value field, the last value) named by metric', () => {
    const series = (name: string, metricName: string) =>
      recorded(name).map((r) =>
        frame([
          { name: 'Time', values: [r.value[0] * 1000 - 15000, r.value[0] * 1000] },
          { name: metricName, values: [null, Number(r.value[1])], labels: r.metric },
        ])
      );
    const frames = [
      ...series('request-rate', 'traces_service_graph_request_total'),
      ...series('failed-rate', 'traces_service_graph_request_failed_total'),
    ];
    const { map } = serviceMapFromFrames(frames);
    const want = serviceGraphFromMetrics({ requests: samples('request-rate'), failed: samples('failed-rate') });
    expect(map!.edges).toEqual(want.edges);
  });

  it("reads Grafana's own naming: refId = metric, the value column `Value #<metric>`", () => {
    const named = (name: string, metric: string) => {
      const rows = recorded(name);
      return frame(
        [
          { name: 'Time', values: rows.map((r) => r.value[0] * 1000) },
          { name: 'client', values: rows.map((r) => r.metric.client) },
          { name: 'server', values: rows.map((r) => r.metric.server) },
          { name: `Value #${metric}`, values: rows.map((r) => Number(r.value[1])) },
        ],
        { refId: metric } as Partial<DataFrame>
      );
    };
    const { map } = serviceMapFromFrames([
      named('request-rate', 'traces_service_graph_request_total'),
      named('failed-rate', 'traces_service_graph_request_failed_total'),
      named('server-seconds-rate', 'traces_service_graph_request_server_seconds_sum'),
    ]);
    const want = serviceGraphFromMetrics({
      requests: samples('request-rate'),
      failed: samples('failed-rate'),
      serverSum: samples('server-seconds-rate'),
    });
    expect(map!.edges).toEqual(want.edges);
    expect(map!.edges.find((e) => e.target === 'core')!.errors).toBeCloseTo(0.1125, 6);
  });

  it('takes one unnamed query as the request rate', () => {
    const rows = recorded('request-rate');
    const { map } = serviceMapFromFrames([
      frame([
        { name: 'client', values: rows.map((r) => r.metric.client) },
        { name: 'server', values: rows.map((r) => r.metric.server) },
        { name: 'Value', values: rows.map((r) => Number(r.value[1])) },
      ]),
    ]);
    expect(map!.edges.map((e) => e.requests)).toEqual(
      serviceGraphFromMetrics({ requests: samples('request-rate') }).edges.map((e) => e.requests)
    );
  });
});

describe('serviceMapFromFrames: frames it cannot read', () => {
  it('says what was missing', () => {
    expect(serviceMapFromFrames([])).toEqual({ problem: 'The query returned no data frames.' });
    expect(serviceMapFromFrames(undefined).problem).toBe('The query returned no data frames.');
    expect(
      serviceMapFromFrames([
        frame([
          { name: 'id', values: ['a'] },
          { name: 'title', values: ['a'] },
        ]),
      ]).problem
    ).toMatch(/^The node-graph frames have nodes but no edges frame/);
    const logs = serviceMapFromFrames([
      frame([
        { name: 'Time', values: [1] },
        { name: 'Line', values: ['hello'] },
      ]),
    ]);
    expect(logs.problem).toMatch(
      /^These frames are neither node-graph frames .* their fields: "Time", "Line"\. Query Tempo's Service Graph/
    );
    const latencyOnly = serviceMapFromFrames([
      frame(
        [
          { name: 'client', values: ['a'] },
          { name: 'server', values: ['b'] },
          { name: 'Value #A', values: [0.1] },
        ],
        {
          meta: { executedQueryString: 'Expr: histogram_quantile(0.95, sum by (client, server, le) (...))' },
        } as Partial<DataFrame>
      ),
    ]);
    expect(latencyOnly.problem).toMatch(/none of traces_service_graph_request_total/);
  });
});
