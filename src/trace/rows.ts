import { Trace } from './types';

/**
 * The waterfall's visible rows. Collapsed state is a byte per span (1 = collapsed) so that a
 * click on a 100k-span trace recomputes the rows in one pass over the pre-order, jumping over
 * collapsed subtrees.
 */
export type Collapsed = Uint8Array | ReadonlySet<number>;

/** Span indices of the visible rows, in display order. `collapsed` holds span indices. */
export function visibleRows(trace: Trace, collapsed?: Collapsed): Int32Array {
  const { order, subtreeSize } = trace;
  const n = order.length;
  if (!collapsed || (collapsed instanceof Uint8Array ? false : collapsed.size === 0)) {
    return order.slice();
  }
  const out = new Int32Array(n);
  let count = 0;
  let pos = 0;
  if (collapsed instanceof Uint8Array) {
    while (pos < n) {
      const v = order[pos];
      out[count++] = v;
      pos += collapsed[v] === 1 ? subtreeSize[v] : 1;
    }
  } else {
    while (pos < n) {
      const v = order[pos];
      out[count++] = v;
      pos += collapsed.has(v) ? subtreeSize[v] : 1;
    }
  }
  return out.slice(0, count);
}

/** Collapse every span that has children: only the roots stay visible. */
export function collapseAll(trace: Trace): Uint8Array {
  const n = trace.spans.length;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (trace.subtreeSize[i] > 1) {
      mask[i] = 1;
    }
  }
  return mask;
}

/** Nothing collapsed. */
export function expandAll(trace: Trace): Uint8Array {
  return new Uint8Array(trace.spans.length);
}

/** Collapse spans at depth `depth` (roots at 0) that have children: rows down to that depth show. */
export function collapseToDepth(trace: Trace, depth: number): Uint8Array {
  const n = trace.spans.length;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (trace.depth[i] === depth && trace.subtreeSize[i] > 1) {
      mask[i] = 1;
    }
  }
  return mask;
}

/** Toggle one span in a mask (returns a new mask, leaving the old one to React state). */
export function toggleCollapsed(mask: Uint8Array, span: number): Uint8Array {
  const next = mask.slice();
  next[span] = next[span] === 1 ? 0 : 1;
  return next;
}

/** Collapsed ancestors of `span` cleared so that it is visible (e.g. a search hit). */
export function revealSpan(trace: Trace, mask: Uint8Array, span: number): Uint8Array {
  const next = mask.slice();
  for (let p = trace.parent[span]; p >= 0; p = trace.parent[p]) {
    next[p] = 0;
  }
  return next;
}

/** `filterMarks` values: the span is a filter's member, or only on the way to one. */
export const FILTER_MEMBER = 2;
export const FILTER_ANCESTOR = 1;

/**
 * A timeline filter's mask: FILTER_MEMBER at each of `spans`, FILTER_ANCESTOR at their ancestors that are
 * not members themselves (kept so the rows still read as a tree), 0 elsewhere. One walk up per member,
 * stopping at the first marked ancestor, so the whole mask is O(spans).
 */
export function filterMarks(trace: Trace, spans: Int32Array): Uint8Array {
  const { parent } = trace;
  const n = trace.spans.length;
  const marks = new Uint8Array(n);
  for (let k = 0; k < spans.length; k++) {
    const s = spans[k];
    if (s >= 0 && s < n) {
      marks[s] = FILTER_MEMBER;
    }
  }
  for (let k = 0; k < spans.length; k++) {
    const s = spans[k];
    if (s < 0 || s >= n) {
      continue;
    }
    for (let p = parent[s]; p >= 0 && marks[p] === 0; p = parent[p]) {
      marks[p] = FILTER_ANCESTOR;
    }
  }
  return marks;
}

/** The rows of `rows` (span indices) that a mask keeps (any non-zero mark), in the same order. */
export function keepMarked(rows: Int32Array, marks: Uint8Array): Int32Array {
  let w = 0;
  const out = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    if (marks[rows[r]] !== 0) {
      out[w++] = rows[r];
    }
  }
  return out.slice(0, w);
}
