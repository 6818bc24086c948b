import { urlUtil } from '@grafana/data';
import pluginJson from './plugin.json';
import { AttributeFilter, FILTER_OPERATORS, FilterOperator, FilterScope, TraceSearch } from './tempo/searchFields';

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
  /** a trace read from a file the user opened: `trace-file/<key>` */
  TraceFile = 'trace-file',
  ServiceMap = 'service-map',
  /** two traces side by side: `compare?a=<id>&b=<id>` */
  Compare = 'compare',
}

/** The views of one trace, on the Trace page and in the waterfall panel; the timeline is the default. */
export const TRACE_VIEWS = ['timeline', 'stats', 'flame', 'table'] as const;
export type TraceViewName = (typeof TRACE_VIEWS)[number];

/** `?view=` as a TraceViewName: anything else (or nothing) is the timeline. */
export function readTraceView(value: string | null | undefined): TraceViewName {
  return TRACE_VIEWS.find((v) => v === value) ?? 'timeline';
}

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/** Where a trace page looks for its trace: which data source, and in which time (epoch milliseconds). */
export interface TraceContext {
  /** Tempo data source UID; the app's configured one when absent */
  datasource?: string;
  /** epoch milliseconds: lets Tempo skip blocks outside the range */
  from?: number;
  to?: number;
  /** which view of the trace opens; the timeline when absent */
  view?: TraceViewName;
}

/**
 * The app's trace page, optionally selecting one span; `?span=` is the deep link the page reads, `?ds=`,
 * `?from=` and `?to=` say where to look (a search result links with its data source and time).
 */
export function tracePagePath(traceId: string, spanId?: string, context: TraceContext = {}): string {
  const base = `${prefixRoute(ROUTES.Trace)}/${encodeURIComponent(traceId)}`;
  const params = new URLSearchParams();
  if (spanId) {
    params.set('span', spanId);
  }
  if (context.datasource) {
    params.set('ds', context.datasource);
  }
  if (context.from !== undefined && context.to !== undefined) {
    params.set('from', String(Math.floor(context.from)));
    params.set('to', String(Math.ceil(context.to)));
  }
  if (context.view && context.view !== 'timeline') {
    params.set('view', context.view);
  }
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

/** What the Compare page compares: two trace IDs in one Tempo data source and time range. */
export interface CompareUrlState {
  a?: string;
  b?: string;
  /** Tempo data source UID; the app's configured one when absent */
  datasource?: string;
  /** epoch milliseconds */
  from?: number;
  to?: number;
}

/** The Compare page: `compare?a=<trace A>&b=<trace B>` (A is the baseline, B the one compared with it). */
export function comparePagePath(state: CompareUrlState = {}): string {
  const params = new URLSearchParams();
  if (state.a) {
    params.set('a', state.a);
  }
  if (state.b) {
    params.set('b', state.b);
  }
  if (state.datasource) {
    params.set('ds', state.datasource);
  }
  if (state.from !== undefined && state.to !== undefined) {
    params.set('from', String(Math.floor(state.from)));
    params.set('to', String(Math.ceil(state.to)));
  }
  const qs = params.toString();
  return qs ? `${prefixRoute(ROUTES.Compare)}?${qs}` : prefixRoute(ROUTES.Compare);
}

/** The Compare page's URL read back; a half range is dropped. */
export function readCompareUrl(params: URLSearchParams): CompareUrlState {
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  return {
    a: params.get('a')?.trim() || undefined,
    b: params.get('b')?.trim() || undefined,
    datasource: params.get('ds')?.trim() || undefined,
    ...(from > 0 && to > from ? { from, to } : {}),
  };
}

/** The trace page for a trace opened from a file (kept in the tab's memory under `key`, no data source). */
export function fileTracePath(key: string, spanId?: string): string {
  const base = `${prefixRoute(ROUTES.TraceFile)}/${encodeURIComponent(key)}`;
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

/**
 * Grafana Explore with the same data source, TraceQL query and time range as a search (`from`/`to` as
 * Grafana writes them in URLs: `now-1h` or epoch milliseconds), to go on from a search there.
 */
export function exploreSearchUrl(
  datasourceUid: string,
  traceql: string,
  range: { from: string; to: string },
  limit?: number
): string {
  const query = {
    refId: 'A',
    datasource: { type: 'tempo', uid: datasourceUid },
    queryType: 'traceql',
    query: traceql,
    ...(limit !== undefined ? { limit } : {}),
  };
  const pane = { datasource: datasourceUid, queries: [query], range: { from: range.from, to: range.to } };
  return urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify({ search: pane }) });
}

/**
 * Everything a trace search is, as it lives in the Search page's URL, so that a search can be shared,
 * reloaded, and returned to from a trace. Empty fields are left out of the URL.
 */
export interface SearchUrlState extends TraceSearch {
  /** Tempo data source UID */
  datasource?: string;
  /** Grafana time range, as Grafana writes it in URLs: `now-1h` or epoch milliseconds */
  from?: string;
  to?: string;
  /** TraceQL typed in advanced mode: when set, it is the query and the fields above only describe it */
  traceql?: string;
  limit?: number;
}

export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 1000;

const SEARCH_PARAMS: Array<[keyof SearchUrlState, string]> = [
  ['datasource', 'ds'],
  ['from', 'from'],
  ['to', 'to'],
  ['service', 'service'],
  ['spanName', 'name'],
  ['minDuration', 'minDuration'],
  ['maxDuration', 'maxDuration'],
  ['requestId', 'requestId'],
  ['traceql', 'q'],
];

/** The Search page's query string for a search (without `?`), in a stable order. */
export function searchQueryString(state: SearchUrlState): string {
  const params = new URLSearchParams();
  for (const [field, param] of SEARCH_PARAMS) {
    const value = state[field];
    if (typeof value === 'string' && value !== '') {
      params.set(param, value);
    }
  }
  if (state.status && state.status !== 'any') {
    params.set('status', state.status);
  }
  for (const f of state.filters ?? []) {
    // One parameter per filter: scope, key, operator and value as a JSON array, so any text survives.
    params.append('attr', JSON.stringify([f.scope, f.key, f.operator, f.value]));
  }
  if (state.limit !== undefined && state.limit !== DEFAULT_SEARCH_LIMIT) {
    params.set('limit', String(state.limit));
  }
  return params.toString();
}

/** The Search page with this search filled in. */
export function searchPagePath(state: SearchUrlState = {}): string {
  const qs = searchQueryString(state);
  return `${prefixRoute(ROUTES.Search)}${qs ? `?${qs}` : ''}`;
}

/**
 * A search from the Search page's URL. What cannot be read is left out and reported in `problems`
 * (a shared link may be hand-edited or come from a later version), never thrown.
 */
export function readSearchUrl(params: URLSearchParams): { state: SearchUrlState; problems: string[] } {
  const state: SearchUrlState = {};
  const problems: string[] = [];
  for (const [field, param] of SEARCH_PARAMS) {
    const value = params.get(param);
    if (value !== null && value !== '') {
      (state as Record<string, string>)[field] = value;
    }
  }
  const status = params.get('status');
  if (status === 'error' || status === 'ok' || status === 'any') {
    state.status = status;
  } else if (status !== null) {
    problems.push(`status "${status}" is not one of any, error, ok`);
  }
  const filters: AttributeFilter[] = [];
  for (const raw of params.getAll('attr')) {
    const filter = readFilter(raw);
    filter ? filters.push(filter) : problems.push(`attribute filter ${raw} is not ["scope","key","operator","value"]`);
  }
  if (filters.length > 0) {
    state.filters = filters;
  }
  const limit = params.get('limit');
  if (limit !== null) {
    const n = Number(limit);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_SEARCH_LIMIT) {
      state.limit = n;
    } else {
      problems.push(`limit "${limit}" is not a whole number from 1 to ${MAX_SEARCH_LIMIT}`);
    }
  }
  return { state, problems };
}

function readFilter(raw: string): AttributeFilter | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || !parsed.every((p) => typeof p === 'string')) {
    return null;
  }
  const [scope, key, operator, value] = parsed as string[];
  const scopes: readonly string[] = ['span', 'resource', 'any'];
  if (!scopes.includes(scope) || key === '' || !(FILTER_OPERATORS as readonly string[]).includes(operator)) {
    return null;
  }
  return { scope: scope as FilterScope, key, operator: operator as FilterOperator, value };
}

/** Where the service map's numbers come from: Tempo's service-graph metrics in Prometheus, or a sample of traces. */
export type ServiceMapSource = 'metrics' | 'traces';
export type ServiceMapDirection = 'upstream' | 'downstream' | 'both';

/**
 * The Service map page as it lives in its URL: the data sources, the source, the time range and the view
 * (focus, hops, direction, virtual nodes, grouping), so a map can be shared and reloaded. Defaults are left out.
 */
export interface ServiceMapUrlState {
  /** Tempo data source UID (`ds`): the traces source, and links to Search and Explore */
  datasource?: string;
  /** Prometheus data source UID (`prometheus`) for the metrics source; the configured one when absent */
  prometheus?: string;
  /** `metrics` when absent */
  source?: ServiceMapSource;
  /** Grafana time range, as Grafana writes it in URLs: `now-1h` or epoch milliseconds */
  from?: string;
  to?: string;
  /** the service the map is focused on, with its neighbours to `hops` */
  focus?: string;
  hops?: number;
  direction?: ServiceMapDirection;
  hideVirtual?: boolean;
  groupByNamespace?: boolean;
}

export const DEFAULT_SERVICE_MAP_HOPS = 2;
export const MAX_SERVICE_MAP_HOPS = 5;
const DIRECTIONS: readonly ServiceMapDirection[] = ['upstream', 'downstream', 'both'];

/** The Service map page for this state; only what differs from the defaults is written, in a stable order. */
export function serviceMapPagePath(state: ServiceMapUrlState = {}): string {
  const params = new URLSearchParams();
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') {
      params.set(name, value);
    }
  };
  set('ds', state.datasource);
  set('prometheus', state.prometheus);
  set('source', state.source === 'traces' ? 'traces' : undefined);
  set('from', state.from);
  set('to', state.to);
  set('focus', state.focus);
  if (state.focus) {
    // Hops and direction only mean something around a focused service.
    set('hops', state.hops !== undefined && state.hops !== DEFAULT_SERVICE_MAP_HOPS ? String(state.hops) : undefined);
    set('direction', state.direction && state.direction !== 'both' ? state.direction : undefined);
  }
  set('hideVirtual', state.hideVirtual ? '1' : undefined);
  set('groupByNamespace', state.groupByNamespace ? '1' : undefined);
  const qs = params.toString();
  return `${prefixRoute(ROUTES.ServiceMap)}${qs ? `?${qs}` : ''}`;
}

/**
 * The Service map page's state from its URL. What cannot be read is left out and reported in `problems`
 * (a link may be hand-edited), never thrown.
 */
export function readServiceMapUrl(params: URLSearchParams): { state: ServiceMapUrlState; problems: string[] } {
  const state: ServiceMapUrlState = {};
  const problems: string[] = [];
  for (const [field, param] of [
    ['datasource', 'ds'],
    ['prometheus', 'prometheus'],
    ['from', 'from'],
    ['to', 'to'],
    ['focus', 'focus'],
  ] as const) {
    const value = params.get(param);
    if (value !== null && value !== '') {
      state[field] = value;
    }
  }
  const source = params.get('source');
  if (source === 'metrics' || source === 'traces') {
    state.source = source;
  } else if (source !== null) {
    problems.push(`source "${source}" is not one of metrics, traces`);
  }
  const hops = params.get('hops');
  if (hops !== null) {
    const n = Number(hops);
    if (/^\d+$/.test(hops) && n >= 1 && n <= MAX_SERVICE_MAP_HOPS) {
      state.hops = n;
    } else {
      problems.push(`hops "${hops}" is not a whole number from 1 to ${MAX_SERVICE_MAP_HOPS}`);
    }
  }
  const direction = params.get('direction');
  if (direction !== null) {
    if ((DIRECTIONS as readonly string[]).includes(direction)) {
      state.direction = direction as ServiceMapDirection;
    } else {
      problems.push(`direction "${direction}" is not one of ${DIRECTIONS.join(', ')}`);
    }
  }
  for (const flag of ['hideVirtual', 'groupByNamespace'] as const) {
    const value = params.get(flag);
    if (value === '1' || value === 'true') {
      state[flag] = true;
    } else if (value === '0' || value === 'false') {
      state[flag] = false;
    } else if (value !== null) {
      problems.push(`${flag} "${value}" is not 1 or 0`);
    }
  }
  return { state, problems };
}

/** The demo dashboard the compose stack provisions (provisioning/dashboards/traceway-demo.json). */
export const DEMO_DASHBOARD_UID = 'traceway-demo';

export function demoDashboardUrl(): string {
  return `/d/${DEMO_DASHBOARD_UID}`;
}

/** Grafana's own page for editing a data source. */
export function dataSourceEditUrl(uid: string): string {
  return `/connections/datasources/edit/${encodeURIComponent(uid)}`;
}
