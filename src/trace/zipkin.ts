import { EMPTY_SCOPE, makeResource, SpanBatch, UNKNOWN_SERVICE } from './batch';
import { describeValue, SpanProblem, TraceInputError } from './errors';
import { spanIdToHex, traceIdToHex } from './ids';
import {
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
import { fromPlainValue, isObj, stringAttr } from './values';

/**
 * Zipkin v2 JSON: what Zipkin's `/api/v2/trace/<id>` answers and what Zipkin exporters send
 * (`/api/v2/spans`): an array of spans `{traceId, id, parentId, name, kind, timestamp, duration,
 * localEndpoint, remoteEndpoint, tags, annotations, shared, debug}`, times in epoch microseconds.
 * `/api/v2/traces` answers an array of such arrays; both are read.
 *
 * OTLP concepts travel as the tags the OpenTelemetry Collector's Zipkin exporter writes, and are
 * read back as its Zipkin receiver does: `otel.status_code`/`otel.status_description` and `error`
 * give the status, `span.kind=internal` marks an INTERNAL span (Zipkin has no kind for it),
 * `otel.scope.*`/`otel.library.*` the scope, `w3c.tracestate` the trace state, `otlp.link.N`
 * the links; annotations `name|{json attributes}|dropped` are events with attributes. The exporter
 * copies resource attributes into every span's tags: tags in the resource namespaces (`service.`,
 * `host.`, `k8s.`, ...) go back to the resource. `localEndpoint.serviceName` is the service;
 * endpoint addresses become `net.host.*`/`net.peer.*` attributes and `remoteEndpoint.serviceName`
 * `peer.service`.
 */

// Maps, not plain objects: a name from the input must not find "constructor" on a prototype.
const KINDS = new Map<string, SpanKindValue>([
  ['CLIENT', SpanKind.Client],
  ['SERVER', SpanKind.Server],
  ['PRODUCER', SpanKind.Producer],
  ['CONSUMER', SpanKind.Consumer],
]);

const STATUS = new Map<string, StatusCodeValue>([
  ['UNSET', 0],
  ['OK', 1],
  ['ERROR', 2],
  ['STATUS_CODE_UNSET', 0],
  ['STATUS_CODE_OK', 1],
  ['STATUS_CODE_ERROR', 2],
]);

/** Prefixes of the OpenTelemetry resource attribute namespaces. */
const RESOURCE_PREFIXES = [
  'service.',
  'telemetry.',
  'host.',
  'os.',
  'process.',
  'container.',
  'k8s.',
  'cloud.',
  'deployment.',
  'faas.',
  'device.',
  'webengine.',
  'aws.ecs.',
  'aws.eks.',
  'aws.log.',
  'gcp.',
  'heroku.',
];

export const ZIPKIN_TAGS = {
  statusCode: 'otel.status_code',
  statusDescription: 'otel.status_description',
  error: 'error',
  kind: 'span.kind',
  scopeName: 'otel.scope.name',
  scopeVersion: 'otel.scope.version',
  libraryName: 'otel.library.name',
  libraryVersion: 'otel.library.version',
  traceState: 'w3c.tracestate',
  linkPrefix: 'otlp.link.',
} as const;

export function isResourceKey(key: string): boolean {
  for (let i = 0; i < RESOURCE_PREFIXES.length; i++) {
    if (key.startsWith(RESOURCE_PREFIXES[i])) {
      return true;
    }
  }
  return false;
}

/** A Zipkin v2 span object, by the fields only Zipkin has. */
export function looksLikeZipkinSpan(v: unknown): boolean {
  return (
    isObj(v) &&
    'traceId' in v &&
    'id' in v &&
    !('spanId' in v) &&
    ('timestamp' in v || 'localEndpoint' in v || 'duration' in v || 'name' in v)
  );
}

interface ReadState {
  b: SpanBatch;
  resources: Map<string, Resource>;
  scopes: Map<string, Scope>;
  /** spans that arrived with `shared: true`, by batch index */
  shared: Set<number>;
}

function endpoint(raw: unknown, field: string): Record<string, unknown> | null {
  if (raw === undefined || raw === null) {
    return null;
  }
  if (!isObj(raw)) {
    throw new SpanProblem(
      field,
      `expected an endpoint object {serviceName, ipv4, ipv6, port}, got ${describeValue(raw)}`
    );
  }
  for (const k of ['serviceName', 'ipv4', 'ipv6'] as const) {
    if (raw[k] !== undefined && raw[k] !== null && typeof raw[k] !== 'string') {
      throw new SpanProblem(`${field}.${k}`, `expected a string, got ${describeValue(raw[k])}`);
    }
  }
  if (raw.port !== undefined && raw.port !== null && (typeof raw.port !== 'number' || !Number.isInteger(raw.port))) {
    throw new SpanProblem(`${field}.port`, `expected an integer, got ${describeValue(raw.port)}`);
  }
  return raw;
}

function endpointAttributes(ep: Record<string, unknown> | null, side: 'host' | 'peer', out: Attribute[]): void {
  if (ep === null) {
    return;
  }
  if (side === 'peer' && typeof ep.serviceName === 'string' && ep.serviceName !== '') {
    out.push(stringAttr('peer.service', ep.serviceName));
  }
  const ip = typeof ep.ipv4 === 'string' && ep.ipv4 !== '' ? ep.ipv4 : ep.ipv6;
  if (typeof ip === 'string' && ip !== '') {
    out.push(stringAttr(`net.${side}.ip`, ip));
  }
  if (typeof ep.port === 'number' && ep.port > 0) {
    out.push({ key: `net.${side}.port`, type: 'int', value: ep.port });
  }
}

/** `name|{"key":value,...}|dropped` as the Collector writes an event with attributes. */
function readAnnotationValue(value: string): { name: string; attributes: Attribute[]; dropped: number } {
  const first = value.indexOf('|');
  const last = value.lastIndexOf('|');
  if (first > 0 && last > first && /^\d+$/.test(value.slice(last + 1))) {
    const json = value.slice(first + 1, last);
    if (json.startsWith('{')) {
      try {
        const attrs = JSON.parse(json) as unknown;
        if (isObj(attrs)) {
          return {
            name: value.slice(0, first),
            attributes: Object.keys(attrs).map((k) => ({ key: k, ...fromPlainValue(attrs[k]) }) as Attribute),
            dropped: Number(value.slice(last + 1)),
          };
        }
      } catch {
        // not the Collector's encoding: the whole value is the name
      }
    }
  }
  return { name: value, attributes: [], dropped: 0 };
}

/** `traceId|spanId|traceState|{json attributes}|dropped`, or null. */
function readLinkTag(value: string): SpanLink | null {
  const parts = value.split('|');
  if (parts.length < 5) {
    return null;
  }
  const traceId = traceIdToHex(parts[0]);
  const spanId = spanIdToHex(parts[1]);
  const dropped = parts[parts.length - 1];
  if (traceId === null || spanId === null || !/^\d+$/.test(dropped)) {
    return null;
  }
  let attrs: unknown;
  try {
    attrs = JSON.parse(parts.slice(3, parts.length - 1).join('|'));
  } catch {
    return null;
  }
  if (!isObj(attrs)) {
    return null;
  }
  return {
    traceId,
    spanId,
    traceState: parts[2],
    attributes: Object.keys(attrs).map((k) => ({ key: k, ...fromPlainValue(attrs[k]) }) as Attribute),
    droppedAttributesCount: Number(dropped),
    flags: 0,
  };
}

function readZipkinSpan(s: unknown, st: ReadState): void {
  const b = st.b;
  if (!isObj(s)) {
    throw new SpanProblem('', `expected a Zipkin span object, got ${describeValue(s)}`);
  }
  b.beginSpan();
  const ti = b.traceIndex(s.traceId, true);
  if (ti < 0) {
    throw new SpanProblem('traceId', `expected 16 or 32 hex characters, got ${describeValue(s.traceId)}`);
  }
  const spanId = typeof s.id === 'string' ? spanIdToHex(s.id, true) : null;
  if (spanId === null) {
    throw new SpanProblem('id', `expected 16 hex characters, got ${describeValue(s.id)}`);
  }
  let parentSpanId = '';
  if (s.parentId !== undefined && s.parentId !== null && s.parentId !== '') {
    const p = typeof s.parentId === 'string' ? spanIdToHex(s.parentId, true) : null;
    if (p === null) {
      throw new SpanProblem('parentId', `expected 16 hex characters, got ${describeValue(s.parentId)}`);
    }
    // a span that names itself as its parent is a root, as Zipkin's own readers treat it
    parentSpanId = p === spanId || /^0+$/.test(p) ? '' : p;
  }
  if (s.name !== undefined && s.name !== null && typeof s.name !== 'string') {
    throw new SpanProblem('name', `expected a string, got ${describeValue(s.name)}`);
  }
  let kind: SpanKindValue = SpanKind.Unspecified;
  if (s.kind !== undefined && s.kind !== null) {
    const k = typeof s.kind === 'string' ? KINDS.get(s.kind.toUpperCase()) : undefined;
    if (k === undefined) {
      throw new SpanProblem('kind', `expected CLIENT, SERVER, PRODUCER or CONSUMER, got ${describeValue(s.kind)}`);
    }
    kind = k;
  }
  if (s.timestamp === undefined || s.timestamp === null || s.timestamp === 0) {
    throw new SpanProblem('timestamp', 'missing: a span without a start time cannot be placed in the trace');
  }
  if (!b.time.micros(s.timestamp)) {
    throw new SpanProblem('timestamp', `expected epoch microseconds, got ${describeValue(s.timestamp)}`);
  }
  const startRel = b.rel();
  let durUs = 0;
  if (s.duration !== undefined && s.duration !== null) {
    if (typeof s.duration !== 'number' || !(s.duration >= 0) || !b.time.after(Math.round(s.duration) * 1000)) {
      throw new SpanProblem(
        'duration',
        `expected microseconds that end the span within epoch time, got ${describeValue(s.duration)}`
      );
    }
    durUs = Math.round(s.duration);
  }
  const local = endpoint(s.localEndpoint, 'localEndpoint');
  const remote = endpoint(s.remoteEndpoint, 'remoteEndpoint');
  const serviceName =
    local !== null && typeof local.serviceName === 'string' && local.serviceName !== ''
      ? local.serviceName
      : UNKNOWN_SERVICE;

  // Tags: the special ones lifted into the model, resource ones set aside, the rest attributes.
  const tags = s.tags ?? {};
  if (!isObj(tags)) {
    throw new SpanProblem('tags', `expected an object of string values, got ${describeValue(tags)}`);
  }
  const attributes: Attribute[] = [];
  const resourceTags: Attribute[] = [];
  const links: SpanLink[] = [];
  let statusCode: StatusCodeValue = 0;
  let statusMessage = '';
  let errorValue: string | null = null;
  let kindTag = '';
  let scopeName = '';
  let scopeVersion = '';
  let traceState = '';
  for (const key of Object.keys(tags)) {
    const raw = tags[key];
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      throw new SpanProblem(`tags.${key}`, `expected a string, got ${describeValue(raw)}`);
    }
    const v = String(raw);
    switch (key) {
      case ZIPKIN_TAGS.statusCode: {
        const c = STATUS.get(v.toUpperCase());
        if (c !== undefined) {
          statusCode = c;
          continue;
        }
        break;
      }
      case ZIPKIN_TAGS.statusDescription:
        statusMessage = v;
        continue;
      case ZIPKIN_TAGS.error:
        if (v !== 'false') {
          errorValue = v;
          continue;
        }
        break;
      case ZIPKIN_TAGS.kind:
        if (kind === SpanKind.Unspecified) {
          kindTag = v.toLowerCase();
          continue;
        }
        break;
      case ZIPKIN_TAGS.scopeName:
      case ZIPKIN_TAGS.libraryName:
        scopeName = v;
        continue;
      case ZIPKIN_TAGS.scopeVersion:
      case ZIPKIN_TAGS.libraryVersion:
        scopeVersion = v;
        continue;
      case ZIPKIN_TAGS.traceState:
        traceState = v;
        continue;
    }
    if (key.startsWith(ZIPKIN_TAGS.linkPrefix)) {
      const link = readLinkTag(v);
      if (link !== null) {
        links.push(link);
        continue;
      }
    }
    const attr: Attribute =
      typeof raw === 'string' ? stringAttr(key, raw) : ({ key, ...fromPlainValue(raw) } as Attribute);
    (isResourceKey(key) ? resourceTags : attributes).push(attr);
  }
  if (kindTag === 'internal') {
    kind = SpanKind.Internal;
  } else if (kindTag !== '') {
    attributes.push(stringAttr(ZIPKIN_TAGS.kind, kindTag));
  }
  if (errorValue !== null) {
    statusCode = 2;
    // Zipkin's own tracers put the error message in the tag; the Collector writes "true"
    if (statusMessage === '' && errorValue !== 'true' && errorValue !== '') {
      statusMessage = errorValue;
    }
  }
  endpointAttributes(local, 'host', attributes);
  endpointAttributes(remote, 'peer', attributes);

  const events: SpanEvent[] = [];
  const annotations = s.annotations ?? [];
  if (!Array.isArray(annotations)) {
    throw new SpanProblem('annotations', `expected a list, got ${describeValue(annotations)}`);
  }
  for (let i = 0; i < annotations.length; i++) {
    const a = annotations[i];
    if (!isObj(a) || typeof a.value !== 'string' || !b.time.micros(a.timestamp)) {
      throw new SpanProblem(
        `annotations[${i}]`,
        `expected {timestamp: epoch microseconds, value: string}, got ${describeValue(a)}`
      );
    }
    const timeNs = b.rel();
    const ev = readAnnotationValue(a.value);
    events.push({ timeNs, name: ev.name, attributes: ev.attributes, droppedAttributesCount: ev.dropped });
  }
  if (s.shared !== undefined && s.shared !== null && typeof s.shared !== 'boolean') {
    throw new SpanProblem('shared', `expected true or false, got ${describeValue(s.shared)}`);
  }
  if (s.debug !== undefined && s.debug !== null && typeof s.debug !== 'boolean') {
    throw new SpanProblem('debug', `expected true or false, got ${describeValue(s.debug)}`);
  }

  const span: Span = {
    index: 0,
    spanId,
    parentSpanId,
    name: typeof s.name === 'string' ? s.name : '',
    kind,
    statusCode,
    statusMessage,
    resource: resourceFor(st, serviceName, resourceTags),
    scope: scopeFor(st, scopeName, scopeVersion),
    attributes,
    events,
    links,
    traceState,
    flags: 0,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  if (s.shared === true) {
    st.shared.add(b.spans.length);
  }
  b.add(span, ti, startRel, startRel + durUs * 1000);
}

function resourceFor(st: ReadState, serviceName: string, tags: Attribute[]): Resource {
  let key = serviceName;
  for (let i = 0; i < tags.length; i++) {
    key += '\u0000' + tags[i].key + '\u0001' + String(tags[i].value);
  }
  let r = st.resources.get(key);
  if (!r) {
    r = makeResource(serviceName, [
      stringAttr('service.name', serviceName),
      ...tags.filter((t) => t.key !== 'service.name'),
    ]);
    st.resources.set(key, r);
  }
  return r;
}

function scopeFor(st: ReadState, name: string, version: string): Scope {
  if (name === '' && version === '') {
    return EMPTY_SCOPE;
  }
  const key = name + '\u0000' + version;
  let sc = st.scopes.get(key);
  if (!sc) {
    sc = { name, version, attributes: [], droppedAttributesCount: 0 };
    st.scopes.set(key, sc);
  }
  return sc;
}

/** The span ID after `hex` (64-bit, wrapping), skipping zero. */
function nextId(hex: string): string {
  let n = (BigInt('0x' + hex) + BigInt(1)) & BigInt('0xffffffffffffffff');
  if (n === BigInt(0)) {
    n = BigInt(1);
  }
  return n.toString(16).padStart(16, '0');
}

/**
 * Zipkin's shared spans: a server that joined its client's span reports the client's span ID
 * (`shared: true`). The model needs one ID per span, so, as Jaeger does, the shared span gets the
 * next free ID and becomes the client's child; the spans of the server's service that named the
 * shared ID as their parent move under it.
 */
function splitSharedSpans(st: ReadState, from: number): void {
  if (st.shared.size === 0) {
    return;
  }
  const b = st.b;
  const used = new Set<string>();
  for (let i = from; i < b.spans.length; i++) {
    used.add(b.traceOf[i] + ':' + b.spans[i].spanId);
  }
  for (const i of st.shared) {
    const span = b.spans[i];
    const t = b.traceOf[i];
    const orig = span.spanId;
    let client = -1;
    for (let j = from; j < b.spans.length; j++) {
      if (j !== i && b.traceOf[j] === t && b.spans[j].spanId === orig && !st.shared.has(j)) {
        client = j;
        break;
      }
    }
    if (client < 0) {
      continue;
    }
    let id = nextId(orig);
    while (used.has(t + ':' + id)) {
      id = nextId(id);
    }
    used.add(t + ':' + id);
    span.spanId = id;
    span.parentSpanId = orig;
    const service = span.resource.serviceName;
    for (let j = from; j < b.spans.length; j++) {
      const c = b.spans[j];
      if (
        j !== i &&
        j !== client &&
        b.traceOf[j] === t &&
        c.parentSpanId === orig &&
        c.resource.serviceName === service
      ) {
        c.parentSpanId = id;
      }
    }
  }
}

function readSpanList(list: unknown[], path: string, st: ReadState): void {
  for (let i = 0; i < list.length; i++) {
    try {
      readZipkinSpan(list[i], st);
    } catch (e) {
      if (!(e instanceof SpanProblem)) {
        throw e;
      }
      st.b.bad(`${path}[${i}]${e.path ? '.' + e.path : ''}`, e.problem);
    }
  }
}

/** `[span, ...]` (one trace, or spans of several) or `[[span, ...], ...]` (`/api/v2/traces`). */
export function readZipkinDocument(doc: unknown, b: SpanBatch): void {
  if (!Array.isArray(doc)) {
    throw new TraceInputError('bad-structure', '', `expected a list of Zipkin spans, got ${describeValue(doc)}`);
  }
  const st: ReadState = { b, resources: new Map(), scopes: new Map(), shared: new Set() };
  const from = b.spans.length;
  if (doc.length > 0 && Array.isArray(doc[0])) {
    for (let t = 0; t < doc.length; t++) {
      const list = doc[t];
      if (!Array.isArray(list)) {
        throw new TraceInputError(
          'bad-structure',
          `[${t}]`,
          `expected a list of Zipkin spans, got ${describeValue(list)}`
        );
      }
      readSpanList(list, `[${t}]`, st);
    }
  } else {
    readSpanList(doc, '', st);
  }
  splitSharedSpans(st, from);
}
