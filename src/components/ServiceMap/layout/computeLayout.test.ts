/** @jest-environment node */
import { generateServiceMap } from '../../../../bench/servicemapData';
import { computeLayout, LAYERED_MAX_NODES } from './computeLayout';
import type { LayoutInput, LayoutResult } from './types';

const BOX = { width: 150, height: 70 };

function mapInput(services: number, edges: number, options: { grouped?: boolean; seed?: number } = {}): LayoutInput {
  const map = generateServiceMap({ services, edges, seed: options.seed ?? 1 });
  return {
    nodes: map.nodes.map((n) => ({
      id: n.id,
      ...BOX,
      ...(options.grouped && n.namespace ? { group: n.namespace } : {}),
    })),
    edges: map.edges.map((e) => ({ source: e.source, target: e.target })),
  };
}

function overlaps(input: LayoutInput, layout: LayoutResult): number {
  let count = 0;
  const ps = input.nodes.map((n) => ({ n, p: layout.positions[n.id] }));
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const a = ps[i];
      const b = ps[j];
      if (
        Math.abs(a.p.x - b.p.x) < (a.n.width + b.n.width) / 2 &&
        Math.abs(a.p.y - b.p.y) < (a.n.height + b.n.height) / 2
      ) {
        count++;
      }
    }
  }
  return count;
}

function expectSane(input: LayoutInput, layout: LayoutResult) {
  expect(Object.keys(layout.positions).sort()).toEqual(input.nodes.map((n) => n.id).sort());
  const { x, y, width, height } = layout.bounds;
  const touches = { left: false, right: false, top: false, bottom: false };
  const eps = 1e-6;
  for (const n of input.nodes) {
    const p = layout.positions[n.id];
    expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    expect(p.x - n.width / 2).toBeGreaterThanOrEqual(x - eps);
    expect(p.x + n.width / 2).toBeLessThanOrEqual(x + width + eps);
    expect(p.y - n.height / 2).toBeGreaterThanOrEqual(y - eps);
    expect(p.y + n.height / 2).toBeLessThanOrEqual(y + height + eps);
    touches.left ||= Math.abs(p.x - n.width / 2 - x) < eps;
    touches.right ||= Math.abs(p.x + n.width / 2 - (x + width)) < eps;
    touches.top ||= Math.abs(p.y - n.height / 2 - y) < eps;
    touches.bottom ||= Math.abs(p.y + n.height / 2 - (y + height)) < eps;
  }
  // The bounds are the tightest box: a node on each side.
  expect(touches).toEqual({ left: true, right: true, top: true, bottom: true });
}

const meanDistance = (layout: LayoutResult, pairs: Array<[string, string]>) =>
  pairs.reduce((s, [a, b]) => {
    const p = layout.positions[a];
    const q = layout.positions[b];
    return s + Math.hypot(p.x - q.x, p.y - q.y);
  }, 0) / pairs.length;

describe('computeLayout, layered (small maps)', () => {
  const input = mapInput(30, 45);
  const layout = computeLayout(input);

  it('lays out a small map in layers, callers left of their callees, boxes apart', () => {
    expect(layout.method).toBe('layered');
    expectSane(input, layout);
    // The generated map's calls go down its layers (no cycles), so every call points right.
    for (const e of input.edges) {
      expect(layout.positions[e.source].x).toBeLessThan(layout.positions[e.target].x);
    }
    expect(overlaps(input, layout)).toBe(0);
  });

  it('gives the same layout for the same map, in any order', () => {
    const shuffled = { nodes: [...input.nodes].reverse(), edges: [...input.edges].reverse() };
    expect(computeLayout(shuffled).positions).toEqual(layout.positions);
  });

  it('keeps a namespace in one block (dagre clusters)', () => {
    const grouped = mapInput(30, 45, { grouped: true });
    const result = computeLayout(grouped);
    expect(result.method).toBe('layered');
    expectSane(grouped, result);
    expect(overlaps(grouped, result)).toBe(0);
    // No node of another group inside a group's box.
    const groups = new Map<string, string[]>();
    for (const n of grouped.nodes) {
      if (n.group) {
        groups.set(n.group, [...(groups.get(n.group) ?? []), n.id]);
      }
    }
    expect(groups.size).toBeGreaterThan(0);
    for (const [group, ids] of groups) {
      const ys = ids.map((id) => result.positions[id].y);
      const xs = ids.map((id) => result.positions[id].x);
      const inside = grouped.nodes.filter((n) => {
        const p = result.positions[n.id];
        return (
          n.group !== group &&
          n.group !== undefined &&
          p.x > Math.min(...xs) &&
          p.x < Math.max(...xs) &&
          p.y > Math.min(...ys) &&
          p.y < Math.max(...ys)
        );
      });
      expect(inside.map((n) => n.id)).toEqual([]);
    }
  });

  it('moves a new layered layout so that the nodes shown before keep their centre', () => {
    const shifted = Object.fromEntries(
      Object.entries(layout.positions).map(([id, p]) => [id, { x: p.x + 1000, y: p.y - 500 }])
    );
    const again = computeLayout({ ...input, previous: shifted });
    for (const n of input.nodes) {
      expect(again.positions[n.id].x).toBeCloseTo(shifted[n.id].x, 6);
      expect(again.positions[n.id].y).toBeCloseTo(shifted[n.id].y, 6);
    }
  });

  it('uses force instead when one rank would make a thin column (a hub calling 60 services)', () => {
    const hub: LayoutInput = {
      nodes: [{ id: 'hub', ...BOX }, ...Array.from({ length: 60 }, (_, i) => ({ id: `s${i}`, ...BOX }))],
      edges: Array.from({ length: 60 }, (_, i) => ({ source: 'hub', target: `s${i}` })),
    };
    expect(hub.nodes.length).toBeLessThanOrEqual(LAYERED_MAX_NODES);
    const result = computeLayout(hub);
    expect(result.method).toBe('force');
    expectSane(hub, result);
    expect(result.bounds.height / result.bounds.width).toBeLessThan(3);
  });
});

describe('computeLayout, force (large maps)', () => {
  const input = mapInput(300, 1500);
  const layout = computeLayout(input);

  it('lays out a large map by force, finite, within its bounds, with few overlaps', () => {
    expect(layout.method).toBe('force');
    expectSane(input, layout);
    expect(overlaps(input, layout)).toBeLessThanOrEqual(3);
    expect(layout.ms).toBeGreaterThan(0);
  });

  it('gives the same layout for the same map, in any order', () => {
    const again = computeLayout({ nodes: [...input.nodes].reverse(), edges: [...input.edges].reverse() });
    expect(again.positions).toEqual(layout.positions);
  });

  it('still reads left to right: most calls point right', () => {
    const right = input.edges.filter((e) => layout.positions[e.target].x > layout.positions[e.source].x).length;
    expect(right / input.edges.length).toBeGreaterThan(0.55);
  });

  it('keeps namespaces together: services of one namespace are closer than services of two', () => {
    const grouped = mapInput(300, 1500, { grouped: true });
    const result = computeLayout(grouped);
    expectSane(grouped, result);
    const same: Array<[string, string]> = [];
    const other: Array<[string, string]> = [];
    const withGroup = grouped.nodes.filter((n) => n.group);
    for (let i = 0; i < withGroup.length; i++) {
      for (let j = i + 1; j < withGroup.length; j++) {
        (withGroup[i].group === withGroup[j].group ? same : other).push([withGroup[i].id, withGroup[j].id]);
      }
    }
    expect(meanDistance(result, same)).toBeLessThan(0.6 * meanDistance(result, other));
    // Each namespace in its own box: the boxes around the groups' nodes do not overlap.
    const boxes = new Map<string, { x0: number; y0: number; x1: number; y1: number }>();
    for (const n of withGroup) {
      const p = result.positions[n.id];
      const b = boxes.get(n.group!) ?? { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
      boxes.set(n.group!, {
        x0: Math.min(b.x0, p.x - n.width / 2),
        y0: Math.min(b.y0, p.y - n.height / 2),
        x1: Math.max(b.x1, p.x + n.width / 2),
        y1: Math.max(b.y1, p.y + n.height / 2),
      });
    }
    const list = [...boxes.values()];
    expect(list.length).toBeGreaterThan(3);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const apart =
          list[i].x1 <= list[j].x0 || list[j].x1 <= list[i].x0 || list[i].y1 <= list[j].y0 || list[j].y1 <= list[i].y0;
        expect(apart).toBe(true);
      }
    }
    expect(overlaps(grouped, result)).toBe(0);
    // Without groups, the same namespaces are mixed much more.
    expect(meanDistance(layout, same) / meanDistance(layout, other)).toBeGreaterThan(
      meanDistance(result, same) / meanDistance(result, other)
    );
  });

  it('moves the services shown before little when the map changes (a new time range)', () => {
    const gone = new Set(input.nodes.filter((_, i) => i % 20 === 3).map((n) => n.id));
    const nodes = input.nodes.filter((n) => !gone.has(n.id));
    const edges = input.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target));
    for (let i = 0; i < gone.size; i++) {
      nodes.push({ id: `new-${i}`, ...BOX });
      edges.push({ source: nodes[(i * 7) % 280].id, target: `new-${i}` });
    }
    const edgeLength = meanDistance(
      layout,
      input.edges.map((e) => [e.source, e.target])
    );
    const moved = (result: LayoutResult) =>
      nodes
        .filter((n) => layout.positions[n.id])
        .reduce((s, n) => {
          const p = layout.positions[n.id];
          const q = result.positions[n.id];
          return s + Math.hypot(p.x - q.x, p.y - q.y);
        }, 0) /
      (nodes.length - gone.size) /
      edgeLength;

    const stable = computeLayout({ nodes, edges, previous: layout.positions });
    expectSane({ nodes, edges }, stable);
    expect(moved(stable)).toBeLessThan(0.3);
    // From scratch the same change moves them much more.
    expect(moved(computeLayout({ nodes, edges }))).toBeGreaterThan(3 * moved(stable));
    // New nodes are placed near the node that calls them.
    const p = stable.positions['new-0'];
    const caller = stable.positions[nodes[0].id];
    expect(Math.hypot(p.x - caller.x, p.y - caller.y)).toBeLessThan(3 * edgeLength);
  });

  it('puts a new service of a namespace with its namespace, also when it calls another', () => {
    const grouped = mapInput(300, 1500, { grouped: true });
    const before = computeLayout(grouped);
    const [a, b] = [...new Set(grouped.nodes.map((n) => n.group).filter(Boolean))] as string[];
    const inB = grouped.nodes.find((n) => n.group === b)!;
    const after = computeLayout({
      nodes: [...grouped.nodes, { id: 'new-in-a', ...BOX, group: a }],
      edges: [...grouped.edges, { source: 'new-in-a', target: inB.id }],
      previous: before.positions,
    });
    const centre = (group: string) => {
      const ps = grouped.nodes.filter((n) => n.group === group).map((n) => after.positions[n.id]);
      return { x: ps.reduce((t, p) => t + p.x, 0) / ps.length, y: ps.reduce((t, p) => t + p.y, 0) / ps.length };
    };
    const p = after.positions['new-in-a'];
    const distance = (c: { x: number; y: number }) => Math.hypot(p.x - c.x, p.y - c.y);
    expect(distance(centre(a))).toBeLessThan(distance(centre(b)));
  });

  it('lays out from scratch when most nodes are new', () => {
    const previous = Object.fromEntries(input.nodes.slice(0, 100).map((n) => [n.id, { x: 0, y: 0 }]));
    expect(computeLayout({ ...input, previous }).positions).toEqual(layout.positions);
  });
});

describe('computeLayout input', () => {
  it('lays out nothing, or one node', () => {
    expect(computeLayout({ nodes: [], edges: [] })).toMatchObject({
      positions: {},
      bounds: { x: 0, y: 0, width: 0, height: 0 },
    });
    const one = computeLayout({ nodes: [{ id: 'a', width: 10, height: 20 }], edges: [] });
    expect(one.bounds).toMatchObject({ width: 10, height: 20 });
  });

  it('ignores self-calls and repeated pairs (several connection types)', () => {
    const result = computeLayout({
      nodes: [
        { id: 'a', ...BOX },
        { id: 'b', ...BOX },
      ],
      edges: [
        { source: 'a', target: 'a' },
        { source: 'a', target: 'b' },
        { source: 'a', target: 'b' },
      ],
    });
    expect(result.positions.a.x).toBeLessThan(result.positions.b.x);
  });

  it('says what is wrong with bad input', () => {
    expect(() =>
      computeLayout({
        nodes: [
          { id: 'a', ...BOX },
          { id: 'a', ...BOX },
        ],
        edges: [],
      })
    ).toThrow('node id "a" appears twice (nodes[0] and nodes[1])');
    expect(() => computeLayout({ nodes: [{ id: 'a', ...BOX }], edges: [{ source: 'a', target: 'zz' }] })).toThrow(
      'edges[0] has target "zz", which is not a node'
    );
    expect(() => computeLayout({ nodes: [{ id: 'a', width: NaN, height: 1 }], edges: [] })).toThrow(
      'nodes[0] ("a") has width NaN'
    );
    expect(() => computeLayout({} as LayoutInput)).toThrow('nodes is missing or not an array');
  });
});
