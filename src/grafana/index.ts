/**
 * The one non-UI place that knows Grafana: the transport through Grafana, proxy URLs, data source
 * lookups and the app's settings. UI code reaches Grafana's runtime through here or directly;
 * src/trace, src/http, src/tempo and the CLI never do.
 */
export { grafanaTransport } from './transport';
export { appSubUrl, dataSourceProxyUrl, grafanaApiUrl, pluginProxyUrl } from './urls';
export { dataSourcesOfType, findDataSource, tempoDataSourceProblem } from './datasources';
export type { DataSourceRef } from './datasources';
export { DEFAULT_TEMPO_UID, describeBackendError, resolveSettings, saveAppSettings } from './settings';
export { rememberDataSource, rememberedDataSource, tempoClientFor } from './search';
export {
  ServiceMapError,
  describeEmptyServiceMap,
  describeServiceMapFailure,
  loadServiceMap,
  prometheusUidFor,
} from './serviceMap';
export type { LoadedServiceMap, ServiceMapMessage, ServiceMapProblem, ServiceMapRequest } from './serviceMap';
export {
  AUTH_KINDS,
  DataSourceSaveError,
  checkPlanFromSettings,
  dataSourceUpdate,
  fieldsOfDataSource,
  loadDataSource,
  updateTempoDataSource,
  collectorBaseUrl,
  routeBaseUrl,
  composeSecret,
  endpointAuthToSave,
  reloadDataSources,
  saveTempoDataSource,
  savedAuthKind,
  secretKeyOf,
  tempoDataSourceBody,
  updateCachedMeta,
} from './setup';
export type {
  DataSourceBody,
  DataSourceFields,
  DataSourceUpdate,
  ExistingDataSource,
  DataSourceSaved,
  EndpointAuthForm,
  EndpointAuthSave,
  AuthState,
  SecretEndpoint,
  WizardCheckPlan,
} from './setup';
