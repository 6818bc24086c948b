/**
 * The shapes of the contexts Grafana hands to `configure` at each extension point, as far as Traceway reads
 * them. Structural, and every field optional: Grafana's own types for the Explore and trace view contexts
 * are not exported from @grafana/data, and a context is data from the host, checked before use.
 *
 * - Explore's toolbar (`grafana/explore/toolbar/action`): `{ exploreId, targets, data, timeRange, timeZone,
 *   shouldShowAddCorrelation }`, `timeRange` being the pane's raw range (`now-1h` or a DateTime).
 * - The trace view's header (`grafana/traceview/header/actions`): the trace view's trace (`traceID`,
 *   `startTime` and `duration` in microseconds, `spans`...) with `datasource: { name, uid, type }`.
 * - A dashboard panel's menu (`grafana/dashboard/panel/menu`): `PluginExtensionPanelContext`, `{ pluginId,
 *   id, title, timeRange, timeZone, dashboard, targets, scopedVars, data }`.
 */

/** A query as Grafana stores it; Tempo's carry `queryType` (`traceql`, `traceqlSearch`, ...) and `query`. */
export interface QueryLike {
  refId?: string;
  hide?: boolean;
  datasource?: { type?: string; uid?: string } | null;
  queryType?: string;
  query?: unknown;
}

/** A time as Grafana keeps it in a raw range: text (`now-1h`, epoch ms) or a DateTime (moment). */
export type RawTime = string | { valueOf(): unknown };

export interface RawRange {
  from?: RawTime;
  to?: RawTime;
}

/** A data frame, as far as telling a trace frame and its trace ID goes. */
export interface FrameLike {
  meta?: { preferredVisualisationType?: string } | null;
  fields?: Array<{ name?: string; values?: unknown }>;
}

export interface ExploreLinkContext {
  exploreId?: string;
  targets?: QueryLike[];
  timeRange?: RawRange;
}

export interface TraceViewLinkContext {
  traceID?: string;
  /** microseconds since the epoch */
  startTime?: number;
  /** microseconds */
  duration?: number;
  datasource?: { name?: string; uid?: string; type?: string } | null;
}

export interface PanelLinkContext {
  pluginId?: string;
  title?: string;
  targets?: QueryLike[];
  timeRange?: RawRange;
  /** the panel's data; `request.targets` are the queries as sent, each with its data source filled in */
  data?: { series?: FrameLike[]; request?: { targets?: QueryLike[] } | null } | null;
}
