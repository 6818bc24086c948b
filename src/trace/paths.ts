import { StatusCode, Trace } from './types';
import { selfTimes } from './stats';
import { csrChildren } from './csr';

/**
 * The aggregated tree of service + operation paths from the root (`gateway:GET /api > core:scan`): every span
 * on one path, wherever it sits among its siblings, adds to one node, so a loop of 500 identical database calls
 * is one node with a count of 500. An orphan (parent not in the trace) and a cut cycle start a path of their own
 * at depth 0. The flame graph's "by service + operation" view and the diff of two traces (`diff.ts`) use it.
 */
export interface PathTree {
  /** the number of paths; ids are 0 .. size - 1, in order of first appearance in the trace's pre-order */
  size: number;
  /** the parent path's id, -1 for a root path */
  parent: Int32Array;
  depth: Int32Array;
  /** index into `trace.services` */
  service: Int32Array;
  /** the operation (span name) of each path */
  name: string[];
  /** spans on the path */
  count: Int32Array;
  /** the sum of the spans' durations (each clamped at 0), ns */
  totalNs: Float64Array;
  /** the sum of the spans' self times (`selfTimes`), ns */
  selfNs: Float64Array;
  /** spans with status ERROR */
  errors: Int32Array;
  /** the path's longest span (the first of equals in pre-order): the one to show for the path */
  slowest: Int32Array;
  /** per span (index into `trace.spans`), its path's id */
  spanPath: Int32Array;
  /** root paths, by first appearance */
  roots: Int32Array;
  /** children in CSR form, by first appearance: `childIndex[childOffset[id] .. childOffset[id + 1])` */
  childOffset: Int32Array;
  childIndex: Int32Array;
  maxDepth: number;
}

/**
 * (a, b) pairs of non-negative integers to dense ids 0, 1, 2, ...: open addressing over typed arrays, so that the
 * hot loop builds no strings and no `Map` keys (a string key per span cost the diff's 300 ms budget at 100,000
 * spans). Shared with diff.ts.
 */
export class PairIds {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;

  /** `expected`: about how many pairs will come, so that the table need not grow (and rehash) on the way. */
  constructor(expected = 0) {
    let size = 1024;
    while (size < expected * 2 + 2) {
      size *= 2;
    }
    this.keysA = new Int32Array(size).fill(-1);
    this.keysB = new Int32Array(size);
    this.ids = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The pair's id, a new one (`size` before the call) when it was not there. */
  id(a: number, b: number): number {
    let slot = this.slot(a, b);
    if (this.keysA[slot] === -1) {
      if ((this.size + 1) * 2 > this.mask) {
        this.grow();
        slot = this.slot(a, b);
      }
      this.keysA[slot] = a;
      this.keysB[slot] = b;
      this.ids[slot] = this.size;
      return this.size++;
    }
    return this.ids[slot];
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let slot = h & this.mask;
    while (this.keysA[slot] !== -1 && (this.keysA[slot] !== a || this.keysB[slot] !== b)) {
      slot = (slot + 1) & this.mask;
    }
    return slot;
  }

  private grow(): void {
    const { keysA, keysB, ids } = this;
    const size = keysA.length * 2;
    this.keysA = new Int32Array(size).fill(-1);
    this.keysB = new Int32Array(size);
    this.ids = new Int32Array(size);
    this.mask = size - 1;
    for (let k = 0; k < keysA.length; k++) {
      if (keysA[k] !== -1) {
        const slot = this.slot(keysA[k], keysB[k]);
        this.keysA[slot] = keysA[k];
        this.keysB[slot] = keysB[k];
        this.ids[slot] = ids[k];
      }
    }
  }
}

/**
 * The path tree of `trace`. Linear in the spans: a span's path is interned from its parent's path id and its
 * operation (service index, interned name), never from the path's text, so a 100,000-deep chain stays linear.
 * `self` may pass self times already computed (`selfTimes(trace)`), or null for none (`selfNs` stays 0: the diff).
 */
export function pathTree(trace: Trace, self: Float64Array | null = selfTimes(trace)): PathTree {
  const { order, parent: spanParent, start, end, serviceIndex, statusCode, spans } = trace;
  const n = spans.length;
  const nameIds = new Map<string, number>();
  const ops = new PairIds();
  const paths = new PairIds(n);
  // Sized for the worst case (every span its own path), trimmed at the end: one allocation, no growing.
  const parent = new Int32Array(n);
  const depth = new Int32Array(n);
  const service = new Int32Array(n);
  const name: string[] = [];
  const count = new Int32Array(n);
  const totalNs = new Float64Array(n);
  const selfNs = new Float64Array(n);
  const errors = new Int32Array(n);
  const slowest = new Int32Array(n);
  const slowestNs = new Float64Array(n);
  const spanPath = new Int32Array(n);
  let maxDepth = 0;

  // Names interned in span order first: reading the span objects in memory order, not the tree's, halves the
  // time of this pass at 100,000 spans.
  const nameOf = new Int32Array(n);
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const spanName = spans[i].name;
    let nameId = nameIds.get(spanName);
    if (nameId === undefined) {
      nameId = names.length;
      nameIds.set(spanName, nameId);
      names.push(spanName);
    }
    nameOf[i] = nameId;
  }

  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const op = ops.id(serviceIndex[i], nameOf[i]);
    const p = spanParent[i];
    const parentPath = p >= 0 ? spanPath[p] : -1;
    const before = paths.size;
    const id = paths.id(parentPath + 1, op);
    const d = Math.max(0, end[i] - start[i]);
    if (id === before) {
      parent[id] = parentPath;
      depth[id] = parentPath >= 0 ? depth[parentPath] + 1 : 0;
      if (depth[id] > maxDepth) {
        maxDepth = depth[id];
      }
      service[id] = serviceIndex[i];
      name.push(names[nameOf[i]]);
      slowest[id] = i;
      slowestNs[id] = d;
    } else if (d > slowestNs[id]) {
      slowest[id] = i;
      slowestNs[id] = d;
    }
    spanPath[i] = id;
    count[id]++;
    totalNs[id] += d;
    if (self) {
      selfNs[id] += Math.max(0, self[i]);
    }
    if (statusCode[i] === StatusCode.Error) {
      errors[id]++;
    }
  }

  const size = paths.size;
  // Children by first appearance: ids grow in pre-order, so children in id order are in that order.
  const { offset: childOffset, index: childIndex, roots } = csrChildren(parent, size);

  return {
    size,
    parent: parent.slice(0, size),
    depth: depth.slice(0, size),
    service: service.slice(0, size),
    name,
    count: count.slice(0, size),
    totalNs: totalNs.slice(0, size),
    selfNs: selfNs.slice(0, size),
    errors: errors.slice(0, size),
    slowest: slowest.slice(0, size),
    spanPath,
    roots,
    childOffset,
    childIndex,
    maxDepth,
  };
}

/** The path of `id` as text, `gateway:GET /api > core:scan`; past `maxSegments`, the top ones become `…`. */
export function pathLabel(trace: Trace, tree: PathTree, id: number, maxSegments = Infinity): string {
  const parts: string[] = [];
  for (let p = id; p >= 0; p = tree.parent[p]) {
    if (parts.length >= maxSegments) {
      parts.push('…');
      break;
    }
    parts.push(`${trace.services[tree.service[p]]}:${tree.name[p]}`);
  }
  return parts.reverse().join(' > ');
}
