/** @jest-environment node */
import { criticalPath } from './critical';
import { serviceGraph } from './graph';
import { parseTrace } from './parse';
import { sketchToOtlp, SpanSketch } from '../testing/traces';
import { collapseAll, collapseToDepth, expandAll, revealSpan, toggleCollapsed, visibleRows } from './rows';
import { findSpans, parseQuery } from './find';
import { selfTimes, serviceCounts, summarize, traceStats } from './stats';
import { SpanFlag, SpanKind, Trace } from './types';

type S = SpanSketch;
const build = (spans: S[]): Trace => parseTrace(sketchToOtlp(spans));

const names = (t: Trace, idx: ArrayLike<number>) => Array.from(idx, (i) => t.spans[i].name);
const byName = (t: Trace, name: string) => t.spans.find((s) => s.name === name)!.index;

describe('tree', () => {
  it('orders children by start time, whatever the input order', () => {
    const t = build([
      { id: 'c', parent: 'root', start: 30, end: 40 },
      { id: 'a', parent: 'root', start: 10, end: 20 },
      { id: 'root', start: 0, end: 100 },
      { id: 'b', parent: 'root', start: 20, end: 25 },
    ]);
    expect(names(t, t.order)).toEqual(['root', 'a', 'b', 'c']);
    expect(summarize(t).maxDepth).toBe(1);
  });

  it('handles a 100,000-deep chain without recursion', () => {
    const n = 100_000;
    const spans: S[] = [];
    for (let i = 0; i < n; i++) {
      spans.push({ id: `s${i}`, parent: i > 0 ? `s${i - 1}` : undefined, start: i * 0.001, end: 1000 - i * 0.001 });
    }
    const t = build(spans);
    expect(t.maxDepth).toBe(n - 1);
    expect(t.depth[byName(t, 's99999')]).toBe(n - 1);
    expect(t.subtreeSize[t.root]).toBe(n);
    expect(visibleRows(t)).toHaveLength(n);
    expect(visibleRows(t, collapseToDepth(t, 10))).toHaveLength(11);
    expect(criticalPath(t).spans).toHaveLength(n);
    expect(selfTimes(t)[byName(t, 's99999')]).toBeGreaterThan(0);
  });

  it('makes spans with a missing parent extra roots, after the real root, and flags them', () => {
    const t = build([
      { id: 'orphan', parent: 'gone', start: 1, end: 2 },
      { id: 'root', start: 5, end: 10 },
    ]);
    expect(names(t, t.roots)).toEqual(['root', 'orphan']);
    expect(t.spanFlags[byName(t, 'orphan')] & SpanFlag.Orphan).toBeTruthy();
    expect(t.spans[t.root].name).toBe('root');
    expect(t.warnings.map((w) => [w.code, w.count])).toEqual([['orphan', 1]]);
  });

  it('breaks cycles at their earliest span and flags it', () => {
    const t = build([
      { id: 'a', parent: 'c', start: 1, end: 9 },
      { id: 'b', parent: 'a', start: 2, end: 8 },
      { id: 'c', parent: 'b', start: 3, end: 7 },
      { id: 'self', parent: 'self', start: 4, end: 5 },
    ]);
    expect(names(t, t.order)).toEqual(['a', 'b', 'c', 'self']);
    expect(t.spanFlags[byName(t, 'a')] & SpanFlag.Cycle).toBeTruthy();
    expect(t.spanFlags[byName(t, 'self')] & SpanFlag.Cycle).toBeTruthy();
    expect(t.warnings.find((w) => w.code === 'cycle')?.count).toBe(2);
  });

  it('keeps spans with duplicate IDs, flags them, and hangs children on the earliest', () => {
    const t = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'dup', parent: 'root', start: 50, end: 60, name: 'late' },
      { id: 'dup', parent: 'root', start: 10, end: 20, name: 'early' },
      { id: 'kid', parent: 'dup', start: 12, end: 13 },
    ]);
    expect(t.spans).toHaveLength(4);
    expect(t.spanFlags[byName(t, 'late')] & SpanFlag.DuplicateId).toBeTruthy();
    expect(t.spanFlags[byName(t, 'early')] & SpanFlag.DuplicateId).toBeTruthy();
    expect(t.parent[byName(t, 'kid')]).toBe(byName(t, 'early'));
    expect(t.warnings.find((w) => w.code === 'duplicate-span-id')?.count).toBe(2);
  });

  it('flags clock skew, but not for asynchronous children', () => {
    const t = build([
      { id: 'root', start: 10, end: 100, kind: SpanKind.Client },
      { id: 'early', parent: 'root', start: 5, end: 20 },
      { id: 'late', parent: 'root', start: 90, end: 120, kind: SpanKind.Server, service: 'other' },
      { id: 'producer', parent: 'root', start: 30, end: 40, kind: SpanKind.Producer },
      { id: 'consumer', parent: 'producer', start: 60, end: 200, kind: SpanKind.Consumer },
      { id: 'follower', parent: 'root', start: 95, end: 300, followsFrom: true },
    ]);
    expect(t.spanFlags[byName(t, 'early')] & SpanFlag.SkewStart).toBeTruthy();
    expect(t.spanFlags[byName(t, 'late')] & SpanFlag.SkewEnd).toBeTruthy();
    expect(t.spanFlags[byName(t, 'consumer')] & (SpanFlag.SkewEnd | SpanFlag.SkewStart)).toBe(0);
    expect(t.spanFlags[byName(t, 'consumer')] & SpanFlag.Async).toBeTruthy();
    expect(t.spanFlags[byName(t, 'follower')] & SpanFlag.FollowsFrom).toBeTruthy();
    expect(t.spanFlags[byName(t, 'follower')] & SpanFlag.Async).toBeTruthy();
    expect(t.warnings.find((w) => w.code === 'clock-skew')?.count).toBe(2);
  });
});

describe('rows', () => {
  const t = build([
    { id: 'root', start: 0, end: 100 },
    { id: 'a', parent: 'root', start: 1, end: 50 },
    { id: 'a1', parent: 'a', start: 2, end: 10 },
    { id: 'a1x', parent: 'a1', start: 3, end: 4 },
    { id: 'b', parent: 'root', start: 60, end: 90 },
    { id: 'b1', parent: 'b', start: 61, end: 70 },
  ]);

  it('collapsing a span hides its subtree; Set and mask agree', () => {
    const a = byName(t, 'a');
    expect(names(t, visibleRows(t, new Set([a])))).toEqual(['root', 'a', 'b', 'b1']);
    expect(names(t, visibleRows(t, toggleCollapsed(expandAll(t), a)))).toEqual(['root', 'a', 'b', 'b1']);
  });

  it('collapse all, expand all, collapse to depth', () => {
    expect(names(t, visibleRows(t, collapseAll(t)))).toEqual(['root']);
    expect(names(t, visibleRows(t, expandAll(t)))).toEqual(['root', 'a', 'a1', 'a1x', 'b', 'b1']);
    expect(names(t, visibleRows(t, collapseToDepth(t, 1)))).toEqual(['root', 'a', 'b']);
    expect(names(t, visibleRows(t, collapseToDepth(t, 0)))).toEqual(['root']);
  });

  it('revealing a span expands its ancestors', () => {
    const shown = visibleRows(t, revealSpan(t, collapseAll(t), byName(t, 'a1x')));
    expect(names(t, shown)).toContain('a1x');
  });
});

describe('critical path', () => {
  it('follows the last-finishing child and leaves out overlapped siblings', () => {
    const t = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'a', parent: 'root', start: 10, end: 40 },
      { id: 'b', parent: 'root', start: 30, end: 90 },
      { id: 'c', parent: 'b', start: 35, end: 60 },
    ]);
    const cp = criticalPath(t);
    expect(names(t, cp.spans)).toEqual(['root', 'b', 'c']);
    expect(
      cp.sections.map((s) => [t.spans[s.span].name, s.startNs / 1e6 - t.startNs / 1e6, s.endNs / 1e6 - t.startNs / 1e6])
    ).toEqual([
      ['root', 0, 30],
      ['b', 30, 35],
      ['c', 35, 60],
      ['b', 60, 90],
      ['root', 90, 100],
    ]);
  });

  it('keeps back-to-back calls on the path when millisecond rounding makes them overlap by less than 1 ms', () => {
    // As the OpenTelemetry JS SDK records them: starts rounded down to the ms, ends precise.
    const t = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'first', parent: 'root', start: 5, end: 60.476 },
      { id: 'second', parent: 'root', start: 60, end: 95 },
    ]);
    const cp = criticalPath(t);
    expect(names(t, cp.spans)).toEqual(['root', 'first', 'second']);
    const at = (ns: number) => Math.round((ns - t.startNs) / 1e3) / 1e3;
    expect(cp.sections.map((s) => [t.spans[s.span].name, at(s.startNs), at(s.endNs)])).toEqual([
      ['root', 0, 5],
      ['first', 5, 60],
      ['second', 60, 95],
      ['root', 95, 100],
    ]);
  });

  it('still leaves out a sibling that overlaps by more than the tolerance: a parallel call', () => {
    const t = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'parallel', parent: 'root', start: 5, end: 62 },
      { id: 'second', parent: 'root', start: 60, end: 95 },
    ]);
    expect(names(t, criticalPath(t).spans)).toEqual(['root', 'second']);
  });

  it('does not wait for asynchronous children and clips children that outlast the parent', () => {
    const t = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'producer', parent: 'root', start: 10, end: 20, kind: SpanKind.Producer },
      { id: 'consumer', parent: 'producer', start: 50, end: 150, kind: SpanKind.Consumer },
      { id: 'slow', parent: 'root', start: 80, end: 130 },
    ]);
    const cp = criticalPath(t);
    expect(names(t, cp.spans)).toEqual(['root', 'producer', 'slow']);
    const slow = cp.sections.find((s) => t.spans[s.span].name === 'slow')!;
    expect((slow.endNs - t.startNs) / 1e6).toBe(100);
  });
});

describe('statistics', () => {
  const t = build([
    { id: 'root', start: 0, end: 100, service: 'web', error: true },
    { id: 'a', parent: 'root', start: 10, end: 30, service: 'api' },
    { id: 'b', parent: 'root', start: 20, end: 50, service: 'api', name: 'a' },
    { id: 'p', parent: 'root', start: 60, end: 70, kind: SpanKind.Producer, service: 'web' },
    { id: 'c', parent: 'p', start: 65, end: 200, kind: SpanKind.Consumer, service: 'worker', error: true },
  ]);

  it('self time subtracts the union of synchronous children', () => {
    const self = selfTimes(t);
    expect(self[t.root] / 1e6).toBe(100 - 40 - 10);
    expect(self[byName(t, 'p')] / 1e6).toBe(10);
  });

  it('spans and errors per service, without the rest of the statistics', () => {
    const { spans, errors } = serviceCounts(t);
    const of = (name: string) => t.services.indexOf(name);
    expect([spans[of('web')], errors[of('web')]]).toEqual([2, 1]);
    expect([spans[of('api')], errors[of('api')]]).toEqual([2, 0]);
    expect([spans[of('worker')], errors[of('worker')]]).toEqual([1, 1]);
  });

  it('per service and per operation', () => {
    const s = traceStats(t);
    const api = s.byService.find((g) => g.service === 'api')!;
    expect([api.count, api.totalNs / 1e6, api.selfNs / 1e6, api.errors]).toEqual([2, 50, 50, 0]);
    const op = s.byOperation.find((g) => g.service === 'api' && g.operation === 'a')!;
    expect(op.count).toBe(2);
    expect(s.byService.reduce((n, g) => n + g.errors, 0)).toBe(2);
  });

  it('summary', () => {
    const s = summarize(t);
    expect(s).toMatchObject({
      spanCount: 5,
      rootName: 'root',
      services: ['api', 'web', 'worker'],
      maxDepth: 2,
      durationMs: 200,
      errorCount: 2,
    });
  });
});

describe('find in trace', () => {
  const t = build([
    {
      id: 'root',
      start: 0,
      end: 100,
      service: 'gateway',
      name: 'GET /api/projects',
      attrs: { request_id: 'abc-123', 'http.route': '/api' },
    },
    {
      id: 'db',
      parent: 'root',
      start: 10,
      end: 20,
      service: 'core',
      name: 'SELECT project',
      attrs: { 'db.system': 'postgresql' },
    },
  ]);

  it('matches names, services, attribute keys and values, span IDs', () => {
    expect(names(t, findSpans(t, 'select'))).toEqual(['SELECT project']);
    expect(names(t, findSpans(t, 'CORE'))).toEqual(['SELECT project']);
    expect(names(t, findSpans(t, 'db.system'))).toEqual(['SELECT project']);
    expect(names(t, findSpans(t, 'postgres'))).toEqual(['SELECT project']);
    expect(names(t, findSpans(t, t.spans[t.root].spanId))).toEqual(['GET /api/projects']);
    expect(findSpans(t, '')).toHaveLength(0);
  });

  it('key=value terms, all terms must match', () => {
    expect(names(t, findSpans(t, 'request_id=abc'))).toEqual(['GET /api/projects']);
    expect(names(t, findSpans(t, 'request_id=zzz'))).toEqual([]);
    expect(names(t, findSpans(t, 'gateway request_id=abc-123'))).toEqual(['GET /api/projects']);
    expect(names(t, findSpans(t, 'gateway postgres'))).toEqual([]);
    expect(parseQuery('a="b c" d')).toEqual([{ key: 'a', text: 'b c' }, { text: 'd' }]);
  });
});

describe('service graph', () => {
  it('pairs CLIENT/PRODUCER spans with SERVER/CONSUMER children, adds virtual peers and user', () => {
    const t = build([
      { id: 'in', start: 0, end: 100, kind: SpanKind.Server, service: 'gateway' },
      { id: 'call', parent: 'in', start: 10, end: 50, kind: SpanKind.Client, service: 'gateway', error: true },
      { id: 'serve', parent: 'call', start: 12, end: 48, kind: SpanKind.Server, service: 'core' },
      {
        id: 'db',
        parent: 'serve',
        start: 13,
        end: 20,
        kind: SpanKind.Client,
        service: 'core',
        attrs: { 'db.system': 'postgresql' },
      },
      {
        id: 'ext',
        parent: 'serve',
        start: 21,
        end: 30,
        kind: SpanKind.Client,
        service: 'core',
        attrs: { 'peer.service': 'stripe' },
      },
      { id: 'nopeer', parent: 'serve', start: 31, end: 32, kind: SpanKind.Client, service: 'core' },
      { id: 'pub', parent: 'serve', start: 33, end: 34, kind: SpanKind.Producer, service: 'core' },
      { id: 'sub', parent: 'pub', start: 60, end: 90, kind: SpanKind.Consumer, service: 'worker' },
      { id: 'self', parent: 'serve', start: 35, end: 36, kind: SpanKind.Client, service: 'core' },
      { id: 'selfsrv', parent: 'self', start: 35, end: 36, kind: SpanKind.Server, service: 'core' },
    ]);
    const g = serviceGraph(t);
    const edges = g.edges.map((e) => [e.client, e.server, e.connectionType, e.requests, e.failed]);
    expect(edges).toEqual([
      ['core', 'core', '', 1, 0],
      ['core', 'postgresql', 'virtual_node', 1, 0],
      ['core', 'stripe', 'virtual_node', 1, 0],
      ['core', 'worker', 'messaging_system', 1, 0],
      ['gateway', 'core', '', 1, 1],
      ['user', 'gateway', 'virtual_node', 1, 0],
    ]);
    const gw = g.edges.find((e) => e.client === 'gateway')!;
    expect([gw.clientNs / 1e6, gw.serverNs / 1e6]).toEqual([40, 36]);
    expect(g.nodes.filter((n) => n.virtual).map((n) => n.name)).toEqual(['postgresql', 'stripe', 'user']);
    expect(serviceGraph(t, { sameService: false }).edges.some((e) => e.client === e.server)).toBe(false);
  });
});
