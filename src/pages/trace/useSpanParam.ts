import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** `?span=<id>`, the deep link to a span: read, and kept up to date as spans are selected (without history). */
export function useSpanParam(): [string | undefined, (spanId: string | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const onChange = useCallback(
    (spanId: string | undefined) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          spanId ? next.set('span', spanId) : next.delete('span');
          return next;
        },
        { replace: true }
      ),
    [setParams]
  );
  return [params.get('span') ?? undefined, onChange];
}
