import { GrafanaTheme2 } from '@grafana/data';
import { MapUnit, formatErrorShare, formatMs, formatRequests } from './format';
import { EDGE_ERROR_HIGH, EDGE_ERROR_SOME, NODE_RADIUS, Scene, SceneEdge, Viewport } from './scene';

/**
 * Canvas drawing of a Scene. Built for 1,000 nodes and 5,000 edges at 60 frames a second: edges are
 * batched into one path per (width, colour) bucket, nodes into a few paths, everything outside the
 * screen is skipped, and text (the slow part of a canvas) only appears once nodes are big enough
 * on screen to carry it (level of detail).
 */

export interface MapColors {
  text: string;
  textSecondary: string;
  background: string;
  nodeFill: string;
  nodeStroke: string;
  virtualStroke: string;
  edge: string;
  edgeSome: string;
  edgeHigh: string;
  success: string;
  error: string;
  highlight: string;
  groupFill: string;
  groupStroke: string;
  fontFamily: string;
}

export function mapColors(theme: GrafanaTheme2): MapColors {
  return {
    text: theme.colors.text.primary,
    textSecondary: theme.colors.text.secondary,
    background: theme.colors.background.primary,
    nodeFill: theme.colors.background.secondary,
    nodeStroke: theme.colors.text.secondary,
    virtualStroke: theme.colors.text.secondary,
    edge: theme.isDark ? 'rgba(204, 204, 220, 0.35)' : 'rgba(36, 41, 46, 0.3)',
    edgeSome: theme.colors.warning.main,
    edgeHigh: theme.colors.error.main,
    success: theme.colors.success.main,
    error: theme.colors.error.main,
    highlight: theme.colors.primary.main,
    groupFill: theme.isDark ? 'rgba(255, 255, 255, 0.03)' : 'rgba(0, 0, 0, 0.025)',
    groupStroke: theme.colors.border.medium,
    fontFamily: theme.typography.fontFamily,
  };
}

export interface DrawState {
  width: number;
  height: number;
  dpr: number;
  vp: Viewport;
  colors: MapColors;
  unit: MapUnit;
  hoverNode: number;
  hoverEdge: number;
  selectedNode: number;
  selectedEdge: number;
  /** the found service (find box), ringed */
  foundNode: number;
}

/** Node radius on screen from which names are drawn, and from which the figures are drawn too. */
export const LABEL_ZOOM_RADIUS = 9;
export const FIGURES_ZOOM_RADIUS = 22;
/** Zoom from which every visible edge carries its label (otherwise only the hovered or selected one). */
export const EDGE_LABEL_ZOOM = 1.4;
const SMALL_MAP_EDGES = 40;
/** Node radius on screen under which nodes are drawn as dots of DOT_RADIUS, without rings. */
const DOTS_BELOW_RADIUS = 5;
const DOT_RADIUS = 2.5;
/** At most this many labels a frame: text costs more than shapes. */
const MAX_LABELS = 400;

const edgeColor = (e: SceneEdge, c: MapColors) =>
  e.errorShare >= EDGE_ERROR_HIGH ? c.edgeHigh : e.errorShare >= EDGE_ERROR_SOME ? c.edgeSome : c.edge;

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Draws the scene; a 2D context without the canvas API (jsdom) is left alone. */
export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, s: DrawState) {
  if (typeof ctx.setTransform !== 'function' || typeof ctx.setLineDash !== 'function') {
    return;
  }
  const { vp, colors: c, dpr } = s;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, s.width, s.height);
  // The world rectangle on screen, with a margin for shapes that straddle its border.
  const m = 40 / vp.k;
  const wx0 = -vp.x / vp.k - m;
  const wy0 = -vp.y / vp.k - m;
  const wx1 = (s.width - vp.x) / vp.k + m;
  const wy1 = (s.height - vp.y) / vp.k + m;
  const inView = (x: number, y: number) => x >= wx0 && x <= wx1 && y >= wy0 && y <= wy1;
  const nodeScreenR = NODE_RADIUS * vp.k;

  const emphasis = emphasised(scene, s);
  ctx.setTransform(dpr * vp.k, 0, 0, dpr * vp.k, dpr * vp.x, dpr * vp.y);

  // Namespace boxes, under everything.
  if (scene.groups.length > 0) {
    ctx.fillStyle = c.groupFill;
    ctx.strokeStyle = c.groupStroke;
    ctx.lineWidth = 1 / vp.k;
    ctx.setLineDash([]);
    for (const g of scene.groups) {
      ctx.beginPath();
      ctx.roundRect(g.x, g.y, g.width, g.height, 12);
      ctx.fill();
      ctx.stroke();
    }
  }

  // Edges, batched by colour and width (widths rounded to half pixels), arrowheads as one fill per colour.
  const lines = new Map<string, Path2D>();
  const heads = new Map<string, Path2D>();
  const dimmed: number[] = [];
  const showHeads = vp.k * 8 >= 3;
  for (let i = 0; i < scene.edges.length; i++) {
    const e = scene.edges[i];
    if (
      Math.max(e.x1, e.x2) < wx0 ||
      Math.min(e.x1, e.x2) > wx1 ||
      Math.max(e.y1, e.y2) < wy0 ||
      Math.min(e.y1, e.y2) > wy1
    ) {
      continue;
    }
    if (emphasis && !(emphasis.has(e.source) && emphasis.has(e.target))) {
      dimmed.push(i);
      continue;
    }
    addEdge(e, edgeColor(e, c), lines, heads, showHeads, vp.k);
  }
  if (dimmed.length > 0) {
    // Edges away from the selection: one faint path, drawn first.
    const faint = new Map<string, Path2D>();
    const faintHeads = new Map<string, Path2D>();
    for (const i of dimmed) {
      addEdge(scene.edges[i], c.edge, faint, faintHeads, false, vp.k);
    }
    ctx.globalAlpha = 0.25;
    strokeBuckets(ctx, faint, faintHeads, vp.k);
    ctx.globalAlpha = 1;
  }
  strokeBuckets(ctx, lines, heads, vp.k);

  // Hovered and selected edges on top, wider, in the highlight colour.
  for (const i of [s.hoverEdge, s.selectedEdge]) {
    const e = scene.edges[i];
    if (e) {
      const one = new Map<string, Path2D>();
      const oneHead = new Map<string, Path2D>();
      addEdge({ ...e, width: e.width + 2 }, c.highlight, one, oneHead, true, vp.k);
      strokeBuckets(ctx, one, oneHead, vp.k);
    }
  }

  // Nodes: services as circles, virtual nodes as dashed rounded squares.
  const circles = new Path2D();
  const squares = new Path2D();
  const ok = new Path2D();
  const bad = new Path2D();
  const visible: number[] = [];
  // Zoomed far out, nodes are dots of at least DOT_RADIUS pixels, red when failing: the shape of the whole.
  const dots = nodeScreenR < DOTS_BELOW_RADIUS;
  const dotR = Math.max(NODE_RADIUS, DOT_RADIUS / vp.k);
  const dotBad = new Path2D();
  for (let i = 0; i < scene.nodes.length; i++) {
    const n = scene.nodes[i];
    if (!inView(n.x, n.y)) {
      continue;
    }
    visible.push(i);
    if (dots) {
      const p = n.errorShare >= EDGE_ERROR_HIGH ? dotBad : n.node.virtual ? squares : circles;
      p.rect(n.x - dotR, n.y - dotR, dotR * 2, dotR * 2);
      continue;
    }
    if (n.node.virtual) {
      squares.roundRect(n.x - n.r, n.y - n.r, n.r * 2, n.r * 2, 5);
      continue;
    }
    circles.moveTo(n.x + n.r, n.y);
    circles.arc(n.x, n.y, n.r, 0, Math.PI * 2);
    // The error share as a red arc from 12 o'clock, the rest of the ring green.
    const split = -Math.PI / 2 + n.errorShare * Math.PI * 2;
    const ring = n.r - 2;
    if (n.errorShare > 0) {
      bad.moveTo(n.x + ring * Math.cos(-Math.PI / 2), n.y + ring * Math.sin(-Math.PI / 2));
      bad.arc(n.x, n.y, ring, -Math.PI / 2, split);
    }
    if (n.errorShare < 1 && n.node.requests > 0) {
      ok.moveTo(n.x + ring * Math.cos(split), n.y + ring * Math.sin(split));
      ok.arc(n.x, n.y, ring, split, Math.PI * 1.5);
    }
  }
  const nodeAlpha = emphasis ? 0.35 : 1;
  ctx.globalAlpha = nodeAlpha;
  if (dots) {
    ctx.fillStyle = c.nodeStroke;
    ctx.fill(circles);
    ctx.fillStyle = c.textSecondary;
    ctx.globalAlpha = nodeAlpha * 0.6;
    ctx.fill(squares);
    ctx.globalAlpha = nodeAlpha;
    ctx.fillStyle = c.error;
    ctx.fill(dotBad);
  } else {
    ctx.fillStyle = c.nodeFill;
    ctx.fill(circles);
    ctx.fill(squares);
    ctx.lineWidth = Math.max(1 / vp.k, 1);
    ctx.strokeStyle = c.nodeStroke;
    ctx.setLineDash([]);
    ctx.stroke(circles);
    ctx.lineWidth = 3;
    ctx.strokeStyle = c.success;
    ctx.stroke(ok);
    ctx.strokeStyle = c.error;
    ctx.stroke(bad);
    ctx.lineWidth = Math.max(1.5 / vp.k, 1.5);
    ctx.strokeStyle = c.virtualStroke;
    ctx.setLineDash([4, 3]);
    ctx.stroke(squares);
    ctx.setLineDash([]);
  }
  ctx.globalAlpha = 1;
  if (emphasis) {
    // The emphasised nodes again at full strength.
    for (const i of emphasis) {
      drawOneNode(ctx, scene, i, c, undefined);
    }
  }
  for (const [i, color] of [
    [s.foundNode, c.highlight],
    [s.hoverNode, c.highlight],
    [s.selectedNode, c.highlight],
  ] as Array<[number, string]>) {
    if (scene.nodes[i]) {
      drawOneNode(ctx, scene, i, c, color);
    }
  }

  // Text in screen space, so it keeps its size at any zoom.
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const names = nodeScreenR >= LABEL_ZOOM_RADIUS || visible.length <= 30;
  const figures = nodeScreenR >= FIGURES_ZOOM_RADIUS;
  const always = new Set([s.hoverNode, s.selectedNode, s.foundNode].filter((i) => i >= 0));
  let drawn = 0;
  const label = (i: number) => {
    const n = scene.nodes[i];
    const sx = n.x * vp.k + vp.x;
    const sy = (n.y + n.r) * vp.k + vp.y + 3;
    ctx.font = `500 12px ${c.fontFamily}`;
    ctx.fillStyle = c.text;
    ctx.globalAlpha = emphasis && !emphasis.has(i) && !always.has(i) ? 0.4 : 1;
    ctx.fillText(truncate(n.id, 28), sx, sy);
    if (figures || always.has(i)) {
      ctx.font = `11px ${c.fontFamily}`;
      ctx.fillStyle = c.textSecondary;
      const parts = [formatRequests(n.node.requests, s.unit)];
      if (n.node.errors > 0) {
        parts.push(formatErrorShare(n.node));
      }
      if (n.node.p95Ms !== undefined) {
        parts.push(`p95 ${formatMs(n.node.p95Ms)}`);
      }
      ctx.fillText(parts.join(' · '), sx, sy + 14);
    }
    ctx.globalAlpha = 1;
  };
  if (names) {
    for (const i of visible) {
      if (drawn++ >= MAX_LABELS) {
        break;
      }
      if (!always.has(i)) {
        label(i);
      }
    }
  }
  for (const i of always) {
    label(i);
  }

  // Edge labels: every visible edge when zoomed in far, else only the hovered and selected one.
  const edgeLabels = new Set([s.hoverEdge, s.selectedEdge].filter((i) => i >= 0));
  // A small map carries every label at any zoom.
  if (vp.k >= EDGE_LABEL_ZOOM || scene.edges.length <= SMALL_MAP_EDGES) {
    for (let i = 0; i < scene.edges.length && edgeLabels.size < MAX_LABELS / 2; i++) {
      const e = scene.edges[i];
      if (
        inView((e.x1 + e.x2) / 2, (e.y1 + e.y2) / 2) &&
        (!emphasis || (emphasis.has(e.source) && emphasis.has(e.target)))
      ) {
        edgeLabels.add(i);
      }
    }
  }
  ctx.font = `11px ${c.fontFamily}`;
  ctx.textBaseline = 'middle';
  for (const i of edgeLabels) {
    const e = scene.edges[i];
    const text = edgeLabel(e, s.unit);
    const w = ctx.measureText(text).width + 8;
    let sx = ((e.x1 + e.x2) / 2) * vp.k + vp.x;
    let sy = ((e.y1 + e.y2) / 2) * vp.k + vp.y;
    if (e.side) {
      // One of two reciprocal calls: its label on its own side, clear of the other's.
      const reach = (Math.abs(e.side.x) * w) / 2 + Math.abs(e.side.y) * 8 + 2;
      sx += e.side.x * reach;
      sy += e.side.y * reach;
    } else {
      // Beside the call rather than on it, so the call's colour (its errors) stays visible: on the side of the
      // normal that points up, as far as the label's half-extent along that normal.
      const len = Math.hypot(e.x2 - e.x1, e.y2 - e.y1) || 1;
      let [nx, ny] = [-(e.y2 - e.y1) / len, (e.x2 - e.x1) / len];
      if (ny > 0) {
        [nx, ny] = [-nx, -ny];
      }
      const reach = (Math.abs(nx) * w) / 2 + Math.abs(ny) * 8 + 3;
      sx += nx * reach;
      sy += ny * reach;
    }
    // An opaque pill and the text colour: red text over a red call did not read (the error share is in the text).
    ctx.fillStyle = c.background;
    ctx.fillRect(sx - w / 2, sy - 8, w, 16);
    ctx.fillStyle = c.text;
    ctx.fillText(text, sx, sy);
  }

  // Namespace names, on the boxes' top-left corners.
  if (scene.groups.length > 0) {
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.font = `600 12px ${c.fontFamily}`;
    ctx.fillStyle = c.textSecondary;
    for (const g of scene.groups) {
      const sx = g.x * vp.k + vp.x + 8;
      const sy = g.y * vp.k + vp.y + 6;
      if (sx < s.width && sy < s.height && (g.x + g.width) * vp.k + vp.x > 0 && (g.y + g.height) * vp.k + vp.y > 0) {
        // On a pill of the background, so the name reads over the calls crossing the box.
        const name = truncate(g.name, 40);
        const [lx, ly] = [Math.max(sx, 4), Math.max(sy, 4)];
        ctx.fillStyle = c.background;
        ctx.globalAlpha = 0.85;
        ctx.fillRect(lx - 4, ly - 2, ctx.measureText(name).width + 8, 17);
        ctx.globalAlpha = 1;
        ctx.fillStyle = c.text;
        ctx.fillText(name, lx, ly);
      }
    }
  }
}

export function edgeLabel(e: SceneEdge, unit: MapUnit): string {
  const x = e.edge;
  const parts = [formatRequests(x.requests, unit)];
  if (x.errors > 0) {
    parts.push(formatErrorShare(x));
  }
  const latency = x.p95Ms ?? x.meanMs;
  if (latency !== undefined) {
    parts.push(`${x.p95Ms !== undefined ? 'p95' : 'mean'} ${formatMs(latency)}`);
  }
  return parts.join(' · ');
}

/** The selected or hovered node and its direct neighbours: the rest of the map fades. */
function emphasised(scene: Scene, s: DrawState): Set<number> | undefined {
  const centre = s.selectedNode >= 0 ? s.selectedNode : s.hoverNode;
  if (centre < 0 || !scene.nodes[centre]) {
    return undefined;
  }
  const set = new Set([centre]);
  for (const e of scene.edges) {
    if (e.source === centre) {
      set.add(e.target);
    } else if (e.target === centre) {
      set.add(e.source);
    }
  }
  return set;
}

function addEdge(
  e: SceneEdge,
  color: string,
  lines: Map<string, Path2D>,
  heads: Map<string, Path2D>,
  withHead: boolean,
  k: number
) {
  // Zoomed out, edges thin down with the nodes (to a third), or the overview is all lines.
  const w = Math.max(0.5, Math.round(e.width * Math.min(1, Math.max(0.34, k * 2)) * 2) / 2);
  const key = `${color}|${w}`;
  let p = lines.get(key);
  if (!p) {
    p = new Path2D();
    lines.set(key, p);
  }
  const dx = e.x2 - e.x1;
  const dy = e.y2 - e.y1;
  const len = Math.hypot(dx, dy) || 1;
  // The arrowhead in screen pixels: longer for wider edges.
  const size = (6 + w * 1.5) / k;
  const hasHead = withHead && len > size * 1.5;
  const ux = dx / len;
  const uy = dy / len;
  const bx = hasHead ? e.x2 - ux * size : e.x2;
  const by = hasHead ? e.y2 - uy * size : e.y2;
  p.moveTo(e.x1, e.y1);
  p.lineTo(bx, by);
  if (hasHead) {
    let h = heads.get(color);
    if (!h) {
      h = new Path2D();
      heads.set(color, h);
    }
    const half = size * 0.55;
    h.moveTo(e.x2, e.y2);
    h.lineTo(bx - uy * half, by + ux * half);
    h.lineTo(bx + uy * half, by - ux * half);
    h.closePath();
  }
}

function strokeBuckets(
  ctx: CanvasRenderingContext2D,
  lines: Map<string, Path2D>,
  heads: Map<string, Path2D>,
  k: number
) {
  ctx.setLineDash([]);
  ctx.lineCap = 'butt';
  for (const [key, p] of lines) {
    const [color, w] = key.split('|');
    ctx.strokeStyle = color;
    ctx.lineWidth = Number(w) / k;
    ctx.stroke(p);
  }
  for (const [color, h] of heads) {
    ctx.fillStyle = color;
    ctx.fill(h);
  }
}

function drawOneNode(ctx: CanvasRenderingContext2D, scene: Scene, i: number, c: MapColors, ring: string | undefined) {
  const n = scene.nodes[i];
  ctx.beginPath();
  if (n.node.virtual) {
    ctx.roundRect(n.x - n.r, n.y - n.r, n.r * 2, n.r * 2, 5);
  } else {
    ctx.arc(n.x, n.y, n.r, 0, Math.PI * 2);
  }
  ctx.fillStyle = c.nodeFill;
  ctx.fill();
  if (ring) {
    ctx.setLineDash([]);
    ctx.lineWidth = 3;
    ctx.strokeStyle = ring;
    ctx.beginPath();
    if (n.node.virtual) {
      ctx.roundRect(n.x - n.r - 4, n.y - n.r - 4, n.r * 2 + 8, n.r * 2 + 8, 7);
    } else {
      ctx.arc(n.x, n.y, n.r + 4, 0, Math.PI * 2);
    }
    ctx.stroke();
  }
  ctx.beginPath();
  if (n.node.virtual) {
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = c.virtualStroke;
    ctx.roundRect(n.x - n.r, n.y - n.r, n.r * 2, n.r * 2, 5);
    ctx.stroke();
    ctx.setLineDash([]);
    return;
  }
  ctx.lineWidth = 1;
  ctx.strokeStyle = c.nodeStroke;
  ctx.arc(n.x, n.y, n.r, 0, Math.PI * 2);
  ctx.stroke();
  const ring2 = n.r - 2;
  const split = -Math.PI / 2 + n.errorShare * Math.PI * 2;
  ctx.lineWidth = 3;
  if (n.errorShare > 0) {
    ctx.beginPath();
    ctx.strokeStyle = c.error;
    ctx.arc(n.x, n.y, ring2, -Math.PI / 2, split);
    ctx.stroke();
  }
  if (n.errorShare < 1 && n.node.requests > 0) {
    ctx.beginPath();
    ctx.strokeStyle = c.success;
    ctx.arc(n.x, n.y, ring2, split, Math.PI * 1.5);
    ctx.stroke();
  }
}
