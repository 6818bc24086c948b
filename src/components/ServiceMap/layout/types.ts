/** What a layout places: boxes (node sizes in pixels) and the calls between them. */
export interface LayoutNode {
  id: string;
  width: number;
  height: number;
  /** nodes of the same group (a `service.namespace`) are kept together */
  group?: string;
}

export interface LayoutEdge {
  /** the caller */
  source: string;
  /** the callee */
  target: string;
}

export interface LayoutPoint {
  x: number;
  y: number;
}

export interface LayoutInput {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** the positions of an earlier layout (e.g. before the time range changed): nodes still there stay close to them */
  previous?: Record<string, LayoutPoint>;
}

export interface LayoutResult {
  /** node centres, by id */
  positions: Record<string, LayoutPoint>;
  /** the box around every node (centres ± half sizes) */
  bounds: { x: number; y: number; width: number; height: number };
  method: 'layered' | 'force';
  /** time spent computing, in milliseconds */
  ms: number;
}
