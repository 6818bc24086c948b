import { ColorBy } from './colors';

/** What a dashboard can set on the waterfall panel; the Trace page uses the defaults. */
export interface WaterfallOptions {
  showMinimap: boolean;
  /** critical path highlighted when the trace opens */
  criticalPath: boolean;
  rowSize: 'normal' | 'compact';
  /** percent of the width given to the span names */
  nameColumnWidth: number;
  colorBy: ColorBy;
  /** above this many spans the waterfall warns and turns costly extras off */
  spanLimit: number;
}

export const defaultWaterfallOptions: WaterfallOptions = {
  showMinimap: true,
  criticalPath: true,
  rowSize: 'normal',
  nameColumnWidth: 30,
  colorBy: 'service',
  spanLimit: 200_000,
};

/**
 * Beyond this the waterfall refuses to render: the scrolled list would pass Chromium's maximum
 * element height (about 33.5 million pixels, 1.2 million normal rows), and the model of such a
 * trace is already near what a browser tab can hold.
 */
export const HARD_SPAN_LIMIT = 1_000_000;

export const ROW_HEIGHT = { normal: 28, compact: 20 } as const;

export function withDefaults(options: Partial<WaterfallOptions> | undefined): WaterfallOptions {
  const o = { ...defaultWaterfallOptions, ...options };
  return {
    ...o,
    nameColumnWidth: Math.min(80, Math.max(10, Number(o.nameColumnWidth) || defaultWaterfallOptions.nameColumnWidth)),
    spanLimit: Number(o.spanLimit) > 0 ? Number(o.spanLimit) : defaultWaterfallOptions.spanLimit,
  };
}
