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
 * Values already answered, by data source, tag, query and range in seconds: Back to a search (its range
 * kept) fills the pickers without asking Tempo again. A new range is a new key; bounded, oldest dropped.
 */
const answered = new Map<string, { values: string[]; error?: string }>();
const MAX_ANSWERED = 20;

/** For tests: each starts without the answers of the ones before. */
export function forgetTagValues(): void {
  answered.clear();
}

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
    if (!key || !datasourceUid || answered.has(key) || tempoDataSourceProblem(datasourceUid)) {
      return;
    }
    const controller = new AbortController();
    // Kept as answered, a refusal too: shown again as it was (a refresh is a new range, so asks again).
    const answer = (a: { values: string[]; error?: string }) => {
      answered.set(key, a);
      if (answered.size > MAX_ANSWERED) {
        answered.delete(answered.keys().next().value!);
      }
      setResult({ key, ...a });
    };
    tempoClientFor(datasourceUid)
      .tagValues({ tag, query, start, end, limit: MAX_VALUES, signal: controller.signal })
      .then((values) => {
        if (!controller.signal.aborted) {
          answer({ values: [...values].sort((a, b) => a.localeCompare(b)) });
        }
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) {
          answer({ values: [], error: e instanceof Error ? e.message : String(e) });
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
          : answered.has(key)
            ? { ...answered.get(key)!, loading: false }
            : { values: [], loading: true },
    [key, result]
  );
}
