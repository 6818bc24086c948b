import { makeResource, SpanBatch, UNKNOWN_SERVICE } from './batch';
import { describeValue, serverText, SpanProblem, TraceInputError } from './errors';
import { isZeroSpanId, spanIdToHex, traceIdToHex } from './ids';
import { parseKind } from './otlp';
import { FOLLOWS_FROM_KEY, FOLLOWS_FROM_VALUE } from './tree';
import {
  AnyValue,
  Attribute,
  Resource,
  Scope,
  Span,
  SpanEvent,
  SpanKind,
  SpanKindValue,
  SpanLink,
  StatusCodeValue,
} from './types';
import { fromPlainValue, int64From, isObj, stringAttr } from './values';

/**
 * Jaeger's query API (`/api/traces/<id>`: `{"data": [{traceID, spans, processes}]}`), times in
 * microseconds, parents as CHILD_OF / FOLLOWS_FROM references. OTLP concepts that Jaeger lacks
 * travel as the tags the OpenTelemetry Jaeger translator writes (`span.kind`, `otel.status_code`,
 * `otel.scope.name`, ...); they are lifted back into the model and removed from the attributes.
 */

export const JAEGER_SPECIAL_TAGS = {
  kind: 'span.kind',
  statusCode: 'otel.status_code',
  statusDescription: 'otel.status_description',
  error: 'error',
  scopeName: 'otel.scope.name',
  scopeVersion: 'otel.scope.version',
  libraryName: 'otel.library.name',
  libraryVersion: 'otel.library.version',
  traceState: 'w3c.tracestate',
} as const;

const SPECIAL = new Set<string>(Object.values(JAEGER_SPECIAL_TAGS));

export interface SpecialTags {
  kind: SpanKindValue;
  statusCode: StatusCodeValue;
  statusMessage: string;
  scopeName: string;
  scopeVersion: string;
  traceState: string;
}

/** Pulls the translator's special tags out of `attrs` (in place) and returns what they said. */
export function extractSpecialTags(attrs: Attribute[]): SpecialTags {
  const out: SpecialTags = {
    kind: 0,
    statusCode: 0,
    statusMessage: '',
    scopeName: '',
    scopeVersion: '',
    traceState: '',
  };
  let special = false;
  for (let i = 0; i < attrs.length; i++) {
    if (SPECIAL.has(attrs[i].key)) {
      special = true;
      break;
    }
  }
  if (!special) {
    return out;
  }
  let w = 0;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    const s = a.type === 'string' ? a.value : '';
    switch (a.key) {
      case JAEGER_SPECIAL_TAGS.kind: {
        out.kind = parseKind(s) ?? 0;
        continue;
      }
      case JAEGER_SPECIAL_TAGS.statusCode:
        out.statusCode = s === 'ERROR' ? 2 : s === 'OK' ? 1 : out.statusCode;
        continue;
      case JAEGER_SPECIAL_TAGS.statusDescription:
        out.statusMessage = s;
        continue;
      case JAEGER_SPECIAL_TAGS.error:
        if (a.value === true || a.value === 'true') {
          out.statusCode = 2;
        }
        continue;
      case JAEGER_SPECIAL_TAGS.scopeName:
      case JAEGER_SPECIAL_TAGS.libraryName:
        out.scopeName = s;
        continue;
      case JAEGER_SPECIAL_TAGS.scopeVersion:
      case JAEGER_SPECIAL_TAGS.libraryVersion:
        out.scopeVersion = s;
        continue;
      case JAEGER_SPECIAL_TAGS.traceState:
        out.traceState = s;
        continue;
    }
    attrs[w++] = a;
  }
  attrs.length = w;
  return out;
}

/** The special tags for a span, as the OpenTelemetry Jaeger translator writes them. */
export function specialTagsOf(span: Span): Attribute[] {
  const out: Attribute[] = [];
  if (span.kind !== SpanKind.Unspecified) {
    out.push(
      stringAttr(JAEGER_SPECIAL_TAGS.kind, ['', 'internal', 'server', 'client', 'producer', 'consumer'][span.kind])
    );
  }
  if (span.statusCode === 2) {
    out.push(stringAttr(JAEGER_SPECIAL_TAGS.statusCode, 'ERROR'));
    out.push({ key: JAEGER_SPECIAL_TAGS.error, type: 'bool', value: true });
  } else if (span.statusCode === 1) {
    out.push(stringAttr(JAEGER_SPECIAL_TAGS.statusCode, 'OK'));
  }
  if (span.statusMessage !== '') {
    out.push(stringAttr(JAEGER_SPECIAL_TAGS.statusDescription, span.statusMessage));
  }
  if (span.scope.name !== '') {
    out.push(stringAttr(JAEGER_SPECIAL_TAGS.scopeName, span.scope.name));
  }
  if (span.scope.version !== '') {
    out.push(stringAttr(JAEGER_SPECIAL_TAGS.scopeVersion, span.scope.version));
  }
  if (span.traceState !== '') {
    out.push(stringAttr(JAEGER_SPECIAL_TAGS.traceState, span.traceState));
  }
  return out;
}

/** Jaeger typed tags `[{key, type, value}]`. */
export function fromJaegerTags(raw: unknown, field: string): Attribute[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    throw new SpanProblem(field, `expected a list of {key, type, value}, got ${describeValue(raw)}`);
  }
  const out: Attribute[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i];
    if (!isObj(t) || typeof t.key !== 'string') {
      throw new SpanProblem(`${field}[${i}]`, `expected {key: string, type, value}, got ${describeValue(t)}`);
    }
    let v: AnyValue;
    const type = typeof t.type === 'string' ? t.type.toLowerCase() : undefined;
    // an int64 outside the int64 range (`1e308`) is kept as what it is, a double
    const int = type === 'int64' ? int64From(typeof t.value === 'number' ? Math.trunc(t.value) : t.value) : undefined;
    if (int !== undefined) {
      v = { type: 'int', value: int };
    } else {
      v = fromPlainValue(t.value, type);
    }
    out[i] = { key: t.key, type: v.type, value: v.value } as Attribute;
  }
  return out;
}

interface JaegerRef {
  refType: string;
  traceId: string;
  spanId: string;
}

function readRefs(raw: unknown): JaegerRef[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    throw new SpanProblem('references', `expected a list, got ${describeValue(raw)}`);
  }
  const out: JaegerRef[] = [];
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    if (!isObj(r)) {
      throw new SpanProblem(`references[${i}]`, `expected an object, got ${describeValue(r)}`);
    }
    const traceId = typeof r.traceID === 'string' ? traceIdToHex(r.traceID, true) : null;
    const spanId = typeof r.spanID === 'string' ? spanIdToHex(r.spanID, true) : null;
    if (traceId === null) {
      throw new SpanProblem(`references[${i}].traceID`, `expected hex, got ${describeValue(r.traceID)}`);
    }
    if (spanId === null) {
      throw new SpanProblem(`references[${i}].spanID`, `expected hex, got ${describeValue(r.spanID)}`);
    }
    out.push({ refType: typeof r.refType === 'string' ? r.refType.toUpperCase() : 'CHILD_OF', traceId, spanId });
  }
  return out;
}

function readJaegerSpan(
  s: unknown,
  resources: Map<string, Resource>,
  scopes: Map<string, Scope>,
  b: SpanBatch,
  path: string
): void {
  if (!isObj(s)) {
    throw new SpanProblem('', `expected a span object, got ${describeValue(s)}`);
  }
  b.beginSpan();
  const ti = b.traceIndex(s.traceID, true);
  if (ti < 0) {
    throw new SpanProblem('traceID', `expected up to 32 hex characters, got ${describeValue(s.traceID)}`);
  }
  const traceId = b.traceIdAt(ti);
  const spanId = typeof s.spanID === 'string' ? spanIdToHex(s.spanID, true) : null;
  if (spanId === null) {
    throw new SpanProblem('spanID', `expected up to 16 hex characters, got ${describeValue(s.spanID)}`);
  }
  if (!b.time.micros(s.startTime)) {
    throw new SpanProblem('startTime', `expected epoch microseconds, got ${describeValue(s.startTime)}`);
  }
  const startRel = b.rel();
  if (typeof s.duration !== 'number' || !b.time.after(Math.round(s.duration) * 1000)) {
    throw new SpanProblem(
      'duration',
      `expected microseconds that end the span within epoch time, got ${describeValue(s.duration)}`
    );
  }
  const endRel = b.rel();

  // Parent: the first CHILD_OF in the same trace, else the first FOLLOWS_FROM (kept as a link).
  const refs = readRefs(s.references);
  let parentRef = refs.findIndex((r) => r.refType === 'CHILD_OF' && r.traceId === traceId);
  if (parentRef < 0) {
    parentRef = refs.findIndex((r) => r.traceId === traceId);
  }
  let parentSpanId = parentRef >= 0 ? refs[parentRef].spanId : '';
  if (parentRef < 0 && typeof s.parentSpanID === 'string' && s.parentSpanID !== '') {
    parentSpanId = spanIdToHex(s.parentSpanID, true) ?? '';
  }
  if (isZeroSpanId(parentSpanId)) {
    parentSpanId = '';
  }
  const links: SpanLink[] = [];
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    const isParent = i === parentRef;
    if (isParent && r.refType !== 'FOLLOWS_FROM') {
      continue;
    }
    links.push({
      traceId: r.traceId,
      spanId: r.spanId,
      traceState: '',
      attributes: isParent ? [stringAttr(FOLLOWS_FROM_KEY, FOLLOWS_FROM_VALUE)] : [],
      droppedAttributesCount: 0,
      flags: 0,
    });
  }

  let resource: Resource | undefined;
  if (isObj(s.process)) {
    resource = processToResource(s.process, 'process');
  } else {
    resource = typeof s.processID === 'string' ? resources.get(s.processID) : undefined;
    if (!resource) {
      throw new SpanProblem(
        'processID',
        `expected the key of an entry in "processes", got ${describeValue(s.processID)}`
      );
    }
  }

  const attributes = fromJaegerTags(s.tags, 'tags');
  const special = extractSpecialTags(attributes);
  const scopeKey = special.scopeName + '\u0000' + special.scopeVersion;
  let scope = scopes.get(scopeKey);
  if (!scope) {
    scope = { name: special.scopeName, version: special.scopeVersion, attributes: [], droppedAttributesCount: 0 };
    scopes.set(scopeKey, scope);
  }

  const events: SpanEvent[] = [];
  const logs = s.logs ?? [];
  if (!Array.isArray(logs)) {
    throw new SpanProblem('logs', `expected a list, got ${describeValue(logs)}`);
  }
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i];
    if (!isObj(l) || !b.time.micros(l.timestamp)) {
      throw new SpanProblem(`logs[${i}]`, `expected {timestamp: epoch microseconds, fields}, got ${describeValue(l)}`);
    }
    const timeNs = b.rel();
    const fields = fromJaegerTags(l.fields, `logs[${i}].fields`);
    events.push({ timeNs, name: takeEventName(fields), attributes: fields, droppedAttributesCount: 0 });
  }
  if (Array.isArray(s.warnings)) {
    for (const w of s.warnings) {
      if (typeof w === 'string') {
        b.sourceWarnings.push(`${path} (span ${spanId}): ${w}`);
      }
    }
  }
  if (s.operationName !== undefined && typeof s.operationName !== 'string') {
    throw new SpanProblem('operationName', `expected a string, got ${describeValue(s.operationName)}`);
  }

  const span: Span = {
    index: 0,
    spanId,
    parentSpanId,
    name: typeof s.operationName === 'string' ? s.operationName : '',
    kind: special.kind,
    statusCode: special.statusCode,
    statusMessage: special.statusMessage,
    resource,
    scope,
    attributes,
    events,
    links,
    traceState: special.traceState,
    flags: typeof s.flags === 'number' && s.flags >= 0 && Number.isSafeInteger(s.flags) ? s.flags : 0,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  b.add(span, ti, startRel, endRel);
}

/** The event name travels as an `event` field in Jaeger logs (and Grafana frames built from them). */
export function takeEventName(fields: Attribute[]): string {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.key === 'event' && f.type === 'string') {
      fields.splice(i, 1);
      return f.value;
    }
  }
  return '';
}

function processToResource(p: Record<string, unknown>, path: string): Resource {
  const serviceName = typeof p.serviceName === 'string' && p.serviceName !== '' ? p.serviceName : UNKNOWN_SERVICE;
  const tags = fromJaegerTags(p.tags, `${path}.tags`);
  return makeResource(serviceName, [
    stringAttr('service.name', serviceName),
    ...tags.filter((t) => t.key !== 'service.name'),
  ]);
}

function readJaegerTrace(t: unknown, path: string, b: SpanBatch): void {
  if (!isObj(t)) {
    throw new TraceInputError('bad-structure', path, `expected a trace object, got ${describeValue(t)}`);
  }
  const resources = new Map<string, Resource>();
  const processes = t.processes ?? {};
  if (!isObj(processes)) {
    throw new TraceInputError(
      'bad-structure',
      `${path}.processes`,
      `expected an object, got ${describeValue(processes)}`
    );
  }
  for (const id of Object.keys(processes)) {
    const p = processes[id];
    if (!isObj(p)) {
      throw new TraceInputError(
        'bad-structure',
        `${path}.processes.${id}`,
        `expected an object, got ${describeValue(p)}`
      );
    }
    try {
      resources.set(id, processToResource(p, `processes.${id}`));
    } catch (e) {
      if (e instanceof SpanProblem) {
        throw new TraceInputError('bad-structure', `${path}.${e.path}`, e.problem);
      }
      throw e;
    }
  }
  const spans = t.spans;
  if (!Array.isArray(spans)) {
    throw new TraceInputError(
      'bad-structure',
      `${path}.spans`,
      `expected a list of spans, got ${describeValue(spans)}`
    );
  }
  if (Array.isArray(t.warnings)) {
    for (const w of t.warnings) {
      if (typeof w === 'string') {
        b.sourceWarnings.push(w);
      }
    }
  }
  const scopes = new Map<string, Scope>();
  for (let i = 0; i < spans.length; i++) {
    try {
      readJaegerSpan(spans[i], resources, scopes, b, `${path}.spans[${i}]`);
    } catch (e) {
      if (!(e instanceof SpanProblem)) {
        throw e;
      }
      b.bad(`${path}.spans[${i}]${e.path ? '.' + e.path : ''}`, e.problem);
    }
  }
}

/** `{"data": [trace...]}` (the query API), a bare trace `{traceID, spans, processes}`, or a list of traces. */
export function readJaegerDocument(doc: unknown, b: SpanBatch): void {
  if (Array.isArray(doc)) {
    doc.forEach((t, i) => readJaegerTrace(t, `[${i}]`, b));
    return;
  }
  if (!isObj(doc)) {
    throw new TraceInputError('bad-structure', '', `expected a Jaeger response object, got ${describeValue(doc)}`);
  }
  if (Array.isArray(doc.spans)) {
    readJaegerTrace(doc, '', b);
    return;
  }
  if (doc.data === null || (Array.isArray(doc.data) && doc.data.length === 0)) {
    const errors = Array.isArray(doc.errors) ? doc.errors : [];
    const msg = errors
      .map((e) => (isObj(e) && typeof e.msg === 'string' ? e.msg : ''))
      .filter((m) => m)
      .join('; ');
    throw new TraceInputError(
      'not-found',
      'data',
      `the Jaeger response holds no trace${msg ? ': ' + serverText(msg) : ''}`
    );
  }
  if (!Array.isArray(doc.data)) {
    throw new TraceInputError('bad-structure', 'data', `expected a list of traces, got ${describeValue(doc.data)}`);
  }
  doc.data.forEach((t, i) => readJaegerTrace(t, `data[${i}]`, b));
}
