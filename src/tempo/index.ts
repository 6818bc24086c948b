export { TempoClient } from './client';
export type {
  BuildInfo,
  Endpoint,
  TagValuesRequest,
  TagsRequest,
  TempoClientOptions,
  TraceLookup,
  TraceRequest,
} from './client';
export { normalizeTraceId } from './traceId';
export * from './search';
export type { TagScope } from './searchAnswer';
export { traceqlErrorPosition } from './searchAnswer';
export { errorCompanionQuery } from './traceql';
export {
  DEFAULT_SEARCH_LIMIT,
  FIRST_CHUNK_SECONDS,
  mergeResults,
  planChunks,
  searchProgressively,
} from './progressive';
export type { Chunk, ProgressiveOptions, ProgressiveUpdate, SearchClient } from './progressive';
export { edgeTraceQL, serviceTraceQL } from './serviceMapQueries';
export { DEFAULT_SAMPLE_LIMIT, SAMPLE_CONCURRENCY, sampleServiceMap } from './serviceMapSample';
export type { SampleOptions, ServiceMapSample, ServiceMapSampleInfo } from './serviceMapSample';
