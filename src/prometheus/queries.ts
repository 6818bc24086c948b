/**
 * PromQL for the service graph, as Grafana's Tempo data source asks Prometheus for it over a time range:
 * rates over the whole range (`rate(m[RANGE])`, one instant query at its end) summed by client and server.
 * Pure string builders: the client sends them, tests pin them.
 */

/** The series Tempo's metrics-generator writes (`service-graphs` processor). */
export const SERVICE_GRAPH_METRICS = {
  requests: 'traces_service_graph_request_total',
  failed: 'traces_service_graph_request_failed_total',
  serverBucket: 'traces_service_graph_request_server_seconds_bucket',
  serverSum: 'traces_service_graph_request_server_seconds_sum',
  serverCount: 'traces_service_graph_request_server_seconds_count',
  /** the same latency as a native histogram (Tempo's `histogram_buckets` off / native histograms on) */
  serverNative: 'traces_service_graph_request_server_seconds',
} as const;

/** One label matcher; `=~`/`!~` values are regular expressions, written as given (escaped as strings). */
export interface LabelMatcher {
  label: string;
  op?: '=' | '!=' | '=~' | '!~';
  value: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A duration as Prometheus reads it, in the largest unit that divides it: 300 → `5m`, 3600 → `1h`,
 * 90 → `90s`, 86400 → `1d`, 1.5 → `1500ms`.
 */
export function promDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`A PromQL range must be a positive number of seconds; got ${String(seconds)}.`);
  }
  const ms = Math.round(seconds * 1000);
  if (ms % 1000 !== 0) {
    return `${Math.max(1, ms)}ms`;
  }
  const s = ms / 1000;
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s % size === 0) {
      return `${s / size}${unit}`;
    }
  }
  return `${s}s`;
}

/** A PromQL string literal: backslash, double quote and line breaks escaped (Go string syntax). */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** `{a="x",b!="y"}`, or '' for no matchers. A label name PromQL cannot hold is refused with its position. */
export function labelSelector(matchers: LabelMatcher[] = []): string {
  if (matchers.length === 0) {
    return '';
  }
  const parts = matchers.map((m, i) => {
    if (!LABEL_NAME.test(m.label)) {
      throw new RangeError(
        `Label filter ${i + 1}: ${JSON.stringify(m.label)} is not a Prometheus label name ` +
          '(letters, digits and underscores, not starting with a digit).'
      );
    }
    return `${m.label}${m.op ?? '='}${promString(m.value)}`;
  });
  return `{${parts.join(',')}}`;
}

/** Matchers restricting edges to those whose client or server is one of `services` (`=~"a|b"`, escaped). */
export function servicesMatcher(label: 'client' | 'server', services: string[]): LabelMatcher {
  const escaped = services.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return { label, op: '=~', value: escaped.join('|') };
}

export interface ServiceGraphQueries {
  requests: string;
  failed: string;
  p50: string;
  p95: string;
  /** a server's latency over all its callers: quantiles of edges do not add up, so they are asked by server */
  nodeP50: string;
  nodeP95: string;
  /** rate of the summed server seconds; divided by `serverCount` it is the mean */
  serverSum: string;
  serverCount: string;
  connectionTypes: string;
  /**
   * `service.namespace` of each side, present only when the metrics-generator's service-graphs `dimensions`
   * include it (Tempo then writes `client_service_namespace`/`server_service_namespace`); else no labels.
   */
  namespaces: string;
}

/** The service graph's queries over `rangeSec` seconds, each series narrowed by `matchers`. */
export function serviceGraphQueries(rangeSec: number, matchers: LabelMatcher[] = []): ServiceGraphQueries {
  const range = promDuration(rangeSec);
  const sel = labelSelector(matchers);
  const rate = (metric: string) => `sum by (client, server) (rate(${metric}${sel}[${range}]))`;
  const lastOverRange = `last_over_time(${SERVICE_GRAPH_METRICS.requests}${sel}[${range}])`;
  const quantile = (q: number, by = 'client, server') =>
    `histogram_quantile(${q}, sum by (${by}, le) (rate(${SERVICE_GRAPH_METRICS.serverBucket}${sel}[${range}])))`;
  return {
    requests: rate(SERVICE_GRAPH_METRICS.requests),
    failed: rate(SERVICE_GRAPH_METRICS.failed),
    p50: quantile(0.5),
    p95: quantile(0.95),
    nodeP50: quantile(0.5, 'server'),
    nodeP95: quantile(0.95, 'server'),
    serverSum: rate(SERVICE_GRAPH_METRICS.serverSum),
    serverCount: rate(SERVICE_GRAPH_METRICS.serverCount),
    // last_over_time over the range, not an instant selector: an instant selector sees only series with a
    // sample in the 5 minutes before `time`, so a pair that went quiet earlier in the range (still in the
    // rates) would lose its connection_type (a database drawn as a service) and its namespaces.
    connectionTypes: `group by (client, server, connection_type) (${lastOverRange})`,
    namespaces: `group by (client, server, client_service_namespace, server_service_namespace) (${lastOverRange})`,
  };
}

/** The latency queries that have a native-histogram form; the same keys as in ServiceGraphQueries. */
export type LatencyQueries = Pick<
  ServiceGraphQueries,
  'p50' | 'p95' | 'nodeP50' | 'nodeP95' | 'serverSum' | 'serverCount'
>;

/**
 * The latency queries over the native histogram `traces_service_graph_request_server_seconds`, for when the
 * classic `_bucket`/`_sum`/`_count` series do not exist (the metrics-generator writes native histograms only):
 * `histogram_quantile(0.95, sum by (client, server) (rate(m[RANGE])))`, and `histogram_sum`/`histogram_count`
 * of the rate for the mean.
 */
export function nativeLatencyQueries(rangeSec: number, matchers: LabelMatcher[] = []): LatencyQueries {
  const range = promDuration(rangeSec);
  const rate = `rate(${SERVICE_GRAPH_METRICS.serverNative}${labelSelector(matchers)}[${range}])`;
  const quantile = (q: number, by = 'client, server') => `histogram_quantile(${q}, sum by (${by}) (${rate}))`;
  return {
    p50: quantile(0.5),
    p95: quantile(0.95),
    nodeP50: quantile(0.5, 'server'),
    nodeP95: quantile(0.95, 'server'),
    serverSum: `sum by (client, server) (histogram_sum(${rate}))`,
    serverCount: `sum by (client, server) (histogram_count(${rate}))`,
  };
}
