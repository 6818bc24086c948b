import { SpanFlag, StatusCode, Trace, TraceWarning } from './types';

/** One self-time array per trace: every view (statistics, span table, flame graph, timeline details) shares it. */
const selfTimesByTrace = new WeakMap<Trace, Float64Array>();

/**
 * Self time: a span's duration minus the union of its synchronous children's time (clipped to
 * the span), so overlapping children are not subtracted twice and a child's time outside its
 * parent is not subtracted at all. Async children (FOLLOWS_FROM, a CONSUMER under a PRODUCER) do
 * not block their parent and are not subtracted. Children are already ordered by start, so the
 * union is one merge pass per span.
 *
 * Computed once per trace object and then returned from a cache (a trace is immutable after parsing),
 * so the array is shared by every caller: READ-ONLY, never write into it (copy it with `.slice()` first).
 */
export function selfTimes(trace: Trace): Float64Array {
  let self = selfTimesByTrace.get(trace);
  if (!self) {
    self = computeSelfTimes(trace);
    selfTimesByTrace.set(trace, self);
  }
  return self;
}

function computeSelfTimes(trace: Trace): Float64Array {
  const { start, end, childOffset, childIndex, spanFlags } = trace;
  const n = trace.spans.length;
  const self = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = start[i];
    const e = Math.max(s, end[i]);
    let covered = 0;
    let curS = 0;
    let curE = -Infinity;
    for (let k = childOffset[i]; k < childOffset[i + 1]; k++) {
      const c = childIndex[k];
      if ((spanFlags[c] & SpanFlag.Async) !== 0) {
        continue;
      }
      const cs = Math.max(s, start[c]);
      const ce = Math.min(e, Math.max(start[c], end[c]));
      if (ce <= cs) {
        continue;
      }
      if (cs > curE) {
        if (curE > curS) {
          covered += curE - curS;
        }
        curS = cs;
        curE = ce;
      } else if (ce > curE) {
        curE = ce;
      }
    }
    if (curE > curS) {
      covered += curE - curS;
    }
    self[i] = e - s - covered;
  }
  return self;
}

/**
 * The statistics of one group of spans (a service, or a service + operation). Durations are clamped at 0
 * (a span that ends before it starts counts as 0 ns), in nanoseconds.
 */
export interface GroupStats {
  service: string;
  /** '' for per-service rows */
  operation: string;
  count: number;
  /** the sum of the spans' durations */
  totalNs: number;
  /** totalNs / count */
  avgNs: number;
  /** the shortest span's duration */
  minNs: number;
  /** the longest span's duration */
  maxNs: number;
  /** the sum of the spans' self times (`selfTimes`) */
  selfNs: number;
  /**
   * selfNs as a share of the trace's duration (its first start to its last end, `trace.endNs - trace.startNs`),
   * 0 to 1 for a sequential trace; parallel work can make one group's share, or the sum, exceed 1. 0 when the
   * trace lasts 0 ns.
   */
  share: number;
  /** spans with status ERROR */
  errors: number;
}

export interface TraceStats {
  /** indexed like `trace.services` (sorted by name) */
  byService: GroupStats[];
  /** sorted by self time, the largest first (then service, then operation) */
  byOperation: GroupStats[];
  /** the trace's duration that `share` divides by */
  durationNs: number;
}

/** Spans and failed spans per service, indexed like `trace.services`: one pass, no self times. */
export function serviceCounts(trace: Trace): { spans: Int32Array; errors: Int32Array } {
  const spans = new Int32Array(trace.services.length);
  const errors = new Int32Array(trace.services.length);
  const { serviceIndex, statusCode } = trace;
  for (let i = 0; i < serviceIndex.length; i++) {
    spans[serviceIndex[i]]++;
    if (statusCode[i] === StatusCode.Error) {
      errors[serviceIndex[i]]++;
    }
  }
  return { spans, errors };
}

function group(service: string, operation: string): GroupStats {
  return {
    service,
    operation,
    count: 0,
    totalNs: 0,
    avgNs: 0,
    minNs: Infinity,
    maxNs: 0,
    selfNs: 0,
    share: 0,
    errors: 0,
  };
}

function add(g: GroupStats, d: number, self: number, err: number): void {
  g.count++;
  g.totalNs += d;
  g.selfNs += self;
  g.errors += err;
  if (d < g.minNs) {
    g.minNs = d;
  }
  if (d > g.maxNs) {
    g.maxNs = d;
  }
}

function finish(g: GroupStats, durationNs: number): void {
  g.avgNs = g.count > 0 ? g.totalNs / g.count : 0;
  if (g.count === 0) {
    g.minNs = 0;
  }
  g.share = durationNs > 0 ? g.selfNs / durationNs : 0;
}

/**
 * Per service and per (service, operation): count, total, average, min and max duration, self time, its share
 * of the trace's duration, and errors. One pass over the spans after `selfTimes`; an orphan (its parent missing)
 * counts like any span, its self time its own duration minus its children's.
 */
export function traceStats(trace: Trace, self: Float64Array = selfTimes(trace)): TraceStats {
  const { start, end, serviceIndex, statusCode, services, spans } = trace;
  const durationNs = Math.max(0, trace.endNs - trace.startNs);
  const byService: GroupStats[] = services.map((service) => group(service, ''));
  // One operation map per service avoids building a "service/operation" key string per span.
  const opIndex: Array<Map<string, GroupStats>> = services.map(() => new Map());
  const byOperation: GroupStats[] = [];
  for (let i = 0; i < spans.length; i++) {
    const si = serviceIndex[i];
    const d = Math.max(0, end[i] - start[i]);
    const err = statusCode[i] === StatusCode.Error ? 1 : 0;
    add(byService[si], d, self[i], err);
    const name = spans[i].name;
    let o = opIndex[si].get(name);
    if (!o) {
      o = group(services[si], name);
      opIndex[si].set(name, o);
      byOperation.push(o);
    }
    add(o, d, self[i], err);
  }
  for (const g of byService) {
    finish(g, durationNs);
  }
  for (const g of byOperation) {
    finish(g, durationNs);
  }
  byOperation.sort(bySelfTime);
  return { byService, byOperation, durationNs };
}

/**
 * The spans of one statistics group, in pre-order (display order): a service's (`operation` undefined) or one
 * service + operation's. An empty list when the trace has no such service.
 */
export function groupSpans(trace: Trace, service: string, operation?: string): Int32Array {
  const si = trace.services.indexOf(service);
  if (si < 0) {
    return new Int32Array(0);
  }
  const { order, serviceIndex, spans } = trace;
  const out = new Int32Array(order.length);
  let w = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (serviceIndex[i] === si && (operation === undefined || spans[i].name === operation)) {
      out[w++] = i;
    }
  }
  return out.slice(0, w);
}

/** Largest self time first; ties by service, then operation, so the order is stable across runs. */
export function bySelfTime(a: GroupStats, b: GroupStats): number {
  return (
    b.selfNs - a.selfNs ||
    (a.service < b.service
      ? -1
      : a.service > b.service
        ? 1
        : a.operation < b.operation
          ? -1
          : a.operation > b.operation
            ? 1
            : 0)
  );
}

export interface TraceSummary {
  traceId: string;
  spanCount: number;
  /** index of the main root, -1 if none */
  root: number;
  rootSpanId: string;
  rootServiceName: string;
  rootName: string;
  /** sorted */
  services: string[];
  /** deepest span's depth, root at 0 */
  maxDepth: number;
  /** earliest start, epoch ms (float) */
  startEpochMs: number;
  durationNs: number;
  durationMs: number;
  errorCount: number;
  warnings: TraceWarning[];
}

export function summarize(trace: Trace): TraceSummary {
  let errorCount = 0;
  for (let i = 0; i < trace.statusCode.length; i++) {
    if (trace.statusCode[i] === StatusCode.Error) {
      errorCount++;
    }
  }
  const root = trace.root >= 0 ? trace.spans[trace.root] : undefined;
  const durationNs = trace.endNs - trace.startNs;
  return {
    traceId: trace.traceId,
    spanCount: trace.spans.length,
    root: trace.root,
    rootSpanId: root ? root.spanId : '',
    rootServiceName: root ? root.resource.serviceName : '',
    rootName: root ? root.name : '',
    services: trace.services.slice(),
    maxDepth: trace.maxDepth,
    startEpochMs: trace.epochMs + trace.startNs / 1e6,
    durationNs,
    durationMs: durationNs / 1e6,
    errorCount,
    warnings: trace.warnings,
  };
}
