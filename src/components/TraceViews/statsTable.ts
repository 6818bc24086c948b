import { GroupStats, compareNames } from '../../trace';
import { nextSort as nextColumnSort } from '../sorting';

/** The statistics table's columns, in order; `numeric` ones sort the largest first on their first click. */
export const STATS_COLUMNS = [
  { key: 'service', label: 'Service', numeric: false },
  { key: 'operation', label: 'Operation', numeric: false },
  { key: 'count', label: 'Spans', numeric: true },
  {
    key: 'totalNs',
    label: 'Total',
    numeric: true,
    // Nested spans of one group (a server span and its client child) each count, so a Total can exceed the trace.
    title: "The group's span durations added up: nested spans of one group each count, so it can exceed the trace",
  },
  { key: 'avgNs', label: 'Average', numeric: true },
  { key: 'minNs', label: 'Min', numeric: true },
  { key: 'maxNs', label: 'Max', numeric: true },
  {
    key: 'selfNs',
    label: 'Self time',
    numeric: true,
    title: "The spans' time not covered by their children, added up",
  },
  { key: 'share', label: 'Share of trace', numeric: true, title: "Self time as a share of the trace's duration" },
  { key: 'errors', label: 'Errors', numeric: true },
] as const;

export type StatsColumn = (typeof STATS_COLUMNS)[number]['key'];
export type StatsGrouping = 'service' | 'operation';

export interface StatsSort {
  key: StatsColumn;
  desc: boolean;
}

/** "Where did the time go?": the largest self time first. */
export const DEFAULT_STATS_SORT: StatsSort = { key: 'selfNs', desc: true };

/**
 * A header click, by the rule every table shares (`nextSort` in ../sorting.ts): the same column flips its order;
 * another starts largest first (names from A).
 */
export function nextSort(current: StatsSort, key: StatsColumn): StatsSort {
  const natural = STATS_COLUMNS.find((c) => c.key === key)?.numeric ?? false;
  const next = nextColumnSort({ column: current.key, desc: current.desc }, key, natural);
  return { key: next.column, desc: next.desc };
}

// Names sort as in every table (`compareNames`): case aside, numbers by value ("t9" before "t10").
const byName = (a: GroupStats, b: GroupStats) =>
  compareNames(a.service, b.service) || compareNames(a.operation, b.operation);

/** A sorted copy; ties fall back to service, then operation, always A to Z, so the order is stable. */
export function sortGroups(groups: GroupStats[], sort: StatsSort): GroupStats[] {
  const { key, desc } = sort;
  const dir = desc ? -1 : 1;
  const primary =
    key === 'service' || key === 'operation'
      ? (a: GroupStats, b: GroupStats) => compareNames(a[key], b[key])
      : (a: GroupStats, b: GroupStats) => a[key] - b[key];
  return groups.slice().sort((a, b) => dir * primary(a, b) || byName(a, b));
}

/** What a row's filter on the timeline is called: "service" or "service: operation". */
export function groupLabel(g: GroupStats, grouping: StatsGrouping): string {
  return grouping === 'service' ? g.service : `${g.service}: ${g.operation || '(no name)'}`;
}

/** The row's test id key: the service, or service/operation. */
export function groupKey(g: GroupStats, grouping: StatsGrouping): string {
  return grouping === 'service' ? g.service : `${g.service}/${g.operation}`;
}

/** Shares as percentages people read: 42%, 3.5%, 0.04%, "< 0.01%" rather than a misleading 0%. */
export function formatShare(share: number): string {
  const p = share * 100;
  if (!Number.isFinite(p) || p <= 0) {
    return '0%';
  }
  if (p < 0.01) {
    return '< 0.01%';
  }
  return `${p >= 10 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toFixed(2)}%`;
}
