import { makeResource, SpanBatch, UNKNOWN_SERVICE } from './batch';
import { describeValue, SpanProblem, TraceInputError } from './errors';
import { isZeroSpanId, spanIdToHex, traceIdToHex } from './ids';
import {
  Attribute,
  Resource,
  Scope,
  Span,
  SpanEvent,
  SpanKindValue,
  SpanLink,
  StatusCodeValue,
  TraceFormat,
} from './types';
import { findAttribute, fromOtlpAttributes, isObj } from './values';

/**
 * OTLP/JSON in all the dialects seen in the wild:
 * - the specification and the Collector: hex IDs, integer enums;
 * - Tempo's trace-by-ID API (protobuf JSON): base64 IDs, enum names (`SPAN_KIND_SERVER`), zero
 *   values omitted (no `parentSpanId` on roots, `status: {}` when unset, no `kind` when
 *   unspecified), 64-bit numbers as strings;
 * - pre-1.0 OTLP (`instrumentationLibrarySpans`), which older Tempo versions still write.
 */

// Names from the input are looked up in Maps, never in plain objects, whose prototype would
// answer "constructor", "toString" or "__proto__" with a function or an object.
const KIND_BY_NAME = new Map<string, SpanKindValue>([
  ['SPAN_KIND_UNSPECIFIED', 0],
  ['SPAN_KIND_INTERNAL', 1],
  ['SPAN_KIND_SERVER', 2],
  ['SPAN_KIND_CLIENT', 3],
  ['SPAN_KIND_PRODUCER', 4],
  ['SPAN_KIND_CONSUMER', 5],
  ['unspecified', 0],
  ['internal', 1],
  ['server', 2],
  ['client', 3],
  ['producer', 4],
  ['consumer', 5],
]);

const STATUS_BY_NAME = new Map<string, StatusCodeValue>([
  ['STATUS_CODE_UNSET', 0],
  ['STATUS_CODE_OK', 1],
  ['STATUS_CODE_ERROR', 2],
  ['unset', 0],
  ['ok', 1],
  ['error', 2],
]);

export function parseKind(v: unknown): SpanKindValue | undefined {
  if (v === undefined || v === null) {
    return 0;
  }
  if (typeof v === 'string') {
    return KIND_BY_NAME.get(v) ?? KIND_BY_NAME.get(v.toLowerCase());
  }
  if (typeof v === 'number' && v >= 0 && v <= 5 && Number.isInteger(v)) {
    return v as SpanKindValue;
  }
  return undefined;
}

export function parseStatusCode(v: unknown): StatusCodeValue | undefined {
  if (v === undefined || v === null) {
    return 0;
  }
  if (typeof v === 'string') {
    return STATUS_BY_NAME.get(v) ?? STATUS_BY_NAME.get(v.toLowerCase());
  }
  if (v === 0 || v === 1 || v === 2) {
    return v;
  }
  return undefined;
}

/** A count or flags field: a non-negative safe integer, else 0 (so that every writer writes it as digits). */
function count(v: unknown): number {
  return typeof v === 'number' && v >= 0 && Number.isSafeInteger(v) ? v : 0;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function requireArray(v: unknown, path: string, what: string): unknown[] {
  if (v === undefined || v === null) {
    return [];
  }
  if (!Array.isArray(v)) {
    throw new TraceInputError('bad-structure', path, `expected a list of ${what}, got ${describeValue(v)}`);
  }
  return v;
}

export function resourceFromAttributes(attributes: Attribute[], dropped = 0): Resource {
  const sn = findAttribute(attributes, 'service.name');
  const serviceName = sn && sn.type === 'string' && sn.value !== '' ? sn.value : UNKNOWN_SERVICE;
  return makeResource(serviceName, attributes, dropped);
}

function readResource(raw: unknown): Resource {
  if (raw === undefined || raw === null) {
    return resourceFromAttributes([]);
  }
  if (!isObj(raw)) {
    throw new SpanProblem('resource', `expected an object, got ${describeValue(raw)}`);
  }
  return resourceFromAttributes(
    fromOtlpAttributes(raw.attributes, 'resource.attributes'),
    count(raw.droppedAttributesCount)
  );
}

function readScope(raw: unknown, field: string): Scope {
  if (raw === undefined || raw === null) {
    return { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
  }
  if (!isObj(raw)) {
    throw new SpanProblem(field, `expected an object, got ${describeValue(raw)}`);
  }
  return {
    name: str(raw.name),
    version: str(raw.version),
    attributes: fromOtlpAttributes(raw.attributes, `${field}.attributes`),
    droppedAttributesCount: count(raw.droppedAttributesCount),
  };
}

function readEvents(raw: unknown, b: SpanBatch): SpanEvent[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    throw new SpanProblem('events', `expected a list, got ${describeValue(raw)}`);
  }
  const out: SpanEvent[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const e = raw[i];
    if (!isObj(e)) {
      throw new SpanProblem(`events[${i}]`, `expected an object, got ${describeValue(e)}`);
    }
    if (!b.time.nanos(e.timeUnixNano ?? '0')) {
      throw new SpanProblem(
        `events[${i}].timeUnixNano`,
        `expected epoch nanoseconds as a decimal string, got ${describeValue(e.timeUnixNano)}`
      );
    }
    out[i] = {
      timeNs: b.rel(),
      name: str(e.name),
      attributes: fromOtlpAttributes(e.attributes, `events[${i}].attributes`),
      droppedAttributesCount: count(e.droppedAttributesCount),
    };
  }
  return out;
}

function readLinks(raw: unknown): SpanLink[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    throw new SpanProblem('links', `expected a list, got ${describeValue(raw)}`);
  }
  const out: SpanLink[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i];
    if (!isObj(l)) {
      throw new SpanProblem(`links[${i}]`, `expected an object, got ${describeValue(l)}`);
    }
    const traceId = typeof l.traceId === 'string' ? traceIdToHex(l.traceId) : null;
    if (traceId === null) {
      throw new SpanProblem(
        `links[${i}].traceId`,
        `expected 32 hex characters or 16 base64 bytes, got ${describeValue(l.traceId)}`
      );
    }
    const spanId = typeof l.spanId === 'string' ? spanIdToHex(l.spanId) : null;
    if (spanId === null) {
      throw new SpanProblem(
        `links[${i}].spanId`,
        `expected 16 hex characters or 8 base64 bytes, got ${describeValue(l.spanId)}`
      );
    }
    out[i] = {
      traceId,
      spanId,
      traceState: str(l.traceState),
      attributes: fromOtlpAttributes(l.attributes, `links[${i}].attributes`),
      droppedAttributesCount: count(l.droppedAttributesCount),
      flags: count(l.flags),
    };
  }
  return out;
}

const SPAN_ID_EXPECTED = 'expected 16 hex characters or 8 base64 bytes';

function readSpan(s: unknown, resource: Resource, scope: Scope, b: SpanBatch): void {
  if (!isObj(s)) {
    throw new SpanProblem('', `expected a span object, got ${describeValue(s)}`);
  }
  b.beginSpan();
  const ti = b.traceIndex(s.traceId, false);
  if (ti < 0) {
    throw new SpanProblem('traceId', `expected 32 hex characters or 16 base64 bytes, got ${describeValue(s.traceId)}`);
  }
  const spanId = typeof s.spanId === 'string' ? spanIdToHex(s.spanId) : null;
  if (spanId === null) {
    throw new SpanProblem('spanId', `${SPAN_ID_EXPECTED}, got ${describeValue(s.spanId)}`);
  }
  let parentSpanId = '';
  const rawParent = s.parentSpanId;
  if (rawParent !== undefined && rawParent !== null && rawParent !== '') {
    const p = typeof rawParent === 'string' ? spanIdToHex(rawParent) : null;
    if (p === null) {
      throw new SpanProblem('parentSpanId', `${SPAN_ID_EXPECTED}, got ${describeValue(rawParent)}`);
    }
    parentSpanId = isZeroSpanId(p) ? '' : p;
  }
  if (!b.time.nanos(s.startTimeUnixNano)) {
    throw new SpanProblem(
      'startTimeUnixNano',
      `expected epoch nanoseconds as a decimal string, got ${describeValue(s.startTimeUnixNano)}`
    );
  }
  const startRel = b.rel();
  if (!b.time.nanos(s.endTimeUnixNano)) {
    throw new SpanProblem(
      'endTimeUnixNano',
      `expected epoch nanoseconds as a decimal string, got ${describeValue(s.endTimeUnixNano)}`
    );
  }
  const endRel = b.rel();
  const kind = parseKind(s.kind);
  if (kind === undefined) {
    throw new SpanProblem('kind', `expected SPAN_KIND_* or 0..5, got ${describeValue(s.kind)}`);
  }
  let statusCode: StatusCodeValue = 0;
  let statusMessage = '';
  const st = s.status;
  if (st !== undefined && st !== null) {
    if (!isObj(st)) {
      throw new SpanProblem('status', `expected an object, got ${describeValue(st)}`);
    }
    const c = parseStatusCode(st.code);
    if (c === undefined) {
      throw new SpanProblem('status.code', `expected STATUS_CODE_* or 0..2, got ${describeValue(st.code)}`);
    }
    statusCode = c;
    statusMessage = str(st.message);
  }
  if (s.name !== undefined && typeof s.name !== 'string') {
    throw new SpanProblem('name', `expected a string, got ${describeValue(s.name)}`);
  }
  const span: Span = {
    index: 0,
    spanId,
    parentSpanId,
    name: str(s.name),
    kind,
    statusCode,
    statusMessage,
    resource,
    scope,
    attributes: fromOtlpAttributes(s.attributes, 'attributes'),
    events: s.events === undefined ? [] : readEvents(s.events, b),
    links: s.links === undefined ? [] : readLinks(s.links),
    traceState: str(s.traceState),
    flags: count(s.flags),
    droppedAttributesCount: count(s.droppedAttributesCount),
    droppedEventsCount: count(s.droppedEventsCount),
    droppedLinksCount: count(s.droppedLinksCount),
  };
  b.add(span, ti, startRel, endRel);
}

/** Reads `resourceSpans` (or Tempo v1 `batches`) found at `path` into the batch. */
export function readResourceSpans(raw: unknown, path: string, b: SpanBatch): void {
  const list = requireArray(raw, path, 'resource spans');
  for (let i = 0; i < list.length; i++) {
    const rs = list[i];
    const rsPath = `${path}[${i}]`;
    if (!isObj(rs)) {
      throw new TraceInputError('bad-structure', rsPath, `expected an object, got ${describeValue(rs)}`);
    }
    const scopeKey = rs.scopeSpans !== undefined ? 'scopeSpans' : 'instrumentationLibrarySpans';
    const scopes = requireArray(rs[scopeKey], `${rsPath}.${scopeKey}`, 'scope spans');
    let resource: Resource;
    try {
      resource = readResource(rs.resource);
    } catch (e) {
      if (!(e instanceof SpanProblem)) {
        throw e;
      }
      for (const ss of scopes) {
        const n = isObj(ss) && Array.isArray(ss.spans) ? ss.spans.length : 0;
        b.badSpanCount += n - 1;
        b.bad(`${rsPath}.${e.path}`, `${e.problem} (all ${n} spans of this resource skipped)`);
      }
      continue;
    }
    for (let j = 0; j < scopes.length; j++) {
      const ss = scopes[j];
      const ssPath = `${rsPath}.${scopeKey}[${j}]`;
      if (!isObj(ss)) {
        throw new TraceInputError('bad-structure', ssPath, `expected an object, got ${describeValue(ss)}`);
      }
      const scopeField = ss.scope !== undefined ? 'scope' : 'instrumentationLibrary';
      let scope: Scope;
      const spans = requireArray(ss.spans, `${ssPath}.spans`, 'spans');
      try {
        scope = readScope(ss[scopeField], scopeField);
      } catch (e) {
        if (!(e instanceof SpanProblem)) {
          throw e;
        }
        b.badSpanCount += spans.length - 1;
        b.bad(`${ssPath}.${e.path}`, `${e.problem} (all ${spans.length} spans of this scope skipped)`);
        continue;
      }
      for (let k = 0; k < spans.length; k++) {
        try {
          readSpan(spans[k], resource, scope, b);
        } catch (e) {
          if (!(e instanceof SpanProblem)) {
            throw e;
          }
          b.bad(`${ssPath}.spans[${k}]${e.path ? '.' + e.path : ''}`, e.problem);
        }
      }
    }
  }
}

/** Tempo v2 `{"trace": {...}}`, Tempo v1 `{"batches": [...]}` or OTLP `{"resourceSpans": [...]}`. */
export function readOtlpDocument(doc: Record<string, unknown>, format: TraceFormat, b: SpanBatch): void {
  if (format === 'tempo-v2') {
    const t = doc.trace;
    if (!isObj(t)) {
      throw new TraceInputError('bad-structure', 'trace', `expected an object, got ${describeValue(t)}`);
    }
    if (typeof doc.message === 'string' && doc.message !== '') {
      b.sourceWarnings.push(doc.message);
    }
    readResourceSpans(t.resourceSpans, 'trace.resourceSpans', b);
  } else if (format === 'tempo-v1') {
    readResourceSpans(doc.batches, 'batches', b);
  } else {
    readResourceSpans(doc.resourceSpans, 'resourceSpans', b);
  }
}
