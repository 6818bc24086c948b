import { useEffect, useMemo, useState } from 'react';
import { Trace, findSpans } from '../../trace';
import { FILTER_CHUNK, filterMask } from './table';

export interface SpanFilter {
  /** the spans to show (null: all), for the last query whose pass finished */
  mask: Uint8Array | null;
  /** while a pass over a large trace runs, the share of spans looked at so far (0 to 1); else null */
  progress: number | null;
}

interface Done {
  trace: Trace;
  query: string;
  mask: Uint8Array | null;
}

/**
 * The filter's mask for a query. A trace of up to `chunk` spans is filtered at once; a larger one in steps of
 * `chunk` spans between which the page paints and takes input, the previous result shown meanwhile. A new query
 * abandons the pass under way.
 */
export function useSpanFilter(trace: Trace, query: string, chunk = FILTER_CHUNK): SpanFilter {
  const n = trace.spans.length;
  const small = n <= chunk || query === '';
  const now = useMemo(() => (small ? filterMask(trace, query) : undefined), [small, trace, query]);
  const [done, setDone] = useState<Done>({ trace, query: '', mask: null });
  const [progress, setProgress] = useState<{ query: string; share: number } | null>(null);

  useEffect(() => {
    if (small) {
      return;
    }
    const marks = new Uint8Array(n);
    let from = 0;
    let timer: ReturnType<typeof setTimeout>;
    const step = () => {
      const to = Math.min(n, from + chunk);
      const hits = findSpans(trace, query, from, to);
      for (let k = 0; k < hits.length; k++) {
        marks[hits[k]] = 1;
      }
      from = to;
      if (from < n) {
        setProgress({ query, share: from / n });
        timer = setTimeout(step, 0);
      } else {
        setProgress(null);
        setDone({ trace, query, mask: marks });
      }
    };
    timer = setTimeout(step, 0);
    return () => clearTimeout(timer);
  }, [small, trace, query, n, chunk]);

  if (now !== undefined) {
    return { mask: now, progress: null };
  }
  const current = done.trace === trace && done.query === query;
  return {
    mask: done.trace === trace ? done.mask : null,
    progress: current ? null : progress !== null && progress.query === query ? progress.share : 0,
  };
}
