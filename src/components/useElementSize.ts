import { RefObject, useLayoutEffect, useState } from 'react';

export interface ElementSize {
  width: number;
  height: number;
}

/** Which box is measured: inside the borders and without a scrollbar (`clientWidth`), or the whole rectangle. */
export type MeasuredBox = 'client' | 'rect';

function measureBox(el: HTMLElement, box: MeasuredBox): ElementSize {
  if (box === 'client') {
    return { width: el.clientWidth, height: el.clientHeight };
  }
  const r = el.getBoundingClientRect();
  return { width: r.width, height: r.height };
}

/**
 * The size of the element in `ref`, measured before the first paint and again whenever it resizes
 * (ResizeObserver). `initial` until it has a size (and in jsdom, which has no layout): a size of 0 is not taken.
 * The state changes only when the size does, so a resize that keeps it renders nothing.
 */
export function useElementSize(
  ref: RefObject<HTMLElement | null>,
  initial: ElementSize,
  box: MeasuredBox = 'client'
): ElementSize {
  const [size, setSize] = useState(initial);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const measure = () => {
      const { width, height } = measureBox(el, box);
      if (width > 0 && height > 0) {
        setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
      }
    };
    measure();
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, box]);
  return size;
}
