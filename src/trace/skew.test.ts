/** @jest-environment node */
import fc from 'fast-check';

import { generate } from '../../bench/generate';
import { fixtureText, healthySketch, sketchToOtlp, SpanSketch } from '../testing/traces';
import { parseTrace, parseTraces, TraceReader } from './parse';
import { clockSkew } from './queries';
import { SKEW_TOLERANCE_NS } from './tree';
import { SpanFlag, SpanKind, Trace } from './types';

/** Clock skew: warned about only when hosts' clocks really differ, never for ordinary traces. */

const SKEW = SpanFlag.SkewStart | SpanFlag.SkewEnd;
const build = (spans: SpanSketch[]): Trace => parseTrace(sketchToOtlp(spans));
const byName = (t: Trace, name: string) => t.spans.find((s) => s.name === name)!.index;
const skewWarning = (t: Trace) => t.warnings.find((w) => w.code === 'clock-skew');
const skewedSpans = (t: Trace) => t.spans.filter((s) => t.spanFlags[s.index] & SKEW).map((s) => s.name);

function expectNoSkew(t: Trace): void {
  expect(skewWarning(t)).toBeUndefined();
  expect(skewedSpans(t)).toEqual([]);
}

describe('recorded healthy traces have no clock skew', () => {
  // Five OTel JS services over real HTTP: children end up to 0.5 ms after their parents.
  it.each([
    'tempo-2.7.2/trace-v2.json',
    'tempo-2.7.2/trace-v1.json',
    'tempo-2.7.2/trace-v2-error.json',
    'tempo-2.7.2-edge/mt-trace-own-tenant.json',
    'zipkin/trace-v2.zipkin.json',
    'zipkin/trace-v2-error.zipkin.json',
    'otlp-file/trace-v2.jsonl',
  ])('%s', (name) => {
    expectNoSkew(parseTrace(fixtureText(name)));
  });

  it('tempo-2.7.2/otlp-export-request.json (every trace in the export)', () => {
    const traces = parseTraces(fixtureText('tempo-2.7.2/otlp-export-request.json'));
    expect(traces.length).toBeGreaterThan(1);
    traces.forEach(expectNoSkew);
  });
});

describe('generated healthy traces have no clock skew', () => {
  it.each(['fanout', 'chain'] as const)('the benchmark %s trace', (kind) => {
    const reader = new TraceReader();
    generate(kind, 20_000, 5_000, (text) => reader.add(JSON.parse(text)));
    expectNoSkew(reader.finish());
  });

  it('random trees with ms-rounded starts, async overhangs and late response flushes', () => {
    fc.assert(
      fc.property(healthySketch(), (spans) => {
        expectNoSkew(build(spans));
      }),
      { numRuns: 200 }
    );
  });
});

describe('real clock skew', () => {
  const call = (server: Partial<SpanSketch>): SpanSketch[] => [
    { id: 'root', start: 0, end: 200, kind: SpanKind.Server, service: 'gateway', name: 'GET /api' },
    { id: 'call', parent: 'root', start: 10, end: 110, kind: SpanKind.Client, service: 'gateway', name: 'GET /v2' },
    {
      id: 'srv',
      parent: 'call',
      start: 20,
      end: 100,
      kind: SpanKind.Server,
      service: 'registry',
      name: 'GET /v2/manifests',
      ...server,
    },
    { id: 'db', parent: 'srv', start: 30, end: 40, kind: SpanKind.Client, service: 'registry', name: 'SELECT' },
  ];

  it('a server span 50 ms ahead of its client: starts before it', () => {
    const t = build(call({ start: -40, end: 40 }));
    const srv = byName(t, 'GET /v2/manifests');
    expect(skewedSpans(t)).toEqual(['GET /v2/manifests']);
    expect(t.spanFlags[srv] & SKEW).toBe(SpanFlag.SkewStart);
    expect(clockSkew(t, srv)).toEqual({ earlyNs: 50e6, lateNs: 0 });
    const w = skewWarning(t)!;
    expect(w.count).toBe(1);
    expect(w.message).toContain('registry "GET /v2/manifests"');
    expect(w.message).toContain('starts 50 ms before its parent gateway "GET /v2"');
  });

  it('a server span 50 ms behind its client: ends after it', () => {
    const t = build(call({ start: 60, end: 160 }));
    const srv = byName(t, 'GET /v2/manifests');
    expect(t.spanFlags[srv] & SKEW).toBe(SpanFlag.SkewEnd);
    expect(clockSkew(t, srv)).toEqual({ earlyNs: 0, lateNs: 50e6 });
    expect(skewWarning(t)!.message).toContain('registry "GET /v2/manifests" ends 50 ms after its client gateway');
  });

  it('names the largest of several and counts them all', () => {
    const t = build([
      ...call({ start: 8, end: 100 }),
      { id: 'call2', parent: 'root', start: 120, end: 150, kind: SpanKind.Client, service: 'gateway', name: 'b' },
      { id: 'srv2', parent: 'call2', start: 100, end: 140, kind: SpanKind.Server, service: 'core', name: 'far' },
    ]);
    expect(skewedSpans(t).sort()).toEqual(['GET /v2/manifests', 'far']);
    const w = skewWarning(t)!;
    expect(w.count).toBe(2);
    expect(w.message).toMatch(/core "far" starts 20 ms before .*the largest of 2/);
    expect(clockSkew(t, byName(t, 'GET /v2/manifests'))).toEqual({ earlyNs: 2e6, lateNs: 0 });
  });

  it('the tolerance is 1 ms: 1 ms is fine, just over it is not', () => {
    expect(SKEW_TOLERANCE_NS).toBe(1e6);
    expectNoSkew(build(call({ start: 9, end: 111 })));
    const t = build(call({ start: 8.99, end: 100 }));
    expect(skewedSpans(t)).toEqual(['GET /v2/manifests']);
    expect(skewWarning(t)!.message).toContain('starts 1.0 ms before');
  });

  it('children that merely outlive their parent are not skew', () => {
    expectNoSkew(
      build([
        { id: 'root', start: 0, end: 100, kind: SpanKind.Server, service: 'core' },
        { id: 'bg', parent: 'root', start: 50, end: 500, kind: SpanKind.Internal, service: 'core' },
        { id: 'out', parent: 'root', start: 60, end: 400, kind: SpanKind.Client, service: 'core' },
        // a server in the same service (one process, one clock) that flushes late
        { id: 'self', parent: 'out', start: 61, end: 420, kind: SpanKind.Server, service: 'core' },
        { id: 'pub', parent: 'root', start: 70, end: 80, kind: SpanKind.Producer, service: 'core' },
        { id: 'sub', parent: 'pub', start: 300, end: 900, kind: SpanKind.Consumer, service: 'queue' },
      ])
    );
  });

  it('clockSkew is null where there is none', () => {
    const t = build(call({}));
    for (let i = 0; i < t.spans.length; i++) {
      expect(clockSkew(t, i)).toBeNull();
    }
  });
});
