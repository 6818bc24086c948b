import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { CSSObject } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useVirtualizer } from '@tanstack/react-virtual';

/*
 * What the virtualised grids of the trace views (statistics, span table, compare, search results) share: the
 * virtualiser's set-up for fixed-height rows, the keys that move a grid's active row, and how a row looks. Each grid keeps its
 * own markup; these keep their behaviour the same.
 */

export interface VirtualRowsOptions {
  count: number;
  rowHeight: number;
  /** the element that scrolls the rows */
  scrollRef: React.RefObject<HTMLElement | null>;
  /** the view's CSS height: a number is the first guess of the viewport before it is measured */
  height: number | string;
  getItemKey?: (index: number) => React.Key;
  /** a header inside the scrolled element, above the rows */
  paddingStart?: number;
}

/** Fixed-height rows, virtualised; the rows in view render on the first pass (before the element is measured). */
export function useVirtualRows({
  count,
  rowHeight,
  scrollRef,
  height,
  getItemKey,
  paddingStart = 0,
}: VirtualRowsOptions) {
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualiser re-renders its grid on scroll
  return useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    ...(getItemKey ? { getItemKey } : {}),
    overscan: 8,
    paddingStart,
    scrollPaddingStart: paddingStart,
    initialRect: { width: 0, height: typeof height === 'number' ? height : 600 },
  });
}

/**
 * A new order (or filter, or grouping) of a grid's rows shows its active row where it went, or starts from the
 * top without one. `rows` is compared by reference: pass the memoised array that changes with the order.
 * Not on the first render, nor when only the active row moves (its key handler scrolls to it).
 */
export function useKeepActiveInView(
  rows: unknown,
  activePos: number,
  virtualizer: { scrollToIndex: (index: number, options: { align: 'center' }) => void },
  scrollRef: React.RefObject<HTMLElement | null>
): void {
  const shown = useRef(rows);
  useEffect(() => {
    if (shown.current === rows) {
      return;
    }
    shown.current = rows;
    if (activePos >= 0) {
      virtualizer.scrollToIndex(activePos, { align: 'center' });
    } else if (scrollRef.current) {
      scrollRef.current.scrollTop = 0;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the rows change
  }, [rows]);
}

/**
 * What a key does in a grid with an active row (`aria-activedescendant`): the row to make active, 'open' for
 * Enter on an active row, or null when the key is not the grid's. `pos` is the active row, -1 for none (the
 * first arrow then goes to the first row); `page` is how many rows a Page key moves. Clamped to the rows.
 */
export function gridKeyTarget(key: string, pos: number, count: number, page: number): number | 'open' | null {
  if (count === 0) {
    return null;
  }
  const clamp = (p: number) => Math.min(count - 1, Math.max(0, p));
  switch (key) {
    case 'ArrowDown':
      return pos < 0 ? 0 : clamp(pos + 1);
    case 'ArrowUp':
      return pos < 0 ? 0 : clamp(pos - 1);
    case 'PageDown':
      return clamp(pos + Math.max(1, page));
    case 'PageUp':
      return clamp(pos - Math.max(1, page));
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'Enter':
      return pos >= 0 && pos < count ? 'open' : null;
    default:
      return null;
  }
}

/**
 * A grid's keydown: the keys of `gridKeyTarget` on the grid itself (keys on its header's buttons, or with a
 * modifier, are left alone), moving the active row into view or opening it. `viewportHeight` is the height its
 * rows scroll in (less a header that scrolls with them).
 */
export function onGridKey(
  e: React.KeyboardEvent<HTMLElement>,
  grid: {
    activePos: number;
    count: number;
    viewportHeight: number;
    rowHeight: number;
    scrollToIndex: (index: number, options: { align: 'auto' }) => void;
    onMove: (pos: number) => void;
    onOpen: (pos: number) => void;
  }
): void {
  if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) {
    return;
  }
  const page = pageRows(grid.viewportHeight, grid.rowHeight);
  const target = gridKeyTarget(e.key, grid.activePos, grid.count, page);
  if (target === null) {
    return;
  }
  e.preventDefault();
  if (target === 'open') {
    grid.onOpen(grid.activePos);
  } else {
    grid.onMove(target);
    grid.scrollToIndex(target, { align: 'auto' });
  }
}

/** Rows that a Page key moves: a viewport of them, less one so the last row stays in sight. */
export const pageRows = (viewportHeight: number, rowHeight: number) =>
  Math.max(1, Math.floor(viewportHeight / rowHeight) - 1);

/**
 * A grid row's look (as style objects, for the grid's own `css`): placed by the virtualiser, a line below it,
 * the hover colour, and the active row's background with a bar at its start.
 */
export function gridRowStyles(theme: GrafanaTheme2, rowHeight: number): { row: CSSObject; rowActive: CSSObject } {
  return {
    row: {
      position: 'absolute',
      top: 0,
      left: 0,
      width: '100%',
      height: rowHeight,
      cursor: 'pointer',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      '&:hover': { background: theme.colors.action.hover },
    },
    rowActive: {
      background: theme.colors.action.selected,
      boxShadow: `inset 3px 0 0 ${theme.colors.primary.main}`,
      '&:hover': { background: theme.colors.action.selected },
    },
  };
}

/**
 * The shade at a wide grid's right edge while columns are hidden there (`useSideOverflow().right`): placed by the
 * caller (top, bottom, z-index, and `right` at the scrollbar's gutter), inert to the pointer.
 */
export function rightShadeStyles(theme: GrafanaTheme2): CSSObject {
  return {
    position: 'absolute',
    width: 24,
    pointerEvents: 'none',
    background: `linear-gradient(to left, ${theme.isDark ? 'rgba(0, 0, 0, 0.55)' : 'rgba(0, 0, 0, 0.14)'}, transparent)`,
  };
}

/** Which sides of a grid scrolled sideways have columns out of view. */
export interface SideOverflow {
  /** scrolled right: columns hidden at the left */
  left: boolean;
  /** columns hidden at the right */
  right: boolean;
  /** the width of its vertical scrollbar (0 for overlay scrollbars): where a right-edge cue ends */
  gutter: number;
}

/**
 * Whether the element in `scrollRef` hides columns at its left or right: for a wide grid's cues (an edge shadow,
 * a "scroll sideways" note), since overlay scrollbars show nothing until one scrolls. Measured on scroll, on
 * resize and when `contentWidth` (the grid's least width) changes; the state changes only when a side does.
 */
export function useSideOverflow(scrollRef: React.RefObject<HTMLElement | null>, contentWidth: number): SideOverflow {
  const [sides, setSides] = useState<SideOverflow>({ left: false, right: false, gutter: 0 });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) {
      return;
    }
    const measure = () => {
      // a pixel of slack: zoomed pages give fractional widths
      const left = el.scrollLeft > 1;
      const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      const gutter = Math.max(0, el.offsetWidth - el.clientWidth);
      setSides((s) => (s.left === left && s.right === right && s.gutter === gutter ? s : { left, right, gutter }));
    };
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    ro?.observe(el);
    return () => {
      el.removeEventListener('scroll', measure);
      ro?.disconnect();
    };
  }, [scrollRef, contentWidth]);
  return sides;
}
