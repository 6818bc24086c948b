import { ServiceMap, ServiceMapEdge, ServiceMapNode, errorShare } from '../../trace';

/**
 * The map as drawn: nodes at their layout positions (world units = CSS pixels at zoom 1), edges
 * between node borders with a width by rate, namespace boxes, and the viewport transform and
 * hit-testing. Pure: no DOM, no canvas, so it is tested in Node.
 */

export const NODE_RADIUS = 18;
/** half the side of a virtual node's rounded square */
export const VIRTUAL_HALF = 15;
/** the box the layout reserves per node: the circle and its label under it */
export const NODE_BOX = { width: 150, height: NODE_RADIUS * 2 + 34 };
export const MIN_EDGE_WIDTH = 1;
export const MAX_EDGE_WIDTH = 7;
export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 6;
/** error share from which an edge is drawn as failing (red) or as worth a look (orange) */
export const EDGE_ERROR_HIGH = 0.1;
export const EDGE_ERROR_SOME = 0.01;
/** how far each of two reciprocal calls is moved off the line between their nodes, in world units */
export const RECIPROCAL_OFFSET = 6;

export interface Point {
  x: number;
  y: number;
}

export interface SceneNode extends Point {
  id: string;
  node: ServiceMapNode;
  r: number;
  errorShare: number;
  namespace?: string;
}

export interface SceneEdge {
  edge: ServiceMapEdge;
  source: number;
  target: number;
  /** start and end on the nodes' borders, so the arrow's tip touches the target */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** line width in screen pixels, by rate on a log scale */
  width: number;
  errorShare: number;
  /**
   * For one of a pair of reciprocal calls (A→B and B→A): the unit normal the edge is moved along, to the
   * right of its direction, so the two are drawn, labelled and hit apart; absent otherwise.
   */
  side?: Point;
}

export interface SceneGroup {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Scene {
  nodes: SceneNode[];
  edges: SceneEdge[];
  groups: SceneGroup[];
  index: Map<string, number>;
  grid: NodeGrid;
  bounds: { x: number; y: number; width: number; height: number };
}

/** Edge width by rate on a log scale: a 1 req/s edge stays visible beside a 10,000 req/s one. */
export function edgeWidth(requests: number, maxRequests: number): number {
  if (maxRequests <= 0 || requests <= 0) {
    return MIN_EDGE_WIDTH;
  }
  const t = Math.log1p(requests) / Math.log1p(maxRequests);
  return MIN_EDGE_WIDTH + (MAX_EDGE_WIDTH - MIN_EDGE_WIDTH) * Math.min(1, Math.max(0, t));
}

export const nodeRadius = (n: ServiceMapNode) => (n.virtual ? VIRTUAL_HALF : NODE_RADIUS);

export function buildScene(map: ServiceMap, positions: Record<string, Point>, groupByNamespace: boolean): Scene {
  const nodes: SceneNode[] = [];
  const index = new Map<string, number>();
  for (const n of map.nodes) {
    const p = positions[n.id];
    if (!p) {
      continue;
    }
    index.set(n.id, nodes.length);
    nodes.push({
      id: n.id,
      node: n,
      x: p.x,
      y: p.y,
      r: nodeRadius(n),
      errorShare: errorShare(n),
      namespace: n.namespace,
    });
  }
  let maxRequests = 0;
  for (const e of map.edges) {
    maxRequests = Math.max(maxRequests, e.requests);
  }
  // Pairs called both ways: A→B and B→A would share a segment (one hidden under the other, one label).
  const pairs = new Set<string>();
  for (const e of map.edges) {
    pairs.add(`${e.source}\u0000${e.target}`);
  }
  const edges: SceneEdge[] = [];
  for (const e of map.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) {
      continue;
    }
    const a = nodes[s];
    const b = nodes[t];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    // The right-hand normal of A→B is the left-hand one of B→A: the two move apart. The ends stay on the
    // borders: `along` is how far along the direction the border is at that sideways offset.
    const reciprocal = pairs.has(`${e.target}\u0000${e.source}`);
    const off = reciprocal ? RECIPROCAL_OFFSET : 0;
    const [nx, ny] = [-uy, ux];
    const along = (r: number) => Math.sqrt(Math.max(0, r * r - off * off));
    edges.push({
      edge: e,
      source: s,
      target: t,
      x1: a.x + ux * along(a.r) + nx * off,
      y1: a.y + uy * along(a.r) + ny * off,
      x2: b.x - ux * (along(b.r) + 2) + nx * off,
      y2: b.y - uy * (along(b.r) + 2) + ny * off,
      width: edgeWidth(e.requests, maxRequests),
      errorShare: errorShare(e),
      ...(reciprocal ? { side: { x: nx, y: ny } } : {}),
    });
  }
  const groups = groupByNamespace ? namespaceGroups(nodes) : [];
  return { nodes, edges, groups, index, grid: new NodeGrid(nodes), bounds: sceneBounds(nodes, groups) };
}

const GROUP_PAD = 28;

/** One box per namespace around its nodes and their labels; nodes without one are left out. */
function namespaceGroups(nodes: SceneNode[]): SceneGroup[] {
  const boxes = new Map<string, { x0: number; y0: number; x1: number; y1: number }>();
  for (const n of nodes) {
    if (!n.namespace) {
      continue;
    }
    const b = boxes.get(n.namespace);
    const [x0, y0, x1, y1] = [
      n.x - NODE_BOX.width / 2,
      n.y - n.r,
      n.x + NODE_BOX.width / 2,
      n.y + NODE_BOX.height - n.r,
    ];
    if (!b) {
      boxes.set(n.namespace, { x0, y0, x1, y1 });
    } else {
      b.x0 = Math.min(b.x0, x0);
      b.y0 = Math.min(b.y0, y0);
      b.x1 = Math.max(b.x1, x1);
      b.y1 = Math.max(b.y1, y1);
    }
  }
  return [...boxes]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, b]) => ({
      name,
      x: b.x0 - GROUP_PAD,
      // room above for the namespace's label
      y: b.y0 - GROUP_PAD - 14,
      width: b.x1 - b.x0 + 2 * GROUP_PAD,
      height: b.y1 - b.y0 + 2 * GROUP_PAD + 14,
    }));
}

function sceneBounds(nodes: SceneNode[], groups: SceneGroup[]) {
  if (nodes.length === 0) {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of nodes) {
    x0 = Math.min(x0, n.x - NODE_BOX.width / 2);
    x1 = Math.max(x1, n.x + NODE_BOX.width / 2);
    y0 = Math.min(y0, n.y - n.r);
    y1 = Math.max(y1, n.y + NODE_BOX.height - n.r);
  }
  for (const g of groups) {
    x0 = Math.min(x0, g.x);
    y0 = Math.min(y0, g.y);
    x1 = Math.max(x1, g.x + g.width);
    y1 = Math.max(y1, g.y + g.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * A uniform grid over node centres: hit-testing the pointer against 1,000 nodes looks at the few
 * nodes in the nine cells around it instead of all of them, on every pointer move.
 */
export class NodeGrid {
  private readonly cells = new Map<string, number[]>();
  private readonly size = NODE_RADIUS * 4;

  constructor(private readonly nodes: SceneNode[]) {
    nodes.forEach((n, i) => {
      const key = this.key(Math.floor(n.x / this.size), Math.floor(n.y / this.size));
      const cell = this.cells.get(key);
      cell ? cell.push(i) : this.cells.set(key, [i]);
    });
  }

  private key(cx: number, cy: number) {
    return `${cx},${cy}`;
  }

  /** The index of the node under a world point (within `slack` world units of its shape), or -1. */
  nodeAt(x: number, y: number, slack = 0): number {
    const cx = Math.floor(x / this.size);
    const cy = Math.floor(y / this.size);
    let best = -1;
    let bestD = Infinity;
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        for (const k of this.cells.get(this.key(i, j)) ?? []) {
          const n = this.nodes[k];
          const d = Math.hypot(n.x - x, n.y - y);
          if (d <= n.r + slack && d < bestD) {
            best = k;
            bestD = d;
          }
        }
      }
    }
    return best;
  }
}

/** Distance from a point to a segment. */
export function segmentDistance(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

/** The edge nearest a world point within `tolerance` world units, or -1 (a linear scan: 5,000 edges take well under 1 ms). */
export function edgeAt(edges: SceneEdge[], x: number, y: number, tolerance: number): number {
  let best = -1;
  let bestD = tolerance;
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i];
    if (
      x < Math.min(e.x1, e.x2) - tolerance ||
      x > Math.max(e.x1, e.x2) + tolerance ||
      y < Math.min(e.y1, e.y2) - tolerance ||
      y > Math.max(e.y1, e.y2) + tolerance
    ) {
      continue;
    }
    const d = segmentDistance(x, y, e.x1, e.y1, e.x2, e.y2);
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/** screen = world × k + (x, y), in CSS pixels */
export interface Viewport {
  k: number;
  x: number;
  y: number;
}

export const clampZoom = (k: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));

/** The viewport that shows the whole box with a margin, centred, never zoomed in past 1.5. */
export function fitViewport(
  box: { x: number; y: number; width: number; height: number },
  width: number,
  height: number,
  margin = 24,
  /** room kept free at the sides, beyond the margin (the zoom buttons, the legend) */
  inset: { right?: number; bottom?: number } = {}
): Viewport {
  const w = width - (inset.right ?? 0);
  const h = height - (inset.bottom ?? 0);
  if (box.width <= 0 || box.height <= 0 || w <= 0 || h <= 0) {
    return { k: 1, x: w / 2 - box.x, y: h / 2 - box.y };
  }
  const k = clampZoom(Math.min(1.5, (w - 2 * margin) / box.width, (h - 2 * margin) / box.height));
  return { k, x: w / 2 - (box.x + box.width / 2) * k, y: h / 2 - (box.y + box.height / 2) * k };
}

/** The box the layout keeps for a node: its circle, and its name under it (about 7 px a character). */
export function nodeBox(id: string): { width: number; height: number } {
  return {
    width: Math.min(NODE_BOX.width + 70, Math.max(NODE_BOX.width, 24 + 7 * Math.min(id.length, 28))),
    height: NODE_BOX.height,
  };
}

/** Zoom by `factor` keeping the world point under the screen point (sx, sy) where it is. */
export function zoomAt(vp: Viewport, sx: number, sy: number, factor: number): Viewport {
  const k = clampZoom(vp.k * factor);
  const f = k / vp.k;
  return { k, x: sx - (sx - vp.x) * f, y: sy - (sy - vp.y) * f };
}

/** The viewport that puts a world point at the middle of the screen, at zoom at least `minZoom`. */
export function centreOn(vp: Viewport, p: Point, width: number, height: number, minZoom = 1): Viewport {
  const k = Math.max(vp.k, minZoom);
  return { k, x: width / 2 - p.x * k, y: height / 2 - p.y * k };
}

export const toWorld = (vp: Viewport, sx: number, sy: number): Point => ({
  x: (sx - vp.x) / vp.k,
  y: (sy - vp.y) / vp.k,
});

export const toScreen = (vp: Viewport, p: Point): Point => ({ x: p.x * vp.k + vp.x, y: p.y * vp.k + vp.y });
