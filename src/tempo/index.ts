export { TempoClient } from './client';
export type { Endpoint, TraceLookup, TraceRequest } from './client';
export { normalizeTraceId } from './traceId';
export * from './search';
export { errorCompanionQuery } from './traceql';
