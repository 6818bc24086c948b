import { useCallback, useMemo, useState } from 'react';
import {
  Trace,
  collapseAll,
  collapseToDepth,
  errorSubtrees,
  expandAll,
  revealSpan,
  toggleCollapsed,
} from '../../trace';
import { displayRows, rowIndex } from './model';

/**
 * Which rows are on screen: the collapsed subtrees, the "errors only" filter and a timeline filter
 * (`filter`: `filterMarks` of its spans, or null; `onLeaveFilter` drops it), and what follows from them
 * (the rows in order, and each span's row).
 */
export function useCollapse(trace: Trace, filter: Uint8Array | null = null, onLeaveFilter?: () => void) {
  const [collapsed, setCollapsed] = useState(() => expandAll(trace));
  const [errorsOnly, setErrorsOnly] = useState(false);
  const errorMarks = useMemo(() => (errorsOnly ? errorSubtrees(trace) : null), [trace, errorsOnly]);
  const rows = useMemo(() => displayRows(trace, collapsed, errorMarks, filter), [trace, collapsed, errorMarks, filter]);
  // A new filter shows all of its spans: nothing stays collapsed over them (set while rendering, so the
  // filtered rows' first render is already expanded). The user's own collapse state is kept aside and comes
  // back when the filter goes ("Show all", or going to a span outside it).
  const [filterSeen, setFilterSeen] = useState(filter);
  const [beforeFilter, setBeforeFilter] = useState<Uint8Array | null>(null);
  if (filter !== filterSeen) {
    setFilterSeen(filter);
    if (filter) {
      if (!filterSeen) {
        setBeforeFilter(collapsed);
      }
      setCollapsed(expandAll(trace));
    } else if (beforeFilter) {
      setCollapsed(beforeFilter);
      setBeforeFilter(null);
    }
  }
  const rowOf = useMemo(() => rowIndex(trace.spans.length, rows), [trace, rows]);

  const toggle = useCallback((span: number) => setCollapsed((mask) => toggleCollapsed(mask, span)), []);

  /**
   * Makes a span's row visible: expands its collapsed ancestors, and leaves "errors only" and the timeline
   * filter if they hide it.
   */
  const reveal = useCallback(
    (span: number) => {
      setCollapsed((mask) => (hiddenUnder(trace, mask, span) ? revealSpan(trace, mask, span) : mask));
      if (errorMarks && errorMarks[span] !== 1) {
        setErrorsOnly(false);
      }
      if (filter && filter[span] === 0) {
        // The collapse state that comes back must show the span gone to.
        setBeforeFilter((mask) => (mask && hiddenUnder(trace, mask, span) ? revealSpan(trace, mask, span) : mask));
        onLeaveFilter?.();
      }
    },
    [trace, errorMarks, filter, onLeaveFilter]
  );

  return {
    collapsed,
    rows,
    rowOf,
    errorsOnly,
    setErrorsOnly,
    toggle,
    reveal,
    collapseAll: () => setCollapsed(collapseAll(trace)),
    expandAll: () => setCollapsed(expandAll(trace)),
    collapseToDepth: (depth: number) => setCollapsed(collapseToDepth(trace, depth)),
  };
}

export type CollapseState = ReturnType<typeof useCollapse>;

/** Whether a collapsed ancestor hides the span. */
function hiddenUnder(trace: Trace, mask: Uint8Array, span: number): boolean {
  for (let p = trace.parent[span]; p >= 0; p = trace.parent[p]) {
    if (mask[p] === 1) {
      return true;
    }
  }
  return false;
}
