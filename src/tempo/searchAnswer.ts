/**
 * Tempo's search answers (`/api/search`, `/api/v2/search/tags`, `/api/v2/search/tag/<tag>/values`) read
 * into the app's types. Pure functions: the client fetches, these read. A malformed entry is skipped; an
 * answer that is not of the expected shape at all is reported by the caller, which knows the URL.
 */
import { isObject } from '../http';
import type { SearchMetrics, SearchSpan, SearchTrace } from './search';


/** What Tempo writes as the root service and name of a trace whose root span it has not received. */
const ROOT_NOT_RECEIVED = '<root span not yet received>';

/**
 * A hex ID from a search answer, padded to `length` lower-case hex digits: Tempo writes trace IDs without
 * their leading zeros (`969da1...`, 31 characters, is `0969da1...`). Undefined when it is not hex.
 */
export function paddedHexId(value: unknown, length: number): string | undefined {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]+$/.test(value) || value.length > length) {
    return undefined;
  }
  return value.toLowerCase().padStart(length, '0');
}

const MILLION = BigInt(1_000_000);

/**
 * Epoch nanoseconds (a decimal string, as JSON carries 64-bit integers, or a number) in milliseconds,
 * divided exactly: 1795247267646000000 is 1795247267646, not 1795247267646.0002.
 */
function nanosToMs(value: unknown): number | undefined {
  if (typeof value === 'string' && /^\d{1,30}$/.test(value)) {
    const ns = BigInt(value);
    return Number(ns / MILLION) + Number(ns % MILLION) / 1e6;
  }
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value / 1e6 : undefined;
}

/** A count that may come as a string (Tempo writes uint64 as strings) or a number. */
function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** An OTLP AnyValue as one value: arrays and maps as JSON text, bytes as their base64. */
export function anyValue(value: unknown): string | number | boolean | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  if (typeof value.stringValue === 'string') {
    return value.stringValue;
  }
  if ('intValue' in value) {
    const n = Number(value.intValue);
    return Number.isFinite(n) ? n : undefined;
  }
  if ('doubleValue' in value) {
    const n = Number(value.doubleValue);
    return Number.isFinite(n) ? n : String(value.doubleValue);
  }
  if (typeof value.boolValue === 'boolean') {
    return value.boolValue;
  }
  if (isObject(value.arrayValue)) {
    const values = Array.isArray(value.arrayValue.values) ? value.arrayValue.values : [];
    return JSON.stringify(values.map(anyValue).filter((v) => v !== undefined));
  }
  if (isObject(value.kvlistValue)) {
    return JSON.stringify(attributes(value.kvlistValue.values));
  }
  if (typeof value.bytesValue === 'string') {
    return value.bytesValue;
  }
  return undefined;
}

/** OTLP `[{key, value: AnyValue}]` flattened to `{key: value}`; entries without a key or value are skipped. */
export function attributes(list: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (!Array.isArray(list)) {
    return out;
  }
  for (const kv of list) {
    if (isObject(kv) && typeof kv.key === 'string') {
      const v = anyValue(kv.value);
      if (v !== undefined) {
        out[kv.key] = v;
      }
    }
  }
  return out;
}

function readSpan(raw: unknown): SearchSpan | undefined {
  if (!isObject(raw)) {
    return undefined;
  }
  const spanId = paddedHexId(raw.spanID ?? raw.spanId, 16);
  const startMs = nanosToMs(raw.startTimeUnixNano);
  if (spanId === undefined || startMs === undefined) {
    return undefined;
  }
  const attrs = attributes(raw.attributes);
  const service = attrs['service.name'];
  return {
    spanId,
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    ...(typeof service === 'string' ? { service } : {}),
    startMs,
    durationMs: nanosToMs(raw.durationNanos) ?? 0,
    attributes: attrs,
  };
}

/** One entry of `traces`, or undefined when it has no usable trace ID or start. */
export function readSearchTrace(raw: unknown): SearchTrace | undefined {
  if (!isObject(raw)) {
    return undefined;
  }
  const traceId = paddedHexId(raw.traceID ?? raw.traceId, 32);
  const startMs = nanosToMs(raw.startTimeUnixNano);
  if (traceId === undefined || startMs === undefined) {
    return undefined;
  }
  const rootService =
    typeof raw.rootServiceName === 'string' && raw.rootServiceName !== ROOT_NOT_RECEIVED
      ? raw.rootServiceName
      : undefined;
  const rootName =
    typeof raw.rootTraceName === 'string' && raw.rootTraceName !== ROOT_NOT_RECEIVED ? raw.rootTraceName : undefined;
  // Tempo leaves zero out of its JSON: a trace under 1 ms has no durationMs.
  const duration = count(raw.durationMs);
  // `spanSets` since Tempo 2.2 (one per `by()` group); `spanSet` alone before; the legacy tag search has neither.
  const sets = Array.isArray(raw.spanSets) ? raw.spanSets : isObject(raw.spanSet) ? [raw.spanSet] : [];
  const spans = new Map<string, SearchSpan>();
  let matched = 0;
  for (const set of sets) {
    if (!isObject(set)) {
      continue;
    }
    const list = Array.isArray(set.spans) ? set.spans : [];
    for (const s of list) {
      const span = readSpan(s);
      if (span && !spans.has(span.spanId)) {
        spans.set(span.spanId, span);
      }
    }
    matched += count(set.matched) ?? list.length;
  }
  return {
    traceId,
    ...(rootService !== undefined ? { rootService } : {}),
    ...(rootName !== undefined ? { rootName } : {}),
    startMs,
    ...(duration !== undefined ? { durationMs: duration } : rootService !== undefined ? { durationMs: 0 } : {}),
    matched: Math.max(matched, spans.size),
    spans: [...spans.values()],
  };
}

export function readSearchMetrics(raw: unknown): SearchMetrics {
  if (!isObject(raw)) {
    return {};
  }
  const metrics: SearchMetrics = {};
  for (const key of ['inspectedBytes', 'inspectedTraces', 'completedJobs', 'totalJobs'] as const) {
    const n = count(raw[key]);
    if (n !== undefined) {
      metrics[key] = n;
    }
  }
  return metrics;
}

/**
 * A search answer's traces (malformed entries skipped, duplicates merged by ID) and metrics, or undefined
 * when the body is not a search answer: an object with `traces` (an array) or, as Tempo writes an empty
 * answer without it, `metrics`.
 */
export function readSearchAnswer(body: unknown): { traces: SearchTrace[]; metrics: SearchMetrics } | undefined {
  if (!isObject(body)) {
    return undefined;
  }
  if (!Array.isArray(body.traces) && !(body.traces === undefined && isObject(body.metrics))) {
    return undefined;
  }
  const traces: SearchTrace[] = [];
  const seen = new Set<string>();
  for (const raw of (body.traces as unknown[] | undefined) ?? []) {
    const trace = readSearchTrace(raw);
    if (trace && !seen.has(trace.traceId)) {
      seen.add(trace.traceId);
      traces.push(trace);
    }
  }
  return { traces, metrics: readSearchMetrics(body.metrics) };
}

/** `tagValues: [{type, value}]` (v2) or `tagValues: [string]` (v1) as sorted unique strings; undefined if neither. */
export function readTagValues(body: unknown): string[] | undefined {
  if (!isObject(body) || !(Array.isArray(body.tagValues) || body.tagValues === undefined)) {
    return undefined;
  }
  if (body.tagValues === undefined && !isObject(body.metrics)) {
    return undefined;
  }
  const values = new Set<string>();
  for (const v of (body.tagValues as unknown[] | undefined) ?? []) {
    const value = typeof v === 'string' ? v : isObject(v) ? v.value : undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      values.add(String(value));
    }
  }
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface TagScope {
  scope: string;
  tags: string[];
}

/** `scopes: [{name, tags}]` (v2 tags); undefined when the body is not that. */
export function readTagScopes(body: unknown): TagScope[] | undefined {
  if (!isObject(body) || !(Array.isArray(body.scopes) || (body.scopes === undefined && isObject(body.metrics)))) {
    return undefined;
  }
  const scopes: TagScope[] = [];
  for (const s of (body.scopes as unknown[] | undefined) ?? []) {
    if (isObject(s) && typeof s.name === 'string') {
      const tags = Array.isArray(s.tags) ? s.tags.filter((t): t is string => typeof t === 'string') : [];
      scopes.push({ scope: s.name, tags: [...new Set(tags)].sort() });
    }
  }
  return scopes;
}

/**
 * Where Tempo's TraceQL parser stopped, from its message ("invalid TraceQL query: parse error at line 1,
 * col 34: syntax error: unexpected $end"), or undefined when the message gives no position.
 */
export function traceqlErrorPosition(message: string): { line: number; column: number } | undefined {
  const m = /\bline (\d+), col(?:umn)? (\d+)\b/i.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}
