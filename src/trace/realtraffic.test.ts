/** @jest-environment node */
import { readFileSync } from 'fs';
import { join, relative } from 'path';

import { FIXTURES } from '../testing/traces';
import { decodeTraceBytes } from './bytes';
import { serviceGraph } from './graph';
import { parseTraces } from './parse';
import { selfTimes, summarize } from './stats';
import { criticalPath } from './critical';
import { SpanFlag, SpanKind, StatusCode, Trace } from './types';
import { findAttribute, valueToString } from './values';

/**
 * Real traffic is the judge: traces that the demo app (docker/demo, OpenTelemetry JS SDK) sent over
 * OTLP/HTTP on this machine, recorded by scripts/capture-demo-traces.mjs. They are the ordinary
 * case, so every trace must come out clean: no warning, no clock skew, one root, the services and
 * errors of its path. TRACEWAY_REALTRAFFIC_FILE runs the same checks on another capture.
 */
const FILE = process.env.TRACEWAY_REALTRAFFIC_FILE ?? join(FIXTURES, 'otel-js-demo', 'demo-traces.jsonl');
const text = decodeTraceBytes(readFileSync(FILE));
const traces = parseTraces(text);

/** Spans in the file, counted on the raw export bodies: [trace ID, span ID] pairs. */
function rawSpans(): string[] {
  type Export = {
    resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ traceId: string; spanId: string }> }> }>;
  };
  const lines = text.split('\n').filter((line) => line !== '');
  return lines.flatMap((line) =>
    ((JSON.parse(line) as Export).resourceSpans ?? []).flatMap((rs) =>
      (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => `${s.traceId} ${s.spanId}`))
    )
  );
}

type Path = 'ok' | 'slow' | 'not-found' | 'error';

const attr = (t: Trace, i: number, key: string) => {
  const a = findAttribute(t.spans[i].attributes, key);
  return a ? valueToString(a) : undefined;
};

/** The load generator's paths, told apart by the requested artifact (docker/demo/src/harbor.js). */
function pathOf(t: Trace): Path {
  const url = attr(t, t.root, 'url.path') ?? '';
  if (url.endsWith('/artifacts/corrupt')) {
    return 'error';
  }
  if (url.endsWith('/artifacts/missing')) {
    return 'not-found';
  }
  return url.includes('/repositories/big-model/') ? 'slow' : 'ok';
}

type Expected = { status: string; services: string[]; edges: string[]; failed: string[]; errors: number };

/** A 200: every service, the database twice (SELECT, UPDATE), no error. */
const FULL_PATH: Expected = {
  status: '200',
  services: ['core', 'gateway', 'harbor-ui', 'jobservice', 'registry'],
  edges: ['core>jobservice', 'core>postgresql', 'core>registry', 'gateway>core', 'harbor-ui>gateway', 'user>harbor-ui'],
  failed: [],
  errors: 0,
};

const EXPECTED: Record<Path, Expected> = {
  ok: FULL_PATH,
  // the same calls, the registry called twice (manifest, then the big blob for about 1.5 s)
  slow: FULL_PATH,
  // core finds no row and answers 404: only the client spans that received it fail (HTTP semconv).
  'not-found': {
    status: '404',
    services: ['core', 'gateway', 'harbor-ui'],
    edges: ['core>postgresql', 'gateway>core', 'harbor-ui>gateway', 'user>harbor-ui'],
    failed: ['gateway>core', 'harbor-ui>gateway'],
    errors: 2,
  },
  // The registry throws: its server span fails, and so do the client and server spans of core, gateway and
  // harbor-ui above it (7 spans); jobservice is never called.
  error: {
    status: '500',
    services: ['core', 'gateway', 'harbor-ui', 'registry'],
    edges: ['core>postgresql', 'core>registry', 'gateway>core', 'harbor-ui>gateway', 'user>harbor-ui'],
    failed: ['core>registry', 'gateway>core', 'harbor-ui>gateway', 'user>harbor-ui'],
    errors: 7,
  },
};

const label = (t: Trace) => `${t.traceId} (${pathOf(t)})`;

describe(`real traffic: ${relative(join(FIXTURES, '..'), FILE)}`, () => {
  it('holds enough complete traces of every path', () => {
    expect(traces.length).toBeGreaterThanOrEqual(20);
    const byPath = new Map<Path, number>();
    for (const t of traces) {
      byPath.set(pathOf(t), (byPath.get(pathOf(t)) ?? 0) + 1);
    }
    const few = (['ok', 'slow', 'not-found', 'error'] as const).filter((path) => (byPath.get(path) ?? 0) < 2);
    expect(few).toEqual([]);
  });

  it('reads every span of every export line, each once', () => {
    const read = traces.flatMap((t) => t.spans.map((s) => `${t.traceId} ${s.spanId}`));
    expect(read.sort()).toEqual(rawSpans().sort());
  });

  it.each(traces.map((t) => [label(t), t] as const))('%s: no warnings at all', (_, t) => {
    expect(t.warnings).toEqual([]);
  });

  it.each(traces.map((t) => [label(t), t] as const))('%s: no span flagged as clock-skewed', (_, t) => {
    const skewed = t.spans
      .filter((s) => (t.spanFlags[s.index] & (SpanFlag.SkewStart | SpanFlag.SkewEnd)) !== 0)
      .map((s) => `${t.services[t.serviceIndex[s.index]]} "${s.name}" flags ${t.spanFlags[s.index]}`);
    expect(skewed).toEqual([]);
  });

  it.each(traces.map((t) => [label(t), t] as const))('%s: exactly one root, the edge server span', (_, t) => {
    expect(t.roots.length).toBe(1);
    expect(t.root).toBe(t.roots[0]);
    expect(t.spans[t.root].parentSpanId).toBe('');
    expect(t.kind[t.root]).toBe(SpanKind.Server);
    expect(t.services[t.serviceIndex[t.root]]).toBe('harbor-ui');
    // every other span hangs under it
    expect(t.subtreeSize[t.root]).toBe(t.spans.length);
  });

  it.each(traces.map((t) => [label(t), t] as const))('%s: the services, calls and errors of its path', (_, t) => {
    const want = EXPECTED[pathOf(t)];
    expect(attr(t, t.root, 'http.response.status_code')).toBe(want.status);
    expect(t.services).toEqual(want.services);

    const graph = serviceGraph(t);
    const name = (e: { client: string; server: string }) => `${e.client}>${e.server}`;
    expect(graph.edges.map(name)).toEqual(want.edges);
    expect(graph.edges.filter((e) => e.failed > 0).map(name)).toEqual(want.failed);
    expect(graph.nodes.filter((n) => n.virtual).map((n) => n.name)).toEqual(['postgresql', 'user']);
    expect(graph.edges.find((e) => name(e) === 'core>registry')?.requests ?? 0).toBe(
      { ok: 1, slow: 2, 'not-found': 0, error: 1 }[pathOf(t)]
    );

    expect(summarize(t).errorCount).toBe(want.errors);
    const failing = t.spans.filter((s) => t.statusCode[s.index] === StatusCode.Error);
    expect(failing).toHaveLength(want.errors);
    if (pathOf(t) === 'error') {
      // the exception event sits on the registry's server span, the origin of the failure
      const origin = failing.filter((s) => s.events.some((e) => e.name === 'exception'));
      expect(origin.map((s) => `${t.services[t.serviceIndex[s.index]]} ${s.name}`)).toEqual([
        'registry GET /v2/{project_name}/{repository_name}/manifests/{reference}',
      ]);
      const exception = origin[0].events.find((e) => e.name === 'exception')!;
      expect(valueToString(findAttribute(exception.attributes, 'exception.type')!)).toBe('StorageDriverError');
    }
  });

  // The demo's calls run one after another, and the SDK rounds their starts to the millisecond:
  // the critical path must still run through them, not count their time as the caller's own.
  it.each(traces.map((t) => [t.traceId, t] as const))(
    'critical path of %s credits no child time to a parent',
    (_, t) => {
      const self = selfTimes(t);
      const critical = new Float64Array(t.spans.length);
      for (const sec of criticalPath(t).sections) {
        critical[sec.span] += sec.endNs - sec.startNs;
      }
      const excess: string[] = [];
      for (let i = 0; i < t.spans.length; i++) {
        const ms = (critical[i] - self[i]) / 1e6;
        if (ms > 1) {
          excess.push(`${t.spans[i].spanId} ${t.spans[i].name}: ${ms.toFixed(3)} ms more than its self time`);
        }
      }
      expect(excess).toEqual([]);
    }
  );
});
