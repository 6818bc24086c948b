import { Sort } from './results';
import { SearchState } from './useSearch';

/** How the results table was left: its order and the rows opened. */
export interface TableView {
  sort: Sort;
  expanded: ReadonlySet<string>;
}

/** A finished search as it was shown: the range it resolved to, its results, and the table's view. */
export interface CachedSearch {
  range: { fromMs: number; toMs: number };
  state: SearchState;
  view?: TableView;
}

/** Enough for Back through a few searches and traces; older ones are searched again. */
const MAX_CACHED = 10;
const cache = new Map<string, CachedSearch>();

export function cachedSearch(key: string): CachedSearch | undefined {
  return cache.get(key);
}

export function cacheSearch(key: string, entry: CachedSearch): void {
  // Re-inserted so that the Map's order is the order of use, oldest first.
  cache.delete(key);
  cache.set(key, entry);
  while (cache.size > MAX_CACHED) {
    cache.delete(cache.keys().next().value!);
  }
}

/** Keeps the table's view with its search, so that Back shows the rows in the order they were left. */
export function rememberView(key: string, view: TableView): void {
  const entry = cache.get(key);
  if (entry) {
    entry.view = view;
  }
}

/** For tests: each starts without searches from the ones before. */
export function clearSearchCache(): void {
  cache.clear();
}
