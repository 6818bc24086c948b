/**
 * @jest-environment node
 */
import { generateServiceMap } from '../../../bench/servicemapData';
import { computeLayout } from './layout';
import {
  MAX_EDGE_WIDTH,
  MIN_EDGE_WIDTH,
  NODE_BOX,
  RECIPROCAL_OFFSET,
  buildScene,
  centreOn,
  edgeAt,
  edgeWidth,
  fitViewport,
  segmentDistance,
  toScreen,
  toWorld,
  zoomAt,
} from './scene';
import { figureLines, formatErrorShare, formatRequests, summaryLine } from './format';

const map = generateServiceMap({ services: 300, edges: 1200, seed: 4 });
const layout = computeLayout({
  nodes: map.nodes.map((n) => ({ id: n.id, ...NODE_BOX })),
  edges: map.edges.map((e) => ({ source: e.source, target: e.target })),
});
const scene = buildScene(map, layout.positions, true);

describe('service map scene', () => {
  it('widens edges with the rate on a log scale, within the limits', () => {
    expect(edgeWidth(0, 100)).toBe(MIN_EDGE_WIDTH);
    expect(edgeWidth(100, 100)).toBe(MAX_EDGE_WIDTH);
    // log scale: 10 of 10,000 req/s is a quarter of the way up, not a thousandth
    const w = edgeWidth(10, 10000);
    expect(w).toBeGreaterThan(MIN_EDGE_WIDTH + 0.2 * (MAX_EDGE_WIDTH - MIN_EDGE_WIDTH));
    expect(w).toBeLessThan(MIN_EDGE_WIDTH + 0.35 * (MAX_EDGE_WIDTH - MIN_EDGE_WIDTH));
    expect(edgeWidth(5, 10)).toBeLessThan(edgeWidth(6, 10));
  });

  it('places every node and edge of the layout, edges from border to border', () => {
    expect(scene.nodes).toHaveLength(map.nodes.length);
    expect(scene.edges.length).toBe(map.edges.filter((e) => e.source !== e.target).length);
    const e = scene.edges.find((x) => !x.side)!;
    const a = scene.nodes[e.source];
    const b = scene.nodes[e.target];
    expect(Math.hypot(e.x1 - a.x, e.y1 - a.y)).toBeCloseTo(a.r, 5);
    expect(Math.hypot(e.x2 - b.x, e.y2 - b.y)).toBeCloseTo(b.r + 2, 5);
  });

  it('boxes every namespace around its nodes', () => {
    const namespaces = new Set(map.nodes.map((n) => n.namespace).filter(Boolean));
    expect(scene.groups.map((g) => g.name).sort()).toEqual([...namespaces].sort());
    for (const n of scene.nodes) {
      if (n.namespace) {
        const g = scene.groups.find((x) => x.name === n.namespace)!;
        expect(n.x).toBeGreaterThan(g.x);
        expect(n.x).toBeLessThan(g.x + g.width);
        expect(n.y).toBeGreaterThan(g.y);
        expect(n.y).toBeLessThan(g.y + g.height);
      }
    }
    expect(buildScene(map, layout.positions, false).groups).toEqual([]);
  });

  it('finds the node under a point as a scan of all nodes would', () => {
    let x = 7;
    const rand = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    const { x: bx, y: by, width, height } = scene.bounds;
    let hits = 0;
    for (let i = 0; i < 2000; i++) {
      // half the probes near a node, half anywhere
      const near = scene.nodes[Math.floor(rand() * scene.nodes.length)];
      const px = i % 2 ? near.x + (rand() - 0.5) * 50 : bx + rand() * width;
      const py = i % 2 ? near.y + (rand() - 0.5) * 50 : by + rand() * height;
      let want = -1;
      let best = Infinity;
      scene.nodes.forEach((n, k) => {
        const d = Math.hypot(n.x - px, n.y - py);
        if (d <= n.r + 3 && d < best) {
          best = d;
          want = k;
        }
      });
      expect(scene.grid.nodeAt(px, py, 3)).toBe(want);
      hits += want >= 0 ? 1 : 0;
    }
    expect(hits).toBeGreaterThan(200);
  });

  it('finds the nearest edge within the tolerance', () => {
    expect(segmentDistance(5, 5, 0, 0, 10, 0)).toBe(5);
    expect(segmentDistance(-3, 4, 0, 0, 10, 0)).toBe(5);
    const e = scene.edges[10];
    const mx = (e.x1 + e.x2) / 2;
    const my = (e.y1 + e.y2) / 2;
    const i = edgeAt(scene.edges, mx, my, 1);
    expect(i).toBeGreaterThanOrEqual(0);
    const hit = scene.edges[i];
    expect(segmentDistance(mx, my, hit.x1, hit.y1, hit.x2, hit.y2)).toBeLessThan(1e-6);
    expect(edgeAt(scene.edges, scene.bounds.x - 500, scene.bounds.y - 500, 5)).toBe(-1);
  });

  it('draws reciprocal calls apart, each hit where it is drawn', () => {
    const node = (id: string) => ({ id, requests: 1, errors: 0, virtual: false });
    const call = (source: string, target: string, requests: number) => ({
      source,
      target,
      requests,
      errors: 0,
      connectionType: '' as const,
    });
    const small = buildScene(
      { nodes: [node('a'), node('b'), node('c')], edges: [call('a', 'b', 5), call('b', 'a', 1), call('b', 'c', 2)] },
      { a: { x: 0, y: 0 }, b: { x: 300, y: 0 }, c: { x: 300, y: 300 } },
      false
    );
    const [ab, ba, bc] = small.edges;
    expect(bc.side).toBeUndefined();
    // A→B runs below the line between the nodes (its right-hand side, y down), B→A above it.
    expect(ab.y1).toBeCloseTo(RECIPROCAL_OFFSET, 5);
    expect(ba.y1).toBeCloseTo(-RECIPROCAL_OFFSET, 5);
    expect(segmentDistance(150, ab.y1, ba.x1, ba.y1, ba.x2, ba.y2)).toBeCloseTo(2 * RECIPROCAL_OFFSET, 5);
    // Their ends stay on the node borders.
    expect(Math.hypot(ab.x1, ab.y1)).toBeCloseTo(small.nodes[0].r, 5);
    expect(Math.hypot(ba.x1 - 300, ba.y1)).toBeCloseTo(small.nodes[1].r, 5);
    // Each is the edge hit on its own side of the line, at any zoom's tolerance that fits between them.
    for (const tolerance of [2, 5, 20]) {
      expect(edgeAt(small.edges, 150, RECIPROCAL_OFFSET + 1, tolerance)).toBe(0);
      expect(edgeAt(small.edges, 150, -RECIPROCAL_OFFSET - 1, tolerance)).toBe(1);
    }
  });
});

describe('service map viewport', () => {
  it('fits the whole map inside the screen, centred', () => {
    const vp = fitViewport(scene.bounds, 1200, 800);
    const tl = toScreen(vp, { x: scene.bounds.x, y: scene.bounds.y });
    const br = toScreen(vp, { x: scene.bounds.x + scene.bounds.width, y: scene.bounds.y + scene.bounds.height });
    expect(tl.x).toBeGreaterThanOrEqual(23.9);
    expect(tl.y).toBeGreaterThanOrEqual(23.9);
    expect(br.x).toBeLessThanOrEqual(1200 - 23.9);
    expect(br.y).toBeLessThanOrEqual(800 - 23.9);
    expect((tl.x + br.x) / 2).toBeCloseTo(600, 5);
    // a tiny map is not blown up past 1.5
    expect(fitViewport({ x: 0, y: 0, width: 100, height: 50 }, 1200, 800).k).toBe(1.5);
  });

  it('zooms around the pointer: the point under it stays put', () => {
    const vp = { k: 0.7, x: 40, y: -30 };
    const before = toWorld(vp, 300, 200);
    const after = zoomAt(vp, 300, 200, 1.8);
    expect(after.k).toBeCloseTo(1.26, 10);
    const p = toScreen(after, before);
    expect(p.x).toBeCloseTo(300, 8);
    expect(p.y).toBeCloseTo(200, 8);
    // clamped at the limits
    expect(zoomAt(vp, 0, 0, 1e6).k).toBe(6);
    expect(zoomAt(vp, 0, 0, 1e-6).k).toBe(0.02);
  });

  it('centres a point, zooming in to at least the asked zoom', () => {
    const vp = centreOn({ k: 0.1, x: 0, y: 0 }, { x: 500, y: -200 }, 800, 600, 0.8);
    expect(vp.k).toBe(0.8);
    expect(toScreen(vp, { x: 500, y: -200 })).toEqual({ x: 400, y: 300 });
  });
});

describe('service map figures', () => {
  it('reads rates as req/s and samples as calls', () => {
    expect(formatRequests(1234.5, 'per-second')).toBe('1,235 req/s');
    expect(formatRequests(2.345, 'per-second')).toBe('2.3 req/s');
    expect(formatRequests(0.0042, 'per-second')).toBe('0.004 req/s');
    expect(formatRequests(1, 'calls')).toBe('1 call');
    expect(formatRequests(1200, 'calls')).toBe('1,200 calls');
  });

  it('keeps a decimal on small error shares', () => {
    expect(formatErrorShare({ requests: 1000, errors: 4 })).toBe('0.4% errors');
    expect(formatErrorShare({ requests: 10, errors: 5 })).toBe('50% errors');
    expect(formatErrorShare({ requests: 0, errors: 0 })).toBe('0% errors');
  });

  it('lists the known latencies, the mean only when no percentile is known', () => {
    expect(figureLines({ requests: 3, errors: 0, p50Ms: 4.25, p95Ms: 1500 }, 'per-second')).toEqual([
      '3 req/s',
      '0% errors',
      'p50 4.3 ms · p95 1.5 s',
    ]);
    expect(figureLines({ requests: 3, errors: 0, meanMs: 12 }, 'calls')).toEqual([
      '3 calls',
      '0% errors',
      'mean 12 ms',
    ]);
  });

  it('says how much of the map is shown, and the layout time', () => {
    expect(summaryLine({ nodes: 1000, edges: 5000 }, { nodes: 1000, edges: 5000 }, 340.4)).toBe(
      '1,000 services, 5,000 calls; layout 340 ms'
    );
    expect(summaryLine({ nodes: 12, edges: 1 }, { nodes: 1000, edges: 5000 })).toBe(
      '12 of 1,000 services, 1 of 5,000 calls'
    );
  });
});
