import { useEffect, useMemo, useState } from 'react';
import { Trace, findSpans, membership } from '../../trace';

const NO_HITS = new Int32Array(0);

/**
 * Find in trace: the query as typed, the query applied once typing pauses (longer on a very large
 * trace), its matches in display order and the current one. A new set of matches goes to its first.
 */
export function useFind(trace: Trace, big: boolean, goTo: (span: number) => void) {
  const [query, setQuery] = useState('');
  const [appliedQuery, setAppliedQuery] = useState('');
  // The current match, for the matches it was chosen among: new matches start at their first.
  const [cursor, setCursor] = useState<{ hits: Int32Array; pos: number }>({ hits: NO_HITS, pos: -1 });

  useEffect(() => {
    const t = setTimeout(() => setAppliedQuery(query.trim()), big ? 400 : 150);
    return () => clearTimeout(t);
  }, [query, big]);

  const hits = useMemo(() => (appliedQuery ? findSpans(trace, appliedQuery) : NO_HITS), [trace, appliedQuery]);
  const hitMarks = useMemo(() => (hits.length > 0 ? membership(trace.spans.length, hits) : null), [trace, hits]);
  const hitPos = cursor.hits === hits ? cursor.pos : hits.length > 0 ? 0 : -1;

  useEffect(() => {
    if (hits.length > 0) {
      goTo(hits[0]);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the matches change
  }, [hits]);

  /** Next (+1) or previous (-1) match, wrapping around. */
  const step = (delta: number) => {
    if (hits.length === 0) {
      return;
    }
    const from = hitPos < 0 ? (delta > 0 ? -1 : 0) : hitPos;
    const next = (((from + delta) % hits.length) + hits.length) % hits.length;
    setCursor({ hits, pos: next });
    goTo(hits[next]);
  };

  const status = appliedQuery === '' ? '' : hits.length === 0 ? 'No matches' : `${hitPos + 1} of ${hits.length}`;
  return { query, setQuery, hits, hitMarks, step, status };
}

export type FindState = ReturnType<typeof useFind>;

/** What Find (and the span table's filter, the same `findSpans`) understands, for their tooltips. */
export const FIND_HELP =
  'Every word must match: a span name, service, span ID or attribute; key=value matches one attribute; ' +
  'status=error|ok|unset and kind=server|client|internal|producer|consumer match the span; ' +
  'error alone also finds failed spans; quotes keep spaces.';
