import { PairIds, pathTree } from './paths';
import { Trace } from './types';

/**
 * Comparing two traces ("what changed between the fast and the slow request?").
 *
 * Spans are matched by their path of service + operation from their root, not by ID (two traces never share
 * span IDs): `gateway:GET /api > core:scan > registry:GET`. Repeated siblings with the same path add up into
 * one node; an orphan (parent not in the trace) is keyed from itself, as the root of its own path.
 */

/** One service + operation, over the whole trace. */
export interface DiffGroup {
  service: string;
  name: string;
  countA: number;
  countB: number;
  /** the sum of the spans' durations, ns */
  durationNsA: number;
  durationNsB: number;
}

/** One path of the merged structure, in A, in B, or in both: its counts and durations are the path's spans'. */
export interface DiffPath extends DiffGroup {
  /** index into `TraceDiff.paths` */
  id: number;
  /** the parent path's id, -1 for a root */
  parent: number;
  depth: number;
  /** the path's longest span in A and in B (index into that trace's `spans`, the first of equals in pre-order), -1
   * where the path is not: the span to open for the path, as the flame graph opens a path's slowest span */
  slowestA: number;
  slowestB: number;
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

/** How a path or a group differs: added (only in B), removed (only in A), changed (in both, with another span
 * count or total duration) or the same. */
export type DiffKind = 'added' | 'removed' | 'changed' | 'same';

/** The one rule for what a difference is, for a path (`DiffPath`) as for a group (`DiffGroup`). */
export function diffKind(x: Pick<DiffPath, 'countA' | 'countB' | 'durationNsA' | 'durationNsB'>): DiffKind {
  if (x.countA === 0) {
    return 'added';
  }
  if (x.countB === 0) {
    return 'removed';
  }
  return x.countA !== x.countB || x.durationNsA !== x.durationNsB ? 'changed' : 'same';
}

/** How many paths of the merged structure are added, removed, changed and the same. */
export function countDiffKinds(diff: TraceDiff): Record<DiffKind, number> {
  const counts: Record<DiffKind, number> = { added: 0, removed: 0, changed: 0, same: 0 };
  for (const p of diff.paths) {
    counts[diffKind(p)]++;
  }
  return counts;
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
 * The merged path structure of `a` and `b` and the flat summary by service + operation. Built on each trace's path
 * tree (`pathTree`, linear in the spans): A's paths keep their ids, then B's are merged in by (merged parent path,
 * operation) in an integer pair table, so the cost beyond the two trees is per path, not per span.
 */
export function diffTraces(a: Trace, b: Trace): TraceDiff {
  const trees = [pathTree(a, null), pathTree(b, null)];
  const capacity = trees[0].size + trees[1].size;
  const serviceIds = new Map<string, number>();
  const serviceNames: string[] = [];
  const nameIds = new Map<string, number>();
  const names: string[] = [];
  // operation id → (service id, name id)
  const ops = new PairIds();
  const opService: number[] = [];
  const opName: number[] = [];
  // merged path id → (parent path id + 1, operation id)
  const pathIds = new PairIds(capacity);
  const pathParent = new Int32Array(capacity);
  const pathOp = new Int32Array(capacity);
  const pathDepth = new Int32Array(capacity);
  const counts = [new Int32Array(capacity), new Int32Array(capacity)];
  const durations = [new Float64Array(capacity), new Float64Array(capacity)];
  // Per side, each path's longest span: a trace's paths map one-to-one onto merged paths, so no comparison here.
  const slowest = [new Int32Array(capacity).fill(-1), new Int32Array(capacity).fill(-1)];

  [a, b].forEach((trace, side) => {
    const tree = trees[side];
    const serviceId = trace.services.map((name) => {
      let id = serviceIds.get(name);
      if (id === undefined) {
        id = serviceNames.length;
        serviceIds.set(name, id);
        serviceNames.push(name);
      }
      return id;
    });
    // per path of this trace, its merged id; parents come before children (ids in pre-order of first appearance)
    const merged = new Int32Array(tree.size);
    for (let id = 0; id < tree.size; id++) {
      const name = tree.name[id];
      let nameId = nameIds.get(name);
      if (nameId === undefined) {
        nameId = names.length;
        nameIds.set(name, nameId);
        names.push(name);
      }
      const service = serviceId[tree.service[id]];
      const op = ops.id(service, nameId);
      opService[op] = service;
      opName[op] = nameId;
      const p = tree.parent[id];
      const parentPath = p >= 0 ? merged[p] : -1;
      const before = pathIds.size;
      const m = pathIds.id(parentPath + 1, op);
      if (m === before) {
        pathParent[m] = parentPath;
        pathOp[m] = op;
        pathDepth[m] = parentPath >= 0 ? pathDepth[parentPath] + 1 : 0;
      }
      merged[id] = m;
      counts[side][m] += tree.count[id];
      durations[side][m] += tree.totalNs[id];
      slowest[side][m] = tree.slowest[id];
    }
  });

  const n = pathIds.size;
  const [countA, countB] = counts;
  const [durA, durB] = durations;
  const paths: DiffPath[] = new Array(n);
  const groups: DiffGroup[] = new Array(ops.size);
  for (let op = 0; op < ops.size; op++) {
    groups[op] = {
      service: serviceNames[opService[op]],
      name: names[opName[op]],
      countA: 0,
      countB: 0,
      durationNsA: 0,
      durationNsB: 0,
    };
  }
  const absDur = new Float64Array(n);
  const absCount = new Float64Array(n);
  for (let id = 0; id < n; id++) {
    const g = groups[pathOp[id]];
    paths[id] = {
      id,
      parent: pathParent[id],
      depth: pathDepth[id],
      service: g.service,
      name: g.name,
      countA: countA[id],
      countB: countB[id],
      durationNsA: durA[id],
      durationNsB: durB[id],
      slowestA: slowest[0][id],
      slowestB: slowest[1][id],
    };
    g.countA += countA[id];
    g.countB += countB[id];
    g.durationNsA += durA[id];
    g.durationNsB += durB[id];
    absDur[id] = Math.abs(durB[id] - durA[id]);
    absCount[id] = Math.abs(countB[id] - countA[id]);
  }

  const byDifference = Array.from({ length: n }, (_, id) => id);
  byDifference.sort((x, y) => absDur[y] - absDur[x] || absCount[y] - absCount[x] || x - y);

  const added: DiffGroup[] = [];
  const removed: DiffGroup[] = [];
  const changed: DiffGroup[] = [];
  const lists: Record<Exclude<DiffKind, 'same'>, DiffGroup[]> = { added, removed, changed };
  for (const g of groups) {
    const kind = diffKind(g);
    if (kind !== 'same') {
      lists[kind].push(g);
    }
  }
  added.sort(byGroupDifference);
  removed.sort(byGroupDifference);
  changed.sort(byGroupDifference);
  return { paths, byDifference, added, removed, changed };
}
