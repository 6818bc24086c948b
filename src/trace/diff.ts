import { PairIds } from './paths';
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

/** A growable column of numbers. */
function grown<T extends Int32Array | Float64Array>(array: T, need: number): T {
  if (need <= array.length) {
    return array;
  }
  const next = new (array.constructor as new (n: number) => T)(Math.max(need, array.length * 2));
  next.set(array);
  return next;
}

/**
 * The merged path structure of `a` and `b` and the flat summary by service + operation. Linear in the spans:
 * a span's path is interned from its parent's path id and its operation's id (service + name, interned once per
 * distinct name), never from the path's text, which a 100,000-deep chain would make quadratic.
 */
export function diffTraces(a: Trace, b: Trace): TraceDiff {
  const serviceIds = new Map<string, number>();
  const serviceNames: string[] = [];
  const nameIds = new Map<string, number>();
  const names: string[] = [];
  // operation id → (service id, name id)
  const ops = new PairIds();
  let opService = new Int32Array(256);
  let opName = new Int32Array(256);
  // path id → (parent path id + 1, operation id)
  const pathIds = new PairIds();
  let pathParent = new Int32Array(1024);
  let pathOp = new Int32Array(1024);
  let pathDepth = new Int32Array(1024);
  const counts = [new Int32Array(1024), new Int32Array(1024)];
  const durations = [new Float64Array(1024), new Float64Array(1024)];

  const add = (trace: Trace, side: 0 | 1) => {
    const { order, parent, start, end, serviceIndex, services, spans } = trace;
    const serviceId = services.map((name) => {
      let id = serviceIds.get(name);
      if (id === undefined) {
        id = serviceNames.length;
        serviceIds.set(name, id);
        serviceNames.push(name);
      }
      return id;
    });
    // per span, its path's id; parents come before children in pre-order
    const pathOf = new Int32Array(spans.length);
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      const name = spans[i].name;
      let nameId = nameIds.get(name);
      if (nameId === undefined) {
        nameId = names.length;
        nameIds.set(name, nameId);
        names.push(name);
      }
      const service = serviceId[serviceIndex[i]];
      const op = ops.id(service, nameId);
      if (op >= opService.length) {
        opService = grown(opService, op + 1);
        opName = grown(opName, op + 1);
      }
      opService[op] = service;
      opName[op] = nameId;
      const p = parent[i];
      const parentPath = p >= 0 ? pathOf[p] : -1;
      const before = pathIds.size;
      const id = pathIds.id(parentPath + 1, op);
      if (id === before) {
        if (id >= pathParent.length) {
          pathParent = grown(pathParent, id + 1);
          pathOp = grown(pathOp, id + 1);
          pathDepth = grown(pathDepth, id + 1);
          for (const c of [0, 1]) {
            counts[c] = grown(counts[c], id + 1);
            durations[c] = grown(durations[c], id + 1);
          }
        }
        pathParent[id] = parentPath;
        pathOp[id] = op;
        pathDepth[id] = parentPath >= 0 ? pathDepth[parentPath] + 1 : 0;
      }
      pathOf[i] = id;
      counts[side][id]++;
      durations[side][id] += Math.max(0, end[i] - start[i]);
    }
  };
  add(a, 0);
  add(b, 1);

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
  for (const g of groups) {
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
