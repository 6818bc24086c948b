export { TempoClient } from './client';
export type { TraceLookup, TraceRequest } from './client';
export { TempoError, isTempoError } from './errors';
export type { TempoErrorCode } from './errors';
export { fetchTransport, joinUrl } from './http';
export type { HttpRequest, HttpResponse, HttpTransport } from './http';
export { normalizeTraceId } from './traceId';
