import { urlUtil } from '@grafana/data';
import pluginJson from './plugin.json';

/**
 * The one module that owns the app's routes and the links into and out of it. Pages, panels and the
 * waterfall build URLs here, never by hand, so a route changes in one place.
 */
export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/** App routes, relative to PLUGIN_BASE_URL. */
export enum ROUTES {
  Search = 'search',
  Trace = 'trace',
  ServiceMap = 'service-map',
}

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/** The app's trace page, optionally selecting one span; `?span=` is the deep link the page reads. */
export function tracePagePath(traceId: string, spanId?: string): string {
  const base = `${prefixRoute(ROUTES.Trace)}/${encodeURIComponent(traceId)}`;
  return spanId ? `${base}?span=${encodeURIComponent(spanId)}` : base;
}

/** Margin around a trace's own time in links that need a range: spans can be late to arrive in Tempo. */
const EXPLORE_MARGIN_MS = 30 * 60 * 1000;

/**
 * Grafana Explore with the same data source and this trace ID as a TraceQL query. With the trace's
 * time, the range is that time with a margin, so an old trace opens; without it, the last hour.
 */
export function exploreTraceUrl(
  datasourceUid: string,
  traceId: string,
  traceTime?: { startMs: number; endMs: number }
): string {
  const range = traceTime
    ? {
        from: String(Math.floor(traceTime.startMs - EXPLORE_MARGIN_MS)),
        to: String(Math.ceil(traceTime.endMs + EXPLORE_MARGIN_MS)),
      }
    : { from: 'now-1h', to: 'now' };
  const pane = {
    datasource: datasourceUid,
    queries: [{ refId: 'A', datasource: { type: 'tempo', uid: datasourceUid }, queryType: 'traceql', query: traceId }],
    range,
  };
  return urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify({ trace: pane }) });
}
