import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { isHttpError } from '../../http';
import {
  SearchMetrics,
  SearchTrace,
  errorCompanionQuery,
  searchProgressively,
  traceqlErrorPosition,
} from '../../tempo';
import { tempoClientFor, tempoDataSourceProblem } from '../../grafana';

/** What the page runs: one TraceQL query over one data source and range. */
export interface SearchRun {
  datasourceUid: string;
  query: string;
  fromMs: number;
  toMs: number;
  limit: number;
  /** every result failed (the query asks for errors): no companion query needed */
  errorsOnly: boolean;
  /** changes to run the same search again (refresh, or the same search submitted) */
  runKey: number;
}

export type SearchFailureKind = 'traceql' | 'tenant' | 'network' | 'datasource' | 'other';

export interface SearchFailure {
  kind: SearchFailureKind;
  title: string;
  message: string;
  /** where Tempo's TraceQL parser stopped, when it says */
  position?: { line: number; column: number };
}

export interface SearchState {
  phase: 'running' | 'done' | 'cancelled' | 'error';
  traces: SearchTrace[];
  failedTraceIds: ReadonlySet<string>;
  chunksDone: number;
  chunksTotal: number;
  metrics?: SearchMetrics;
  error?: SearchFailure;
  /** still running after SLOW_MS */
  slow: boolean;
}

/** After this long, the page says the search is still running and how far it got. */
export const SLOW_MS = 5000;

const NONE: ReadonlySet<string> = new Set();

function initial(): SearchState {
  return { phase: 'running', traces: [], failedTraceIds: NONE, chunksDone: 0, chunksTotal: 0, slow: false };
}

/**
 * Runs a search progressively (time slices, newest first; see searchProgressively) through the data
 * source's proxy. A new run, or leaving the page, cancels the one before; `cancel` stops it and keeps
 * what arrived.
 */
export function useSearch(
  run: SearchRun | undefined,
  restored?: SearchState
): { state: SearchState | undefined; cancel: () => void } {
  const key = run && JSON.stringify(run);
  const [result, setResult] = useState<{ key: string; state: SearchState }>();
  const controllerRef = useRef<AbortController | null>(null);

  useEffect(() => {
    // A finished search shown again (Back) is not asked again.
    if (!run || !key || restored) {
      return;
    }
    const controller = new AbortController();
    controllerRef.current = controller;
    let state = initial();
    const set = (next: Partial<SearchState>) => {
      state = { ...state, ...next };
      setResult({ key, state });
    };
    const problem = tempoDataSourceProblem(run.datasourceUid);
    if (problem) {
      set({ phase: 'error', error: { kind: 'datasource', title: 'No such Tempo data source', message: problem } });
      return;
    }
    set({});
    const slowTimer = setTimeout(() => state.phase === 'running' && set({ slow: true }), SLOW_MS);
    let answered = false;
    searchProgressively(
      tempoClientFor(run.datasourceUid),
      {
        query: run.query,
        // Whole seconds, as long as the range: "now-1h" read a millisecond apart at each end must not
        // become 3,601 seconds (a slice of one second more).
        start: Math.ceil(run.toMs / 1000) - Math.round((run.toMs - run.fromMs) / 1000),
        end: Math.ceil(run.toMs / 1000),
        limit: run.limit,
        signal: controller.signal,
      },
      {
        signal: controller.signal,
        companionQuery: run.errorsOnly ? undefined : errorCompanionQuery(run.query),
        onUpdate: (update) => {
          if (controller.signal.aborted) {
            return;
          }
          if (!answered && update.traces.length > 0) {
            // For the browser benchmark: the parsed answer is in hand; the page marks its first painted frame.
            answered = true;
            performance.mark?.('traceway:search-answer', { detail: { traces: update.traces.length } });
          }
          // Rendered at once rather than in a scheduled task: results in hand are what the user waits for.
          // The last update says done itself, so that it is one render, not two.
          flushSync(() =>
            set({
              traces: update.traces,
              failedTraceIds: update.failedTraceIds ?? NONE,
              chunksDone: update.chunksDone,
              chunksTotal: update.chunksTotal,
              metrics: update.metrics,
              ...(update.done ? { phase: 'done' as const, slow: false } : {}),
            })
          );
        },
      }
    )
      .then(() => {
        if (!controller.signal.aborted && state.phase !== 'done') {
          set({ phase: 'done', slow: false });
        }
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) {
          set({ phase: 'error', slow: false, error: describeFailure(e) });
        }
      })
      .finally(() => clearTimeout(slowTimer));
    return () => {
      clearTimeout(slowTimer);
      controller.abort();
    };
    // `key` is the run: its fields are read through it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, !!restored]);

  const cancel = useCallback(() => {
    const controller = controllerRef.current;
    if (controller && !controller.signal.aborted && key) {
      controller.abort();
      setResult((r) => (r && r.key === key ? { key, state: { ...r.state, phase: 'cancelled', slow: false } } : r));
    }
  }, [key]);

  const fresh = result && result.key === key ? result.state : undefined;
  return { state: fresh ?? (run ? (restored ?? initial()) : undefined), cancel };
}

/** A failed search as the page says it: what happened and what to try. */
export function describeFailure(e: unknown): SearchFailure {
  if (isHttpError(e)) {
    const message = e.message;
    if (e.code === 'bad-request') {
      const position = traceqlErrorPosition(message);
      return { kind: 'traceql', title: 'Tempo refused the query', message, ...(position ? { position } : {}) };
    }
    if (e.code === 'unauthorized' && /no org id/i.test(message)) {
      return {
        kind: 'tenant',
        title: 'This Tempo needs a tenant',
        // Said for Grafana, not with the client's words (which name the CLI's --tenant).
        message:
          'Tempo answered HTTP 401 "no org id": it runs with multi-tenancy, and this data source sends no tenant. ' +
          'Add the header X-Scope-OrgID with your tenant to the Tempo data source (Connections > Data sources > ' +
          'the data source > HTTP headers), then search again.',
      };
    }
    if (e.code === 'unauthorized') {
      // In Grafana the data source proxy hides Tempo's own words (a 401 becomes "Authentication to data
      // source failed"): a refused login and a missing tenant look the same, so both are named.
      return {
        kind: 'tenant',
        title: 'Tempo refused the data source',
        message: `${message.replace(/\.?\s*$/, '.')} Its settings are under Connections > Data sources.`,
      };
    }
    if (e.code === 'network' || e.code === 'timeout' || e.code === 'unavailable') {
      return {
        kind: 'network',
        title: e.code === 'timeout' ? 'Tempo did not answer in time' : 'Could not reach Tempo',
        message: `${message} Check that Tempo is running and that the data source's URL reaches it (Test on its settings page), then search again.`,
      };
    }
    return { kind: 'other', title: 'The search failed', message };
  }
  return { kind: 'other', title: 'The search failed', message: e instanceof Error ? e.message : String(e) };
}
