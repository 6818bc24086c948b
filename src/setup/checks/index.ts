/** Setup checks of the Collector → Tempo path, over src/http: the configuration page and `traceway doctor` run them. */
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
export { plannedChecks, runChecks } from './run';
export type { CheckPlan, RunOptions } from './run';
