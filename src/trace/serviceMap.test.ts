/** @jest-environment node */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FIXTURES } from '../testing/traces';
import { decodeTraceBytes } from './bytes';
import { serviceGraph } from './graph';
import { parseTraces } from './parse';
import { errorShare, mergeServiceGraphs, serviceMapFromGraph } from './serviceMap';

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
