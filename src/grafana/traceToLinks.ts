import { urlUtil } from '@grafana/data';
import { Trace, valueToString } from '../trace';
import type { SpanLink } from './spanLinks';

/**
 * The links from a span to its logs and metrics that Grafana's own trace view builds from a Tempo data
 * source's `jsonData.tracesToLogsV2` (or the older `tracesToLogs`, or the newer list `tracesToLogsV3`) and `jsonData.tracesToMetrics`, as
 * Explore URLs. Pure: the data sources are looked up by the caller (`lookup`), so every rule here is
 * tested by exact strings. Grafana's rules (public/app/features/explore/TraceView/createSpanLink.tsx):
 *
 * - logs: the tags that are set (`key` → `value` as the label name, else the key; none set: cluster,
 *   hostname, namespace, pod, service.name → service_name, service.namespace → service_namespace) that the
 *   span or its resource carries make `${__tags}`; per target type a query of the tags and, when asked,
 *   the trace and span IDs; a custom query replaces it and is interpolated, each span value escaped for
 *   the target's query language (`:raw` writes it as is), unlike Grafana. No link when Loki (or
 *   LogScale) has no tag to select by, or when a custom query names a variable the span lacks.
 * - metrics: one link per configured query (its name the title), `$__tags` as for logs; an empty query
 *   is Grafana's default span-metrics latency median of the span's service.
 * - the range: the span's start and end shifted by `spanStartTimeShift`/`spanEndTimeShift` (logs: 0 by
 *   default; metrics: -2m and 2m), at least 1 ms long (Splunk: 1 s).
 */

export interface TagMapping {
  /** the span or resource attribute */
  key: string;
  /** the label name in the target; the key when empty */
  value?: string;
}

interface LogsSettings {
  datasourceUid: string;
  title: string;
  tags: TagMapping[];
  startShiftMs: number;
  endShiftMs: number;
  filterByTraceId: boolean;
  filterBySpanId: boolean;
  /** the custom query, when `customQuery` is on */
  query?: string;
}

interface MetricsSettings {
  datasourceUid: string;
  tags: TagMapping[];
  queries: Array<{ name: string; query: string }>;
  startShiftMs: number;
  endShiftMs: number;
}

/** A data source as the caller's registry knows it. */
export interface LinkTarget {
  uid: string;
  type: string;
  name: string;
}

/** What a Tempo data source's settings ask for, read once per data source. */
export interface SpanLinkPlan {
  logs: Array<LogsSettings & { target: LinkTarget }>;
  metrics: Array<MetricsSettings & { target: LinkTarget }>;
  /** settings that could not be used, in words (a bad time shift, a missing or unsupported data source) */
  problems: string[];
}

/** Logs data source types with a query builder here (Grafana's list); others: a problem, no link. */
export const LOGS_TYPES = [
  'loki',
  'elasticsearch',
  'grafana-opensearch-datasource',
  'grafana-splunk-datasource',
  'grafana-falconlogscale-datasource',
  'googlecloud-logging-datasource',
  'victoriametrics-logs-datasource',
] as const;

const DEFAULT_TAGS: TagMapping[] = [
  { key: 'cluster' },
  { key: 'hostname' },
  { key: 'namespace' },
  { key: 'pod' },
  { key: 'service.name', value: 'service_name' },
  { key: 'service.namespace', value: 'service_namespace' },
];

const METRICS_DEFAULT_SHIFT_MS = 2 * 60 * 1000;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  M: 2_592_000_000,
  y: 31_536_000_000,
};

/** `-5m`, `30s`, `1.5h`, `500ms` (Grafana's interval units) in milliseconds; undefined when not one. */
export function parseTimeShift(text: string): number | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|M|y)\s*$/.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

function readTags(v: unknown, keysOnly = false): TagMapping[] {
  if (!Array.isArray(v)) {
    return [];
  }
  const tags: TagMapping[] = [];
  for (const t of v) {
    if (keysOnly && str(t)) {
      tags.push({ key: t as string });
    } else if (isObj(t) && str(t.key)) {
      tags.push({ key: t.key as string, ...(str(t.value) ? { value: t.value as string } : {}) });
    }
  }
  return tags;
}

function readShift(v: unknown, fallbackMs: number, what: string, problems: string[]): number {
  if (v === undefined || v === null || v === '') {
    return fallbackMs;
  }
  const ms = typeof v === 'string' ? parseTimeShift(v) : undefined;
  if (ms === undefined) {
    problems.push(`${what} ${JSON.stringify(v)} is not a time shift such as -5m or 30s; using ${fallbackMs / 1000}s`);
    return fallbackMs;
  }
  return ms;
}

/**
 * The trace-to-logs settings as Grafana reads them: the list `tracesToLogsV3` (newer Grafana: several
 * targets, each with a name) when it has entries, else `tracesToLogsV2`, else the older `tracesToLogs`.
 */
function readLogs(jsonData: Obj, problems: string[]): LogsSettings[] {
  const v3 = Array.isArray(jsonData.tracesToLogsV3) ? jsonData.tracesToLogsV3.filter(isObj) : [];
  if (v3.length > 0) {
    return v3.flatMap((raw, i) => readLogsEntry(raw, readTags(raw.tags), true, problems, `Trace to logs ${i + 1}`));
  }
  const v2 = jsonData.tracesToLogsV2;
  if (isObj(v2)) {
    return readLogsEntry(v2, readTags(v2.tags), true, problems, 'Trace to logs');
  }
  const v1 = jsonData.tracesToLogs;
  if (isObj(v1)) {
    const tags = v1.mapTagNamesEnabled === true ? readTags(v1.mappedTags) : readTags(v1.tags, true);
    return readLogsEntry(v1, tags, false, problems, 'Trace to logs');
  }
  return [];
}

function readLogsEntry(raw: Obj, tags: TagMapping[], v2: boolean, problems: string[], what: string): LogsSettings[] {
  const uid = str(raw.datasourceUid);
  if (!uid) {
    return [];
  }
  const custom = v2 && raw.customQuery === true ? str(raw.query) : undefined;
  return [
    {
      datasourceUid: uid,
      title: (v2 && str(raw.name)) || 'Logs for this span',
      tags: tags.length > 0 ? tags : DEFAULT_TAGS,
      startShiftMs: readShift(raw.spanStartTimeShift, 0, `${what}: span start time shift`, problems),
      endShiftMs: readShift(raw.spanEndTimeShift, 0, `${what}: span end time shift`, problems),
      filterByTraceId: raw.filterByTraceID === true,
      filterBySpanId: raw.filterBySpanID === true,
      ...(custom !== undefined ? { query: custom } : {}),
    },
  ];
}

function readMetrics(jsonData: Obj, problems: string[]): MetricsSettings[] {
  const raw = jsonData.tracesToMetrics;
  const uid = isObj(raw) ? str(raw.datasourceUid) : undefined;
  if (!isObj(raw) || !uid || !Array.isArray(raw.queries)) {
    return [];
  }
  const queries = raw.queries.filter(isObj).map((q) => ({
    name: typeof q.name === 'string' ? q.name : '',
    query: typeof q.query === 'string' ? q.query : '',
  }));
  if (queries.length === 0) {
    return [];
  }
  const tags = readTags(raw.tags);
  return [
    {
      datasourceUid: uid,
      tags: tags.length > 0 ? tags : DEFAULT_TAGS,
      queries,
      startShiftMs: readShift(
        raw.spanStartTimeShift,
        -METRICS_DEFAULT_SHIFT_MS,
        'Trace to metrics: span start time shift',
        problems
      ),
      endShiftMs: readShift(
        raw.spanEndTimeShift,
        METRICS_DEFAULT_SHIFT_MS,
        'Trace to metrics: span end time shift',
        problems
      ),
    },
  ];
}

/**
 * What links a Tempo data source's `jsonData` asks for, with each target data source found through
 * `lookup`. A target that is missing or of a type with no query builder here gives no link and a problem.
 */
export function planSpanLinks(jsonData: unknown, lookup: (uid: string) => LinkTarget | undefined): SpanLinkPlan {
  const plan: SpanLinkPlan = { logs: [], metrics: [], problems: [] };
  if (!isObj(jsonData)) {
    return plan;
  }
  for (const logs of readLogs(jsonData, plan.problems)) {
    const target = lookup(logs.datasourceUid);
    if (!target) {
      plan.problems.push(`Trace to logs: there is no data source with UID "${logs.datasourceUid}"`);
    } else if (!(LOGS_TYPES as readonly string[]).includes(target.type)) {
      plan.problems.push(
        `Trace to logs: data source "${target.name}" is of type ${target.type}, which has no span query here`
      );
    } else {
      plan.logs.push({ ...logs, target });
    }
  }
  for (const metrics of readMetrics(jsonData, plan.problems)) {
    const target = lookup(metrics.datasourceUid);
    if (!target) {
      plan.problems.push(`Trace to metrics: there is no data source with UID "${metrics.datasourceUid}"`);
    } else {
      plan.metrics.push({ ...metrics, target });
    }
  }
  return plan;
}

/** What a query can name: `${__span.*}`, `${__trace.*}` and `${__tags}`, for one span. */
export interface SpanVars {
  traceId: string;
  spanId: string;
  name: string;
  /** microseconds, as Grafana's trace view counts */
  durationUs: string;
  traceName: string;
  traceDurationUs: string;
  /** the span's attributes over its resource's, as text */
  tags: Map<string, string>;
  /** every tag in Grafana's order: resource, span, then the span's own fields */
  tagList: Array<[string, string]>;
}

export function spanVars(trace: Trace, span: number): SpanVars {
  const s = trace.spans[span];
  const tagList: Array<[string, string]> = [];
  if (!s.resource.attributes.some((a) => a.key === 'service.name')) {
    // Jaeger and Zipkin carry the service beside the tags; Tempo's resource always names it.
    tagList.push(['service.name', s.resource.serviceName]);
  }
  for (const a of s.resource.attributes) {
    tagList.push([a.key, valueToString(a)]);
  }
  for (const a of s.attributes) {
    tagList.push([a.key, valueToString(a)]);
  }
  const tags = new Map(tagList);
  const durationUs = String(Math.max(0, Math.round((trace.end[span] - trace.start[span]) / 1000)));
  tagList.push(['spanId', s.spanId], ['traceId', trace.traceId], ['name', s.name], ['duration', durationUs]);
  const root = trace.root >= 0 ? trace.spans[trace.root] : undefined;
  return {
    traceId: trace.traceId,
    spanId: s.spanId,
    name: s.name,
    durationUs,
    traceName: root ? `${root.resource.serviceName}: ${root.name}` : '',
    traceDurationUs: String(Math.max(0, Math.round((trace.endNs - trace.startNs) / 1000))),
    tags,
    tagList,
  };
}

/** Escapes a value for the inside of a query's double-quoted string, or for its place in the query. */
export type Escape = (value: string) => string;

const GO_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/**
 * A Go-style double-quoted string (LogQL, PromQL, LogsQL): backslash and quote escaped, and line breaks
 * and tabs written as \n, \r, \t (their lexers reject a raw line break inside a string).
 */
export const escapeGoString: Escape = (v) => v.replace(/[\\"\n\r\t]/g, (c) => GO_ESCAPES[c]);
/** A double-quoted string that only knows \\ and \" (Lucene phrases, LogScale, Cloud Logging). */
export const escapeQuotedString: Escape = (v) => v.replace(/[\\"]/g, '\\$&');
/** SPL: a backslash escapes quotes, pipes and itself, in quotes or not (a pipe would start a command). */
export const escapeSpl: Escape = (v) => v.replace(/[\\"|]/g, '\\$&');
/**
 * A Lucene query string value (Elasticsearch, OpenSearch): every operator character and white space
 * backslash-escaped, which reads the same whether the query writes the variable in quotes or not.
 */
export const escapeLucene: Escape = (v) => v.replace(/[+\-=&|><!(){}[\]^"~*?:\\/\s]/g, '\\$&');

/**
 * How a span value is written into a query of this data source type: `tags` for the quoted values of
 * `${__tags}`, `value` for a variable such as `${__span.tags.x}` that the query author placed.
 */
function escapesFor(type: string): { tags: Escape; value: Escape } {
  switch (type) {
    case 'elasticsearch':
    case 'grafana-opensearch-datasource':
      return { tags: escapeQuotedString, value: escapeLucene };
    case 'grafana-splunk-datasource':
      return { tags: escapeSpl, value: escapeSpl };
    case 'grafana-falconlogscale-datasource':
    case 'googlecloud-logging-datasource':
      return { tags: escapeQuotedString, value: escapeQuotedString };
  }
  // Loki, VictoriaLogs and (for metrics) PromQL.
  return { tags: escapeGoString, value: escapeGoString };
}

/**
 * The configured tags the span has, as `label="value"` joined (Grafana's `${__tags}`), in the span's
 * order. Values are escaped for the target's double-quoted string (Grafana inserts them raw).
 */
export function formattedTags(
  vars: Pick<SpanVars, 'tagList'>,
  tags: TagMapping[],
  { sign = '=', joinBy = ', ', escape = escapeGoString }: { sign?: string; joinBy?: string; escape?: Escape } = {}
): string {
  const out: string[] = [];
  for (const [key, value] of vars.tagList) {
    const mapping = tags.find((t) => t.key === key);
    if (mapping) {
      out.push(`${mapping.value || mapping.key}${sign}"${escape(value)}"`);
    }
  }
  return out.join(joinBy);
}

/** A path such as `tags["http.method"]`, `tags.http.method` or `traceId` as its parts. */
function pathParts(path: string): string[] {
  const parts: string[] = [];
  const re = /\[\s*(["'])(.*?)\1\s*\]|\.?([^.[\]]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    parts.push(m[2] ?? m[3]);
  }
  return parts;
}

function variableValue(vars: SpanVars, tagsText: string, name: string, path: string | undefined): string | undefined {
  const parts = path ? pathParts(path) : [];
  if (name === '__tags') {
    return parts.length === 0 ? tagsText : undefined;
  }
  if (name === '__span') {
    switch (parts[0]) {
      case 'traceId':
        return parts.length === 1 ? vars.traceId : undefined;
      case 'spanId':
        return parts.length === 1 ? vars.spanId : undefined;
      case 'name':
        return parts.length === 1 ? vars.name : undefined;
      case 'duration':
        return parts.length === 1 ? vars.durationUs : undefined;
      case 'tags':
        // Grafana reads `tags["a.b"]`; `tags.a.b` (which it cannot) is read as the key a.b too.
        return parts.length > 1 ? vars.tags.get(parts.slice(1).join('.')) : undefined;
    }
    return undefined;
  }
  if (name === '__trace' && parts.length === 1) {
    switch (parts[0]) {
      case 'traceId':
        return vars.traceId;
      case 'name':
        return vars.traceName;
      case 'duration':
        return vars.traceDurationUs;
    }
  }
  return undefined;
}

/** Variables the target data source fills when the query runs (`[$__rate_interval]`): left for it. */
const QUERY_TIME_VARIABLES = new Set([
  '__interval',
  '__interval_ms',
  '__rate_interval',
  '__range',
  '__range_s',
  '__range_ms',
  '__auto',
  '__from',
  '__to',
]);

/**
 * Grafana's variable syntax (`$name`, `${name}`, `${name.path}`, `${name.path:format}`, `[[name]]`) filled
 * from the span; a variable it does not know is left as written and named in `missing` (those the data
 * source fills when the query runs, such as `$__rate_interval`, are left as written and not missing).
 * Span data comes from any instrumented service, so each value is written through `escape` (the target
 * query language's string syntax) unless the query asks for it as is with `:raw`; `${__tags}` is
 * already a query fragment with its values escaped.
 */
export function interpolate(
  text: string,
  vars: SpanVars,
  tagsText: string,
  escape: Escape = escapeGoString
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const re = /\$\{(\w+)(?:\.([^:}]+))?(?::([^}]*))?\}|\$(\w+)|\[\[(\w+)(?::(\w+))?\]\]/g;
  const out = text.replace(re, (...m: Array<string | undefined>) => {
    const [whole, bName, bPath, bFormat, plain, legacy, legacyFormat] = m as [string, ...Array<string | undefined>];
    const name = (bName ?? plain ?? legacy) as string;
    if (QUERY_TIME_VARIABLES.has(name)) {
      return whole;
    }
    const value = variableValue(vars, tagsText, name, bName ? bPath : undefined);
    if (value === undefined) {
      missing.push(whole);
      return whole;
    }
    return name === '__tags' || (bFormat ?? legacyFormat) === 'raw' ? value : escape(value);
  });
  return { text: out, missing };
}

/**
 * Grafana Explore with one query of a data source over an absolute range, in the pane format of routes.ts's
 * Explore links (src/grafana may not import routes.ts, so the same shape is written here).
 */
export function exploreQueryUrl(
  target: { uid: string; type: string },
  query: Record<string, unknown>,
  range: { fromMs: number; toMs: number },
  pane: string
): string {
  const state = {
    datasource: target.uid,
    queries: [{ refId: 'A', ...query, datasource: { type: target.type, uid: target.uid } }],
    range: { from: String(range.fromMs), to: String(range.toMs) },
  };
  return urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify({ [pane]: state }) });
}

/** The range of a link: the span's own time, shifted, in whole milliseconds and never empty. */
function spanRange(trace: Trace, span: number, startShiftMs: number, endShiftMs: number, minMs: number) {
  const fromMs = Math.floor(trace.epochMs + trace.start[span] / 1e6 + startShiftMs);
  let toMs = Math.floor(trace.epochMs + trace.end[span] / 1e6 + endShiftMs);
  if (toMs - fromMs < minMs) {
    toMs = fromMs + minMs;
  }
  return { fromMs, toMs };
}

const LOKI_TRACE_FILTER = (id: string) =>
  ` | label_format log_line_contains_trace_id=\`{{ contains "${id}" __line__  }}\`` +
  ` | log_line_contains_trace_id="true" or trace_id="${id}"`;
const LOKI_SPAN_FILTER = (id: string) =>
  ` | label_format log_line_contains_span_id=\`{{ contains "${id}" __line__  }}\`` +
  ` | log_line_contains_span_id="true" or span_id="${id}"`;

/** The logs query for the target's type (its query model's fields), or undefined when there is none. */
function logsQuery(
  type: string,
  s: LogsSettings,
  vars: SpanVars
): { query: Record<string, unknown>; tags: string } | undefined {
  const { traceId, spanId } = vars;
  const custom = s.query;
  const escape = escapesFor(type).tags;
  const quoted = (id: string) => `"${id}"`;
  switch (type) {
    case 'loki': {
      const tags = formattedTags(vars, s.tags, { escape });
      if (custom !== undefined) {
        return { query: { expr: custom }, tags };
      }
      if (!tags) {
        return undefined;
      }
      let expr = `{${tags}}`;
      expr += s.filterByTraceId ? LOKI_TRACE_FILTER(traceId) : '';
      expr += s.filterBySpanId ? LOKI_SPAN_FILTER(spanId) : '';
      return { query: { expr }, tags };
    }
    case 'elasticsearch':
    case 'grafana-opensearch-datasource': {
      const tags = formattedTags(vars, s.tags, { sign: ':', joinBy: ' AND ', escape });
      const metrics = [{ id: '1', type: 'logs' }];
      if (custom !== undefined) {
        return { query: { query: custom, metrics }, tags };
      }
      const parts = [...(s.filterBySpanId ? [quoted(spanId)] : []), ...(s.filterByTraceId ? [quoted(traceId)] : [])];
      return { query: { query: [...parts, ...(tags ? [tags] : [])].join(' AND '), metrics }, tags };
    }
    case 'grafana-splunk-datasource': {
      const tags = formattedTags(vars, s.tags, { joinBy: ' ', escape });
      if (custom !== undefined) {
        return { query: { query: custom }, tags };
      }
      const parts = [tags, s.filterByTraceId ? quoted(traceId) : '', s.filterBySpanId ? quoted(spanId) : ''];
      return { query: { query: parts.filter(Boolean).join(' ') }, tags };
    }
    case 'grafana-falconlogscale-datasource': {
      const tags = formattedTags(vars, s.tags, { joinBy: ' OR ', escape });
      if (custom !== undefined) {
        return { query: { lsql: custom }, tags };
      }
      if (!tags) {
        return undefined;
      }
      const parts = [tags, s.filterByTraceId ? quoted(traceId) : '', s.filterBySpanId ? quoted(spanId) : ''];
      return { query: { lsql: parts.filter(Boolean).join(' or ') }, tags };
    }
    case 'googlecloud-logging-datasource': {
      const tags = formattedTags(vars, s.tags, { joinBy: ' AND ', escape });
      if (custom !== undefined) {
        return { query: { query: custom }, tags };
      }
      const parts = [s.filterBySpanId ? quoted(spanId) : '', s.filterByTraceId ? quoted(traceId) : '', tags];
      return { query: { query: parts.filter(Boolean).join(' AND ') }, tags };
    }
    case 'victoriametrics-logs-datasource': {
      const tags = formattedTags(vars, s.tags, { sign: ':=', joinBy: ' AND ', escape });
      if (custom !== undefined) {
        return { query: { expr: custom }, tags };
      }
      const parts = [
        s.filterBySpanId ? `span_id:="${spanId}"` : '',
        s.filterByTraceId ? `trace_id:="${traceId}"` : '',
        tags,
      ].filter(Boolean);
      return parts.length > 0 ? { query: { expr: parts.join(' AND ') }, tags } : undefined;
    }
  }
  return undefined;
}

/** Every string in a query model interpolated; `missing` collects unknown variables. */
function interpolateQuery(query: Record<string, unknown>, vars: SpanVars, tagsText: string, escape: Escape) {
  const missing: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (typeof v === 'string') {
      const r = interpolate(v, vars, tagsText, escape);
      missing.push(...r.missing);
      out[k] = r.text;
    } else {
      out[k] = v;
    }
  }
  return { query: out, missing };
}

/**
 * The logs and metrics links of one span (span = index into trace.spans), in the plan's order; why a
 * configured logs link is left out for this span is added to `problems` when given.
 */
export function buildSpanLinks(plan: SpanLinkPlan, trace: Trace, span: number, problems?: string[]): SpanLink[] {
  if (plan.logs.length === 0 && plan.metrics.length === 0) {
    return [];
  }
  const vars = spanVars(trace, span);
  const links: SpanLink[] = [];
  for (const logs of plan.logs) {
    const built = logsQuery(logs.target.type, logs, vars);
    if (!built) {
      const keys = logs.tags.map((t) => t.key).join(', ');
      problems?.push(`No link "${logs.title}": this span has none of the tags it selects by (${keys})`);
      continue;
    }
    const { query, missing } = interpolateQuery(built.query, vars, built.tags, escapesFor(logs.target.type).value);
    // As Grafana: a query naming something this span does not have would search for the wrong thing.
    if (missing.length > 0) {
      problems?.push(`No link "${logs.title}": its query names ${missing.join(', ')}, which this span does not have`);
      continue;
    }
    const minMs = logs.target.type === 'grafana-splunk-datasource' ? 1000 : 1;
    const range = spanRange(trace, span, logs.startShiftMs, logs.endShiftMs, minMs);
    links.push({ kind: 'logs', title: logs.title, href: exploreQueryUrl(logs.target, query, range, 'logs') });
  }
  for (const metrics of plan.metrics) {
    const tagsText = formattedTags(vars, metrics.tags);
    const range = spanRange(trace, span, metrics.startShiftMs, metrics.endShiftMs, 1);
    for (const q of metrics.queries) {
      const expr =
        q.query ||
        `histogram_quantile(0.5, sum(rate(traces_spanmetrics_latency_bucket{service="${escapeGoString(
          trace.spans[span].resource.serviceName
        )}"}[5m])) by (le))`;
      // As Grafana: a metrics query keeps what it cannot fill, written as it was. Values: PromQL strings.
      const { text } = interpolate(expr, vars, tagsText, escapeGoString);
      links.push({
        kind: 'metrics',
        title: q.name || 'Metrics for this span',
        href: exploreQueryUrl(metrics.target, { expr: text }, range, 'metrics'),
      });
    }
  }
  return links;
}
