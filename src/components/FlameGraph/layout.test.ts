import { parseTrace, pathTree, Trace } from '../../trace';
import { fixtureText, sketchToOtlp, SpanSketch } from '../../testing/traces';
import { generate } from '../../../bench/generate';
import { ancestry, boxAt, FlameLayout, neighbour, pathLayout, ROW, SLIVER, timeLayout, toPx, zoomTo } from './layout';

const build = (spans: SpanSketch[]): Trace => parseTrace(sketchToOtlp(spans));
const MS = 1e6;
const inMs = (xs: Float64Array) => Array.from(xs, (x) => x / MS);

// gw GET 0..100 ms calls db q three times (two overlapping), db q calls core work (failed), and core cache
const trace = () =>
  build([
    { id: 'root', service: 'gw', name: 'GET', start: 0, end: 100 },
    { id: 'a', parent: 'root', service: 'db', name: 'q', start: 10, end: 30 },
    { id: 'b', parent: 'root', service: 'db', name: 'q', start: 20, end: 60 },
    { id: 'c', parent: 'b', service: 'core', name: 'work', start: 30, end: 50, error: true },
    { id: 'd', parent: 'root', service: 'db', name: 'q', start: 70, end: 80 },
    { id: 'e', parent: 'root', service: 'core', name: 'cache', start: 85, end: 95 },
  ]);

describe('timeLayout', () => {
  const t = trace();
  const l = timeLayout(t);

  it('puts a box per span in pre-order at its time from the trace start, parallel siblings on rows of their own', () => {
    expect(l.mode).toBe('time');
    expect(l.n).toBe(6);
    expect(Array.from(l.item, (i) => t.spans[i].spanId.replace(/^0+/, ''))).toEqual(
      ['root', 'a', 'b', 'c', 'd', 'e'].map((s) => Buffer.from(s).toString('hex'))
    );
    expect(inMs(l.x0)).toEqual([0, 10, 20, 30, 70, 85]);
    expect(inMs(l.x1)).toEqual([100, 30, 60, 50, 80, 95]);
    // b overlaps a: the row under a; c under b; d and e after a has ended: a's row
    expect(Array.from(l.level)).toEqual([0, 1, 2, 3, 1, 1]);
    expect(Array.from(l.parent)).toEqual([-1, 0, 0, 2, 0, 0]);
    expect(Array.from(l.error)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(Array.from(l.service, (s) => t.services[s])).toEqual(['gw', 'db', 'db', 'core', 'db', 'core']);
    expect(Array.from(l.levelOffset)).toEqual([0, 1, 4, 5, 6]);
    expect(Array.from(l.levelBox)).toEqual([0, 1, 4, 5, 2, 3]);
    expect([l.levels, l.min, l.max / MS]).toEqual([4, 0, 100]);
  });

  it('hit-tests each of two parallel spans on its own row, and nothing in gaps', () => {
    const view = zoomTo(l, -1, 100); // 1 px per ms
    expect(view).toEqual({ from: 0, to: 100 * MS, width: 100 });
    const row = (level: number) => level * ROW + ROW / 2;
    expect(boxAt(l, view, 50, row(0))).toBe(0);
    expect(boxAt(l, view, 15, row(1))).toBe(1);
    expect(boxAt(l, view, 25, row(1))).toBe(1); // a and b overlap: a here, b on the row below
    expect(boxAt(l, view, 25, row(2))).toBe(2);
    expect(boxAt(l, view, 65, row(1))).toBe(-1);
    expect(boxAt(l, view, 40, row(3))).toBe(3);
    expect(boxAt(l, view, 40, row(4))).toBe(-1);
    expect(boxAt(l, view, 101, row(0))).toBe(-1);
  });

  it('zooms into a box: its time across the width, its ancestors for the breadcrumb', () => {
    const view = zoomTo(l, 2, 200);
    expect([view.from / MS, view.to / MS, view.width]).toEqual([20, 60, 200]);
    expect(boxAt(l, view, 60, ROW * 3 + 1)).toBe(3); // 20 + 60/200 * 40 = 32 ms, inside c
    expect(ancestry(l, 3)).toEqual([0, 2, 3]);
  });

  it('moves with the arrow keys: up to the parent, down to the first child, sideways on the level', () => {
    expect(neighbour(l, 0, 'down')).toBe(1);
    expect(neighbour(l, 1, 'right')).toBe(4);
    expect(neighbour(l, 2, 'right')).toBe(-1);
    expect(neighbour(l, 2, 'down')).toBe(3);
    expect(neighbour(l, 3, 'up')).toBe(2);
    expect(neighbour(l, 4, 'right')).toBe(5);
    expect(neighbour(l, 5, 'right')).toBe(-1);
    expect(neighbour(l, 1, 'left')).toBe(-1);
    expect(neighbour(l, 0, 'up')).toBe(-1);
    expect(neighbour(l, 3, 'down')).toBe(-1);
    expect(neighbour(l, -1, 'down')).toBe(0);
  });

  it('sorts a level by start where pre-order does not (a long child’s subtree after its sibling’s)', () => {
    const t2 = build([
      { id: 'root', start: 0, end: 100 },
      { id: 'long', parent: 'root', start: 0, end: 100 },
      { id: 'late', parent: 'long', start: 80, end: 90 },
      { id: 'short', parent: 'root', start: 10, end: 20 },
      { id: 'early', parent: 'short', start: 12, end: 15 },
    ]);
    const l2 = timeLayout(t2);
    // pre-order: root, long, late, short, early; short runs beside long, so on the row under it, and late, once
    // short has ended, shares that row: level 2 holds short (10) then late (80)
    expect(inMs(l2.x0)).toEqual([0, 0, 80, 10, 12]);
    expect(Array.from(l2.level)).toEqual([0, 1, 2, 2, 3]);
    expect(Array.from(l2.levelBox.subarray(l2.levelOffset[2], l2.levelOffset[3]))).toEqual([3, 2]);
    expect(neighbour(l2, 3, 'right')).toBe(2);
  });

  it('keeps a sibling that overlaps the one before by a sliver (clock granularity) on its row', () => {
    const t2 = build([
      { id: 'root', start: 0, end: 100 },
      // b starts 0.6 ms before a ends: 3% of a, 1% of b
      { id: 'a', parent: 'root', start: 1, end: 21.6 },
      { id: 'a1', parent: 'a', start: 2, end: 20 },
      { id: 'b', parent: 'root', start: 21, end: 80 },
      { id: 'b1', parent: 'b', start: 22, end: 79 },
      // c starts 0.5 ms before b ends, but c lasts 2 ms: a quarter of it overlaps, a row of its own
      { id: 'c', parent: 'root', start: 79.5, end: 81.5 },
      // d starts after b has ended: b's row
      { id: 'd', parent: 'root', start: 81, end: 99 },
    ]);
    const l2 = timeLayout(t2);
    expect(inMs(l2.x0)).toEqual([0, 1, 2, 21, 22, 79.5, 81]);
    // a and b on row 1, their children on row 2: one row per depth, not b under a's subtree
    expect(Array.from(l2.level)).toEqual([0, 1, 2, 1, 2, 2, 1]);
    expect(neighbour(l2, 1, 'right')).toBe(3);
    // in the overlap, the later box (drawn over the earlier's end) is hit; before it, the earlier
    const view = zoomTo(l2, -1, 1000); // 10 px per ms
    expect(boxAt(l2, view, 213, ROW + 1)).toBe(3);
    expect(boxAt(l2, view, 205, ROW + 1)).toBe(1);
    expectNoOverlaps(l2);
  });

  it('gives a sibling that overlaps the one before by more than a sliver of either a row of its own', () => {
    const t2 = build([
      { id: 'root', start: 0, end: 100 },
      // b overlaps a by 2 ms: 20% of a (a short call), 2% of b
      { id: 'a', parent: 'root', start: 0, end: 10 },
      { id: 'b', parent: 'root', start: 8, end: 98 },
      // two calls at once (a fan-out of two): half of each overlaps
      { id: 'c', parent: 'root', start: 98, end: 99 },
      { id: 'e', parent: 'root', start: 98.5, end: 99.5 },
    ]);
    const l2 = timeLayout(t2);
    expect(Array.from(l2.level)).toEqual([0, 1, 2, 1, 2]);
    expectNoOverlaps(l2);
  });

  it('lays out the recorded trace one row per depth: a call 0.6 ms into its sibling’s end stays beside it', () => {
    const t2 = parseTrace(fixtureText('tempo-2.7.2/trace-v2.json'));
    const l2 = timeLayout(t2);
    const box = (service: string, name: string) =>
      l2.item.findIndex((i) => t2.services[t2.serviceIndex[i]] === service && t2.spans[i].name === name);
    const manifests = box('core', 'GET /v2/library/manifests/latest');
    const jobs = box('core', 'GET /api/v1/jobs');
    expect(l2.x1[manifests] - l2.x0[jobs]).toBeGreaterThan(0.5 * MS); // they do overlap
    expect(l2.level[jobs]).toBe(l2.level[manifests]);
    expect(neighbour(l2, manifests, 'right')).toBe(jobs);
    expect(l2.levels).toBe(t2.maxDepth + 1);
    for (let b = 0; b < l2.n; b++) {
      expect(l2.level[b]).toBe(t2.depth[l2.item[b]]);
    }
  });

  it('gives each of 20 parallel calls, their children and two spans of no duration a box of its own', () => {
    const t2 = build([
      { id: 'root', start: 0, end: 1000 },
      // a fan-out: 20 calls at once, each with a child
      ...Array.from({ length: 20 }, (_, k) => [
        { id: `call${k}`, parent: 'root', name: `call ${k}`, start: 10 + k, end: 500 + 10 * k },
        { id: `sub${k}`, parent: `call${k}`, name: `sub ${k}`, start: 20 + k, end: 400 },
      ]).flat(),
      // then three calls one after another, touching: one row
      { id: 'seq0', parent: 'root', start: 700, end: 750 },
      { id: 'seq1', parent: 'root', start: 750, end: 800 },
      { id: 'seq2', parent: 'root', start: 800, end: 850 },
      // two spans of no duration at the same instant, right where seq2 ends
      { id: 'zero0', parent: 'root', start: 850, end: 850 },
      { id: 'zero1', parent: 'root', start: 850, end: 850 },
    ]);
    const l2 = timeLayout(t2);
    expect(l2.n).toBe(46);
    expectNoOverlaps(l2);
    const byName = (id: string) =>
      l2.item.findIndex((i) => t2.spans[i].spanId.endsWith(Buffer.from(id).toString('hex')));
    const calls = Array.from({ length: 20 }, (_, k) => byName(`call${k}`));
    // the calls are on 20 different rows, each above its child
    expect(new Set(calls.map((b) => l2.level[b])).size).toBe(20);
    for (let k = 0; k < 20; k++) {
      expect(l2.level[byName(`sub${k}`)]).toBeGreaterThan(l2.level[calls[k]]);
    }
    // one after another, on the first row under the root; no duration: seq2's row and the next
    expect(['seq0', 'seq1', 'seq2', 'zero0'].map((id) => l2.level[byName(id)])).toEqual([1, 1, 1, 1]);
    expect(l2.level[byName('zero1')]).toBe(2);
    // every box is hit where it is drawn, on the whole trace and zoomed into it
    const whole = zoomTo(l2, -1, 1000);
    for (let b = 0; b < l2.n; b++) {
      expect(boxAt(l2, whole, toPx(whole, l2.x0[b]) + 0.5, l2.level[b] * ROW + ROW / 2)).toBe(b);
      const view = zoomTo(l2, b, 1000);
      expect(boxAt(l2, view, l2.x1[b] > l2.x0[b] ? 500 : 0, l2.level[b] * ROW + 1)).toBe(b);
    }
  });
});

/** No two boxes of a level overlap (touching is fine, unless one of them has no width), but by a `SLIVER` of the
 * shorter one; the later box then ends after the earlier. */
function expectNoOverlaps(l: FlameLayout) {
  for (let level = 0; level < l.levels; level++) {
    for (let k = l.levelOffset[level] + 1; k < l.levelOffset[level + 1]; k++) {
      const [a, b] = [l.levelBox[k - 1], l.levelBox[k]];
      const apart = l.x0[b] > l.x1[a] || (l.x0[b] === l.x1[a] && l.x1[a] > l.x0[a]);
      const sliver = l.x1[b] > l.x1[a] && l.x1[a] - l.x0[b] <= SLIVER * Math.min(l.x1[a] - l.x0[a], l.x1[b] - l.x0[b]);
      if (!apart && !sliver) {
        throw new Error(`level ${level}: box ${b} (${l.x0[b]}..${l.x1[b]}) overlaps box ${a} (${l.x0[a]}..${l.x1[a]})`);
      }
    }
  }
}

describe('boxAt', () => {
  it('stops at once on a miss past a level of 20,000 boxes, rather than walking back over them', () => {
    const t2 = build([
      { id: 'root', start: 0, end: 1000 },
      ...Array.from({ length: 20_000 }, (_, k) => ({
        id: `c${k}`,
        parent: 'root',
        start: k * 0.04,
        end: k * 0.04 + 0.02,
      })),
    ]);
    const l2 = timeLayout(t2);
    expect(l2.levelOffset[2] - l2.levelOffset[1]).toBe(20_000);
    // count the level's boxes read
    let reads = 0;
    const levelBox = new Proxy(l2.levelBox, {
      get: (target, key) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) {
          reads++;
        }
        return Reflect.get(target, key, target);
      },
    });
    const counted = { ...l2, levelBox };
    const view = zoomTo(l2, -1, 1000); // 1 px per ms
    expect(boxAt(counted, view, 900, ROW + 1)).toBe(-1); // right of the last child, over empty space
    expect(reads).toBeLessThan(40); // the binary search, and no walk back
    expect(boxAt(counted, view, 400, ROW + 1)).toBeGreaterThan(0); // inside the run of children: one of them
  });
});

describe('pathLayout', () => {
  it('lays paths side by side, the largest total first, as wide as their totals, self time as a share', () => {
    const t = trace();
    const tree = pathTree(t);
    const l = pathLayout(tree);
    expect(l.mode).toBe('paths');
    expect(Array.from(l.item, (id) => `${t.services[tree.service[id]]}:${tree.name[id]}`)).toEqual([
      'gw:GET',
      'db:q', // 3 spans, 70 ms
      'core:work',
      'core:cache', // 10 ms
    ]);
    expect(inMs(l.x0)).toEqual([0, 0, 0, 70]);
    expect(inMs(l.x1)).toEqual([100, 70, 20, 80]);
    // self: GET 100 - (10..60 ∪ 70..80 ∪ 85..95); q 20 + (40 - 20) + 10; work and cache all their own
    expect(inMs(l.selfW)).toEqual([30, 50, 20, 10]);
    expect(Array.from(l.level)).toEqual([0, 1, 2, 1]);
    expect(Array.from(l.error)).toEqual([0, 0, 1, 0]);
    expect(Array.from(l.parent)).toEqual([-1, 0, 1, 0]);
    expect(neighbour(l, 1, 'right')).toBe(3);
    expect(l.max / MS).toBe(100);
    expect(boxAt(l, zoomTo(l, -1, 100), 75, ROW + 1)).toBe(3);
  });

  it('narrows parallel children that add up to more than their parent to fit in it', () => {
    const t = build([
      { id: 'root', name: 'all', start: 0, end: 10 },
      { id: 'x', parent: 'root', name: 'x', start: 0, end: 10 },
      { id: 'y', parent: 'root', name: 'y', start: 0, end: 6 },
      { id: 'z', parent: 'y', name: 'z', start: 0, end: 6 },
      { id: 'o', parent: 'lost', name: 'orphan', start: 20, end: 25 },
    ]);
    const l = pathLayout(pathTree(t));
    expect(Array.from(l.item, (id) => t.spans[pathTree(t).slowest[id]].name)).toEqual(['all', 'x', 'y', 'z', 'orphan']);
    // x and y: 16 ms in a 10 ms parent, so 10/16 each; z fills y at y's scale; the orphan is a root beside
    expect(inMs(l.x0)).toEqual([0, 0, 6.25, 6.25, 10]);
    expect(inMs(l.x1)).toEqual([10, 6.25, 10, 10, 15]);
    expect(inMs(l.selfW)).toEqual([0, 6.25, 0, 3.75, 5]);
    expect(Array.from(l.level)).toEqual([0, 1, 1, 2, 0]);
    expect(l.max / MS).toBe(15);
  });
});

describe('layouts of a generated 20,000-span trace', () => {
  let text = '';
  generate('fanout', 20_000, 20_000, (t) => (text = t));
  const t = parseTrace(text);

  it('by path: every box inside its parent, siblings side by side without overlap, levels sorted by x', () => {
    const tree = pathTree(t);
    const l = pathLayout(tree);
    expect(l.n).toBe(tree.size);
    const eps = 1e-6 * l.max;
    for (let b = 0; b < l.n; b++) {
      const p = l.parent[b];
      if (p >= 0) {
        expect(l.x0[b]).toBeGreaterThanOrEqual(l.x0[p] - eps);
        expect(l.x1[b]).toBeLessThanOrEqual(l.x1[p] + eps);
        expect(l.level[b]).toBe(l.level[p] + 1);
      }
      expect(l.selfW[b]).toBeLessThanOrEqual(l.x1[b] - l.x0[b] + eps);
    }
    for (let k = 1; k < l.n; k++) {
      const [a, b] = [l.levelBox[k - 1], l.levelBox[k]];
      if (l.level[a] === l.level[b]) {
        expect(l.x0[b]).toBeGreaterThanOrEqual(l.x1[a] - eps);
      }
    }
    // the roots span the sum of the root paths' totals
    const rootTotal = Array.from(tree.roots).reduce((s, id) => s + tree.totalNs[id], 0);
    expect(l.max).toBeCloseTo(rootTotal, -3);
  });

  it('by time: a box per span, none overlapping another on a row but by a sliver, each below its parent, every one hit where drawn', () => {
    const l = timeLayout(t);
    expect(l.n).toBe(t.spans.length);
    // the generator's siblings overlap (77 spans at once at most here): more rows than depths, but not a row
    // per span (164 rows for 66 depths)
    expect(l.levels).toBeGreaterThan(t.maxDepth + 1);
    expect(l.levels).toBeLessThan(4 * (t.maxDepth + 1));
    expectNoOverlaps(l);
    for (let b = 0; b < l.n; b++) {
      if (l.parent[b] >= 0 && l.level[b] <= l.level[l.parent[b]]) {
        throw new Error(`box ${b} on row ${l.level[b]}, not below its parent's ${l.level[l.parent[b]]}`);
      }
      // zoomed into each box, its middle (its left edge when it has no width) hits it
      const hit = boxAt(l, zoomTo(l, b, 1000), l.x1[b] > l.x0[b] ? 500 : 0, l.level[b] * ROW + 1);
      if (hit !== b) {
        throw new Error(`box ${b} on row ${l.level[b]}: the pointer on it finds ${hit}`);
      }
    }
  });
});
