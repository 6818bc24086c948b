/** @jest-environment node */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { fixtureJson, fixtureText } from '../testing/traces';
import { parseTrace, serviceGraph } from '../trace';
import { errorShare, mergeServiceGraphs, serviceMapFromGraph } from '../trace/serviceMap';
import type { Sample } from './client';
import { serviceGraphFromMetrics } from './serviceGraph';

/**
 * Issue 9's "Done when": the map from traces and the map from metrics agree, because both came from
 * the same traffic. fixtures/tempo-2.7.2 recorded one Tempo 2.7.2 after 40 requests of the Harbor-shaped
 * demo (manifest.json: 10 each of "ok", "scan", "bad" and "boom", the last answering HTTP 500), and
 * fixtures/prometheus-2.42-service-graph the service-graph metrics Tempo's metrics-generator wrote for that
 * traffic. Two of the traces were recorded whole: the first "scan" (trace-v2) and the first "boom"
 * (trace-v2-error). So the claims are: the edges and virtual nodes of those traces are exactly the metrics'
 * (the "ok" and "bad" requests take a subset of the "scan" path); the failing edges are the "boom" trace's;
 * and where an edge or a failure belongs to one kind of request only, its rate over the entry's rate is that
 * kind's share of the traffic sent.
 */
const DIR = path.resolve(__dirname, '../../fixtures/prometheus-2.42-service-graph');
const samples = (name: string) =>
  (JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as { data: { result: unknown[] } }).data.result.map(
    (r) => {
      const { metric, value } = r as { metric: Record<string, string>; value: [number, string] };
      return { metric, timeSec: value[0], value: Number(value[1]) } as Sample;
    }
  );
const manifest = fixtureJson('tempo-2.7.2/manifest.json') as Array<{ kind: string; code: number }>;

const metrics = serviceGraphFromMetrics({
  requests: samples('request-rate'),
  failed: samples('failed-rate'),
  p95: samples('server-p95'),
  serverSum: samples('server-seconds-rate'),
  connectionTypes: samples('connection-types'),
});
const scan = parseTrace(fixtureText('tempo-2.7.2/trace-v2.json'));
const boom = parseTrace(fixtureText('tempo-2.7.2/trace-v2-error.json'));
const traces = serviceMapFromGraph(mergeServiceGraphs([serviceGraph(scan), serviceGraph(boom)]), 300);

const edgeName = (e: { source: string; target: string; connectionType: string }) =>
  `${e.source} -> ${e.target} (${e.connectionType || 'call'})`;

describe('the map from recorded traces agrees with the map from the recorded metrics', () => {
  it('has the same edges, with the same connection types', () => {
    expect(traces.edges.map(edgeName)).toEqual(metrics.edges.map(edgeName));
    expect(metrics.edges.map(edgeName)).toEqual([
      'core -> jobservice (call)',
      'core -> postgresql (virtual_node)',
      'core -> registry (call)',
      'gateway -> core (call)',
      'harbor-ui -> gateway (call)',
    ]);
  });

  it('has the same nodes, the same ones virtual', () => {
    const nodes = (m: { nodes: Array<{ id: string; virtual: boolean }> }) => m.nodes.map((n) => [n.id, n.virtual]);
    expect(nodes(traces)).toEqual(nodes(metrics));
  });

  it('fails on the edges where the "boom" trace failed', () => {
    const failing = (m: typeof traces) => m.edges.filter((e) => e.errors > 0).map(edgeName);
    expect(failing(traces)).toEqual(failing(metrics));
    expect(failing(metrics)).toEqual(['gateway -> core (call)', 'harbor-ui -> gateway (call)']);
  });

  it('counts failures and the "scan"-only edge in proportion to the requests sent', () => {
    const share = (kind: string) => manifest.filter((m) => m.kind === kind).length / manifest.length;
    expect(manifest.filter((m) => m.code >= 500).every((m) => m.kind === 'boom')).toBe(true);
    const entry = metrics.edges.find((e) => e.source === 'harbor-ui')!;
    expect(errorShare(entry)).toBeCloseTo(share('boom'), 9);
    // core -> jobservice is in the "scan" trace and not in the "boom" one: only "scan" requests take it
    expect(traces.edges.find((e) => e.target === 'jobservice')!.requests).toBeCloseTo(1 / 300, 12);
    expect(boom.services).not.toContain('jobservice');
    const jobs = metrics.edges.find((e) => e.target === 'jobservice')!;
    expect(jobs.requests / entry.requests).toBeCloseTo(share('scan'), 9);
  });
});
