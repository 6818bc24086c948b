import { countDiffKinds, diffKind, diffPathLabel, diffTraces } from './diff';
import { parseTrace } from './parse';
import { fixtureJson, fixtureText, sketchId, sketchToOtlp } from '../testing/traces';

interface V2Span {
  spanId: string;
  parentSpanId?: string;
  name: string;
  endTimeUnixNano: string;
}
interface V2 {
  trace: { resourceSpans: Array<{ scopeSpans: Array<{ spans: V2Span[] }> }> };
}

const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

describe('diffTraces', () => {
  it('finds nothing between a recorded trace and itself', () => {
    const t = parseTrace(fixtureText('tempo-2.7.2/trace-v2.json'));
    const d = diffTraces(t, parseTrace(fixtureText('tempo-2.7.2/trace-v2.json')));
    expect([d.added, d.removed, d.changed]).toEqual([[], [], []]);
    expect(d.paths).toHaveLength(11);
    for (const p of d.paths) {
      expect([p.countA, p.durationNsA]).toEqual([p.countB, p.durationNsB]);
    }
    // the recorded scan request: the browser's click, through the gateway twice, to core
    expect(diffPathLabel(d, d.paths.find((p) => p.name === 'job scan')!.id)).toBe(
      'harbor-ui:click push > harbor-ui:GET /api/v2.0/projects/scan > gateway:GET /api/v2.0/projects/scan > ' +
        'gateway:GET /api/v2.0/projects/scan > core:GET /api/v2.0/projects/scan > core:GET /api/v1/jobs > ' +
        'jobservice:GET /api/v1/jobs > jobservice:job scan'
    );
  });

  it('finds exactly a removed subtree and a lengthened span of a recorded trace', () => {
    const b = fixtureJson('tempo-2.7.2/trace-v2.json') as V2;
    const all = b.trace.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    // core's call to the job service (536d985d160a5e2a) and everything under it
    const gone = new Set(['536d985d160a5e2a']);
    for (let grew = true; grew;) {
      grew = false;
      for (const s of all) {
        if (s.parentSpanId && gone.has(hex(s.parentSpanId)) && !gone.has(hex(s.spanId))) {
          gone.add(hex(s.spanId));
          grew = true;
        }
      }
    }
    expect(gone.size).toBe(3);
    for (const r of b.trace.resourceSpans) {
      for (const s of r.scopeSpans) {
        s.spans = s.spans.filter((span) => !gone.has(hex(span.spanId)));
      }
    }
    const registry = all.find((s) => hex(s.spanId) === 'e9c1556d2d967035')!;
    registry.endTimeUnixNano = String(BigInt(registry.endTimeUnixNano) + BigInt(5_000_000));

    const a = parseTrace(fixtureText('tempo-2.7.2/trace-v2.json'));
    const d = diffTraces(a, parseTrace(b));
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([
      { service: 'core', name: 'GET /api/v1/jobs', countA: 1, countB: 0, durationNsA: 32314783, durationNsB: 0 },
      { service: 'jobservice', name: 'GET /api/v1/jobs', countA: 1, countB: 0, durationNsA: 31000145, durationNsB: 0 },
      { service: 'jobservice', name: 'job scan', countA: 1, countB: 0, durationNsA: 30402030, durationNsB: 0 },
    ]);
    expect(d.changed).toEqual([
      {
        service: 'registry',
        name: 'GET /v2/library/manifests/latest',
        countA: 1,
        countB: 1,
        durationNsA: 11597484,
        durationNsB: 16597484,
      },
    ]);
    // the paths: the removed subtree's first (largest difference), then the lengthened span, then the rest
    const top = d.byDifference.slice(0, 4).map((id) => [d.paths[id].name, d.paths[id].countA, d.paths[id].countB]);
    expect(top).toEqual([
      ['GET /api/v1/jobs', 1, 0],
      ['GET /api/v1/jobs', 1, 0],
      ['job scan', 1, 0],
      ['GET /v2/library/manifests/latest', 1, 1],
    ]);
    expect(d.paths[d.byDifference[0]].service).toBe('core');
    // each path names its span on each side: the removed call is A's 536d985d160a5e2a and none of B's
    const removedCall = d.paths[d.byDifference[0]];
    expect(a.spans[removedCall.slowestA].spanId).toBe('536d985d160a5e2a');
    expect(removedCall.slowestB).toBe(-1);
    const lengthened = d.paths[d.byDifference[3]];
    const bTrace = parseTrace(b);
    expect([a.spans[lengthened.slowestA].spanId, bTrace.spans[lengthened.slowestB].spanId]).toEqual([
      'e9c1556d2d967035',
      'e9c1556d2d967035',
    ]);
    expect(d.paths.filter((p) => p.countA !== p.countB || p.durationNsA !== p.durationNsB)).toHaveLength(4);
  });

  it('adds up repeated siblings with the same path, and keys an orphan from itself', () => {
    const a = parseTrace(
      sketchToOtlp([
        { id: 'root', start: 0, end: 100, service: 'gateway', name: 'GET /api' },
        { id: 'q1', parent: 'root', start: 1, end: 11, service: 'db', name: 'SELECT' },
        { id: 'q2', parent: 'root', start: 20, end: 25, service: 'db', name: 'SELECT' },
        // its parent was never received: an orphan, the root of its own path
        { id: 'lost', parent: 'gone', start: 30, end: 40, service: 'worker', name: 'job' },
        { id: 'q3', parent: 'lost', start: 31, end: 33, service: 'db', name: 'SELECT' },
      ])
    );
    const b = parseTrace(
      sketchToOtlp([
        { id: 'root', start: 0, end: 100, service: 'gateway', name: 'GET /api' },
        { id: 'q1', parent: 'root', start: 1, end: 11, service: 'db', name: 'SELECT' },
        { id: 'q2', parent: 'root', start: 20, end: 25, service: 'db', name: 'SELECT' },
        { id: 'q4', parent: 'root', start: 30, end: 33, service: 'db', name: 'SELECT' },
        { id: 'lost', parent: 'gone', start: 30, end: 40, service: 'worker', name: 'job' },
        { id: 'q3', parent: 'lost', start: 31, end: 33, service: 'db', name: 'SELECT' },
      ])
    );
    const d = diffTraces(a, b);
    const rows = d.byDifference.map((id) => {
      const p = d.paths[id];
      return [diffPathLabel(d, id), p.countA, p.countB, p.durationNsA / 1e6, p.durationNsB / 1e6];
    });
    expect(rows).toEqual([
      ['gateway:GET /api > db:SELECT', 2, 3, 15, 18],
      ['gateway:GET /api', 1, 1, 100, 100],
      ['worker:job', 1, 1, 10, 10],
      ['worker:job > db:SELECT', 1, 1, 2, 2],
    ]);
    expect(d.changed).toEqual([
      { service: 'db', name: 'SELECT', countA: 3, countB: 4, durationNsA: 17e6, durationNsB: 20e6 },
    ]);
    expect([d.added, d.removed]).toEqual([[], []]);
    // a path of repeated siblings names its longest span on each side: q1 (10 ms), not q2 or q4
    const select = d.paths.find((p) => diffPathLabel(d, p.id) === 'gateway:GET /api > db:SELECT')!;
    expect([a.spans[select.slowestA].spanId, b.spans[select.slowestB].spanId]).toEqual([sketchId('q1'), sketchId('q1')]);
  });

  it('lists what only one trace has as added or removed, and shortens a deep path', () => {
    const a = parseTrace(sketchToOtlp([{ id: 'r', start: 0, end: 5, service: 'a', name: 'old' }]));
    const b = parseTrace(
      sketchToOtlp([
        { id: 'r', start: 0, end: 5, service: 'a', name: 'new' },
        { id: 'c', parent: 'r', start: 1, end: 2, service: 'b', name: 'x' },
        { id: 'd', parent: 'c', start: 1, end: 2, service: 'b', name: 'y' },
      ])
    );
    const d = diffTraces(a, b);
    expect(d.removed.map((g) => [g.service, g.name, g.countA])).toEqual([['a', 'old', 1]]);
    expect(d.added.map((g) => [g.service, g.name, g.countB])).toEqual([
      ['a', 'new', 1],
      ['b', 'x', 1],
      ['b', 'y', 1],
    ]);
    const deepest = d.paths.find((p) => p.name === 'y')!;
    expect(deepest.depth).toBe(2);
    expect(diffPathLabel(d, deepest.id, 2)).toBe('… > b:x > b:y');
  });
  it('says what kind of difference a path or group is, by one rule, and counts the paths of each kind', () => {
    const kind = (countA: number, countB: number, durationNsA: number, durationNsB: number) =>
      diffKind({ countA, countB, durationNsA, durationNsB });
    expect(kind(0, 2, 0, 10)).toBe('added');
    expect(kind(3, 0, 10, 0)).toBe('removed');
    expect(kind(1, 2, 10, 10)).toBe('changed');
    expect(kind(2, 2, 10, 11)).toBe('changed');
    expect(kind(2, 2, 10, 10)).toBe('same');

    const scan = fixtureText('tempo-2.7.2/trace-v2.json');
    const d = diffTraces(parseTrace(scan), parseTrace(scan.replace('"name": "job scan"', '"name": "job scan v2"')));
    expect(countDiffKinds(d)).toEqual({ added: 1, removed: 1, changed: 0, same: d.paths.length - 2 });
    // The groups are sorted into the same kinds.
    for (const [k, groups] of Object.entries({ added: d.added, removed: d.removed, changed: d.changed })) {
      expect(groups.map(diffKind)).toEqual(groups.map(() => k));
    }
    expect(d.added.map((g) => g.name)).toEqual(['job scan v2']);
  });
});

describe('diffTraces at depth', () => {
  it('keys a 5,000-deep chain of distinct operations without building path text, and finds the one change', () => {
    const chain = (last: number) =>
      parseTrace(
        sketchToOtlp(
          Array.from({ length: 5000 }, (_, k) => ({
            id: `s${k}`,
            parent: k > 0 ? `s${k - 1}` : undefined,
            start: k * 0.001,
            end: k === 4999 ? last : 100,
            name: `op ${k}`,
          }))
        )
      );
    const d = diffTraces(chain(50), chain(60));
    expect(d.paths).toHaveLength(5000);
    expect(d.paths[4999].depth).toBe(4999);
    expect(d.byDifference[0]).toBe(4999);
    expect(d.changed.map((g) => [g.name, (g.durationNsB - g.durationNsA) / 1e6])).toEqual([['op 4999', 10]]);
    expect([d.added, d.removed]).toEqual([[], []]);
    expect(diffPathLabel(d, 4999, 3)).toBe('… > svc:op 4997 > svc:op 4998 > svc:op 4999');
  });
});
