import { MAX_EXAMPLES, SpanBatch } from './batch';
import { TraceInputError } from './errors';
import { isZeroSpanId, SpanIdTable } from './ids';
import { Span, SpanFlag, SpanKind, Trace, TraceWarning, WarningCode } from './types';

export const FOLLOWS_FROM_KEY = 'opentracing.ref_type';
export const FOLLOWS_FROM_VALUE = 'follows_from';

/** A link to the parent tagged `opentracing.ref_type=follows_from` marks a FOLLOWS_FROM parent. */
function followsFromParent(span: Span, traceId: string): boolean {
  const links = span.links;
  for (let i = 0; i < links.length; i++) {
    const l = links[i];
    if (l.spanId === span.parentSpanId && l.traceId === traceId) {
      const attrs = l.attributes;
      for (let j = 0; j < attrs.length; j++) {
        const a = attrs[j];
        if (a.key === FOLLOWS_FROM_KEY && a.value === FOLLOWS_FROM_VALUE) {
          return true;
        }
      }
    }
  }
  return false;
}

class WarningSet {
  private byCode = new Map<WarningCode, TraceWarning>();
  add(code: WarningCode, message: string, example: string): void {
    let w = this.byCode.get(code);
    if (!w) {
      w = { code, message, count: 0, examples: [] };
      this.byCode.set(code, w);
    }
    w.count++;
    if (w.examples.length < MAX_EXAMPLES) {
      w.examples.push(example);
    }
  }
  put(w: TraceWarning): void {
    this.byCode.set(w.code, w);
  }
  list(): TraceWarning[] {
    return [...this.byCode.values()];
  }
}

const spanCount = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'span' : 'spans'}`;

/**
 * How far a child may lie outside its parent before it counts as clock skew: 1 ms. Within one
 * host the clocks agree, yet SDKs round some times to the millisecond (the OTel JS SDK's start
 * times often are), and the recorded Harbor-like traces have server spans ending 0.2-0.5 ms after
 * their clients. Skew between hosts, the thing worth a warning, is tens of milliseconds or more.
 */
export const SKEW_TOLERANCE_NS = 1e6;

/** "0.4 ms", "50 ms", "1,250 ms": a skew in words. */
export function formatSkew(ns: number): string {
  const ms = ns / 1e6;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** Collects clock-skewed spans into one warning that names the worst of them. */
class SkewReport {
  count = 0;
  examples: string[] = [];
  worst = -1;
  worstParent = -1;
  worstEarly = 0;
  worstLate = 0;
  add(i: number, p: number, earlyNs: number, lateNs: number, spanId: string): void {
    this.count++;
    if (this.examples.length < MAX_EXAMPLES) {
      this.examples.push(spanId);
    }
    if (Math.max(earlyNs, lateNs) > Math.max(this.worstEarly, this.worstLate)) {
      this.worst = i;
      this.worstParent = p;
      this.worstEarly = earlyNs;
      this.worstLate = lateNs;
    }
  }
  report(warnings: WarningSet, spans: Span[], services: string[], serviceIndex: Int32Array): void {
    if (this.count === 0) {
      return;
    }
    const who = (i: number) => `${services[serviceIndex[i]]} "${spans[i].name}"`;
    const what =
      this.worstEarly >= this.worstLate
        ? `starts ${formatSkew(this.worstEarly)} before its parent`
        : `ends ${formatSkew(this.worstLate)} after its client`;
    const more = this.count > 1 ? ` (the largest of ${this.count})` : '';
    warnings.put({
      code: 'clock-skew',
      message:
        `${who(this.worst)} ${what} ${who(this.worstParent)}${more}; ` +
        `the hosts' clocks differ, so times across them are off`,
      count: this.count,
      examples: this.examples,
    });
  }
}

/**
 * Builds the trace with ID `traceId` (the only one if omitted) from a batch: typed arrays, the
 * tree (iterative, so a 100,000-deep chain is fine), flags and warnings. The result does not
 * depend on the order of spans in the input: ties are broken by span content, not position.
 */
export function buildTrace(batch: SpanBatch, traceId?: string): Trace {
  batch.requireSpans();
  let ti: number;
  if (traceId !== undefined) {
    ti = batch.traceIds.indexOf(traceId);
    if (ti < 0) {
      throw new TraceInputError(
        'trace-id-not-found',
        '',
        `trace ${traceId} is not in the input`,
        `it holds ${batch.traceIds.join(', ')}`
      );
    }
  } else if (batch.traceIds.length > 1) {
    throw new TraceInputError(
      'multiple-traces',
      '',
      `the input holds ${batch.traceIds.length} traces: ` +
        batch.traceIds.map((id, i) => `${id} (${spanCount(batch.traceSpanCounts[i])})`).join(', '),
      'choose one by its trace ID'
    );
  } else {
    ti = 0;
  }

  // Select this trace's spans (all of them in the common single-trace case).
  let spans = batch.spans;
  let startArr: ArrayLike<number> = batch.start;
  let endArr: ArrayLike<number> = batch.end;
  if (batch.traceIds.length > 1) {
    spans = [];
    const s: number[] = [];
    const e: number[] = [];
    for (let i = 0; i < batch.spans.length; i++) {
      if (batch.traceOf[i] === ti) {
        const span = batch.spans[i];
        span.index = spans.length;
        spans.push(span);
        s.push(batch.start[i]);
        e.push(batch.end[i]);
      }
    }
    startArr = s;
    endArr = e;
  }
  const n = spans.length;
  const start = new Float64Array(startArr);
  const end = new Float64Array(endArr);

  // Re-base so the earliest start lies within the first millisecond after epochMs.
  let minStart = Infinity;
  let maxEnd = -Infinity;
  for (let i = 0; i < n; i++) {
    if (start[i] < minStart) {
      minStart = start[i];
    }
  }
  const shiftMs = Math.floor(minStart / 1e6);
  const epochMs = batch.baseMs + shiftMs;
  if (shiftMs !== 0) {
    const shift = shiftMs * 1e6;
    for (let i = 0; i < n; i++) {
      start[i] -= shift;
      end[i] -= shift;
      const ev = spans[i].events;
      for (let j = 0; j < ev.length; j++) {
        ev[j].timeNs -= shift;
      }
    }
    minStart -= shift;
  }
  for (let i = 0; i < n; i++) {
    if (end[i] > maxEnd) {
      maxEnd = end[i];
    }
  }

  const warnings = new WarningSet();
  const flags = new Uint8Array(n);
  const kind = new Uint8Array(n);
  const statusCode = new Uint8Array(n);
  const serviceIndex = new Int32Array(n);
  const services: string[] = [];
  const serviceMap = new Map<string, number>();
  let lastResource: Span['resource'] | undefined;
  let lastService = -1;
  for (let i = 0; i < n; i++) {
    const sp = spans[i];
    kind[i] = sp.kind;
    statusCode[i] = sp.statusCode;
    if (sp.resource !== lastResource) {
      lastResource = sp.resource;
      const name = sp.resource.serviceName;
      let si = serviceMap.get(name);
      if (si === undefined) {
        si = services.length;
        services.push(name);
        serviceMap.set(name, si);
      }
      lastService = si;
    }
    serviceIndex[i] = lastService;
    if (end[i] < start[i]) {
      flags[i] |= SpanFlag.NegativeDuration;
      warnings.add('negative-duration', 'spans that end before they start (treated as 0 long)', sp.spanId);
    }
  }

  // Services sorted by name, so that their indices do not depend on the input order either.
  const sortedServices = services.slice().sort();
  const remap = new Int32Array(services.length);
  for (let k = 0; k < services.length; k++) {
    remap[k] = sortedServices.indexOf(services[k]);
  }
  for (let i = 0; i < n; i++) {
    serviceIndex[i] = remap[serviceIndex[i]];
  }

  // Canonical order: by start, end, span ID, name; the input position only separates identical spans.
  const cmp = (a: number, b: number): number => {
    const d = start[a] - start[b] || end[a] - end[b];
    if (d !== 0) {
      return d;
    }
    const sa = spans[a];
    const sb = spans[b];
    if (sa.spanId !== sb.spanId) {
      return sa.spanId < sb.spanId ? -1 : 1;
    }
    if (sa.name !== sb.name) {
      return sa.name < sb.name ? -1 : 1;
    }
    return a - b;
  };

  // Span ID -> index; among duplicates the canonically first one receives the children.
  const byId = new SpanIdTable(n);
  for (let i = 0; i < n; i++) {
    const id = spans[i].spanId;
    byId.parse(id);
    const prev = byId.get();
    if (prev < 0) {
      byId.set(i);
    } else {
      if ((flags[prev] & SpanFlag.DuplicateId) === 0) {
        flags[prev] |= SpanFlag.DuplicateId;
        warnings.add('duplicate-span-id', 'spans share a span ID with another span; all are kept', id);
      }
      flags[i] |= SpanFlag.DuplicateId;
      warnings.add('duplicate-span-id', 'spans share a span ID with another span; all are kept', id);
      if (cmp(i, prev) < 0) {
        byId.set(i);
      }
    }
  }

  const traceIdHex = batch.traceIds[ti];
  const parent = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const sp = spans[i];
    const pid = sp.parentSpanId;
    if (pid === '' || isZeroSpanId(pid)) {
      continue;
    }
    if (sp.links.length > 0 && followsFromParent(sp, traceIdHex)) {
      flags[i] |= SpanFlag.FollowsFrom;
    }
    byId.parse(pid);
    const p = byId.get();
    if (p < 0) {
      flags[i] |= SpanFlag.Orphan;
      warnings.add('orphan', 'spans whose parent is not in the trace; shown as extra roots', sp.spanId);
    } else {
      parent[i] = p;
    }
  }

  // Cycles: walk up from each unvisited span; meeting the current walk again means a loop, which
  // is cut at its canonically first span. Every span is walked once: O(n).
  const state = new Uint8Array(n); // 0 new, 1 on the current walk, 2 done
  const path = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (state[i] !== 0) {
      continue;
    }
    let len = 0;
    let v = i;
    while (v >= 0 && state[v] === 0) {
      state[v] = 1;
      path[len++] = v;
      v = parent[v];
    }
    if (v >= 0 && state[v] === 1) {
      let cut = v;
      for (let k = len - 1; k >= 0 && path[k] !== v; k--) {
        if (cmp(path[k], cut) < 0) {
          cut = path[k];
        }
      }
      parent[cut] = -1;
      flags[cut] |= SpanFlag.Cycle;
      warnings.add(
        'cycle',
        'parent links that form a cycle; each cycle is cut at its earliest span',
        spans[cut].spanId
      );
    }
    for (let k = 0; k < len; k++) {
      state[path[k]] = 2;
    }
  }

  // Children in CSR form, then each sibling group sorted by start time.
  const childOffset = new Int32Array(n + 1);
  let rootCount = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i];
    if (p >= 0) {
      childOffset[p + 1]++;
    } else {
      rootCount++;
    }
  }
  for (let i = 0; i < n; i++) {
    childOffset[i + 1] += childOffset[i];
  }
  const childIndex = new Int32Array(n - rootCount);
  const fill = childOffset.slice(0, n);
  const roots = new Int32Array(rootCount);
  const skew = new SkewReport();
  let r = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i];
    if (p >= 0) {
      childIndex[fill[p]++] = i;
      const sp = spans[i];
      if ((flags[i] & SpanFlag.FollowsFrom) !== 0 || (kind[i] === SpanKind.Consumer && kind[p] === SpanKind.Producer)) {
        flags[i] |= SpanFlag.Async;
      }
      const earlyNs = start[p] - start[i];
      const early = earlyNs > SKEW_TOLERANCE_NS;
      // Only a server span can be said to end too late: its client waited for it. Any other child
      // may outlive its parent (async work, a response streamed after the handler returned).
      const lateNs = end[i] - end[p];
      const late =
        lateNs > SKEW_TOLERANCE_NS &&
        kind[i] === SpanKind.Server &&
        kind[p] === SpanKind.Client &&
        serviceIndex[i] !== serviceIndex[p] &&
        (flags[i] & SpanFlag.Async) === 0;
      if (early || late) {
        flags[i] |= (early ? SpanFlag.SkewStart : 0) | (late ? SpanFlag.SkewEnd : 0);
        skew.add(i, p, early ? earlyNs : 0, late ? lateNs : 0, sp.spanId);
      }
    } else {
      roots[r++] = i;
    }
  }
  skew.report(warnings, spans, sortedServices, serviceIndex);
  for (let i = 0; i < n; i++) {
    const lo = childOffset[i];
    const hi = childOffset[i + 1];
    if (hi - lo < 2) {
      continue;
    }
    let sorted = true;
    for (let k = lo + 1; k < hi; k++) {
      if (cmp(childIndex[k - 1], childIndex[k]) > 0) {
        sorted = false;
        break;
      }
    }
    if (!sorted) {
      childIndex.subarray(lo, hi).sort(cmp);
    }
  }
  // Real roots first (they are what the trace is about), then orphans and cut cycles.
  const isExtraRoot = (i: number): number => ((flags[i] & (SpanFlag.Orphan | SpanFlag.Cycle)) !== 0 ? 1 : 0);
  roots.sort((a, b) => isExtraRoot(a) - isExtraRoot(b) || cmp(a, b));

  // Pre-order with an explicit stack; depth on the way down, subtree sizes on a reverse pass.
  const order = new Int32Array(n);
  const orderPos = new Int32Array(n);
  const depth = new Int32Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  for (let k = rootCount - 1; k >= 0; k--) {
    stack[sp++] = roots[k];
  }
  let pos = 0;
  let maxDepth = 0;
  while (sp > 0) {
    const v = stack[--sp];
    orderPos[v] = pos;
    order[pos++] = v;
    const d = depth[v] + 1;
    for (let k = childOffset[v + 1] - 1; k >= childOffset[v]; k--) {
      const c = childIndex[k];
      depth[c] = d;
      stack[sp++] = c;
    }
    if (depth[v] > maxDepth) {
      maxDepth = depth[v];
    }
  }
  const subtreeSize = new Int32Array(n).fill(1);
  for (let k = n - 1; k >= 0; k--) {
    const v = order[k];
    const p = parent[v];
    if (p >= 0) {
      subtreeSize[p] += subtreeSize[v];
    }
  }

  if (batch.badSpanCount > 0) {
    warnings.put({
      code: 'bad-span',
      message: `${batch.badSpanCount} malformed ${batch.badSpanCount === 1 ? 'span' : 'spans'} skipped`,
      count: batch.badSpanCount,
      examples: batch.badSpans.slice(),
    });
  }
  for (const w of batch.sourceWarnings) {
    warnings.add('source-warning', 'warnings from the data source', w);
  }

  let root = -1;
  if (rootCount > 0) {
    root = roots[0];
  }

  return {
    traceId: traceIdHex,
    format: batch.format,
    epochMs,
    spans,
    spanIdIndex: byId,
    start,
    end,
    parent,
    depth,
    childOffset,
    childIndex,
    roots,
    order,
    orderPos,
    subtreeSize,
    spanFlags: flags,
    serviceIndex,
    services: sortedServices,
    kind,
    statusCode,
    root,
    maxDepth,
    startNs: n > 0 ? minStart : 0,
    endNs: n > 0 ? maxEnd : 0,
    warnings: warnings.list(),
  };
}
