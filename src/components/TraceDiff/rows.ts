import { TraceDiff, diffKind } from '../../trace';
import { formatDuration } from '../TraceHeader/format';

/**
 * How the merged structure is listed: which paths, in which order, and the signed formats. Views of `diffTraces`'
 * answer only; what a difference is (`diffKind`, `countDiffKinds`, the groups, the order by difference) is decided in
 * src/trace/diff.ts.
 */

export type DiffOrder = 'difference' | 'tree';

/**
 * Every path in the merged tree's pre-order, children in `paths` order (A's start order, then B's new ones).
 * `paths` alone is not a pre-order of the merge: a path only B has is appended after all of A's, away from its
 * parent. Iterative, so a 100,000-deep chain is fine.
 */
export function treeOrder(diff: TraceDiff): Int32Array {
  const n = diff.paths.length;
  // Children in CSR form: counts, offsets, then the ids in path order.
  const offset = new Int32Array(n + 1);
  for (const p of diff.paths) {
    if (p.parent >= 0) {
      offset[p.parent + 1]++;
    }
  }
  for (let i = 0; i < n; i++) {
    offset[i + 1] += offset[i];
  }
  const fill = offset.slice(0, n);
  const children = new Int32Array(n);
  const roots: number[] = [];
  for (const p of diff.paths) {
    if (p.parent >= 0) {
      children[fill[p.parent]++] = p.id;
    } else {
      roots.push(p.id);
    }
  }
  const out = new Int32Array(n);
  let k = 0;
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) {
    stack.push(roots[r]);
  }
  while (stack.length > 0) {
    const id = stack.pop()!;
    out[k++] = id;
    for (let c = offset[id + 1] - 1; c >= offset[id]; c--) {
      stack.push(children[c]);
    }
  }
  return out;
}

/** Per path id, how many paths its subtree holds (itself included), from the tree order. */
export function subtreeSizes(diff: TraceDiff, order: Int32Array): Int32Array {
  const size = new Int32Array(diff.paths.length).fill(1);
  for (let k = order.length - 1; k >= 0; k--) {
    const parent = diff.paths[order[k]].parent;
    if (parent >= 0) {
      size[parent] += size[order[k]];
    }
  }
  return size;
}

/**
 * The ids to list as the tree: the subtrees of `collapsed` paths left out; with `onlyDifferences`, the paths that
 * differ and their ancestors (so that a changed call keeps its place in the tree).
 */
export function listedTree(
  diff: TraceDiff,
  order: Int32Array,
  sizes: Int32Array,
  onlyDifferences: boolean,
  collapsed: ReadonlySet<number>
): number[] {
  let keep: Uint8Array | undefined;
  if (onlyDifferences) {
    keep = new Uint8Array(diff.paths.length);
    for (let k = order.length - 1; k >= 0; k--) {
      const p = diff.paths[order[k]];
      if (keep[p.id] || diffKind(p) !== 'same') {
        keep[p.id] = 1;
        if (p.parent >= 0) {
          keep[p.parent] = 1;
        }
      }
    }
  }
  const out: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const id = order[k];
    if (keep && !keep[id]) {
      // nothing below differs either
      k += sizes[id] - 1;
      continue;
    }
    out.push(id);
    if (collapsed.has(id)) {
      k += sizes[id] - 1;
    }
  }
  return out;
}

/** The ids to list, in `order`, all of them or only those that differ. */
export function listedPaths(diff: TraceDiff, order: Int32Array | number[], onlyDifferences: boolean): number[] {
  const out: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const id = order[k];
    if (!onlyDifferences || diffKind(diff.paths[id]) !== 'same') {
      out.push(id);
    }
  }
  return out;
}

export type Change = 'slower' | 'faster' | 'same';

/** B against A: slower when B took longer. */
export function changeOf(durationNsA: number, durationNsB: number): Change {
  return durationNsB > durationNsA ? 'slower' : durationNsB < durationNsA ? 'faster' : 'same';
}

/**
 * A duration difference with its sign and an arrow, so it reads without its colour: `▲ +12.3 ms`,
 * `▼ −850 µs`, `= 0`.
 */
export function formatDelta(durationNsA: number, durationNsB: number): string {
  const delta = durationNsB - durationNsA;
  if (delta === 0) {
    return '= 0';
  }
  return delta > 0 ? `▲ +${formatDuration(delta)}` : `▼ −${formatDuration(-delta)}`;
}

/** The same in words, for screen readers and tooltips. */
export function describeDelta(durationNsA: number, durationNsB: number): string {
  const delta = durationNsB - durationNsA;
  if (delta === 0) {
    return 'the same total duration in A and B';
  }
  return `${delta > 0 ? 'slower' : 'faster'} in B by ${formatDuration(Math.abs(delta))}`;
}

/** A count difference, signed: `+3`, `−1`, or '' when equal. */
export function formatCountDelta(countA: number, countB: number): string {
  const d = countB - countA;
  return d === 0 ? '' : d > 0 ? `+${d}` : `−${-d}`;
}
