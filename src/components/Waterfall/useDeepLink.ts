import { useEffect, useMemo, useRef } from 'react';
import { Trace, spanIndexById } from '../../trace';
import { Align } from './useSelection';

interface Args {
  trace: Trace;
  /** the `?span=` deep link, in any case */
  selectedSpanId: string | undefined;
  onSelectedSpanChange: ((spanId: string | undefined) => void) | undefined;
  selected: number;
  goTo: (span: number, align: Align, openDetails?: boolean) => void;
}

/**
 * Keeps the selected span and the `selectedSpanId` prop (the page's `?span=` deep link) in step.
 * A link that changes from outside selects its span, opens its details and scrolls to it; a
 * selection made here is reported once. A link that only echoes the selection does nothing, so
 * that other controls (e.g. "errors only") are not undone by the round trip through the URL.
 *
 * Returns the ID of a linked span that this trace does not have.
 */
export function useDeepLink({ trace, selectedSpanId, onSelectedSpanChange, selected, goTo }: Args): string | undefined {
  const notified = useRef(selectedSpanId?.toLowerCase());
  const selectedRef = useRef(selected);
  const goToRef = useRef(goTo);
  // Declared before the effects below, so it runs before them and they see this render's values.
  useEffect(() => {
    selectedRef.current = selected;
    goToRef.current = goTo;
  });

  const missingSpan = useMemo(
    () => (selectedSpanId && spanIndexById(trace, selectedSpanId) < 0 ? selectedSpanId : undefined),
    [trace, selectedSpanId]
  );

  useEffect(() => {
    const id = selectedSpanId?.toLowerCase();
    const current = selectedRef.current;
    if (!id || (current >= 0 && trace.spans[current].spanId === id)) {
      return;
    }
    notified.current = id;
    const i = spanIndexById(trace, id);
    if (i >= 0) {
      goToRef.current(i, 'center', true);
    }
  }, [trace, selectedSpanId]);

  useEffect(() => {
    if (selected < 0) {
      return;
    }
    const id = trace.spans[selected].spanId;
    if (id !== notified.current) {
      notified.current = id;
      onSelectedSpanChange?.(id);
    }
  }, [selected, trace, onSelectedSpanChange]);

  return missingSpan;
}
