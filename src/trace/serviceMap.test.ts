/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FIXTURES, sketchToOtlp } from '../testing/traces';
import { decodeTraceBytes } from './bytes';
import { ServiceGraphBuilder, serviceGraph } from './graph';
import { parseTraces } from './parse';
import {
  ServiceMap,
  ServiceMapEdge,
  errorShare,
  focusServiceMap,
  mergeServiceGraphs,
  serviceMapCountsFromGraph,
  serviceMapFromGraph,
  withoutVirtualNodes,
} from './serviceMap';

/** The demo app's real traffic (22 traces: 11 ok, 4 slow, 5 HTTP 500, 2 HTTP 404), see fixtures/README.md. */
const traces = parseTraces(decodeTraceBytes(readFileSync(join(FIXTURES, 'otel-js-demo', 'demo-traces.jsonl'))));

describe('serviceMapFromGraph over the demo traffic', () => {
  const merged = mergeServiceGraphs(traces.map((t) => serviceGraph(t)));

  it('adds up the edges of every trace', () => {
    expect(traces).toHaveLength(22);
    const one = traces.map((t) => serviceGraph(t));
    for (const e of merged.edges) {
      const same = one.flatMap((g) =>
        g.edges.filter((x) => x.client === e.client && x.server === e.server && x.connectionType === e.connectionType)
      );
      expect(e.requests).toBe(same.reduce((s, x) => s + x.requests, 0));
      expect(e.failed).toBe(same.reduce((s, x) => s + x.failed, 0));
      expect(e.maxServerNs).toBe(Math.max(...same.map((x) => x.maxServerNs)));
    }
    // every request enters through the `user` edge once per trace
    const entry = merged.edges.filter((e) => e.client === 'user');
    expect(entry.reduce((s, e) => s + e.requests, 0)).toBe(22);
    expect(merged.nodes.filter((n) => n.virtual).map((n) => n.name)).toEqual(['postgresql', 'user']);
  });

  it('turns counts into rates over the range, nodes carrying their incoming edges', () => {
    const map = serviceMapFromGraph(merged, 60);
    const entry = map.edges.find((e) => e.source === 'user')!;
    expect(entry.requests).toBeCloseTo(22 / 60, 12);
    // the five HTTP 500s fail at the entry
    expect(entry.errors).toBeCloseTo(5 / 60, 12);
    expect(errorShare(entry)).toBeCloseTo(5 / 22, 12);
    const g = merged.edges.find((e) => e.client === 'user')!;
    expect(entry.meanMs).toBeCloseTo(g.serverNs / g.serverSamples / 1e6, 9);
    expect(entry.p95Ms).toBeUndefined();
    for (const n of map.nodes) {
      const incoming = map.edges.filter((e) => e.target === n.id);
      expect(n.requests).toBeCloseTo(
        incoming.reduce((s, e) => s + e.requests, 0),
        12
      );
    }
    expect(map.nodes.find((n) => n.id === 'user')).toEqual({ id: 'user', virtual: true, requests: 0, errors: 0 });
    expect(map.nodes.map((n) => n.id)).toEqual([...map.nodes.map((n) => n.id)].sort());
    // a peer edge has no server span, so no server latency
    expect(map.edges.find((e) => e.target === 'postgresql')?.meanMs).toBeUndefined();
  });

  it('refuses a range that is not positive', () => {
    expect(() => serviceMapFromGraph(merged, 0)).toThrow('time range must be a positive number of seconds; got 0');
  });

  it('keeps a node virtual only where every trace saw it so', () => {
    const g = mergeServiceGraphs([
      { nodes: [{ name: 'db', virtual: true }], edges: [] },
      { nodes: [{ name: 'db', virtual: false }], edges: [] },
      { nodes: [{ name: 'stripe', virtual: true }], edges: [] },
    ]);
    expect(g.nodes).toEqual([
      { name: 'db', virtual: false },
      { name: 'stripe', virtual: true },
    ]);
  });
});

describe('namespaces and units', () => {
  it('takes service.namespace from the resources of the recorded Harbor traces', () => {
    const two = parseTraces(decodeTraceBytes(readFileSync(join(FIXTURES, 'otlp-file', 'two-traces.jsonl'))));
    const graph = mergeServiceGraphs(two.map((t) => serviceGraph(t)));
    const map = serviceMapFromGraph(graph, 60);
    for (const n of map.nodes) {
      // the instrumented services carry the resource's namespace; peers and `user` have none
      expect(n.namespace).toBe(n.virtual ? undefined : 'harbor');
    }
    expect(map.nodes.filter((n) => !n.virtual).length).toBeGreaterThan(2);
    expect(map.unit).toBe('per-second');
  });

  it('leaves namespace out when the resource has none', () => {
    const trace = parseTraces(
      sketchToOtlp([
        { id: 'a', start: 0, end: 10, kind: 2, service: 'front' },
        { id: 'b', parent: 'a', start: 1, end: 9, kind: 3, service: 'front' },
        { id: 'c', parent: 'b', start: 2, end: 8, kind: 2, service: 'back' },
      ])
    )[0];
    const g = serviceGraph(trace);
    expect(g.nodes.map((n) => n.name)).toEqual(['back', 'front', 'user']);
    expect(g.nodes.every((n) => !('namespace' in n))).toBe(true);
  });

  it('merges the first namespace seen for a node', () => {
    const g = mergeServiceGraphs([
      { nodes: [{ name: 'a', virtual: false }], edges: [] },
      { nodes: [{ name: 'a', virtual: false, namespace: 'ory' }], edges: [] },
      { nodes: [{ name: 'a', virtual: false, namespace: 'other' }], edges: [] },
    ]);
    expect(g.nodes).toEqual([{ name: 'a', virtual: false, namespace: 'ory' }]);
  });

  it('counts calls, not rates, for a sample', () => {
    const merged = mergeServiceGraphs(traces.map((t) => serviceGraph(t)));
    const map = serviceMapCountsFromGraph(merged);
    expect(map.unit).toBe('calls');
    const entry = map.edges.find((e) => e.source === 'user')!;
    expect(entry.requests).toBe(22);
    expect(entry.errors).toBe(5);
  });
});

const edge = (source: string, target: string): ServiceMapEdge => ({
  source,
  target,
  requests: 1,
  errors: 0,
  connectionType: '',
});
/** user → gw → api → {db, auth}; auth → db; other → api; lone is unconnected */
const chain: ServiceMap = {
  unit: 'per-second',
  nodes: ['api', 'auth', 'db', 'gw', 'lone', 'other', 'user'].map((id) => ({
    id,
    virtual: id === 'user' || id === 'db',
    requests: 1,
    errors: 0,
  })),
  edges: [
    edge('api', 'auth'),
    edge('api', 'db'),
    edge('auth', 'db'),
    edge('gw', 'api'),
    edge('other', 'api'),
    edge('user', 'gw'),
  ],
};
const ids = (m: ServiceMap) => m.nodes.map((n) => n.id);
const pairs = (m: ServiceMap) => m.edges.map((e) => `${e.source}>${e.target}`);

describe('focusServiceMap', () => {
  it('keeps callers to N hops upstream', () => {
    expect(ids(focusServiceMap(chain, { id: 'api', hops: 1, direction: 'upstream' }))).toEqual(['api', 'gw', 'other']);
    const two = focusServiceMap(chain, { id: 'api', hops: 2, direction: 'upstream' });
    expect(ids(two)).toEqual(['api', 'gw', 'other', 'user']);
    expect(pairs(two)).toEqual(['gw>api', 'other>api', 'user>gw']);
  });

  it('keeps callees to N hops downstream, with every edge between kept nodes', () => {
    const one = focusServiceMap(chain, { id: 'api', hops: 1, direction: 'downstream' });
    expect(ids(one)).toEqual(['api', 'auth', 'db']);
    // auth > db is between kept nodes though it is not a path from api within one hop
    expect(pairs(one)).toEqual(['api>auth', 'api>db', 'auth>db']);
  });

  it('both: the union of upstream and downstream, not the callers of callees', () => {
    const both = focusServiceMap(chain, { id: 'gw', hops: 1, direction: 'both' });
    expect(ids(both)).toEqual(['api', 'gw', 'user']);
    // `other` calls api, a callee of gw, but is not on a call path through gw
    expect(ids(focusServiceMap(chain, { id: 'gw', hops: 5, direction: 'both' }))).toEqual([
      'api',
      'auth',
      'db',
      'gw',
      'user',
    ]);
  });

  it('always keeps the focused node: 0 hops, or no neighbours', () => {
    expect(ids(focusServiceMap(chain, { id: 'api', hops: 0, direction: 'both' }))).toEqual(['api']);
    expect(pairs(focusServiceMap(chain, { id: 'api', hops: 0, direction: 'both' }))).toEqual([]);
    expect(ids(focusServiceMap(chain, { id: 'lone', hops: 3, direction: 'both' }))).toEqual(['lone']);
  });

  it('follows cycles without looping, Infinity reaching everything', () => {
    const cyclic: ServiceMap = {
      nodes: ['a', 'b', 'c'].map((id) => ({ id, virtual: false, requests: 0, errors: 0 })),
      edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')],
    };
    expect(ids(focusServiceMap(cyclic, { id: 'a', hops: Infinity, direction: 'downstream' }))).toEqual(['a', 'b', 'c']);
    expect(ids(focusServiceMap(cyclic, { id: 'a', hops: 1, direction: 'upstream' }))).toEqual(['a', 'c']);
  });

  it('keeps figures and the unit, and gives an empty map for an unknown id', () => {
    const f = focusServiceMap({ ...chain, unit: 'calls' }, { id: 'api', hops: 1, direction: 'both' });
    expect(f.unit).toBe('calls');
    expect(f.nodes.find((n) => n.id === 'api')).toEqual(chain.nodes.find((n) => n.id === 'api'));
    expect(focusServiceMap(chain, { id: 'nope', hops: 2, direction: 'both' })).toEqual({
      unit: 'per-second',
      nodes: [],
      edges: [],
    });
  });

  it('refuses negative hops, rounds fractions down', () => {
    expect(() => focusServiceMap(chain, { id: 'api', hops: -1, direction: 'both' })).toThrow(
      'Focus hops must be 0 or more; got -1.'
    );
    expect(ids(focusServiceMap(chain, { id: 'api', hops: 1.9, direction: 'upstream' }))).toEqual([
      'api',
      'gw',
      'other',
    ]);
  });
});

describe('withoutVirtualNodes', () => {
  it('drops virtual nodes and their edges, keeping the rest as it was', () => {
    const m = withoutVirtualNodes(chain);
    expect(ids(m)).toEqual(['api', 'auth', 'gw', 'lone', 'other']);
    expect(pairs(m)).toEqual(['api>auth', 'gw>api', 'other>api']);
    expect(m.unit).toBe('per-second');
    expect(chain.nodes).toHaveLength(7);
  });
});

describe('ServiceGraphBuilder', () => {
  it('adds traces into the graph mergeServiceGraphs makes of their graphs', () => {
    const builder = new ServiceGraphBuilder();
    for (const t of traces) {
      builder.add(t);
    }
    const built = builder.graph();
    const merged = mergeServiceGraphs(traces.map((t) => serviceGraph(t)));
    expect(built.edges).toEqual(merged.edges);
    expect([...built.nodes].sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(merged.nodes);
    // instrumented services first, then the virtual ones
    expect(built.nodes.map((n) => n.virtual)).toEqual([...built.nodes.map((n) => n.virtual)].sort());
  });

  it('a peer instrumented in another trace is not virtual', () => {
    const peer = parseTraces(
      sketchToOtlp([{ id: 'a', start: 0, end: 10, kind: 3, service: 'front', attrs: { 'peer.service': 'back' } }])
    )[0];
    const served = parseTraces(sketchToOtlp([{ id: 'b', start: 0, end: 10, kind: 2, service: 'back' }]))[0];
    expect(new ServiceGraphBuilder().add(peer).graph().nodes).toContainEqual({ name: 'back', virtual: true });
    const both = new ServiceGraphBuilder().add(peer).add(served).graph();
    expect(both.nodes.find((n) => n.name === 'back')).toEqual({ name: 'back', virtual: false });
  });
});
