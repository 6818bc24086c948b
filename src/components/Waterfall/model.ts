import { StatusCode, Trace, visibleRows } from '../../trace';

/**
 * Small per-trace derivations the waterfall needs and the model does not provide. Each is one pass
 * over typed arrays, computed once per trace (or per collapse), never per rendered row.
 */

/** 1 for a span that failed or has a failed span below it: the rows kept by "errors only". */
export function errorSubtrees(trace: Trace): Uint8Array {
  const { order, parent, statusCode } = trace;
  const marks = new Uint8Array(order.length);
  // Reverse pre-order visits children before their parents.
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k];
    if (statusCode[v] === StatusCode.Error) {
      marks[v] = 1;
    }
    if (marks[v] === 1 && parent[v] >= 0) {
      marks[parent[v]] = 1;
    }
  }
  return marks;
}

/** The rows on screen: the model's visible rows, optionally only those leading to an error. */
export function displayRows(trace: Trace, collapsed: Uint8Array, errorMarks: Uint8Array | null): Int32Array {
  const rows = visibleRows(trace, collapsed);
  if (!errorMarks) {
    return rows;
  }
  let w = 0;
  for (let r = 0; r < rows.length; r++) {
    if (errorMarks[rows[r]] === 1) {
      rows[w++] = rows[r];
    }
  }
  return rows.slice(0, w);
}

/** Row of each span (-1 when hidden), so that keyboard moves and scrolling to a span are O(1). */
export function rowIndex(spanCount: number, rows: Int32Array): Int32Array {
  const index = new Int32Array(spanCount).fill(-1);
  for (let r = 0; r < rows.length; r++) {
    index[rows[r]] = r;
  }
  return index;
}

/** Index of the span with this hex ID, or -1. IDs compare case-insensitively. */
export function spanIndexById(trace: Trace, spanId: string): number {
  const id = spanId.toLowerCase();
  return trace.spans.findIndex((s) => s.spanId === id);
}

/** 1 for spans on the critical path. */
export function membership(spanCount: number, spans: Int32Array): Uint8Array {
  const marks = new Uint8Array(spanCount);
  for (let k = 0; k < spans.length; k++) {
    marks[spans[k]] = 1;
  }
  return marks;
}

export interface Tick {
  /** ns relative to the trace's epoch */
  ns: number;
  /** 0..1 across the visible window */
  at: number;
  /** ns since the trace start, for the label */
  offsetNs: number;
}

/** Round time ticks (1, 2 or 5 times a power of ten) across [startNs, endNs], labelled from traceStartNs. */
export function timeTicks(startNs: number, endNs: number, traceStartNs: number, target = 6): Tick[] {
  const span = endNs - startNs;
  if (!(span > 0)) {
    return [{ ns: startNs, at: 0, offsetNs: startNs - traceStartNs }];
  }
  const raw = span / target;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: Tick[] = [];
  // Ticks sit on round offsets from the trace start, so zooming keeps labels readable.
  const first = Math.ceil((startNs - traceStartNs) / step) * step + traceStartNs;
  for (let ns = first; ns <= endNs + step * 1e-9; ns += step) {
    ticks.push({ ns, at: (ns - startNs) / span, offsetNs: ns - traceStartNs });
  }
  return ticks;
}
