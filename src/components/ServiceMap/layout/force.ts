import {
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  forceX,
  forceY,
  type Force,
  type SimulationLinkDatum,
  type SimulationNodeDatum,
} from 'd3-force';

import type { LayoutNode, LayoutPoint } from './types';

/**
 * Force-directed layout for large maps (d3-force, Barnes–Hut many-body), tuned for 1,000 nodes and 5,000 edges
 * within the 1 s budget: a fixed number of ticks from a good start rather than a run to rest. The start is layered:
 * callers left of callees (rank = distance from the map's entry points), so the call direction still reads left to
 * right, and a weak pull toward each rank's column keeps it. Nodes of a group are pulled toward the group's centre.
 * With earlier positions for most nodes, only a short, cool run from them moves what changed.
 */
export interface ForceOptions {
  previous?: Record<string, LayoutPoint>;
  /** above this share of nodes without an earlier position, lay out from scratch */
  maxNewShare?: number;
}

interface SimNode extends SimulationNodeDatum {
  index: number;
  r: number;
  group: number;
  rankX: number;
}

const TICKS = 120;
const INCREMENTAL_TICKS = 60;
const INCREMENTAL_ALPHA = 0.1;
const ALPHA_MIN = 0.001;
// Ticks at the end that also push overlapping nodes apart (forceCollide costs about as much as the rest).
const COLLIDE_TICKS = 30;

/** mulberry32: the layout's only randomness (jitter), seeded so that the same input gives the same layout */
function rng(seed: number): () => number {
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
  const queue: number[] = [];
  const visit = (start: number) => {
    rank[start] = 0;
    queue.push(start);
    while (queue.length > 0) {
      const v = queue.shift()!;
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
  const n = nodes.length;
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
    return { index, r: Math.hypot(node.width, node.height) / 2, group, rankX: 0 };
  });
  // Unit length: a typical node's diameter. Distances scale with it, the many-body strength with its square.
  const unit = Math.max(1, (2 * sims.reduce((s, x) => s + x.r, 0)) / Math.max(1, n));
  const scale = unit / 30;
  // Columns spread so the whole map is roughly square: area ~ n cells of 2.5 units.
  const ranks = Math.max(...rank, 0) + 1;
  const side = Math.sqrt(n) * unit * 2.5;
  const rankGap = ranks > 1 ? side / (ranks - 1) : 0;
  for (const s of sims) {
    s.rankX = rank[s.index] * rankGap - side / 2;
  }

  const random = rng(0x5eed ^ n);
  const previous = options.previous;
  const known = previous ? sims.filter((s) => isPoint(previous[nodes[s.index].id])).length : 0;
  const incremental = previous !== undefined && n > 0 && (n - known) / n <= (options.maxNewShare ?? 0.3);
  if (incremental) {
    placeFromPrevious(sims, nodes, edges, previous!, unit, random);
  } else {
    placeLayered(sims, rank, ranks, unit, random);
  }

  const links: Array<SimulationLinkDatum<SimNode>> = edges.filter((e) => e.s !== e.t).map((e) => ({ source: e.s, target: e.t }));
  const ticks = incremental ? INCREMENTAL_TICKS : TICKS;
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
    .force('charge', forceManyBody<SimNode>().strength(-30 * scale * scale * 4).theta(0.9))
    .force('x', forceX<SimNode>((d) => d.rankX).strength(0.02))
    .force('y', forceY<SimNode>(0).strength(0.02));
  if (groupIds.size > 1) {
    sim.force('group', groupForce(sims, groupIds.size, 0.1));
  }
  sim.tick(Math.max(0, ticks - COLLIDE_TICKS));
  sim.force('collide', forceCollide<SimNode>((d) => d.r + 2).iterations(1));
  sim.tick(Math.min(ticks, COLLIDE_TICKS));

  const positions: Record<string, LayoutPoint> = {};
  for (const s of sims) {
    positions[nodes[s.index].id] = { x: s.x ?? 0, y: s.y ?? 0 };
  }
  return positions;
}

function isPoint(p: LayoutPoint | undefined): p is LayoutPoint {
  return p !== undefined && Number.isFinite(p.x) && Number.isFinite(p.y);
}

/** Columns by rank, each column's nodes in rows by group and id (nodes come sorted by id), centred on 0. */
function placeLayered(sims: SimNode[], rank: number[], ranks: number, unit: number, random: () => number) {
  const columns: SimNode[][] = Array.from({ length: ranks }, () => []);
  for (const s of sims) {
    columns[rank[s.index]].push(s);
  }
  for (const column of columns) {
    column.sort((a, b) => a.group - b.group || a.index - b.index);
    // A tall column wraps into a few sub-columns, so the start is not a thin line.
    const perRow = Math.max(1, Math.ceil(Math.sqrt(column.length / 4)));
    const rows = Math.ceil(column.length / perRow);
    column.forEach((s, i) => {
      const row = Math.floor(i / perRow);
      s.x = s.rankX + ((i % perRow) - (perRow - 1) / 2) * unit * 1.5 + (random() - 0.5) * unit * 0.2;
      s.y = (row - (rows - 1) / 2) * unit * 1.5 + (random() - 0.5) * unit * 0.2;
    });
  }
}

/** Earlier positions where known; a new node at the mean of its placed neighbours (or its rank's column), jittered. */
function placeFromPrevious(
  sims: SimNode[],
  nodes: LayoutNode[],
  edges: Array<{ s: number; t: number }>,
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
  const neighbours: number[][] = sims.map(() => []);
  for (const e of edges) {
    neighbours[e.s].push(e.t);
    neighbours[e.t].push(e.s);
  }
  for (const s of sims) {
    if (placed[s.index]) {
      continue;
    }
    let x = 0;
    let y = 0;
    let k = 0;
    for (const o of neighbours[s.index]) {
      if (placed[o]) {
        x += sims[o].x!;
        y += sims[o].y!;
        k++;
      }
    }
    s.x = (k > 0 ? x / k : s.rankX) + (random() - 0.5) * unit;
    s.y = (k > 0 ? y / k : 0) + (random() - 0.5) * unit;
  }
}

/** Pulls each node toward the centre of its group, so that a namespace forms one region. */
function groupForce(sims: SimNode[], groups: number, strength: number): Force<SimNode, never> {
  const cx = new Float64Array(groups);
  const cy = new Float64Array(groups);
  const count = new Float64Array(groups);
  return (alpha: number) => {
    cx.fill(0);
    cy.fill(0);
    count.fill(0);
    for (const s of sims) {
      if (s.group >= 0) {
        cx[s.group] += s.x!;
        cy[s.group] += s.y!;
        count[s.group]++;
      }
    }
    const k = strength * alpha;
    for (const s of sims) {
      if (s.group >= 0) {
        s.vx! += (cx[s.group] / count[s.group] - s.x!) * k;
        s.vy! += (cy[s.group] / count[s.group] - s.y!) * k;
      }
    }
  };
}
