import { PathTree, StatusCode, Trace, csrChildren } from '../../trace';

/**
 * The flame graph's boxes, built once per trace and mode into typed arrays; drawing, hit-testing and the keyboard
 * read them. x is in nanoseconds: time from the trace's start ('time'), or the running sum of the paths' total
 * durations ('paths'); level 0 on top. By path one level per depth; by time a span's children are on the levels
 * below it, and parallel siblings each on levels of their own, so no two boxes of a level overlap (by more than a
 * `SLIVER` of the shorter one: clock granularity).
 */
export type FlameMode = 'time' | 'paths';

export interface FlameLayout {
  mode: FlameMode;
  /** boxes */
  n: number;
  x0: Float64Array;
  x1: Float64Array;
  level: Int32Array;
  /** what a box shows: a span index ('time') or a path id ('paths') */
  item: Int32Array;
  /** the parent's box, -1 at the top */
  parent: Int32Array;
  /** index into `trace.services` */
  service: Int32Array;
  /** 1 when the span failed, or a span of the path did */
  error: Uint8Array;
  /** 'paths': the self time's share of the box, in x units (0 in 'time') */
  selfW: Float64Array;
  /** children's boxes in CSR form, in drawing order (by start, or the largest total first) */
  childOffset: Int32Array;
  childBox: Int32Array;
  /** each level's boxes by x0: `levelBox[levelOffset[L] .. levelOffset[L + 1])` */
  levelOffset: Int32Array;
  levelBox: Int32Array;
  /** each box's position in `levelBox` */
  levelPos: Int32Array;
  /** per position in `levelBox`, the furthest x1 of the level's boxes up to it: where hit-testing can stop */
  levelReach: Float64Array;
  levels: number;
  /** the whole graph's x extent */
  min: number;
  max: number;
}

/** The x range on screen (ns) and the canvas's CSS width. */
export interface FlameView {
  from: number;
  to: number;
  width: number;
}

/** Height of one level, CSS pixels. */
export const ROW = 20;

function finish(
  mode: FlameMode,
  fields: Pick<FlameLayout, 'x0' | 'x1' | 'level' | 'item' | 'parent' | 'service' | 'error' | 'selfW'>,
  levels: number,
  min: number,
  max: number,
  /** the boxes in an order that has each level's by x0 already (time: as placed), else pre-order */
  byX?: Int32Array
): FlameLayout {
  const { x0, level, parent } = fields;
  const n = x0.length;
  // Children by box order: boxes are in pre-order with children in drawing order, so id order keeps it.
  const { offset: childOffset, index: childBox } = csrChildren(parent, n);
  // Levels by a counting sort (stable: in `byX` order, or pre-order), then by x0 where that did not already
  // sort them.
  const levelOffset = new Int32Array(levels + 1);
  for (let b = 0; b < n; b++) {
    levelOffset[level[b] + 1]++;
  }
  for (let l = 0; l < levels; l++) {
    levelOffset[l + 1] += levelOffset[l];
  }
  const levelBox = new Int32Array(n);
  const at = levelOffset.slice(0, levels);
  for (let k = 0; k < n; k++) {
    const b = byX ? byX[k] : k;
    levelBox[at[level[b]]++] = b;
  }
  for (let l = 0; l < levels; l++) {
    const from = levelOffset[l];
    const to = levelOffset[l + 1];
    let sorted = true;
    for (let k = from + 1; k < to && sorted; k++) {
      sorted = x0[levelBox[k - 1]] <= x0[levelBox[k]];
    }
    if (!sorted) {
      levelBox.subarray(from, to).sort((a, b) => x0[a] - x0[b] || a - b);
    }
  }
  const levelPos = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    levelPos[levelBox[k]] = k;
  }
  const levelReach = new Float64Array(n);
  const { x1 } = fields;
  for (let l = 0; l < levels; l++) {
    let reach = -Infinity;
    for (let k = levelOffset[l]; k < levelOffset[l + 1]; k++) {
      reach = Math.max(reach, x1[levelBox[k]]);
      levelReach[k] = reach;
    }
  }
  return { mode, n, ...fields, childOffset, childBox, levelOffset, levelBox, levelPos, levelReach, levels, min, max };
}

/**
 * The rows' furthest ends, for finding the first row below a parent where a box fits: a segment tree over rows of
 * the minimum end, so a fan-out of 100,000 parallel calls costs O(log n) per span, not a scan of every row. A row
 * whose last box has no width is "closed" at its end: a box starting at that instant would hide it.
 */
class RowEnds {
  private size = 0;
  private end = new Float64Array(0);
  private closed = new Uint8Array(0);

  constructor() {
    this.grow(256);
  }

  /** Room for `rows` rows (a power of two): the leaves kept, the inner nodes rebuilt. */
  private grow(rows: number): void {
    const { size, end, closed } = this;
    this.size = rows;
    // empty rows end at -Infinity: free at any time
    this.end = new Float64Array(2 * rows).fill(-Infinity);
    this.closed = new Uint8Array(2 * rows);
    this.end.set(end.subarray(size, 2 * size), rows);
    this.closed.set(closed.subarray(size, 2 * size), rows);
    for (let node = rows - 1; node >= 1; node--) {
      this.pull(node);
    }
  }

  /** A node's (end, closed): the smaller of its children's, so it fits whatever one of its rows fits. */
  private pull(node: number): void {
    const l = 2 * node;
    const r = l + 1;
    const m = this.end[l] < this.end[r] || (this.end[l] === this.end[r] && this.closed[l] <= this.closed[r]) ? l : r;
    this.end[node] = this.end[m];
    this.closed[node] = this.closed[m];
  }

  /** Can a box starting at `x` go on a row (or some row under `node`) whose boxes end by (`end`, `closed`)? */
  private fits(node: number, x: number): boolean {
    return this.end[node] < x || (this.end[node] === x && this.closed[node] === 0);
  }

  /** The first row at or after `from` where a box starting at `x` fits: up from the row's leaf to the first
   * subtree on its right with room, then down to its leftmost row with room. */
  first(from: number, x: number): number {
    while (from >= this.size) {
      this.grow(this.size * 2);
    }
    let node = from + this.size;
    if (!this.fits(node, x)) {
      for (;;) {
        while (node & 1) {
          node >>= 1;
        }
        if (node === 0) {
          // every row from `from` on is taken: the first new one
          const row = this.size;
          this.grow(this.size * 2);
          return row;
        }
        node++;
        if (this.fits(node, x)) {
          break;
        }
      }
      while (node < this.size) {
        node *= 2;
        if (!this.fits(node, x)) {
          node++;
        }
      }
    }
    return node - this.size;
  }

  /** Where the last box of `row` ends (as set: its `end` key). */
  endOf(row: number): number {
    return row < this.size ? this.end[row + this.size] : -Infinity;
  }

  /** Puts a box [x0, x1] on `row` (its rows' boxes all end by then); the row is free from `end` on (x1 by default). */
  set(row: number, x0: number, x1: number, end = x1): void {
    while (row >= this.size) {
      this.grow(this.size * 2);
    }
    let node = row + this.size;
    this.end[node] = end;
    this.closed[node] = x1 === x0 ? 1 : 0;
    // up while a node's smallest end changes (most sets raise a row that is not the smallest: one step)
    for (node >>= 1; node >= 1; node >>= 1) {
      const end = this.end[node];
      const closed = this.closed[node];
      this.pull(node);
      if (this.end[node] === end && this.closed[node] === closed) {
        break;
      }
    }
  }
}

/**
 * The overlap, as a share of the shorter of two boxes, under which a span does not count as running in parallel
 * with the box before it on a row. Clocks tick coarsely (a millisecond in browsers and some SDKs) and hosts' clocks
 * differ, so a call that starts as its sibling ends is often recorded starting a little before that end; pushing
 * it to a row of its own would draw it under its sibling, read as its child. A tenth keeps such calls on one row
 * while hiding at most a tenth of the earlier box; calls that really run side by side (a fan-out) overlap more.
 */
export const SLIVER = 0.1;

/**
 * Each span's row in the icicle by time. Spans are placed in order of start, each on the first row below its
 * parent's where the boxes already there have ended by its start: a sweep over time, so a row is free exactly
 * when its last box has ended. Siblings that run one after another share a row, as do their children (a trace
 * without parallel calls is one row per depth); parallel siblings and their subtrees interleave on the rows under
 * the parent instead of hiding each other. No two boxes of a row overlap by more than a `SLIVER` of the shorter
 * (the later drawn over the earlier's end). Touching is not overlapping (a call ending as the next starts), except
 * for a box without width, which would hide under its neighbour's edge.
 * A child that starts before its parent (clock skew) is placed right after it. O(n log n): the sort by time and
 * the rows' segment tree.
 */
function timeRows(trace: Trace): { row: Int32Array; rows: number; placed: Int32Array } {
  const { order, orderPos, start, end, parent } = trace;
  const n = order.length;
  // Spans by the time they can be placed: their start, or their parent's (clock skew), parents first on a tie.
  // The times sorted natively (no comparator: a tenth of the time of sorting the spans by a comparator), then
  // each span, in pre-order, into the first free slot of its time's run: ties stay in pre-order.
  const at = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    at[i] = parent[i] >= 0 ? Math.max(start[i], at[parent[i]]) : start[i];
  }
  const times = at.slice().sort();
  const taken = new Int32Array(n);
  const byTime = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] < at[i]) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    byTime[lo + taken[lo]++] = i;
  }
  // Two views of the rows: where their last boxes end, and where they end less the sliver their last box lets a
  // sibling overlap (`SLIVER`).
  const ends = new RowEnds();
  const soft = new RowEnds();
  const row = new Int32Array(n);
  // the boxes (pre-order positions) as placed: each row gets its boxes left to right
  const placed = new Int32Array(n);
  let rows = 0;
  for (let k = 0; k < n; k++) {
    const i = byTime[k];
    placed[k] = orderPos[i];
    const x0 = start[i];
    const x1 = Math.max(x0, end[i]);
    const from = parent[i] >= 0 ? row[parent[i]] + 1 : 0;
    let r = ends.first(from, x0);
    if (r > from) {
      // a row above where the overlap is a sliver of both boxes: the earlier one's by `soft`, this one's here
      const s = soft.first(from, x0);
      if (s < r && ends.endOf(s) - x0 <= SLIVER * (x1 - x0)) {
        r = s;
      }
    }
    row[i] = r;
    ends.set(r, x0, x1);
    soft.set(r, x0, x1, x1 - SLIVER * (x1 - x0));
    rows = Math.max(rows, r + 1);
  }
  return { row, rows, placed };
}

/**
 * The icicle of the span tree: a box per span in pre-order, x from the trace's start, a span's children on the
 * rows under it, parallel siblings on rows of their own (`timeRows`).
 */
export function timeLayout(trace: Trace): FlameLayout {
  const { order, orderPos, start, end, parent: spanParent, serviceIndex, statusCode } = trace;
  const n = order.length;
  const { row, rows, placed } = timeRows(trace);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const level = new Int32Array(n);
  const item = new Int32Array(n);
  const parent = new Int32Array(n);
  const service = new Int32Array(n);
  const error = new Uint8Array(n);
  for (let b = 0; b < n; b++) {
    const i = order[b];
    x0[b] = start[i] - trace.startNs;
    x1[b] = Math.max(x0[b], end[i] - trace.startNs);
    level[b] = row[i];
    item[b] = i;
    parent[b] = spanParent[i] >= 0 ? orderPos[spanParent[i]] : -1;
    service[b] = serviceIndex[i];
    error[b] = statusCode[i] === StatusCode.Error ? 1 : 0;
  }
  const fields = { x0, x1, level, item, parent, service, error, selfW: new Float64Array(n) };
  return finish('time', fields, rows, 0, Math.max(0, trace.endNs - trace.startNs), placed);
}

/**
 * The path tree as a flame graph: siblings side by side, the largest total first, each as wide as its total.
 * Parallel children can add up to more than their parent; then they are narrowed together to fit in it
 * (a child's width is its total times its parent's width over the larger of the parent's total and the
 * children's sum), so a box never overhangs its parent. `selfW` is the self time at the box's own scale.
 */
export function pathLayout(tree: PathTree): FlameLayout {
  const n = tree.size;
  const { totalNs, selfNs, childOffset: cOff, childIndex: cIdx } = tree;
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const level = new Int32Array(n);
  const item = new Int32Array(n);
  const parent = new Int32Array(n);
  const service = new Int32Array(n);
  const error = new Uint8Array(n);
  const selfW = new Float64Array(n);
  const byTotal = (a: number, b: number) => totalNs[b] - totalNs[a] || a - b;

  // Pre-order with an explicit stack (a 100,000-deep chain is fine): each entry a path, its parent box, x and width.
  // No allocation per path: siblings are sorted in a scratch array (most paths have one child or none).
  const stackPath = new Int32Array(n);
  const stackParent = new Int32Array(n);
  const stackX = new Float64Array(n);
  const stackW = new Float64Array(n);
  const scratch = new Int32Array(n);
  let top = 0;
  /** Pushes `count` paths from `scratch`, laid out from x in a parent box of width w. */
  const push = (count: number, parentBox: number, x: number, w: number) => {
    const ids = scratch.subarray(0, count);
    if (count > 1) {
      ids.sort(byTotal);
    }
    let sum = 0;
    for (let k = 0; k < count; k++) {
      sum += totalNs[ids[k]];
    }
    const base = parentBox >= 0 ? Math.max(totalNs[item[parentBox]], sum) : sum;
    const scale = parentBox < 0 ? 1 : base > 0 ? w / base : 0;
    // laid out left to right, pushed right to left so that the first pops first
    let right = x + sum * scale;
    for (let k = count - 1; k >= 0; k--) {
      const cw = totalNs[ids[k]] * scale;
      right -= cw;
      stackPath[top] = ids[k];
      stackParent[top] = parentBox;
      stackX[top] = right;
      stackW[top] = cw;
      top++;
    }
  };
  scratch.set(tree.roots);
  push(tree.roots.length, -1, 0, 0);
  let max = 0;
  for (let b = 0; b < n; b++) {
    top--;
    const id = stackPath[top];
    const w = stackW[top];
    x0[b] = stackX[top];
    x1[b] = stackX[top] + w;
    max = Math.max(max, x1[b]);
    level[b] = tree.depth[id];
    item[b] = id;
    parent[b] = stackParent[top];
    service[b] = tree.service[id];
    error[b] = tree.errors[id] > 0 ? 1 : 0;
    selfW[b] = totalNs[id] > 0 ? (selfNs[id] * w) / totalNs[id] : 0;
    const count = cOff[id + 1] - cOff[id];
    if (count > 0) {
      scratch.set(cIdx.subarray(cOff[id], cOff[id + 1]));
      push(count, b, x0[b], w);
    }
  }
  return finish('paths', { x0, x1, level, item, parent, service, error, selfW }, tree.maxDepth + 1, 0, max);
}

/** A box's x on screen, CSS pixels. */
export const toPx = (view: FlameView, x: number) => ((x - view.from) * view.width) / (view.to - view.from || 1);

/** The box under a point of the canvas (CSS pixels, `y` including the scroll), -1 for none. Where boxes of a level
 * overlap by a sliver, or boxes narrower than a pixel share one, the last of them (the one drawn on top). */
export function boxAt(layout: FlameLayout, view: FlameView, px: number, y: number): number {
  const l = Math.floor(y / ROW);
  if (l < 0 || l >= layout.levels || px < 0 || px > view.width) {
    return -1;
  }
  const x = view.from + (px / view.width) * (view.to - view.from);
  const { levelBox, levelOffset, levelReach, x0, x1 } = layout;
  // a box narrower than a pixel is hit within that pixel, as it is drawn
  const reaches = (end: number) => end >= x || toPx(view, end) >= px - 1;
  // the last box of the level that starts at or before x
  let lo = levelOffset[l];
  let hi = levelOffset[l + 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x0[levelBox[mid]] <= x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  // back from there while some box before reaches x: a miss over empty space stops at once, not after a walk
  // over a whole level (100,000 boxes of a fan-out)
  for (let k = lo - 1; k >= levelOffset[l] && reaches(levelReach[k]); k--) {
    if (reaches(x1[levelBox[k]])) {
      return levelBox[k];
    }
  }
  return -1;
}

/** The view that shows box `b` across the whole width (zooming into it). A box of 0 ns gets a nanosecond. */
export function zoomTo(layout: FlameLayout, b: number, width: number): FlameView {
  if (b < 0 || b >= layout.n) {
    return { from: layout.min, to: layout.max > layout.min ? layout.max : layout.min + 1, width };
  }
  const from = layout.x0[b];
  return { from, to: layout.x1[b] > from ? layout.x1[b] : from + 1, width };
}

/** The box an arrow key moves to from `b` (-1 when there is none there): up to the parent, down to the first
 * child, left and right to the neighbours on the same level. */
export function neighbour(layout: FlameLayout, b: number, key: 'up' | 'down' | 'left' | 'right'): number {
  if (b < 0 || b >= layout.n) {
    return layout.n > 0 ? 0 : -1;
  }
  switch (key) {
    case 'up':
      return layout.parent[b];
    case 'down':
      return layout.childOffset[b + 1] > layout.childOffset[b] ? layout.childBox[layout.childOffset[b]] : -1;
    case 'left': {
      const k = layout.levelPos[b] - 1;
      return k >= layout.levelOffset[layout.level[b]] ? layout.levelBox[k] : -1;
    }
    case 'right': {
      const k = layout.levelPos[b] + 1;
      return k < layout.levelOffset[layout.level[b] + 1] ? layout.levelBox[k] : -1;
    }
  }
}

/** The boxes from the top down to `b` (the zoom's breadcrumb). */
export function ancestry(layout: FlameLayout, b: number): number[] {
  const out: number[] = [];
  for (let p = b; p >= 0; p = layout.parent[p]) {
    out.push(p);
  }
  return out.reverse();
}
