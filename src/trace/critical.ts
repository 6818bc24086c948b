import { SKEW_TOLERANCE_NS } from './tree';
import { SpanFlag, Trace } from './types';

export interface CriticalSection {
  span: number;
  startNs: number;
  endNs: number;
}

export interface CriticalPath {
  /** spans on the path, in pre-order (parents before the children they waited for) */
  spans: Int32Array;
  /** the time on each span that determined the end-to-end duration, in time order */
  sections: CriticalSection[];
}

/**
 * The critical path from `root` (the trace's main root by default), after the algorithm of Jaeger
 * UI: walk back from the root's end; at each span, the child that finished last before the
 * current point is what the span waited for, so descend into it; when a span has no such child,
 * its own time up to that point is critical and the walk returns to its parent at its start.
 *
 * Asynchronous children (FOLLOWS_FROM, CONSUMER under PRODUCER) and their subtrees do not block
 * and are left out; children are clipped to their parent's window. A child that ends at most
 * SKEW_TOLERANCE_NS after the point the walk has reached still counts as finished before it: SDKs
 * round start times to the millisecond (OpenTelemetry JS does), so back-to-back calls seem to
 * overlap by a fraction of one, and the earlier call must not drop off the path. Iterative, O(n + k log k) over
 * the sibling groups on the path.
 */
export function criticalPath(trace: Trace, root = trace.root): CriticalPath {
  const n = trace.spans.length;
  if (root < 0 || n === 0) {
    return { spans: new Int32Array(0), sections: [] };
  }
  const { start, end, parent, childOffset, childIndex, spanFlags, order, orderPos } = trace;

  // Clipped windows, top-down over the root's subtree; async subtrees and spans entirely outside
  // their parent's window get an empty window (cs > ce) and are skipped.
  const cs = new Float64Array(n);
  const ce = new Float64Array(n);
  const first = orderPos[root];
  const last = first + trace.subtreeSize[root];
  cs[root] = start[root];
  ce[root] = Math.max(start[root], end[root]);
  for (let k = first + 1; k < last; k++) {
    const v = order[k];
    const p = parent[v];
    if ((spanFlags[v] & SpanFlag.Async) !== 0 || cs[p] > ce[p]) {
      cs[v] = 1;
      ce[v] = 0;
      continue;
    }
    cs[v] = Math.max(start[v], cs[p]);
    ce[v] = Math.min(Math.max(start[v], end[v]), ce[p]);
  }

  // Per span on the path: its usable children sorted by clipped end, descending, and a cursor.
  const sortedKids = new Map<number, Int32Array>();
  const cursor = new Map<number, number>();
  const kidsOf = (v: number): Int32Array => {
    let kids = sortedKids.get(v);
    if (!kids) {
      const list: number[] = [];
      for (let k = childOffset[v]; k < childOffset[v + 1]; k++) {
        const c = childIndex[k];
        if (cs[c] <= ce[c]) {
          list.push(c);
        }
      }
      kids = Int32Array.from(list).sort((a, b) => ce[b] - ce[a] || cs[b] - cs[a] || a - b);
      sortedKids.set(v, kids);
      cursor.set(v, 0);
    }
    return kids;
  };

  const sections: CriticalSection[] = [];
  const onPath = new Uint8Array(n);
  let v = root;
  let bound = ce[root];
  for (;;) {
    onPath[v] = 1;
    const kids = kidsOf(v);
    let c = cursor.get(v) ?? 0;
    while (c < kids.length && ce[kids[c]] > bound + SKEW_TOLERANCE_NS) {
      c++;
    }
    if (c < kids.length) {
      const child = kids[c];
      cursor.set(v, c + 1);
      if (bound > ce[child]) {
        sections.push({ span: v, startNs: ce[child], endNs: bound });
      }
      v = child;
      // A child overlapping the point by less than the tolerance is cut there: sections never overlap.
      bound = Math.min(ce[child], bound);
      continue;
    }
    cursor.set(v, c);
    if (bound > cs[v]) {
      sections.push({ span: v, startNs: cs[v], endNs: bound });
    }
    if (v === root) {
      break;
    }
    bound = cs[v];
    v = parent[v];
  }
  sections.reverse();

  let count = 0;
  for (let i = 0; i < n; i++) {
    count += onPath[i];
  }
  const spans = new Int32Array(count);
  let w = 0;
  for (let k = first; k < last; k++) {
    if (onPath[order[k]] === 1) {
      spans[w++] = order[k];
    }
  }
  return { spans, sections };
}
