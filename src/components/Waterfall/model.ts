import { Trace, keepMarked, visibleRows } from '../../trace';

/**
 * Small per-trace derivations the waterfall needs and the model does not provide. Each is one pass
 * over typed arrays, computed once per trace (or per collapse), never per rendered row.
 */

/**
 * The rows on screen: the model's visible rows, optionally only those leading to an error, and only
 * those a timeline filter keeps (`filterMarks`: its spans and their ancestors).
 */
export function displayRows(
  trace: Trace,
  collapsed: Uint8Array,
  errorMarks: Uint8Array | null,
  filter: Uint8Array | null = null
): Int32Array {
  let rows = visibleRows(trace, collapsed);
  if (errorMarks) {
    rows = keepMarked(rows, errorMarks);
  }
  return filter ? keepMarked(rows, filter) : rows;
}

/** Row of each span (-1 when hidden), so that keyboard moves and scrolling to a span are O(1). */
export function rowIndex(spanCount: number, rows: Int32Array): Int32Array {
  const index = new Int32Array(spanCount).fill(-1);
  for (let r = 0; r < rows.length; r++) {
    index[rows[r]] = r;
  }
  return index;
}

export interface Tick {
  /** ns relative to the trace's epoch */
  ns: number;
  /** 0..1 across the visible window */
  at: number;
  /** ns since the trace start */
  offsetNs: number;
  /** the offset in the unit of the whole axis, e.g. "0 ms", "10 ms", "20 ms" */
  label: string;
}

/** Round time ticks (1, 2 or 5 times a power of ten) across [startNs, endNs], labelled from traceStartNs. */
export function timeTicks(startNs: number, endNs: number, traceStartNs: number, target = 6): Tick[] {
  const span = endNs - startNs;
  if (!(span > 0)) {
    const offsetNs = startNs - traceStartNs;
    return [{ ns: startNs, at: 0, offsetNs, label: tickLabels([offsetNs], 1)[0] }];
  }
  const raw = span / target;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: Array<Omit<Tick, 'label'>> = [];
  // Ticks sit on round offsets from the trace start, so zooming keeps labels readable.
  const first = Math.ceil((startNs - traceStartNs) / step) * step + traceStartNs;
  for (let ns = first; ns <= endNs + step * 1e-9; ns += step) {
    ticks.push({ ns, at: (ns - startNs) / span, offsetNs: ns - traceStartNs });
  }
  const labels = tickLabels(
    ticks.map((t) => t.offsetNs),
    step
  );
  return ticks.map((t, i) => ({ ...t, label: labels[i] }));
}

const UNITS: Array<[number, string]> = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/**
 * Labels of an axis's ticks, all in one unit: the unit of the largest offset, with as many decimals
 * as the step needs. "0 ms, 10 ms, 20 ms", never "0 ns, 10 ms"; "12.4 ms, 12.5 ms" when zoomed in.
 */
export function tickLabels(offsetsNs: number[], stepNs: number): string[] {
  const largest = offsetsNs.reduce((m, o) => Math.max(m, Math.abs(o)), 0);
  const [unit, name] = UNITS.find(([u]) => largest >= u) ?? UNITS[UNITS.length - 1];
  const decimals = Math.min(3, Math.max(0, Math.ceil(-Math.log10(stepNs / unit) - 1e-9)));
  return offsetsNs.map((o) => {
    const value = Math.abs(o) < stepNs * 1e-6 ? 0 : o / unit;
    return `${value === 0 ? '0' : value.toFixed(decimals)} ${name}`;
  });
}

/** About one tick per 90 px of the time axis (six when the width is unknown), so labels never overlap. */
export function tickCount(listWidth: number, namePercent: number): number {
  if (!(listWidth > 0)) {
    return 6;
  }
  const nameColumn = Math.max((listWidth * namePercent) / 100, Math.min(200, listWidth / 2));
  return Math.min(10, Math.max(2, Math.floor((listWidth - nameColumn) / 90)));
}
