/**
 * The trace model. Pure data: no React, no @grafana runtime.
 *
 * Per-span numbers (times, tree links, depth, flags) live in typed arrays on `Trace`, indexed by
 * span index, so that a 1M-span trace costs a few arrays instead of millions of boxed numbers.
 * Times are nanoseconds relative to `Trace.epochMs` (an integer epoch millisecond), which keeps
 * nanosecond precision exactly for traces shorter than ~104 days (2^53 ns).
 */
import type { SpanIdTable } from './ids';

/** OTLP span kinds, with OTLP's integer values. */
export const SpanKind = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
} as const;
export type SpanKindValue = (typeof SpanKind)[keyof typeof SpanKind];
export const SPAN_KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

/** OTLP status codes, with OTLP's integer values. */
export const StatusCode = { Unset: 0, Ok: 1, Error: 2 } as const;
export type StatusCodeValue = (typeof StatusCode)[keyof typeof StatusCode];
/** What a status is called where it is shown (span details, span table), indexed by its `StatusCode`. */
export const STATUS_NAMES = ['unset', 'ok', 'error'] as const;

/**
 * An attribute value. `int` is a number when it fits in 53 bits and a bigint otherwise (OTLP ints
 * are 64-bit); `bytes` stays base64 text as every JSON format carries it.
 */
export type AnyValue =
  | { type: 'string'; value: string }
  | { type: 'int'; value: number | bigint }
  | { type: 'double'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'bytes'; value: string }
  | { type: 'array'; value: AnyValue[] }
  | { type: 'kvlist'; value: Attribute[] }
  | { type: 'empty'; value: null };

export type Attribute = AnyValue & { key: string };

export interface Resource {
  serviceName: string;
  attributes: Attribute[];
  droppedAttributesCount: number;
}

export interface Scope {
  name: string;
  version: string;
  attributes: Attribute[];
  droppedAttributesCount: number;
}

export interface SpanEvent {
  /** ns relative to Trace.epochMs */
  timeNs: number;
  name: string;
  attributes: Attribute[];
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attribute[];
  droppedAttributesCount: number;
  flags: number;
}

/** One span. Times, tree position and flags are in the Trace's typed arrays at `index`. */
export interface Span {
  index: number;
  spanId: string;
  /** '' for a span without a parent */
  parentSpanId: string;
  name: string;
  kind: SpanKindValue;
  statusCode: StatusCodeValue;
  statusMessage: string;
  resource: Resource;
  scope: Scope;
  attributes: Attribute[];
  events: SpanEvent[];
  links: SpanLink[];
  traceState: string;
  /** OTLP span flags (W3C trace flags in the low byte); 0 when absent */
  flags: number;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

/** Bits of `Trace.spanFlags`. */
export const SpanFlag = {
  /** the parent span ID is not in the trace: the span is an extra root */
  Orphan: 1,
  /** the span's parent chain looped back to it; its parent link was cut */
  Cycle: 2,
  /** another span in the trace has the same span ID */
  DuplicateId: 4,
  /** clock skew: starts more than 1 ms (`SKEW_TOLERANCE_NS`) before its parent; see `clockSkew` */
  SkewStart: 8,
  /** clock skew: a SERVER span that ends more than 1 ms after its CLIENT parent in another service */
  SkewEnd: 16,
  /** does not block its parent: FOLLOWS_FROM, or a CONSUMER under a PRODUCER */
  Async: 32,
  /** ends before it starts (duration clamped to 0 in computations) */
  NegativeDuration: 64,
  /** parent reference was FOLLOWS_FROM (Jaeger) or a follows_from link to the parent */
  FollowsFrom: 128,
} as const;

export type WarningCode =
  'bad-span' | 'orphan' | 'cycle' | 'duplicate-span-id' | 'clock-skew' | 'negative-duration' | 'source-warning';

/**
 * Warnings are grouped by code so that a 1M-span trace with a bad clock yields one warning, not
 * a million: `count` occurrences, the first few span IDs or input paths kept in `examples`.
 */
export interface TraceWarning {
  code: WarningCode;
  message: string;
  count: number;
  examples: string[];
}

export type TraceFormat = 'tempo-v2' | 'tempo-v1' | 'otlp' | 'grafana-frame' | 'jaeger' | 'zipkin';

export interface Trace {
  traceId: string;
  format: TraceFormat;
  /** integer epoch milliseconds that all `*Ns` times are relative to */
  epochMs: number;
  spans: Span[];
  /**
   * Span ID (16 lower-case hex digits) -> span index, built once with the tree; among spans that
   * share an ID it holds the canonically first (the one that receives the children). Use
   * `spanIndexById`, which also takes upper-case IDs.
   */
  spanIdIndex: SpanIdTable;
  /** start/end in ns relative to epochMs */
  start: Float64Array;
  end: Float64Array;
  /** tree parent index, -1 for roots (orphans and cut cycles included) */
  parent: Int32Array;
  /** depth in the tree, roots at 0 */
  depth: Int32Array;
  /** children of span i: childIndex[childOffset[i] .. childOffset[i+1]), ordered by start time */
  childOffset: Int32Array;
  childIndex: Int32Array;
  /** roots: real roots first, then orphans and cut cycles, each by start time */
  roots: Int32Array;
  /** pre-order (display order when all is expanded) and its inverse */
  order: Int32Array;
  orderPos: Int32Array;
  /** size of the subtree at span i, itself included */
  subtreeSize: Int32Array;
  spanFlags: Uint8Array;
  /** service of span i: services[serviceIndex[i]] */
  serviceIndex: Int32Array;
  services: string[];
  kind: Uint8Array;
  statusCode: Uint8Array;
  /** the main root (first real root), -1 for an empty trace */
  root: number;
  maxDepth: number;
  /** earliest start and latest end over all spans, ns relative to epochMs */
  startNs: number;
  endNs: number;
  warnings: TraceWarning[];
}
