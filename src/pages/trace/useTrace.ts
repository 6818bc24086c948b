import { useEffect, useState } from 'react';
import { HttpError, isHttpError } from '../../http';
import { Endpoint, TempoClient } from '../../tempo';
import { Trace, TraceSummary, isTraceInputError, summarize } from '../../trace';
import { dataSourceProxyUrl, grafanaTransport, tempoDataSourceProblem } from '../../grafana';
import { TraceQuery, traceQueryKey } from './traceQuery';

export type TraceState =
  | { status: 'loading'; phase: 'fetching' | 'reading'; bytes: number }
  | { status: 'not-found'; endpoint: Endpoint }
  | { status: 'error'; title: string; message: string }
  | { status: 'loaded'; trace: Trace; summary: TraceSummary; bytes: number };

/** Loads one trace through the Tempo data source's proxy; leaving the page cancels the request. */
export function useTrace({ datasourceUid, traceId, start, end }: TraceQuery): TraceState {
  // Each result is kept with the query it answers, so a new query reads as loading without a reset.
  const key = traceQueryKey({ datasourceUid, traceId, start, end });
  const [result, setResult] = useState<{ key: string; state: TraceState }>();
  useEffect(() => {
    const controller = new AbortController();
    const setState = (state: TraceState) => setResult({ key, state });
    // A data source that does not exist (or is not Tempo) is said as such, before any request.
    const problem = tempoDataSourceProblem(datasourceUid);
    if (problem) {
      setState({ status: 'error', title: 'No such Tempo data source', message: problem });
      return;
    }
    // A few progress updates a second: one per network chunk would re-render thousands of times.
    let lastProgress = 0;
    const onProgress = (bytes: number) => {
      const now = performance.now();
      if (now - lastProgress > 100) {
        lastProgress = now;
        setState({ status: 'loading', phase: 'fetching', bytes });
      }
    };
    const onReceived = async (bytes: number) => {
      // For the browser benchmark: the body is in hand; the waterfall marks its first painted rows.
      performance.mark?.('traceway:trace-received');
      // Say what happens next before the model's synchronous work holds the main thread.
      setState({ status: 'loading', phase: 'reading', bytes });
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    const client = new TempoClient(dataSourceProxyUrl(datasourceUid), grafanaTransport());
    client
      .getTrace({ traceId, start, end, signal: controller.signal, onProgress, onReceived })
      .then((lookup) => {
        if (controller.signal.aborted) {
          return;
        }
        if (!lookup.found) {
          return setState({ status: 'not-found', endpoint: lookup.endpoint });
        }
        setState({ status: 'loaded', trace: lookup.trace, summary: summarize(lookup.trace), bytes: lookup.bytes });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) {
          return;
        }
        setState(describe(e));
      });
    return () => controller.abort();
  }, [key, datasourceUid, traceId, start, end]);
  return result?.key === key ? result.state : { status: 'loading', phase: 'fetching', bytes: 0 };
}

const TITLES: Partial<Record<HttpError['code'], string>> = {
  // Tempo's max_bytes_per_trace (422) or Traceway's own cap on what it reads: the message says which.
  'too-large': 'This trace is too large to load',
  unauthorized: 'Not allowed to read from Tempo',
  'bad-request': 'Tempo refused the request',
  'not-found': 'Tempo is not where the data source points',
  'bad-response': 'The data source did not answer like Tempo',
  network: 'Could not reach Tempo',
  timeout: 'Tempo did not answer in time',
  redirect: 'Tempo redirected to another site',
};

function describe(e: unknown): TraceState {
  if (isHttpError(e)) {
    return { status: 'error', title: TITLES[e.code] ?? 'Could not load the trace', message: e.message };
  }
  if (e instanceof RangeError) {
    // V8's "Invalid string length" / "Invalid array length": the trace outgrew what the tab can hold.
    return { status: 'error', title: 'This trace is too large for the browser', message: e.message };
  }
  if (isTraceInputError(e)) {
    return { status: 'error', title: 'Tempo sent a trace Traceway cannot read', message: e.message };
  }
  return { status: 'error', title: 'Could not load the trace', message: e instanceof Error ? e.message : String(e) };
}
