import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { TraceViewName, readTraceView } from '../../routes';

/**
 * `?view=`, the trace view shown (timeline, stats, flame, table): read, and kept up to date as the user
 * switches (without history, like `?span=`, which it keeps). The timeline, the default, is no parameter.
 */
export function useViewParam(): [TraceViewName, (view: TraceViewName) => void] {
  const [params, setParams] = useSearchParams();
  const onChange = useCallback(
    (view: TraceViewName) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          view === 'timeline' ? next.delete('view') : next.set('view', view);
          return next;
        },
        { replace: true }
      ),
    [setParams]
  );
  return [readTraceView(params.get('view')), onChange];
}
