/** Setup checks of the Collector → Tempo → Grafana path, over src/http: the configuration page and `traceway doctor` run them. */
export type { Check, CheckOptions, CheckStatus } from './types';
export { DEFAULT_CHECK_TIMEOUT_MS } from './types';
export { COLLECTOR_DOCS, collectorHealth, collectorOtlpAccepts, otlpTracesUrl } from './collector';
export {
  TEMPO_DOCS,
  parseVersion,
  tempoBuildInfo,
  tempoEcho,
  tempoMetrics,
  tempoReady,
  tempoSearch,
  tempoTags,
  tempoTenant,
} from './tempo';
export type { BuildInfoCheck, TempoCheckOptions } from './tempo';
export {
  GRAFANA_DOCS,
  SERVICE_GRAPH_METRIC,
  grafanaDataSourceHealth,
  grafanaServiceMap,
  grafanaTempoDataSource,
  prometheusServiceGraph,
} from './grafana';
export type { DataSourceCheck, GrafanaCheckOptions, TempoDataSource } from './grafana';
export { CANARY_SERVICE, DEFAULT_CANARY_TIMEOUT_MS, canary } from './canary';
export type { CanaryCheck, CanaryOptions } from './canary';
export { upstreamUrl } from './proxy';
export { plannedChecks, runChecks } from './run';
export type { CheckPlan, RunOptions } from './run';
