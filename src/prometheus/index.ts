/**
 * Prometheus's HTTP API for the service map: PromQL builders, the client, and the service map built from
 * Tempo's service-graph metrics. Uses src/http and src/trace only. See README.md in this folder.
 */
export { MAX_GET_URL, PrometheusClient, PrometheusQueryError } from './client';
export type { PrometheusClientOptions, Sample } from './client';
export {
  SERVICE_GRAPH_METRICS,
  labelSelector,
  promDuration,
  promString,
  nativeLatencyQueries,
  serviceGraphQueries,
  servicesMatcher,
} from './queries';
export type { LabelMatcher, LatencyQueries, ServiceGraphQueries } from './queries';
export { fetchServiceGraph, serviceGraphFromMetrics } from './serviceGraph';
export type { FetchServiceGraphOptions, MetricsServiceMap, ServiceGraphAnswers } from './serviceGraph';
