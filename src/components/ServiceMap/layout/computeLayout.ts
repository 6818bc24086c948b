import { boundsOf, callRanks, forcePositions } from './force';
import { layeredPositions } from './layered';
import type { LayoutInput, LayoutNode, LayoutPoint, LayoutResult } from './types';

/**
 * Up to these sizes the layered layout (dagre) stays well under the budget and reads best; beyond it, force.
 * dagre's network simplex and crossing reduction grow fast: measured 1.6 s at 200 nodes / 800 edges.
 */
export const LAYERED_MAX_NODES = 120;
export const LAYERED_MAX_EDGES = 360;
/**
 * A layered map is as tall as its fullest rank: a gateway calling 60 APIs makes a column of 60 nodes beside a
 * few ranks. Beyond this height-to-width ratio (estimated from the ranks before running dagre) force reads better.
 */
export const LAYERED_MAX_ASPECT = 3;

/**
 * Positions for a service map: layered in call direction (left → right) for small maps and focused
 * neighbourhoods, force-directed for large ones. Pure and synchronous: the same input gives the same
 * layout (nodes are sorted by id first, so input order does not matter either). `useLayout` runs it in a worker.
 * Throws an Error that says what is wrong for duplicate ids, unknown edge ends or sizes that are not numbers.
 */
export function computeLayout(input: LayoutInput): LayoutResult {
  const started = now();
  const nodes = checkedNodes(input);
  const index = new Map<string, number>(nodes.map((n, i) => [n.id, i]));
  // Calls between the same pair in several connection types are one edge here; a self-call places nothing.
  const seen = new Set<number>();
  const edges: Array<{ s: number; t: number }> = [];
  (input.edges ?? []).forEach((e, i) => {
    const s = index.get(e?.source);
    const t = index.get(e?.target);
    if (s === undefined || t === undefined) {
      const which = s === undefined ? `source "${String(e?.source)}"` : `target "${String(e?.target)}"`;
      throw new Error(
        `Layout input: edges[${i}] has ${which}, which is not a node; pass only edges between the given nodes.`
      );
    }
    const key = s * nodes.length + t;
    if (s !== t && !seen.has(key)) {
      seen.add(key);
      edges.push({ s, t });
    }
  });

  // Sorted too, so that the same map in another order gets the same layout (d3-force visits links in order).
  edges.sort((a, b) => a.s - b.s || a.t - b.t);
  const layered =
    nodes.length <= LAYERED_MAX_NODES &&
    edges.length <= LAYERED_MAX_EDGES &&
    layeredAspect(nodes, edges) <= LAYERED_MAX_ASPECT;
  let positions: Record<string, LayoutPoint>;
  if (nodes.length === 0) {
    positions = {};
  } else if (layered) {
    const groups = new Set(nodes.map((n) => n.group)).size > 1;
    positions = layeredPositions(
      nodes,
      edges.map((e) => ({ source: nodes[e.s].id, target: nodes[e.t].id })),
      groups
    );
  } else {
    positions = forcePositions(nodes, edges, { previous: input.previous });
  }
  if (layered && input.previous) {
    alignWithPrevious(positions, input.previous);
  }
  return { positions, bounds: boundsOf(nodes, positions), method: layered ? 'layered' : 'force', ms: now() - started };
}

/**
 * dagre lays out from scratch; moving its result so that the nodes that were already shown keep their centre
 * at least keeps the map where the eye was (the force layout starts from the previous positions instead).
 */
function alignWithPrevious(positions: Record<string, LayoutPoint>, previous: Record<string, LayoutPoint>) {
  let dx = 0;
  let dy = 0;
  let k = 0;
  for (const [id, p] of Object.entries(positions)) {
    const q = previous[id];
    if (q && Number.isFinite(q.x) && Number.isFinite(q.y)) {
      dx += q.x - p.x;
      dy += q.y - p.y;
      k++;
    }
  }
  if (k > 0) {
    for (const p of Object.values(positions)) {
      p.x += dx / k;
      p.y += dy / k;
    }
  }
}

/** Estimated height / width of a layered layout: the fullest rank's column against the row of ranks. */
function layeredAspect(nodes: LayoutNode[], edges: Array<{ s: number; t: number }>): number {
  const out: number[][] = nodes.map(() => []);
  const inDegree = new Array<number>(nodes.length).fill(0);
  for (const e of edges) {
    out[e.s].push(e.t);
    inDegree[e.t]++;
  }
  const rank = callRanks(nodes.length, out, inDegree);
  const heights: number[] = [];
  const widths: number[] = [];
  rank.forEach((r, i) => {
    heights[r] = (heights[r] ?? 0) + nodes[i].height + 10;
    widths[r] = Math.max(widths[r] ?? 0, nodes[i].width + 60);
  });
  const width = widths.reduce((a, b) => a + (b ?? 0), 0);
  return width > 0 ? Math.max(...heights.map((h) => h ?? 0)) / width : 0;
}

function checkedNodes(input: LayoutInput): LayoutNode[] {
  if (!input || !Array.isArray(input.nodes)) {
    throw new Error('Layout input: expected { nodes: [...], edges: [...] }; nodes is missing or not an array.');
  }
  const where = new Map<string, number>();
  input.nodes.forEach((n, i) => {
    if (typeof n?.id !== 'string') {
      throw new Error(`Layout input: nodes[${i}] has no string id.`);
    }
    const before = where.get(n.id);
    if (before !== undefined) {
      throw new Error(
        `Layout input: node id "${n.id}" appears twice (nodes[${before}] and nodes[${i}]); ids must be unique.`
      );
    }
    where.set(n.id, i);
    for (const side of ['width', 'height'] as const) {
      if (!Number.isFinite(n[side]) || n[side] < 0) {
        throw new Error(
          `Layout input: nodes[${i}] ("${n.id}") has ${side} ${String(n[side])}; sizes must be finite numbers ≥ 0 (pixels).`
        );
      }
    }
  });
  return [...input.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
