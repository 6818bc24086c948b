import { SearchTrace } from '../../tempo';

/** A search result as the page shows it: the trace and whether it failed. */
export interface ResultRow {
  trace: SearchTrace;
  failed: boolean;
}

export type SortKey = 'traceId' | 'rootService' | 'rootName' | 'startMs' | 'durationMs' | 'matched' | 'failed';
export interface Sort {
  key: SortKey;
  desc: boolean;
}

/** Newest first: how Tempo's results and the progressive search are ordered too. */
export const DEFAULT_SORT: Sort = { key: 'startMs', desc: true };

function sortValue(row: ResultRow, key: SortKey): string | number {
  switch (key) {
    case 'failed':
      return row.failed ? 1 : 0;
    case 'rootService':
    case 'rootName':
      // A trace whose root has not arrived sorts after every named one, either way round.
      return row.trace[key] ?? '';
    case 'durationMs':
      return row.trace.durationMs ?? -1;
    default:
      return row.trace[key];
  }
}

/** Rows in the sort's order; ties keep their order by start time, newest first, then trace ID. */
export function sortRows(rows: ResultRow[], sort: Sort): ResultRow[] {
  const dir = sort.desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va !== vb) {
      if (typeof va === 'string' && typeof vb === 'string') {
        if (va === '' || vb === '') {
          return va === '' ? 1 : -1;
        }
        return dir * va.localeCompare(vb);
      }
      return dir * ((va as number) - (vb as number));
    }
    return b.trace.startMs - a.trace.startMs || (a.trace.traceId < b.trace.traceId ? -1 : 1);
  });
}

/** Rows for the traces, failed when in failedTraceIds or when the search asked for failures only. */
export function toRows(traces: SearchTrace[], failedTraceIds: ReadonlySet<string>, allFailed: boolean): ResultRow[] {
  return traces.map((trace) => ({ trace, failed: allFailed || failedTraceIds.has(trace.traceId) }));
}

/** Durations of search results (milliseconds, as Tempo gives them): "<1 ms", 12 ms, 1.24 s, 2 min 05 s. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return '–';
  }
  if (ms < 1) {
    return ms === 0 ? '<1 ms' : `${(ms * 1000).toFixed(0)} µs`;
  }
  if (ms < 1000) {
    return `${ms >= 100 ? ms.toFixed(0) : Number(ms.toFixed(1))} ms`;
  }
  if (ms < 60_000) {
    return `${Number((ms / 1000).toFixed(2))} s`;
  }
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
