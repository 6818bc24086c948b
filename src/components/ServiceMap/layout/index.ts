export { computeLayout, LAYERED_MAX_EDGES, LAYERED_MAX_NODES } from './computeLayout';
export { useLayout, type LayoutState } from './useLayout';
export type { LayoutEdge, LayoutInput, LayoutNode, LayoutPoint, LayoutResult } from './types';
