import { TraceInputError } from './errors';
import { traceIdToHex } from './ids';
import { EpochReader } from './time';
import { Resource, Scope, Span, TraceFormat } from './types';

export const UNKNOWN_SERVICE = 'unknown_service';
export const MAX_EXAMPLES = 10;

export function makeResource(serviceName: string, attributes: Resource['attributes'], dropped = 0): Resource {
  return { serviceName, attributes, droppedAttributesCount: dropped };
}

export const EMPTY_SCOPE: Scope = Object.freeze({
  name: '',
  version: '',
  attributes: [],
  droppedAttributesCount: 0,
}) as Scope;

/**
 * Spans as a parser reads them, before the tree is built: span objects plus start/end in ns
 * relative to a base millisecond (the first time read). One batch may hold several traces (an OTLP
 * export does); `buildTrace` picks one.
 */
export class SpanBatch {
  readonly spans: Span[] = [];
  readonly start: number[] = [];
  readonly end: number[] = [];
  /** index into traceIds, per span */
  readonly traceOf: number[] = [];
  readonly traceIds: string[] = [];
  readonly traceSpanCounts: number[] = [];
  /** spans skipped as malformed: input path and problem */
  readonly badSpans: string[] = [];
  badSpanCount = 0;
  readonly sourceWarnings: string[] = [];
  readonly time = new EpochReader();
  baseMs = NaN;
  private readonly traceIdMap = new Map<string, number>();
  private lastRawTraceId: string | undefined;
  private lastTraceIdx = -1;
  /** a trace ID read for the span being read but not registered yet: only an accepted span registers it */
  private pendingTraceId = '';

  constructor(readonly format: TraceFormat) {}

  /** ns relative to the base for the time last read by `this.time` */
  rel(): number {
    if (this.baseMs !== this.baseMs) {
      this.baseMs = this.time.ms;
    }
    return (this.time.ms - this.baseMs) * 1e6 + this.time.sub;
  }

  /**
   * Called by each reader before it reads a span. Until a span has been accepted, nothing depends
   * on the base millisecond, so a skipped span's time (perhaps absurd) does not stay the base that
   * every later time is relative to.
   */
  beginSpan(): void {
    if (this.spans.length === 0) {
      this.baseMs = NaN;
    }
  }

  /**
   * Index of a raw trace ID (any encoding), -1 if it is not a trace ID. Cached: spans repeat it.
   * A trace ID not seen before gets the next index, but the trace is registered only when `add`
   * accepts a span of it: a skipped span does not make a trace (of 0 spans) appear.
   */
  traceIndex(raw: unknown, lenient: boolean): number {
    if (raw === this.lastRawTraceId) {
      return this.lastTraceIdx;
    }
    if (typeof raw !== 'string') {
      return -1;
    }
    const hex = traceIdToHex(raw, lenient);
    if (hex === null) {
      return -1;
    }
    const idx = this.traceIdMap.get(hex);
    if (idx === undefined) {
      this.pendingTraceId = hex;
      return this.traceIds.length;
    }
    this.lastRawTraceId = raw;
    this.lastTraceIdx = idx;
    return idx;
  }

  /** The hex trace ID of an index from `traceIndex` (registered or pending). */
  traceIdAt(traceIdx: number): string {
    return traceIdx < this.traceIds.length ? this.traceIds[traceIdx] : this.pendingTraceId;
  }

  add(span: Span, traceIdx: number, startRel: number, endRel: number): void {
    if (traceIdx >= this.traceIds.length) {
      traceIdx = this.traceIds.length;
      this.traceIds.push(this.pendingTraceId);
      this.traceSpanCounts.push(0);
      this.traceIdMap.set(this.pendingTraceId, traceIdx);
    }
    span.index = this.spans.length;
    this.spans.push(span);
    this.start.push(startRel);
    this.end.push(endRel);
    this.traceOf.push(traceIdx);
    this.traceSpanCounts[traceIdx]++;
  }

  /** Where in a larger input the document being read lies ("line 3: " in JSON Lines), or ''. */
  where = '';
  private firstBad: { path: string; problem: string } | null = null;

  bad(path: string, problem: string): void {
    this.badSpanCount++;
    const at = this.where + path;
    if (this.firstBad === null) {
      this.firstBad = { path: at, problem };
    }
    if (this.badSpans.length < MAX_EXAMPLES) {
      this.badSpans.push(`${at}: ${problem}`);
    }
  }

  /** Throws when nothing usable was read, with the first problem as the reason. */
  requireSpans(): void {
    if (this.spans.length > 0) {
      return;
    }
    if (this.firstBad !== null) {
      const n = this.badSpanCount;
      throw new TraceInputError(
        'no-valid-spans',
        this.firstBad.path,
        `${this.firstBad.problem}; ${n === 1 ? 'the only span could not be read' : `none of the ${n} spans could be read`}`
      );
    }
    throw new TraceInputError(
      'not-found',
      '',
      'the input holds no spans',
      'Tempo answers {"trace":{}} (v2) or 404 with an empty body (v1) for a trace it does not have'
    );
  }
}
