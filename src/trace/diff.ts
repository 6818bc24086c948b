import { Trace } from './types';

/**
 * Comparing two traces ("what changed between the fast and the slow request?").
 *
 * Spans are matched by their path of service + operation from their root, not by ID (two traces never share
 * span IDs): `gateway:GET /api > core:scan > registry:GET`. Repeated siblings with the same path add up into
 * one node; an orphan (parent not in the trace) is keyed from itself, as the root of its own path.
 */

/** One path of the merged structure, in A, in B, or in both. */
export interface DiffPath {
  /** index into `TraceDiff.paths` */
  id: number;
  /** the parent path's id, -1 for a root */
  parent: number;
  depth: number;
  service: string;
  name: string;
  countA: number;
  countB: number;
  /** the sum of the spans' durations on this path, ns */
  durationNsA: number;
  durationNsB: number;
}

/** One service + operation, over the whole trace. */
export interface DiffGroup {
  service: string;
  name: string;
  countA: number;
  countB: number;
  durationNsA: number;
  durationNsB: number;
}

export interface TraceDiff {
  /** every path, parents before children (A's pre-order, then paths new in B) */
  paths: DiffPath[];
  /** ids of `paths` by the largest absolute duration difference, then count difference, then pre-order */
  byDifference: number[];
  /** service + operation in B only, most spans first */
  added: DiffGroup[];
  /** service + operation in A only, most spans first */
  removed: DiffGroup[];
  /** in both, with a different span count or total duration; largest duration difference first */
  changed: DiffGroup[];
}

/** The path of `id` as text, `gateway:GET /api > core:scan`; past `maxSegments`, the top ones become `…`. */
export function diffPathLabel(diff: TraceDiff, id: number, maxSegments = Infinity): string {
  const parts: string[] = [];
  for (let p = id; p >= 0; p = diff.paths[p].parent) {
    if (parts.length >= maxSegments) {
      parts.push('…');
      break;
    }
    parts.push(`${diff.paths[p].service}:${diff.paths[p].name}`);
  }
  return parts.reverse().join(' > ');
}

function byGroupDifference(a: DiffGroup, b: DiffGroup): number {
  return (
    Math.abs(b.durationNsB - b.durationNsA) - Math.abs(a.durationNsB - a.durationNsA) ||
    Math.abs(b.countB - b.countA) - Math.abs(a.countB - a.countA) ||
    (a.service < b.service ? -1 : a.service > b.service ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * The merged path structure of `a` and `b` and the flat summary by service + operation. Linear in the spans:
 * each span's path is interned from its parent's path id and its own service and name (never the full path
 * text, which a 100,000-deep chain would make quadratic).
 */
export function diffTraces(a: Trace, b: Trace): TraceDiff {
  const paths: DiffPath[] = [];
  const pathIds = new Map<string, number>();
  const groups = new Map<string, DiffGroup>();

  const add = (trace: Trace, inB: boolean) => {
    const { order, parent, start, end, serviceIndex, services, spans } = trace;
    // per span, its path's id; parents come before children in pre-order
    const pathOf = new Int32Array(spans.length);
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      const p = parent[i];
      const parentPath = p >= 0 ? pathOf[p] : -1;
      const service = services[serviceIndex[i]];
      const name = spans[i].name;
      // \u0000 cannot be confused with text in a name: a key names exactly one (parent, service, name)
      const key = `${parentPath}\u0000${service}\u0000${name}`;
      let id = pathIds.get(key);
      let path: DiffPath;
      if (id === undefined) {
        id = paths.length;
        pathIds.set(key, id);
        path = {
          id,
          parent: parentPath,
          depth: parentPath >= 0 ? paths[parentPath].depth + 1 : 0,
          service,
          name,
          countA: 0,
          countB: 0,
          durationNsA: 0,
          durationNsB: 0,
        };
        paths.push(path);
      } else {
        path = paths[id];
      }
      pathOf[i] = id;
      const duration = Math.max(0, end[i] - start[i]);
      const groupKey = `${service}\u0000${name}`;
      let group = groups.get(groupKey);
      if (group === undefined) {
        group = { service, name, countA: 0, countB: 0, durationNsA: 0, durationNsB: 0 };
        groups.set(groupKey, group);
      }
      if (inB) {
        path.countB++;
        path.durationNsB += duration;
        group.countB++;
        group.durationNsB += duration;
      } else {
        path.countA++;
        path.durationNsA += duration;
        group.countA++;
        group.durationNsA += duration;
      }
    }
  };
  add(a, false);
  add(b, true);

  const byDifference = paths.map((p) => p.id);
  byDifference.sort((x, y) => {
    const p = paths[x];
    const q = paths[y];
    return (
      Math.abs(q.durationNsB - q.durationNsA) - Math.abs(p.durationNsB - p.durationNsA) ||
      Math.abs(q.countB - q.countA) - Math.abs(p.countB - p.countA) ||
      x - y
    );
  });

  const added: DiffGroup[] = [];
  const removed: DiffGroup[] = [];
  const changed: DiffGroup[] = [];
  for (const g of groups.values()) {
    if (g.countA === 0) {
      added.push(g);
    } else if (g.countB === 0) {
      removed.push(g);
    } else if (g.countA !== g.countB || g.durationNsA !== g.durationNsB) {
      changed.push(g);
    }
  }
  added.sort(byGroupDifference);
  removed.sort(byGroupDifference);
  changed.sort(byGroupDifference);
  return { paths, byDifference, added, removed, changed };
}
