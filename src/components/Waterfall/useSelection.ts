import { useCallback, useRef, useState } from 'react';

export type Align = 'auto' | 'center';

/**
 * The selected span, whether its details are open, and the row to scroll to once it is rendered
 * (the list reads and clears `scrollTarget` after each render).
 */
export function useSelection(reveal: (span: number) => void) {
  const [selected, setSelected] = useState(-1);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const scrollTarget = useRef<{ span: number; align: Align } | null>(null);

  /** Selects a span, revealing it first if it is collapsed away or filtered out, and scrolls to it. */
  const goTo = useCallback(
    (span: number, align: Align, openDetails = false) => {
      reveal(span);
      setSelected(span);
      if (openDetails) {
        setDetailsOpen(true);
      }
      scrollTarget.current = { span, align };
    },
    [reveal]
  );

  /** Selects a span that is already on screen (keyboard moves), scrolling only as far as needed. */
  const moveTo = useCallback((span: number) => {
    setSelected(span);
    scrollTarget.current = { span, align: 'auto' };
  }, []);

  return { selected, setSelected, detailsOpen, setDetailsOpen, goTo, moveTo, scrollTarget };
}

export type SelectionState = ReturnType<typeof useSelection>;
