import dagre from '@dagrejs/dagre';

import type { LayoutEdge, LayoutNode, LayoutPoint } from './types';

// Space between boxes in a rank and between ranks, in pixels.
const NODE_SEP = 10;
const RANK_SEP = 60;
const EDGE_SEP = 4;
const CLUSTER = '\u0000group:';

/**
 * Layered (Sugiyama) layout by dagre, calls left → right: a caller is in a rank left of its callees (cycles are
 * broken by dagre). Boxes do not overlap. Groups become dagre clusters, so a namespace stays in one block.
 * Cost grows fast with size (network simplex and crossing reduction): meant for maps up to ~120 nodes.
 */
export function layeredPositions(
  nodes: LayoutNode[],
  edges: LayoutEdge[],
  groups: boolean
): Record<string, LayoutPoint> {
  try {
    return run(nodes, edges, groups);
  } catch (error) {
    if (!groups) {
      throw error;
    }
    // dagre's compound layout has known failures on some cluster shapes; a map without the blocks beats none.
    return run(nodes, edges, false);
  }
}

function run(nodes: LayoutNode[], edges: LayoutEdge[], groups: boolean): Record<string, LayoutPoint> {
  const g = new dagre.graphlib.Graph({ compound: groups, multigraph: false });
  g.setGraph({
    rankdir: 'LR',
    nodesep: NODE_SEP,
    edgesep: EDGE_SEP,
    ranksep: RANK_SEP,
    marginx: 0,
    marginy: 0,
    ranker: 'network-simplex',
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    g.setNode(n.id, { width: n.width, height: n.height });
  }
  if (groups) {
    for (const n of nodes) {
      if (n.group !== undefined) {
        const cluster = CLUSTER + n.group;
        if (!g.hasNode(cluster)) {
          g.setNode(cluster, { width: 0, height: 0, paddingX: 8, paddingY: 8 });
        }
        g.setParent(n.id, cluster);
      }
    }
  }
  for (const e of edges) {
    g.setEdge(e.source, e.target);
  }
  dagre.layout(g);
  const positions: Record<string, LayoutPoint> = {};
  for (const n of nodes) {
    const label = g.node(n.id) as { x?: number; y?: number };
    positions[n.id] = { x: label.x ?? 0, y: label.y ?? 0 };
  }
  return positions;
}
