/**
 * Trace search results as the app uses them, whatever Tempo version answered: IDs normalised to 32
 * lower-case hex (Tempo drops leading zeros in search results), times in epoch milliseconds.
 * (Contract shared by the client, the Search page and the CLI; the implementations live beside it.)
 */

/** One matched span of a search result (Tempo returns up to `spss` of them per trace). */
export interface SearchSpan {
  /** 16 lower-case hex */
  spanId: string;
  name?: string;
  service?: string;
  startMs: number;
  durationMs: number;
  /** The attributes Tempo returned with the span: those the query filtered or selected. */
  attributes: Record<string, string | number | boolean>;
}

export interface SearchTrace {
  /** 32 lower-case hex */
  traceId: string;
  /** Absent while Tempo has not yet received the root span: the UI says "root not yet received". */
  rootService?: string;
  rootName?: string;
  startMs: number;
  durationMs?: number;
  /** How many spans matched in all (may exceed `spans.length`). */
  matched: number;
  spans: SearchSpan[];
}

export interface SearchMetrics {
  inspectedBytes?: number;
  inspectedTraces?: number;
  completedJobs?: number;
  totalJobs?: number;
}

export interface SearchRequest {
  /** TraceQL */
  query: string;
  /** epoch seconds; always sent: without them Tempo searches only recent data */
  start: number;
  end: number;
  limit?: number;
  /** spans per span set */
  spss?: number;
  signal?: AbortSignal;
}

export interface SearchAnswer {
  traces: SearchTrace[];
  metrics: SearchMetrics;
  /** the URL that was asked, for messages */
  url: string;
}
