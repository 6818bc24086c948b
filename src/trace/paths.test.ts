/** @jest-environment node */
import { parseTrace } from './parse';
import { pathLabel, pathTree, PathTree } from './paths';
import { selfTimes, traceStats } from './stats';
import { Trace } from './types';
import { fixtureText, sketchToOtlp, SpanSketch } from '../testing/traces';

const build = (spans: SpanSketch[]): Trace => parseTrace(sketchToOtlp(spans));
const at = (t: Trace, id: string) => t.spans.find((s) => s.name === id)!.index;
const ms = (ns: number) => Math.round(ns) / 1e6;

/** Every path as `label count total self errors`, in id order. */
function rows(t: Trace, tree: PathTree): string[] {
  return Array.from(
    { length: tree.size },
    (_, id) =>
      `${pathLabel(t, tree, id)} ${tree.count[id]} ${ms(tree.totalNs[id])} ${ms(tree.selfNs[id])} ${tree.errors[id]}`
  );
}
const children = (tree: PathTree, id: number) =>
  Array.from(tree.childIndex.subarray(tree.childOffset[id], tree.childOffset[id + 1]));

describe('pathTree', () => {
  it('adds up repeated siblings with one path, their children too, and sums self times', () => {
    const t = build([
      { id: 'root', service: 'gw', name: 'GET /api', start: 0, end: 100 },
      { id: 'q1', parent: 'root', service: 'db', name: 'SELECT', start: 10, end: 20 },
      { id: 'h', parent: 'root', service: 'core', name: 'handle', start: 20, end: 90 },
      { id: 'q2', parent: 'root', service: 'db', name: 'SELECT', start: 30, end: 35, error: true },
      { id: 'q3', parent: 'h', service: 'db', name: 'SELECT', start: 40, end: 70 },
      { id: 'q4', parent: 'h', service: 'db', name: 'SELECT', start: 50, end: 60 }, // inside q3
      { id: 'c', parent: 'q3', service: 'db', name: 'fetch', start: 45, end: 50 },
    ]);
    const tree = pathTree(t);
    // ids by first appearance in pre-order (children by start): root, its SELECTs, handle, handle's SELECTs, fetch
    expect(rows(t, tree)).toEqual([
      'gw:GET /api 1 100 20 0', // 100 - (10..20 ∪ 20..90)
      'gw:GET /api > db:SELECT 2 15 15 1',
      'gw:GET /api > core:handle 1 70 40 0', // 70 - (40..70)
      'gw:GET /api > core:handle > db:SELECT 2 40 35 0', // q3: 30 - 5; q4: 10
      'gw:GET /api > core:handle > db:SELECT > db:fetch 1 5 5 0',
    ]);
    expect(Array.from(tree.parent)).toEqual([-1, 0, 0, 2, 3]);
    expect(Array.from(tree.depth)).toEqual([0, 1, 1, 2, 3]);
    expect(Array.from(tree.roots)).toEqual([0]);
    expect(children(tree, 0)).toEqual([1, 2]);
    expect(children(tree, 2)).toEqual([3]);
    expect(children(tree, 4)).toEqual([]);
    expect(tree.maxDepth).toBe(3);
    // the slowest span of each path is the one to open; q3 (30 ms) over q4 (10 ms)
    expect(ms(t.end[tree.slowest[3]] - t.start[tree.slowest[3]])).toBe(30);
    expect(ms(t.end[tree.slowest[1]] - t.start[tree.slowest[1]])).toBe(10);
    // every span maps to its path
    expect(Array.from(tree.spanPath).sort()).toEqual([0, 1, 1, 2, 3, 3, 4]);
    expect(tree.spanPath[at(t, 'fetch')]).toBe(4);
    expect(Array.from(tree.service).map((s) => t.services[s])).toEqual(['gw', 'db', 'core', 'db', 'db']);
  });

  it('keeps one operation apart under different parents, and one name apart in different services', () => {
    const t = build([
      { id: 'root', service: 'a', name: 'op', start: 0, end: 10 },
      { id: 'x', parent: 'root', service: 'b', name: 'op', start: 1, end: 2 },
      { id: 'y', parent: 'root', service: 'c', name: 'op', start: 2, end: 3 },
      { id: 'z', parent: 'y', service: 'b', name: 'op', start: 2, end: 3 },
    ]);
    const tree = pathTree(t);
    expect(Array.from({ length: tree.size }, (_, id) => pathLabel(t, tree, id))).toEqual([
      'a:op',
      'a:op > b:op',
      'a:op > c:op',
      'a:op > c:op > b:op',
    ]);
  });

  it('starts a root path at an orphan, even one with the same operation as a real path', () => {
    const t = build([
      { id: 'root', service: 'gw', name: 'GET', start: 0, end: 50 },
      { id: 'db', parent: 'root', service: 'db', name: 'q', start: 5, end: 10 },
      { id: 'lost', parent: 'missing', service: 'db', name: 'q', start: 20, end: 40 },
      { id: 'under', parent: 'lost', service: 'db', name: 'io', start: 25, end: 30 },
    ]);
    const tree = pathTree(t);
    expect(rows(t, tree)).toEqual([
      'gw:GET 1 50 45 0',
      'gw:GET > db:q 1 5 5 0',
      'db:q 1 20 15 0',
      'db:q > db:io 1 5 5 0',
    ]);
    expect(Array.from(tree.roots)).toEqual([0, 2]);
    expect(tree.depth[2]).toBe(0);
  });

  it('stays linear on a 100,000-deep chain', () => {
    const spans: SpanSketch[] = [{ id: 's0', name: 'op', start: 0, end: 100_000 }];
    for (let k = 1; k < 100_000; k++) {
      spans.push({ id: `s${k}`, parent: `s${k - 1}`, name: 'op', start: k, end: 100_000 });
    }
    const t = build(spans);
    const t0 = performance.now();
    const tree = pathTree(t);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(tree.size).toBe(100_000);
    expect(tree.maxDepth).toBe(99_999);
    expect(pathLabel(t, tree, 99_999, 2)).toBe('… > svc:op > svc:op');
  });

  it('agrees with the statistics on a recorded trace: every span once, the same totals and self times', () => {
    const t = parseTrace(fixtureText('tempo-2.7.2/trace-v2.json'));
    const self = selfTimes(t);
    const tree = pathTree(t, self);
    expect(tree.size).toBe(11); // as diff.test.ts finds for this trace
    expect(Array.from(tree.count).reduce((a, b) => a + b, 0)).toBe(t.spans.length);
    // per service + operation, the paths add up to the statistics' groups
    const sums = new Map<string, [number, number, number]>();
    for (let id = 0; id < tree.size; id++) {
      const key = `${t.services[tree.service[id]]}:${tree.name[id]}`;
      const s = sums.get(key) ?? [0, 0, 0];
      sums.set(key, [s[0] + tree.count[id], s[1] + tree.totalNs[id], s[2] + tree.selfNs[id]]);
    }
    const stats = traceStats(t, self);
    expect(sums.size).toBe(stats.byOperation.length);
    for (const g of stats.byOperation) {
      const [count, total, selfNs] = sums.get(`${g.service}:${g.operation}`)!;
      expect([count, total]).toEqual([g.count, g.totalNs]);
      expect(selfNs).toBeCloseTo(g.selfNs, 0);
    }
    expect(pathLabel(t, tree, tree.spanPath[t.root])).toBe('harbor-ui:click push');
    expect(tree.slowest[tree.spanPath[t.root]]).toBe(t.root);
    // without self times (the diff needs none): the same tree, self 0
    const bare = pathTree(t, null);
    expect([bare.size, Array.from(bare.totalNs), Array.from(bare.parent)]).toEqual([
      tree.size,
      Array.from(tree.totalNs),
      Array.from(tree.parent),
    ]);
    expect(bare.selfNs.every((x) => x === 0)).toBe(true);
  });
});
