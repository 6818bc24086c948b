import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { TraceViewName, readTraceView } from '../../routes';

/**
 * `?view=`, the trace view shown (timeline, stats, flame, table): read, and kept up to date as the user
 * switches, keeping `?span=`. Every switch is the user's (the bar, a statistics row, a span opened from the
 * table or flame graph), so each is a history entry: Back returns to the view before. (`?span=`, by contrast,
 * changes on every selection and replaces.) The timeline, the default, is no parameter.
 */
export function useViewParam(): [TraceViewName, (view: TraceViewName) => void] {
  const [params, setParams] = useSearchParams();
  const onChange = useCallback(
    (view: TraceViewName) =>
      setParams((p) => {
        const next = new URLSearchParams(p);
        view === 'timeline' ? next.delete('view') : next.set('view', view);
        return next;
      }),
    [setParams]
  );
  return [readTraceView(params.get('view')), onChange];
}
