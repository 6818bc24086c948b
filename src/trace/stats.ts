import { SpanFlag, StatusCode, Trace, TraceWarning } from './types';

/**
 * Self time: a span's duration minus the union of its synchronous children's time (clipped to
 * the span). Children are already ordered by start, so the union is one merge pass per span.
 */
export function selfTimes(trace: Trace): Float64Array {
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

export interface GroupStats {
  service: string;
  /** '' for per-service rows */
  operation: string;
  count: number;
  totalNs: number;
  selfNs: number;
  errors: number;
}

export interface TraceStats {
  byService: GroupStats[];
  byOperation: GroupStats[];
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

/** Count, total and self time, and errors per service and per (service, operation). */
export function traceStats(trace: Trace, self: Float64Array = selfTimes(trace)): TraceStats {
  const { start, end, serviceIndex, statusCode, services, spans } = trace;
  const byService: GroupStats[] = services.map((service) => ({
    service,
    operation: '',
    count: 0,
    totalNs: 0,
    selfNs: 0,
    errors: 0,
  }));
  // One operation map per service avoids building a "service/operation" key string per span.
  const opIndex: Array<Map<string, GroupStats>> = services.map(() => new Map());
  const byOperation: GroupStats[] = [];
  for (let i = 0; i < spans.length; i++) {
    const si = serviceIndex[i];
    const d = Math.max(0, end[i] - start[i]);
    const err = statusCode[i] === StatusCode.Error ? 1 : 0;
    const g = byService[si];
    g.count++;
    g.totalNs += d;
    g.selfNs += self[i];
    g.errors += err;
    const name = spans[i].name;
    let o = opIndex[si].get(name);
    if (!o) {
      o = { service: services[si], operation: name, count: 0, totalNs: 0, selfNs: 0, errors: 0 };
      opIndex[si].set(name, o);
      byOperation.push(o);
    }
    o.count++;
    o.totalNs += d;
    o.selfNs += self[i];
    o.errors += err;
  }
  byOperation.sort(
    (a, b) =>
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
  return { byService, byOperation };
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
