import { searchPagePath, tracePagePath } from '../routes';
import { normalizeTraceId } from '../tempo/traceId';
import type {
  ExploreLinkContext,
  FrameLike,
  PanelLinkContext,
  QueryLike,
  RawRange,
  RawTime,
  TraceViewLinkContext,
} from './contexts';

/**
 * The `configure` functions of Traceway's extension links: pure, no React, no Grafana runtime, because the
 * app preloads and this module runs on every Grafana page. Each returns the link's path (and a description
 * saying where it goes), or undefined to hide the link where Traceway has nothing to open.
 */

/** The one title of every link, as plugin.json's `extensions.addedLinks` declares it. */
export const LINK_TITLE = 'Open in Traceway';

export interface LinkOverrides {
  path: string;
  description: string;
}

const TRACE_ID = /^(0x)?[0-9a-f]{16,32}$/i;
/** Margin around a trace's own time: spans can reach Tempo later than they ended. */
const TRACE_MARGIN_MS = 30 * 60 * 1000;

/** A Tempo query's trace ID (16 to 32 hex characters: what Tempo's data source looks up by ID), canonical. */
export function traceIdOf(query: string): string | undefined {
  const text = query.trim();
  if (!TRACE_ID.test(text)) {
    return undefined;
  }
  const parsed = normalizeTraceId(text);
  return 'traceId' in parsed ? parsed.traceId : undefined;
}

/** A data source UID to put in a link; a template variable (`${ds}`) cannot be resolved here, so none. */
function usableUid(uid: unknown): string | undefined {
  return typeof uid === 'string' && uid !== '' && !uid.includes('$') ? uid : undefined;
}

/** A raw time as the Search page's URL takes it: `now-1h` as is, a DateTime as epoch milliseconds. */
function urlTime(time: RawTime | undefined): string | undefined {
  if (typeof time === 'string') {
    return time === '' ? undefined : time;
  }
  const ms = time?.valueOf();
  return typeof ms === 'number' && Number.isFinite(ms) ? String(Math.round(ms)) : undefined;
}

function urlRange(range: RawRange | undefined): { from?: string; to?: string } {
  const from = urlTime(range?.from);
  const to = urlTime(range?.to);
  return from !== undefined && to !== undefined ? { from, to } : {};
}

const isTempo = (q: QueryLike | null | undefined): q is QueryLike =>
  !!q && typeof q === 'object' && !q.hide && q.datasource?.type === 'tempo';

/** The text of a query, when it is one Traceway can use as it is (no template variables to resolve). */
function literalQuery(q: QueryLike): string | undefined {
  const text = typeof q.query === 'string' ? q.query.trim() : '';
  return text !== '' && !text.includes('$') ? text : undefined;
}

/** The ID of the trace in a panel's or pane's frames: a frame Grafana shows as a trace, with a traceID field. */
export function traceIdInFrames(series: FrameLike[] | undefined): string | undefined {
  for (const frame of Array.isArray(series) ? series : []) {
    if (frame?.meta?.preferredVisualisationType !== 'trace') {
      continue;
    }
    const field = frame.fields?.find((f) => f?.name === 'traceID' || f?.name === 'traceId');
    const first = firstValue(field?.values);
    if (typeof first === 'string') {
      const id = traceIdOf(first);
      if (id) {
        return id;
      }
    }
  }
  return undefined;
}

/** The first value of a field: an array, or a Vector of older Grafana versions (`get(i)`). */
function firstValue(values: unknown): unknown {
  if (Array.isArray(values)) {
    return values[0];
  }
  const vector = values as { get?: (i: number) => unknown; length?: number } | undefined;
  return typeof vector?.get === 'function' && (vector.length ?? 0) > 0 ? vector.get(0) : undefined;
}

/**
 * Where Tempo queries lead: a trace ID to the Trace page (in that data source); TraceQL to the Search page with
 * the query, data source and time range; a Tempo query with nothing Traceway can read (empty, the search
 * builder, a template variable) to the Search page on that data source and range. No Tempo query: undefined.
 */
function linkForTempoQueries(targets: QueryLike[] | undefined, range: RawRange | undefined, frameTraceId?: string) {
  const tempo = (Array.isArray(targets) ? targets : []).filter(isTempo);
  if (tempo.length === 0) {
    return undefined;
  }
  const withQuery = tempo.find((q) => literalQuery(q) !== undefined);
  const target = withQuery ?? tempo[0];
  const datasource = usableUid(target.datasource?.uid);
  const text = withQuery && literalQuery(withQuery);
  const traceId = (text ? traceIdOf(text) : undefined) ?? frameTraceId;
  if (traceId) {
    return trace(traceId, datasource);
  }
  const path = searchPagePath({ datasource, ...urlRange(range), ...(text ? { traceql: text } : {}) });
  return {
    path,
    description: text ? 'Search for these traces in Traceway' : "Search this data source's traces in Traceway",
  };
}

function trace(traceId: string, datasource?: string, time?: { from: number; to: number }): LinkOverrides {
  return {
    path: tracePagePath(traceId, undefined, { datasource, ...time }),
    description: "Open this trace in Traceway's waterfall",
  };
}

/** Explore's toolbar: the pane's Tempo query. Hidden without one. */
export function configureExploreLink(context?: ExploreLinkContext): LinkOverrides | undefined {
  return context ? linkForTempoQueries(context.targets, context.timeRange) : undefined;
}

/** The trace view's header: this trace, when it comes from Tempo (Traceway reads traces from Tempo only). */
export function configureTraceViewLink(context?: TraceViewLinkContext): LinkOverrides | undefined {
  const uid = usableUid(context?.datasource?.uid);
  if (!context || context.datasource?.type !== 'tempo' || !uid || typeof context.traceID !== 'string') {
    return undefined;
  }
  const traceId = traceIdOf(context.traceID);
  if (!traceId) {
    return undefined;
  }
  const { startTime, duration } = context;
  const time =
    typeof startTime === 'number' && Number.isFinite(startTime) && startTime > 0
      ? {
          from: startTime / 1000 - TRACE_MARGIN_MS,
          to: (startTime + (typeof duration === 'number' && duration > 0 ? duration : 0)) / 1000 + TRACE_MARGIN_MS,
        }
      : undefined;
  return trace(traceId, uid, time);
}

/**
 * A panel's queries, each with its data source: a query that uses the panel's data source has none of its own,
 * and then the request that ran it (same refId) says which it was.
 */
function withDatasources(context: PanelLinkContext): QueryLike[] | undefined {
  const sent = context.data?.request?.targets;
  if (!Array.isArray(context.targets) || !Array.isArray(sent)) {
    return context.targets;
  }
  return context.targets.map((q) =>
    q && !q.datasource?.type
      ? { ...q, datasource: sent.find((r) => r?.refId === q.refId)?.datasource ?? q.datasource }
      : q
  );
}

/**
 * A dashboard panel's menu: a panel over Tempo (its trace, or its TraceQL as a search), or a panel of another
 * trace data source whose frames hold a trace (opened by its ID in the configured Tempo). Hidden otherwise.
 */
export function configurePanelLink(context?: PanelLinkContext): LinkOverrides | undefined {
  if (!context) {
    return undefined;
  }
  const frameTraceId = traceIdInFrames(context.data?.series);
  const tempo = linkForTempoQueries(withDatasources(context), context.timeRange, frameTraceId);
  if (tempo) {
    return tempo;
  }
  return frameTraceId ? trace(frameTraceId) : undefined;
}
