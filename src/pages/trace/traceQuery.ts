import { dateTimeFormat } from '@grafana/data';
import { formatBytes } from '../../components/TraceHeader/format';

/** One trace lookup in a Tempo data source (the Trace page's, and each side of Compare). */
export interface TraceQuery {
  datasourceUid: string;
  traceId: string;
  /** epoch seconds */
  start?: number;
  end?: number;
}

/** One string per lookup: a loaded trace is used only for the query that loaded it. */
export const traceQueryKey = (q: TraceQuery) => `${q.datasourceUid}\n${q.traceId}\n${q.start}\n${q.end}`;

/**
 * A URL's optional from and to (epoch milliseconds, as Grafana writes them) as the epoch seconds Tempo's trace
 * lookup takes, widened to whole seconds; nothing unless both are there and in order.
 */
export function secondsRange(fromMs: number | undefined, toMs: number | undefined): { start?: number; end?: number } {
  return fromMs !== undefined && toMs !== undefined && fromMs > 0 && toMs > fromMs
    ? { start: Math.floor(fromMs / 1000), end: Math.ceil(toMs / 1000) }
    : {};
}

/**
 * How a page names a lookup's data source: by the name the data source picker shows (`name`, from Grafana's list),
 * with the UID in parentheses only when it is not just the name in other case; the UID alone when Grafana does not
 * know it.
 */
export function dataSourceLabel(uid: string, name: string | undefined): string {
  if (!name) {
    return `"${uid}"`;
  }
  return name.toLowerCase() === uid.toLowerCase() ? `"${name}"` : `"${name}" (uid ${uid})`;
}

/** What a lookup in progress says: the bytes so far, then that the model is reading them. */
export function loadingText(
  query: TraceQuery,
  phase: 'fetching' | 'reading',
  bytes: number,
  datasourceName?: string
): string {
  if (phase === 'reading') {
    return `Reading ${formatBytes(bytes)} of trace data…`;
  }
  const received = bytes > 0 ? `: ${formatBytes(bytes)} received` : '';
  return `Loading trace ${query.traceId} from ${dataSourceLabel(query.datasourceUid, datasourceName)}${received}…`;
}

/** Where a trace that was not found was looked for: "between <from> and <to>", or undefined for no range. */
export function searchedRange(query: TraceQuery): string | undefined {
  return query.start !== undefined && query.end !== undefined
    ? `between ${dateTimeFormat(query.start * 1000)} and ${dateTimeFormat(query.end * 1000)}`
    : undefined;
}

/**
 * The first sentence of "Trace not found" on the Trace page and on each side of Compare: which data source (by its
 * name), which trace, and which time range was searched (without one, Tempo looks through all it still keeps).
 */
export function notFoundText(query: TraceQuery, datasourceName?: string): string {
  const where = searchedRange(query) ?? 'within its retention (no time range given)';
  return `Tempo data source ${dataSourceLabel(query.datasourceUid, datasourceName)} has no trace ${query.traceId} ${where}.`;
}
