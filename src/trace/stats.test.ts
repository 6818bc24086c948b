/** @jest-environment node */
import { parseTrace } from './parse';
import { selfTimes, traceStats } from './stats';
import { SpanFlag, SpanKind, Trace } from './types';
import { fixtureText, sketchToOtlp, SpanSketch } from '../testing/traces';

const build = (spans: SpanSketch[]): Trace => parseTrace(sketchToOtlp(spans));
const at = (t: Trace, name: string) => t.spans.find((s) => s.name === name)!.index;
/** Sketch times are in ms; the model's in ns. */
const msOf = (ns: number) => Math.round(ns) / 1e6;

describe('self time', () => {
  it('counts overlapping children once (the union of their intervals)', () => {
    const t = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'a', parent: 'root', start: 10, end: 40 },
      { id: 'b', parent: 'root', start: 20, end: 50 }, // overlaps a: together 10..50
      { id: 'c', parent: 'root', start: 25, end: 30 }, // inside both
      { id: 'd', parent: 'root', start: 70, end: 80 },
    ]);
    const self = selfTimes(t);
    // 100 - (50 - 10) - (80 - 70); subtracting each child on its own would give 100 - 30 - 30 - 5 - 10 = 25
    expect(msOf(self[t.root])).toBe(50);
    expect(msOf(self[at(t, 'a')])).toBe(30);
  });

  it('clips children to their parent: time outside it is not subtracted', () => {
    const t = build([
      { id: 'root', start: 10, end: 100 },
      { id: 'early', parent: 'root', start: 0, end: 20 }, // 10 ms before the parent (clock skew)
      { id: 'late', parent: 'root', start: 90, end: 150 }, // outlives the parent
      { id: 'outside', parent: 'root', start: 120, end: 130 }, // wholly after it
    ]);
    const self = selfTimes(t);
    expect(t.spanFlags[at(t, 'early')] & SpanFlag.SkewStart).toBe(SpanFlag.SkewStart);
    // 90 - (20 - 10) - (100 - 90) - 0, never below 0
    expect(msOf(self[t.root])).toBe(70);
    expect(msOf(self[at(t, 'late')])).toBe(60);
  });

  it('a child covering the whole parent leaves it 0, not less', () => {
    const t = build([
      { id: 'root', start: 0, end: 10 },
      { id: 'big', parent: 'root', start: -5, end: 20 },
      { id: 'again', parent: 'root', start: 0, end: 10 },
    ]);
    expect(msOf(selfTimes(t)[t.root])).toBe(0);
  });

  it('async children (a CONSUMER under a PRODUCER) do not take their parent’s time', () => {
    const t = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'p', parent: 'root', start: 10, end: 20, kind: SpanKind.Producer },
      { id: 'c', parent: 'p', start: 12, end: 90, kind: SpanKind.Consumer },
    ]);
    const self = selfTimes(t);
    expect(msOf(self[at(t, 'p')])).toBe(10);
    expect(msOf(self[t.root])).toBe(90);
  });

  it('orphans: a span whose parent is missing keeps its time, minus its own children', () => {
    const t = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'lost', parent: 'gone', start: 20, end: 60 }, // "gone" is not in the trace
      { id: 'kid', parent: 'lost', start: 30, end: 40 },
    ]);
    const lost = at(t, 'lost');
    expect(t.spanFlags[lost] & SpanFlag.Orphan).toBe(SpanFlag.Orphan);
    const self = selfTimes(t);
    expect(msOf(self[t.root])).toBe(100); // the orphan is not its child
    expect(msOf(self[lost])).toBe(30);
    const s = traceStats(t, self);
    const svc = s.byService[0];
    expect([svc.count, msOf(svc.totalNs), msOf(svc.selfNs)]).toEqual([3, 150, 140]);
  });
});

describe('self time, once per trace', () => {
  const sketch: SpanSketch[] = [
    { id: 'root', start: 0, end: 100 },
    { id: 'a', parent: 'root', start: 10, end: 40 },
  ];

  it('returns the same array for the same trace, so every view shares one pass', () => {
    const t = build(sketch);
    const first = selfTimes(t);
    expect(selfTimes(t)).toBe(first);
    expect(traceStats(t).byService[0].selfNs).toBe(first[t.root] + first[at(t, 'a')]);
  });

  it('computes apart for another trace object, even one parsed from the same data', () => {
    const t = build(sketch);
    const other = build(sketch);
    expect(selfTimes(other)).not.toBe(selfTimes(t));
    expect(Array.from(selfTimes(other))).toEqual(Array.from(selfTimes(t)));
    // A derived trace with other times (e.g. skew-adjusted) is a new object: its own self times.
    const shifted: Trace = { ...t, end: t.end.map((e, i) => (i === t.root ? e + 50e6 : e)) };
    expect(msOf(selfTimes(shifted)[t.root])).toBe(120);
    expect(msOf(selfTimes(t)[t.root])).toBe(70);
  });
});

describe('traceStats', () => {
  const t = build([
    { id: 'root', start: 0, end: 200, service: 'web', name: 'GET /', error: true },
    { id: 'q1', parent: 'root', start: 10, end: 30, service: 'db', name: 'SELECT' },
    { id: 'q2', parent: 'root', start: 20, end: 70, service: 'db', name: 'SELECT', error: true },
    { id: 'q3', parent: 'root', start: 100, end: 105, service: 'db', name: 'SELECT' },
    { id: 'ins', parent: 'root', start: 150, end: 160, service: 'db', name: 'INSERT' },
  ]);
  const s = traceStats(t);

  it('count, total, average, min, max, self, share and errors per service + operation', () => {
    const select = s.byOperation.find((g) => g.service === 'db' && g.operation === 'SELECT')!;
    expect({ ...select, totalNs: msOf(select.totalNs), avgNs: msOf(select.avgNs) }).toMatchObject({
      count: 3,
      totalNs: 75,
      avgNs: 25,
      errors: 1,
    });
    expect([msOf(select.minNs), msOf(select.maxNs), msOf(select.selfNs)]).toEqual([5, 50, 75]);
    expect(select.share).toBeCloseTo(75 / 200, 12); // of the trace's 200 ms
    expect(msOf(s.durationNs)).toBe(200);
  });

  it('per service, indexed like trace.services', () => {
    expect(s.byService.map((g) => g.service)).toEqual(t.services);
    const web = s.byService[t.services.indexOf('web')];
    // 200 - (10..70 = 60) - 5 - 10
    expect([web.count, msOf(web.selfNs), web.errors, msOf(web.minNs), msOf(web.maxNs)]).toEqual([1, 125, 1, 200, 200]);
    expect(web.share).toBeCloseTo(125 / 200, 12);
  });

  it('operations sorted by self time, the largest first', () => {
    expect(s.byOperation.map((g) => `${g.service} ${g.operation}`)).toEqual(['web GET /', 'db SELECT', 'db INSERT']);
  });

  it('a trace of 0 ns has shares of 0, not NaN', () => {
    const z = traceStats(build([{ id: 'root', start: 5, end: 5 }]));
    expect([z.byService[0].share, z.byService[0].avgNs, z.byService[0].minNs]).toEqual([0, 0, 0]);
  });
});

describe('a recorded trace (fixtures/tempo-2.7.2/trace-v2-error.json)', () => {
  // Figures worked out by hand from the file's startTimeUnixNano/endTimeUnixNano, all in the second
  // 1795247266 s, written here as ms into it:
  //   trace: first start harbor-ui "click push" 497.000000, last end its 525.050228 → 28.050228 ms.
  //   core "GET /api/v2.0/projects/boom" (SERVER, ERROR): 498.000000..524.387105 = 26.387105 ms; children
  //     "SELECT harbor.project" 498.000000..503.349662 and "GET /v2/library/manifests/latest" 503.000000..523.370786
  //     overlap (503.000–503.349662), union 498.000000..523.370786 = 25.370786 → self 1.016319 ms.
  //   gateway, both spans named "GET /api/v2.0/projects/boom", both ERROR:
  //     SERVER 497.000000..524.087292 = 27.087292, child gateway CLIENT 497.000000..523.914305 → self 0.172987;
  //     CLIENT 26.914305, child core SERVER 498.000000..524.387105 ends after it: clipped to 523.914305,
  //     covers 25.914305 → self 1.000000.
  //     count 2, total 54.001597, min 26.914305, max 27.087292, avg 27.0007985, self 1.172987, errors 2.
  const t = parseTrace(fixtureText('tempo-2.7.2/trace-v2-error.json'));
  const s = traceStats(t);
  const op = (service: string, name: string) =>
    s.byOperation.find((g) => g.service === service && g.operation === name)!;

  it('core "GET /api/v2.0/projects/boom": overlapping children counted once', () => {
    const g = op('core', 'GET /api/v2.0/projects/boom');
    expect([g.count, g.totalNs, g.minNs, g.maxNs, g.selfNs, g.errors]).toEqual([
      1, 26_387_105, 26_387_105, 26_387_105, 1_016_319, 1,
    ]);
    expect(s.durationNs).toBe(28_050_228);
    expect(g.share).toBeCloseTo(1_016_319 / 28_050_228, 12);
  });

  it('gateway: a child ending after its parent is clipped', () => {
    const g = op('gateway', 'GET /api/v2.0/projects/boom');
    expect([g.count, g.totalNs, g.avgNs, g.minNs, g.maxNs, g.selfNs, g.errors]).toEqual([
      2, 54_001_597, 27_000_798.5, 26_914_305, 27_087_292, 1_172_987, 2,
    ]);
    const svc = s.byService[t.services.indexOf('gateway')];
    expect([svc.count, svc.totalNs, svc.selfNs, svc.errors]).toEqual([2, 54_001_597, 1_172_987, 2]);
  });

  it('every span is in one operation group; per-service and per-operation self times agree', () => {
    const total = s.byOperation.reduce((n, g) => n + g.count, 0);
    expect(total).toBe(t.spans.length);
    expect(s.byService.reduce((n, g) => n + g.selfNs, 0)).toBe(s.byOperation.reduce((n, g) => n + g.selfNs, 0));
  });
});
