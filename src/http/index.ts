/**
 * Transport and HTTP errors for every client Traceway has (Tempo, Prometheus, the Collector, Grafana's
 * API). No React and no Grafana runtime: the app injects a transport through Grafana (src/grafana),
 * the CLI passes Node's fetch.
 */
export { fetchTransport } from './transport';
export type { HttpRequest, HttpResponse, HttpTransport } from './transport';
export { joinUrl } from './url';
export { HttpError, isHttpError } from './errors';
export type { HttpErrorCode } from './errors';
export { MAX_ERROR_DETAIL, isJsonResponse, parseJsonBody, readText, send, statusError } from './request';
