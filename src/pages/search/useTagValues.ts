import { useEffect, useMemo, useState } from 'react';
import { tempoClientFor, tempoDataSourceProblem } from '../../grafana';

export interface TagValues {
  values: string[];
  loading: boolean;
  /** why the values could not be loaded: the field still takes typed text */
  error?: string;
}

const MAX_VALUES = 1000;

/**
 * The values Tempo knows for a tag in a range (for the service and span name pickers), optionally
 * narrowed by a TraceQL spanset `query`. Skipped while `enabled` is false.
 */
export function useTagValues(
  datasourceUid: string | undefined,
  tag: string,
  query: string | undefined,
  range: { fromMs: number; toMs: number } | undefined,
  enabled = true
): TagValues {
  const start = range ? Math.floor(range.fromMs / 1000) : 0;
  const end = range ? Math.ceil(range.toMs / 1000) : 0;
  const key = enabled && datasourceUid && range ? [datasourceUid, tag, query ?? '', start, end].join('\n') : '';
  const [result, setResult] = useState<{ key: string; values: string[]; error?: string }>();

  useEffect(() => {
    if (!key || !datasourceUid || tempoDataSourceProblem(datasourceUid)) {
      return;
    }
    const controller = new AbortController();
    tempoClientFor(datasourceUid)
      .tagValues({ tag, query, start, end, limit: MAX_VALUES, signal: controller.signal })
      .then((values) => {
        if (!controller.signal.aborted) {
          setResult({ key, values: [...values].sort((a, b) => a.localeCompare(b)) });
        }
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) {
          setResult({ key, values: [], error: e instanceof Error ? e.message : String(e) });
        }
      });
    return () => controller.abort();
    // `key` holds every input.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // One object per answer, so that memoised fields do not re-render while nothing changed.
  return useMemo(
    () =>
      !key
        ? { values: [], loading: false }
        : result?.key === key
          ? { values: result.values, loading: false, error: result.error }
          : { values: [], loading: true },
    [key, result]
  );
}
