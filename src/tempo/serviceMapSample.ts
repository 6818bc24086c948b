import { HttpError } from '../http';
import { ServiceGraphBuilder, ServiceMap, serviceMapCountsFromGraph } from '../trace';
import type { TempoClient } from './client';

/** How many traces a sample asks for unless told. */
export const DEFAULT_SAMPLE_LIMIT = 100;
/** Traces fetched at once: enough to hide latency, few enough not to crowd Tempo's queriers. */
export const SAMPLE_CONCURRENCY = 4;

export interface SampleOptions {
  /** the time range, epoch milliseconds */
  fromMs: number;
  toMs: number;
  /** TraceQL that picks the traces; `{}` (any trace) unless given */
  query?: string;
  /** how many traces to ask the search for (default 100) */
  limit?: number;
  signal?: AbortSignal;
  /** after each trace, loaded or failed */
  onProgress?: (done: number, total: number) => void;
}

export interface ServiceMapSampleInfo {
  /** traces the map was built from */
  traces: number;
  /** the limit the search was asked for: fewer `traces` means fewer were found (or some failed) */
  asked: number;
  fromMs: number;
  toMs: number;
  /** traces the search found that could not be loaded (an error, or gone since the search) */
  failed: number;
}

export interface ServiceMapSample {
  /** calls counted in the sample (`unit: 'calls'`), not rates */
  map: ServiceMap;
  sample: ServiceMapSampleInfo;
}

/**
 * The service map of a sample of traces, for Tempo without a metrics-generator: search the range, load each
 * trace found (4 at a time), build its service graph by Tempo's rules and add them up. A trace that fails to
 * load is counted in `failed`, not fatal; when every one fails the first error is thrown (a Tempo that
 * answers searches but not traces is broken, not empty). No trace found is an empty map, not an error.
 */
export async function sampleServiceMap(
  client: Pick<TempoClient, 'search' | 'getTrace'>,
  options: SampleOptions
): Promise<ServiceMapSample> {
  const { fromMs, toMs, signal } = options;
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new RangeError(
      `A sample's time range must end after it starts; got ${String(fromMs)} to ${String(toMs)} (epoch ms).`
    );
  }
  const limit = options.limit ?? DEFAULT_SAMPLE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`A sample's limit must be a whole number of traces, 1 or more; got ${String(limit)}.`);
  }
  const start = Math.floor(fromMs / 1000);
  const end = Math.ceil(toMs / 1000);
  const found = await client.search({ query: options.query ?? '{}', start, end, limit, signal });
  const ids = [...new Set(found.traces.map((t) => t.traceId))].slice(0, limit);

  // each trace is added to one graph as it arrives and then dropped: a sample's traces are never all in memory
  const graph = new ServiceGraphBuilder();
  let loaded = 0;
  let failed = 0;
  let firstError: unknown;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < ids.length) {
      const traceId = ids[next++];
      try {
        const lookup = await client.getTrace({ traceId, start, end, signal });
        if (lookup.found) {
          graph.add(lookup.trace);
          loaded++;
        } else {
          failed++;
          firstError ??= new HttpError(
            'not-found',
            `Tempo found trace ${traceId} in the search but not when asked for it` +
              (lookup.tenant ? ` (tenant ${lookup.tenant})` : '') +
              ': it may have been compacted away, or the queriers disagree.',
            404
          );
        }
      } catch (e) {
        // a cancelled sample stops, it does not count its traces as failed
        if (signal?.aborted || (e instanceof HttpError && e.code === 'aborted')) {
          throw e;
        }
        failed++;
        firstError ??= e;
      }
      options.onProgress?.(++done, ids.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SAMPLE_CONCURRENCY, ids.length) }, worker));
  if (ids.length > 0 && loaded === 0) {
    throw firstError;
  }
  return {
    map: serviceMapCountsFromGraph(graph.graph()),
    sample: { traces: loaded, asked: limit, fromMs, toMs, failed },
  };
}
