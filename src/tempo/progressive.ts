/**
 * Progressive search: a long range is searched in time slices, newest first, so that a week's search
 * shows its first traces in about the time an hour's takes. Planning and merging are pure; the runner
 * drives any client with a `search` method.
 */
import { HttpError, isHttpError } from '../http';
import type { SearchAnswer, SearchMetrics, SearchRequest, SearchTrace } from './search';

/** The first slice: the last hour, where most searches find what they look for. */
export const FIRST_CHUNK_SECONDS = 3600;

/**
 * The longest slice. Tempo refuses a search longer than its `query_frontend.search.max_duration` (168 h by
 * default) with a 400, so doubling stops well below it: a 30-day search is 1, 2, 4, 8, 16 hours, then days.
 */
export const MAX_CHUNK_SECONDS = 24 * 3600;

/**
 * The companion query's limit per slice, whatever the search's: failed traces are found by a query of their
 * own, and with the search's limit Tempo would return an arbitrary subset of them, leaving shown failed
 * traces unmarked when a slice holds more failures than the limit.
 */
export const COMPANION_LIMIT = 1000;

/** Tempo's own default when a search gives no limit. */
export const DEFAULT_SEARCH_LIMIT = 20;

export interface Chunk {
  /** epoch seconds */
  start: number;
  end: number;
}

/**
 * The slices of [startSec, endSec], newest first: the last hour (or the whole range when it is shorter),
 * then slices twice as long as the one before up to MAX_CHUNK_SECONDS, back to the start (the last one cut
 * there). Contiguous:
 * each slice starts where the next older one ends.
 */
export function planChunks(startSec: number, endSec: number): Chunk[] {
  if (!Number.isFinite(startSec) || !Number.isFinite(endSec) || endSec < startSec) {
    throw new RangeError(`planChunks: the range must end after it starts (got ${startSec} to ${endSec})`);
  }
  const chunks: Chunk[] = [];
  let end = endSec;
  let size = FIRST_CHUNK_SECONDS;
  do {
    const start = Math.max(startSec, end - size);
    chunks.push({ start, end });
    end = start;
    size = Math.min(size * 2, MAX_CHUNK_SECONDS);
  } while (end > startSec);
  return chunks;
}

function mergeTrace(a: SearchTrace, b: SearchTrace): SearchTrace {
  const spans = new Map(a.spans.map((s) => [s.spanId, s]));
  for (const s of b.spans) {
    if (!spans.has(s.spanId)) {
      spans.set(s.spanId, s);
    }
  }
  const durations = [a.durationMs, b.durationMs].filter((d): d is number => d !== undefined);
  const rootService = a.rootService ?? b.rootService;
  const rootName = a.rootName ?? b.rootName;
  return {
    traceId: a.traceId,
    ...(rootService !== undefined ? { rootService } : {}),
    ...(rootName !== undefined ? { rootName } : {}),
    startMs: Math.min(a.startMs, b.startMs),
    ...(durations.length ? { durationMs: Math.max(...durations) } : {}),
    matched: Math.max(a.matched, b.matched, spans.size),
    spans: [...spans.values()],
  };
}

/**
 * Two result lists as one: a trace found in both (it crosses a slice boundary) appears once, with the
 * earliest start, the longest duration, the spans of both and the larger match count. Newest first (then
 * by ID, so the order is stable), at most `limit`.
 */
export function mergeResults(a: readonly SearchTrace[], b: readonly SearchTrace[], limit: number): SearchTrace[] {
  const byId = new Map<string, SearchTrace>();
  for (const t of [...a, ...b]) {
    const seen = byId.get(t.traceId);
    byId.set(t.traceId, seen ? mergeTrace(seen, t) : t);
  }
  return [...byId.values()]
    .sort((x, y) => y.startMs - x.startMs || (x.traceId < y.traceId ? -1 : x.traceId > y.traceId ? 1 : 0))
    .slice(0, Math.max(0, limit));
}

function addMetrics(a: SearchMetrics, b: SearchMetrics): SearchMetrics {
  const sum: SearchMetrics = { ...a };
  for (const key of ['inspectedBytes', 'inspectedTraces', 'completedJobs', 'totalJobs'] as const) {
    if (b[key] !== undefined) {
      sum[key] = (sum[key] ?? 0) + (b[key] as number);
    }
  }
  return sum;
}

export interface ProgressiveUpdate {
  /** merged so far, newest first, at most the limit */
  traces: SearchTrace[];
  chunksDone: number;
  chunksTotal: number;
  /** summed over the slices searched */
  metrics: SearchMetrics;
  /** traces the companion query found (they hold a failed span); empty without one */
  failedTraceIds: ReadonlySet<string>;
  /** no more requests follow: every slice searched, or the limit reached early */
  done: boolean;
}

export interface ProgressiveOptions {
  onUpdate?: (update: ProgressiveUpdate) => void;
  signal?: AbortSignal;
  /** a second query run over each slice beside the main one (errorCompanionQuery): its traces failed */
  companionQuery?: string;
}

export interface SearchClient {
  search(request: SearchRequest): Promise<SearchAnswer>;
}

function aborted(): HttpError {
  return new HttpError('aborted', 'The search was cancelled.');
}

/**
 * Runs `request` slice by slice (planChunks), newest first, one after another, calling onUpdate after
 * each with everything merged so far. Stops once `limit` traces are in hand: older slices could only add
 * older traces, which the limit would cut. A cancelled signal stops further requests and rejects with an
 * HttpError `aborted`; no update follows it. A failing companion query only leaves traces unmarked.
 * Resolves with the last update.
 */
export async function searchProgressively(
  client: SearchClient,
  request: SearchRequest,
  options: ProgressiveOptions = {}
): Promise<ProgressiveUpdate> {
  const signal = options.signal ?? request.signal;
  const limit = request.limit ?? DEFAULT_SEARCH_LIMIT;
  const chunks = planChunks(request.start, request.end);
  let traces: SearchTrace[] = [];
  let metrics: SearchMetrics = {};
  const failed = new Set<string>();
  let chunksDone = 0;
  for (const chunk of chunks) {
    if (signal?.aborted) {
      throw aborted();
    }
    const slice = { ...request, ...chunk, limit, signal };
    const companion = options.companionQuery
      ? client.search({ ...slice, query: options.companionQuery, limit: Math.max(limit, COMPANION_LIMIT) }).catch((e: unknown) => {
          if (isHttpError(e) && e.code === 'aborted') {
            throw e;
          }
          return undefined;
        })
      : Promise.resolve(undefined);
    const [main, errors] = await Promise.all([client.search(slice), companion]);
    if (signal?.aborted) {
      throw aborted();
    }
    traces = mergeResults(traces, main.traces, limit);
    metrics = addMetrics(metrics, main.metrics);
    for (const t of errors?.traces ?? []) {
      failed.add(t.traceId);
    }
    chunksDone++;
    const done = chunksDone === chunks.length || traces.length >= limit;
    const update: ProgressiveUpdate = {
      traces,
      chunksDone,
      chunksTotal: chunks.length,
      metrics,
      failedTraceIds: new Set(failed),
      done,
    };
    options.onUpdate?.(update);
    if (done) {
      return update;
    }
  }
  // planChunks always returns at least one slice, so the loop has returned.
  throw new Error('unreachable');
}
