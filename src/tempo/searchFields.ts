/**
 * The Search page's fields as data: the URL state (src/routes.ts) and the TraceQL builder share these. Kept
 * apart from the builder because the app preloads on every Grafana page and its links need only the shapes.
 */

export type StatusFilter = 'any' | 'error' | 'ok';
export type FilterScope = 'span' | 'resource' | 'any';
export const FILTER_OPERATORS = ['=', '!=', '=~', '!~', '>', '>=', '<', '<='] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface AttributeFilter {
  scope: FilterScope;
  key: string;
  operator: FilterOperator;
  value: string;
}

/** What a trace search asks for, field by field (durations as Grafana duration strings). */
export interface TraceSearch {
  service?: string;
  spanName?: string;
  minDuration?: string;
  maxDuration?: string;
  status?: StatusFilter;
  requestId?: string;
  filters?: AttributeFilter[];
}
