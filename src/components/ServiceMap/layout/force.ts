import {
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  forceX,
  forceY,
  type SimulationLinkDatum,
  type SimulationNodeDatum,
} from 'd3-force';

import type { LayoutNode, LayoutPoint } from './types';

/**
 * Force-directed layout for large maps (d3-force, Barnes–Hut many-body), tuned for 1,000 nodes and 5,000 edges
 * within the 1 s budget: a fixed number of ticks from a good start rather than a run to rest. The start is layered:
 * callers left of callees (rank = distance from the map's entry points), so the call direction still reads left to
 * right, and a weak pull toward each rank's column keeps it. Grouped (by namespace), each group is laid out on its
 * own and the blocks are packed (groupsInBoxes). With earlier positions for most nodes, only a short, cool run from
 * them moves what changed (grouped, only calls inside a namespace pull then).
 */
export interface ForceOptions {
  previous?: Record<string, LayoutPoint>;
  /** above this share of nodes without an earlier position, lay out from scratch */
  maxNewShare?: number;
  /** tuning knobs, for the bench and tests; the defaults are the measured choice */
  tuning?: Partial<typeof TUNING>;
}

interface SimNode extends SimulationNodeDatum {
  index: number;
  r: number;
  group: number;
  /** where the node is pulled to: its group's block, its rank's column in it */
  tx: number;
  ty: number;
}

const INCREMENTAL_ALPHA = 0.1;
const ALPHA_MIN = 0.001;
const TUNING = {
  ticks: 100,
  incrementalTicks: 60,
  /** ticks at the end that also push overlapping nodes apart (forceCollide is the costliest force per tick) */
  collideTicks: 20,
  collideIterations: 2,
  /** many-body strength, times -30 at a 30 px unit */
  charge: 4,
  /** Barnes–Hut approximation: 1.2 measured faster than 0.9, with the same overlaps and edge lengths */
  theta: 1.2,
  /** pull toward each node's target: grouped (from earlier positions, and inside a group's own layout), else */
  groupPull: 0.3,
  pull: 0.03,
  /** room per node in a group's block, in units (node diameters) */
  cell: 2.2,
};

/** mulberry32: the layout's only randomness (jitter), seeded so that the same input gives the same layout */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rank of each node: 0 for entry points (no callers), else one more than its nearest caller's, by BFS. */
export function callRanks(n: number, out: number[][], inDegree: number[]): number[] {
  const rank = new Array<number>(n).fill(-1);
  // One queue for every visit, read by an index: shift() would copy the array each time (O(n²) at 1,000 nodes).
  const queue: number[] = [];
  let head = 0;
  const visit = (start: number) => {
    rank[start] = 0;
    queue.push(start);
    while (head < queue.length) {
      const v = queue[head++];
      for (const w of out[v]) {
        if (rank[w] < 0) {
          rank[w] = rank[v] + 1;
          queue.push(w);
        }
      }
    }
  };
  for (let i = 0; i < n; i++) {
    if (inDegree[i] === 0 && rank[i] < 0) {
      visit(i);
    }
  }
  // What is left sits on cycles with no entry: start from its first node (nodes are sorted by id).
  for (let i = 0; i < n; i++) {
    if (rank[i] < 0) {
      visit(i);
    }
  }
  return rank;
}

export function forcePositions(
  nodes: LayoutNode[],
  edges: Array<{ s: number; t: number }>,
  options: ForceOptions = {}
): Record<string, LayoutPoint> {
  const k = { ...TUNING, ...options.tuning };
  const n = nodes.length;
  const previous = options.previous;
  const known = previous ? nodes.filter((node) => isPoint(previous[node.id])).length : 0;
  const incremental = previous !== undefined && n > 0 && (n - known) / n <= (options.maxNewShare ?? 0.3);
  if (!incremental && new Set(nodes.map((node) => node.group)).size > 1) {
    return groupsInBoxes(nodes, edges, options);
  }
  const out: number[][] = nodes.map(() => []);
  const inDegree = new Array<number>(n).fill(0);
  for (const e of edges) {
    out[e.s].push(e.t);
    inDegree[e.t]++;
  }
  const rank = callRanks(n, out, inDegree);
  const groupIds = new Map<string, number>();
  const sims: SimNode[] = nodes.map((node, index) => {
    let group = -1;
    if (node.group !== undefined) {
      group = groupIds.get(node.group) ?? groupIds.size;
      groupIds.set(node.group, group);
    }
    return { index, r: Math.hypot(node.width, node.height) / 2, group, tx: 0, ty: 0 };
  });
  // Unit length: a typical node's diameter. Distances scale with it, the many-body strength with its square.
  const unit = Math.max(1, (2 * sims.reduce((s, x) => s + x.r, 0)) / Math.max(1, n));
  const scale = unit / 30;
  const grouped = groupIds.size > 1;
  const neighbours = neighboursOf(n, edges);
  assignTargets(sims, rank, grouped ? groupIds.size : 0, neighbours, unit * k.cell);

  const random = rng(0x5eed ^ n);
  if (incremental) {
    placeFromPrevious(sims, nodes, neighbours, previous!, unit, random);
    // Pulled to where they are, not to blocks packed afresh: a group that grew must not move the others.
    for (const s of sims) {
      s.tx = s.x!;
      s.ty = s.y!;
    }
  } else {
    for (const s of sims) {
      s.x = s.tx + (random() - 0.5) * unit * 4;
      s.y = s.ty + (random() - 0.5) * unit * 4;
    }
  }

  // Grouped, only calls inside a namespace pull (as in groupsInBoxes): a call to another namespace must not drag a
  // node out of its own.
  const links: Array<SimulationLinkDatum<SimNode>> = edges
    .filter((e) => e.s !== e.t && (!grouped || sims[e.s].group === sims[e.t].group))
    .map((e) => ({ source: e.s, target: e.t }));
  const ticks = incremental ? k.incrementalTicks : k.ticks;
  const alpha = incremental ? INCREMENTAL_ALPHA : 1;
  const sim = forceSimulation<SimNode>(sims)
    .stop()
    .randomSource(random)
    .alpha(alpha)
    .alphaMin(ALPHA_MIN)
    .alphaDecay(1 - Math.pow(ALPHA_MIN / alpha, 1 / ticks))
    .force(
      'link',
      forceLink<SimNode, SimulationLinkDatum<SimNode>>(links)
        .distance((l) => (l.source as SimNode).r + (l.target as SimNode).r + unit * 0.5)
        .iterations(1)
    )
    .force(
      'charge',
      forceManyBody<SimNode>()
        .strength(-30 * scale * scale * k.charge)
        .theta(k.theta)
    )
    .force('x', forceX<SimNode>((d) => d.tx).strength(grouped ? k.groupPull : k.pull))
    .force('y', forceY<SimNode>((d) => d.ty).strength(grouped ? k.groupPull : k.pull));
  sim.tick(Math.max(0, ticks - k.collideTicks));
  sim.force('collide', forceCollide<SimNode>((d) => d.r + 2).iterations(k.collideIterations));
  sim.tick(Math.min(ticks, k.collideTicks));

  const positions: Record<string, LayoutPoint> = {};
  for (const s of sims) {
    positions[nodes[s.index].id] = { x: s.x ?? 0, y: s.y ?? 0 };
  }
  return positions;
}

/** The box around the nodes (each centred on its position); all zero when there are none. */
export function boundsOf(
  nodes: LayoutNode[],
  positions: Record<string, LayoutPoint>
): { x: number; y: number; width: number; height: number } {
  if (nodes.length === 0) {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of nodes) {
    const p = positions[n.id];
    x0 = Math.min(x0, p.x - n.width / 2);
    y0 = Math.min(y0, p.y - n.height / 2);
    x1 = Math.max(x1, p.x + n.width / 2);
    y1 = Math.max(y1, p.y + n.height / 2);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function isPoint(p: LayoutPoint | undefined): p is LayoutPoint {
  return p !== undefined && Number.isFinite(p.x) && Number.isFinite(p.y);
}

/** Earlier positions where known; a new node at the mean of its placed neighbours (or its rank's column), jittered. */
function placeFromPrevious(
  sims: SimNode[],
  nodes: LayoutNode[],
  neighbours: number[][],
  previous: Record<string, LayoutPoint>,
  unit: number,
  random: () => number
) {
  const placed = new Array<boolean>(sims.length).fill(false);
  for (const s of sims) {
    const p = previous[nodes[s.index].id];
    if (isPoint(p)) {
      s.x = p.x;
      s.y = p.y;
      placed[s.index] = true;
    }
  }
  // Where a group's nodes already are: a new node of a namespace goes there, not into a neighbour's namespace.
  const centre = new Map<number, { x: number; y: number; k: number }>();
  for (const s of sims) {
    if (placed[s.index] && s.group >= 0) {
      const c = centre.get(s.group) ?? { x: 0, y: 0, k: 0 };
      centre.set(s.group, { x: c.x + s.x!, y: c.y + s.y!, k: c.k + 1 });
    }
  }
  for (const s of sims) {
    if (placed[s.index]) {
      continue;
    }
    const mean = (only: (o: SimNode) => boolean) => {
      let x = 0;
      let y = 0;
      let k = 0;
      for (const o of neighbours[s.index]) {
        if (placed[o] && only(sims[o])) {
          x += sims[o].x!;
          y += sims[o].y!;
          k++;
        }
      }
      return k > 0 ? { x: x / k, y: y / k } : undefined;
    };
    const c = centre.get(s.group);
    const at = (s.group >= 0 ? mean((o) => o.group === s.group) : undefined) ??
      (c ? { x: c.x / c.k, y: c.y / c.k } : undefined) ??
      mean(() => true) ?? { x: s.tx, y: s.ty };
    s.x = at.x + (random() - 0.5) * unit;
    s.y = at.y + (random() - 0.5) * unit;
  }
}

function neighboursOf(n: number, edges: Array<{ s: number; t: number }>): number[][] {
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    neighbours[e.s].push(e.t);
    neighbours[e.t].push(e.s);
  }
  return neighbours;
}

/**
 * Each group gets a square block, sized by its node count and packed in rows (largest first); inside a block,
 * a node's target x is its rank's column, so calls read left to right, and y the block's middle (the many-body
 * force spreads them). Nodes without a group go where their grouped neighbours are (a database next to the
 * namespace that uses it). Without groups, the whole map is one block.
 */
function assignTargets(sims: SimNode[], rank: number[], groups: number, neighbours: number[][], cell: number) {
  const members: SimNode[][] = Array.from({ length: Math.max(1, groups) }, () => []);
  const loose: SimNode[] = [];
  for (const s of sims) {
    if (groups === 0) {
      members[0].push(s);
    } else if (s.group >= 0) {
      members[s.group].push(s);
    } else {
      loose.push(s);
    }
  }
  const blocks = members
    .map((m, g) => ({ g, m, side: Math.sqrt(Math.max(1, m.length)) * cell + cell, x: 0, y: 0 }))
    .sort((a, b) => b.m.length - a.m.length || a.g - b.g);
  const total = blocks.reduce((sum, b) => sum + b.side * b.side, 0);
  const rowWidth = Math.sqrt(total) * 1.15;
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const b of blocks) {
    if (x > 0 && x + b.side > rowWidth) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    b.x = x;
    b.y = y;
    x += b.side;
    rowHeight = Math.max(rowHeight, b.side);
  }
  const width = Math.max(...blocks.map((b) => b.x + b.side));
  const height = y + rowHeight;
  for (const b of blocks) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of b.m) {
      lo = Math.min(lo, rank[s.index]);
      hi = Math.max(hi, rank[s.index]);
    }
    const inner = b.side - cell;
    for (const s of b.m) {
      const t = hi > lo ? (rank[s.index] - lo) / (hi - lo) : 0.5;
      s.tx = b.x + cell / 2 + t * inner - width / 2;
      s.ty = b.y + b.side / 2 - height / 2;
    }
  }
  for (const s of loose) {
    let tx = 0;
    let ty = 0;
    let k = 0;
    for (const o of neighbours[s.index]) {
      if (sims[o].group >= 0) {
        tx += sims[o].tx;
        ty += sims[o].ty;
        k++;
      }
    }
    s.tx = k > 0 ? tx / k : 0;
    s.ty = k > 0 ? ty / k : 0;
  }
}

/**
 * Groups in boxes: each group (and the nodes without one, together) laid out on its own, calls inside it only,
 * then the blocks packed in rows, largest first, a gap apart. Namespaces drawn as boxes never overlap, each reads
 * left to right, and many small simulations cost less than one large one. Calls between groups are drawn across.
 */
function groupsInBoxes(
  nodes: LayoutNode[],
  edges: Array<{ s: number; t: number }>,
  options: ForceOptions
): Record<string, LayoutPoint> {
  const members = new Map<string | undefined, number[]>();
  nodes.forEach((node, i) => {
    const list = members.get(node.group);
    if (list) {
      list.push(i);
    } else {
      members.set(node.group, [i]);
    }
  });
  const unit = (2 * nodes.reduce((sum, node) => sum + Math.hypot(node.width, node.height) / 2, 0)) / nodes.length;
  const blocks = [...members.entries()].map(([group, ids]) => {
    const local = new Map(ids.map((id, j) => [id, j]));
    const inner = edges
      .filter((e) => local.has(e.s) && local.has(e.t))
      .map((e) => ({ s: local.get(e.s)!, t: local.get(e.t)! }));
    const subNodes = ids.map((i) => ({ ...nodes[i], group: undefined }));
    // A stronger pull to the middle: a group has few calls inside it to hold it together.
    const positions = forcePositions(subNodes, inner, { tuning: { pull: TUNING.groupPull, ...options.tuning } });
    const box = boundsOf(subNodes, positions);
    return { group, positions, x0: box.x, y0: box.y, width: box.width, height: box.height, x: 0, y: 0 };
  });
  // Largest first; the nodes without a group last. Ties by name, so the packing does not depend on input order.
  blocks.sort(
    (a, b) =>
      Number(a.group === undefined) - Number(b.group === undefined) ||
      b.width * b.height - a.width * a.height ||
      String(a.group).localeCompare(String(b.group))
  );
  const gap = unit;
  const area = blocks.reduce((sum, b) => sum + (b.width + gap) * (b.height + gap), 0);
  const rowWidth = Math.max(Math.sqrt(area) * 1.2, ...blocks.map((b) => b.width));
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const b of blocks) {
    if (x > 0 && x + b.width > rowWidth) {
      x = 0;
      y += rowHeight + gap;
      rowHeight = 0;
    }
    b.x = x;
    b.y = y;
    x += b.width + gap;
    rowHeight = Math.max(rowHeight, b.height);
  }
  const positions: Record<string, LayoutPoint> = {};
  for (const b of blocks) {
    for (const [id, p] of Object.entries(b.positions)) {
      positions[id] = { x: p.x - b.x0 + b.x, y: p.y - b.y0 + b.y };
    }
  }
  return positions;
}
