/**
 * Transport and HTTP errors for every client Traceway has (Tempo, Prometheus, the Collector, Grafana's
 * API). No React and no Grafana runtime: the app injects a transport through Grafana (src/grafana),
 * the CLI passes Node's fetch.
 */
export { DEFAULT_LIMITS, fetchTransport } from './transport';
export type { HttpRequest, HttpResponse, HttpTransport, TransportLimits } from './transport';
export { joinUrl } from './url';
export { HttpError, isHttpError } from './errors';
export type { HttpErrorCode } from './errors';
export { networkCause } from './network';
export type { NetworkCause, NetworkReason } from './network';
export { describeText, formatBytes, isObject, looksLikeHtml, serverWords } from './describe';
export {
  MAX_ERROR_BYTES,
  MAX_ERROR_DETAIL,
  discardBody,
  errorDetail,
  isJsonResponse,
  parseJsonBody,
  readHead,
  readText,
  send,
  statusError,
} from './request';
