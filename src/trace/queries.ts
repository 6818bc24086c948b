import { SpanFlag, StatusCode, Trace } from './types';

/**
 * Small queries over a built trace that the waterfall, the span details and the CLI share. Each is
 * O(1) or one pass over typed arrays.
 */

const HEX16 = /^[0-9a-f]{16}$/;

/**
 * Index of the span with this hex span ID, or -1. IDs compare case-insensitively; among spans that
 * share an ID, the canonically first (the one the tree hangs the children on). O(1): it uses the
 * index the tree builder made.
 */
export function spanIndexById(trace: Trace, spanId: string): number {
  const id = spanId.toLowerCase();
  if (!HEX16.test(id)) {
    return -1;
  }
  return trace.spanIdIndex.find(id);
}

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

/** A mask of `spanCount` entries with 1 at each of `spans` (e.g. the critical path's spans). */
export function membership(spanCount: number, spans: Int32Array): Uint8Array {
  const marks = new Uint8Array(spanCount);
  for (let k = 0; k < spans.length; k++) {
    marks[spans[k]] = 1;
  }
  return marks;
}

/**
 * How far span `span` lies outside its parent because of clock skew, in ns: `earlyNs` how much it
 * starts before its parent, `lateNs` how much it ends after it (each 0 when not skewed that way).
 * null when the model found no clock skew at this span (`SpanFlag.SkewStart`/`SkewEnd` unset).
 */
export function clockSkew(trace: Trace, span: number): { earlyNs: number; lateNs: number } | null {
  const f = trace.spanFlags[span];
  const p = trace.parent[span];
  if ((f & (SpanFlag.SkewStart | SpanFlag.SkewEnd)) === 0 || p < 0) {
    return null;
  }
  return {
    earlyNs: f & SpanFlag.SkewStart ? trace.start[p] - trace.start[span] : 0,
    lateNs: f & SpanFlag.SkewEnd ? trace.end[span] - trace.end[p] : 0,
  };
}
