import { makeResource, SpanBatch, UNKNOWN_SERVICE } from './batch';
import { describeValue, serverText, SpanProblem, TraceInputError } from './errors';
import { isZeroSpanId, spanIdToHex, traceIdToHex } from './ids';
import { extractSpecialTags, fromJaegerTags, takeEventName } from './jaeger';
import { parseKind, parseStatusCode } from './otlp';
import { Attribute, Resource, Scope, Span, SpanEvent, SpanLink } from './types';
import { attributesKey, isObj, stringAttr } from './values';

/**
 * Grafana trace data frames: the `TraceSpanRow` columns that the Tempo, Jaeger and Zipkin data
 * sources return. Accepted as a DataFrame (`fields[].values`, arrays or vectors), as DataFrameJSON
 * (`schema` + `data.values`, what `/api/ds/query` answers, also inside `results.<refId>.frames`),
 * or as a list of row objects. Times are epoch milliseconds as floats; structured columns may
 * arrive as JSON text. Grafana drops leading zeros from 64-bit trace IDs, so IDs are padded.
 */

const COLUMNS = [
  'traceID',
  'spanID',
  'parentSpanID',
  'operationName',
  'serviceName',
  'serviceTags',
  'startTime',
  'duration',
  'logs',
  'references',
  'tags',
  'kind',
  'statusCode',
  'statusMessage',
  'instrumentationLibraryName',
  'instrumentationLibraryVersion',
  'traceState',
  'warnings',
  'stackTraces',
] as const;
type Column = (typeof COLUMNS)[number];

type Getter = (row: number) => unknown;
type Columns = Partial<Record<Column, Getter>>;

function valuesGetter(values: unknown): Getter | null {
  if (Array.isArray(values)) {
    return (i) => values[i];
  }
  if (isObj(values)) {
    // a Grafana Vector (older @grafana/data): get(i) / toArray()
    const get = values.get;
    if (typeof get === 'function') {
      return (i) => get.call(values, i);
    }
    const toArray = values.toArray;
    if (typeof toArray === 'function') {
      const arr = toArray.call(values);
      return Array.isArray(arr) ? (i) => arr[i] : null;
    }
  }
  return null;
}

/**
 * The real length of a column: an array's, or a Vector's when it is a plausible array length. The
 * frame's own `length` is never trusted: `"length": 1e308` on a one-row frame would loop for ever.
 */
function lengthOf(values: unknown): number {
  if (Array.isArray(values)) {
    return values.length;
  }
  if (isObj(values)) {
    const n = values.length;
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= 0xffffffff ? n : 0;
  }
  return 0;
}

/** Is this a frame-ish object with trace columns? */
export function looksLikeFrame(v: unknown): boolean {
  if (!isObj(v)) {
    return false;
  }
  const fields = Array.isArray(v.fields)
    ? v.fields
    : isObj(v.schema) && Array.isArray(v.schema.fields)
      ? v.schema.fields
      : null;
  return fields !== null && fields.some((f) => isObj(f) && f.name === 'spanID');
}

export function looksLikeRow(v: unknown): boolean {
  return isObj(v) && typeof v.spanID === 'string' && ('operationName' in v || 'startTime' in v);
}

function frameColumns(frame: Record<string, unknown>, path: string): { cols: Columns; length: number } {
  const cols: Columns = {};
  let length = 0;
  if (Array.isArray(frame.fields)) {
    frame.fields.forEach((f, i) => {
      if (!isObj(f) || typeof f.name !== 'string') {
        throw new TraceInputError(
          'bad-structure',
          `${path}.fields[${i}]`,
          `expected {name, values}, got ${describeValue(f)}`
        );
      }
      const g = valuesGetter(f.values);
      if (!g) {
        throw new TraceInputError(
          'bad-structure',
          `${path}.fields[${i}].values`,
          `expected a list, got ${describeValue(f.values)}`
        );
      }
      if ((COLUMNS as readonly string[]).includes(f.name)) {
        cols[f.name as Column] = g;
      }
      length = Math.max(length, lengthOf(f.values));
    });
    return { cols, length };
  }
  // DataFrameJSON
  const schema = frame.schema;
  const data = frame.data;
  if (!isObj(schema) || !Array.isArray(schema.fields) || !isObj(data) || !Array.isArray(data.values)) {
    throw new TraceInputError(
      'bad-structure',
      path,
      'expected a data frame: {fields} or {schema: {fields}, data: {values}}'
    );
  }
  const values = data.values;
  schema.fields.forEach((f, i) => {
    if (!isObj(f) || typeof f.name !== 'string') {
      throw new TraceInputError(
        'bad-structure',
        `${path}.schema.fields[${i}]`,
        `expected {name}, got ${describeValue(f)}`
      );
    }
    const col = values[i];
    if (!Array.isArray(col)) {
      throw new TraceInputError(
        'bad-structure',
        `${path}.data.values[${i}]`,
        `expected a list, got ${describeValue(col)}`
      );
    }
    if ((COLUMNS as readonly string[]).includes(f.name)) {
      cols[f.name as Column] = (r) => col[r];
    }
    length = Math.max(length, col.length);
  });
  return { cols, length };
}

/** A structured cell: the value itself, or JSON text of it (json.RawMessage columns). */
function structured(v: unknown, field: string): unknown {
  if (typeof v !== 'string') {
    return v;
  }
  if (v === '') {
    return undefined;
  }
  try {
    return JSON.parse(v);
  } catch {
    throw new SpanProblem(field, `expected JSON, got ${describeValue(v)}`);
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

interface Caches {
  resources: Map<string, Resource>;
  scopes: Map<string, Scope>;
}

function readRow(get: (c: Column) => unknown, b: SpanBatch, caches: Caches, rowPath: string): void {
  b.beginSpan();
  const ti = b.traceIndex(get('traceID'), true);
  if (ti < 0) {
    throw new SpanProblem('traceID', `expected up to 32 hex characters, got ${describeValue(get('traceID'))}`);
  }
  const rawSpan = get('spanID');
  const spanId = typeof rawSpan === 'string' ? spanIdToHex(rawSpan, true) : null;
  if (spanId === null) {
    throw new SpanProblem('spanID', `expected up to 16 hex characters, got ${describeValue(rawSpan)}`);
  }
  const rawParent = get('parentSpanID');
  let parentSpanId = '';
  if (typeof rawParent === 'string' && rawParent !== '') {
    const p = spanIdToHex(rawParent, true);
    if (p === null) {
      throw new SpanProblem('parentSpanID', `expected up to 16 hex characters, got ${describeValue(rawParent)}`);
    }
    parentSpanId = isZeroSpanId(p) ? '' : p;
  }
  if (!b.time.millis(get('startTime'))) {
    throw new SpanProblem('startTime', `expected epoch milliseconds, got ${describeValue(get('startTime'))}`);
  }
  const startRel = b.rel();
  const duration = get('duration');
  if (typeof duration !== 'number' || !b.time.after(Math.round(duration * 1e6))) {
    throw new SpanProblem(
      'duration',
      `expected milliseconds that end the span within epoch time, got ${describeValue(duration)}`
    );
  }
  const endRel = b.rel();

  const serviceName = str(get('serviceName')) || UNKNOWN_SERVICE;
  const serviceTagsRaw = structured(get('serviceTags'), 'serviceTags');
  const serviceTags = fromJaegerTags(serviceTagsRaw, 'serviceTags');
  // Rows repeat their service's tags; one Resource per distinct set.
  const rawTags = get('serviceTags');
  const resKey = serviceName + '\u0000' + (typeof rawTags === 'string' ? rawTags : attributesKey(serviceTags));
  let resource = caches.resources.get(resKey);
  if (!resource) {
    const attrs = serviceTags.some((t) => t.key === 'service.name')
      ? serviceTags
      : [stringAttr('service.name', serviceName), ...serviceTags];
    resource = makeResource(serviceName, attrs);
    caches.resources.set(resKey, resource);
  }

  const attributes = fromJaegerTags(structured(get('tags'), 'tags'), 'tags');
  const rawKind = get('kind');
  const rawStatus = get('statusCode');
  let kind = parseKind(rawKind === '' ? undefined : rawKind);
  if (kind === undefined) {
    throw new SpanProblem(
      'kind',
      `expected client, server, producer, consumer or internal, got ${describeValue(rawKind)}`
    );
  }
  let statusCode = parseStatusCode(rawStatus);
  if (statusCode === undefined) {
    throw new SpanProblem('statusCode', `expected 0, 1 or 2, got ${describeValue(rawStatus)}`);
  }
  let statusMessage = str(get('statusMessage'));
  let scopeName = str(get('instrumentationLibraryName'));
  let scopeVersion = str(get('instrumentationLibraryVersion'));
  let traceState = str(get('traceState'));
  if ((rawKind === undefined || rawKind === '') && rawStatus === undefined) {
    // Jaeger and Zipkin frames carry kind and status as tags.
    const sp = extractSpecialTags(attributes);
    kind = sp.kind;
    statusCode = sp.statusCode;
    statusMessage = statusMessage || sp.statusMessage;
    scopeName = scopeName || sp.scopeName;
    scopeVersion = scopeVersion || sp.scopeVersion;
    traceState = traceState || sp.traceState;
  }
  const scopeKey = scopeName + '\u0000' + scopeVersion;
  let scope = caches.scopes.get(scopeKey);
  if (!scope) {
    scope = { name: scopeName, version: scopeVersion, attributes: [], droppedAttributesCount: 0 };
    caches.scopes.set(scopeKey, scope);
  }

  const events: SpanEvent[] = [];
  const logs = structured(get('logs'), 'logs') ?? [];
  if (!Array.isArray(logs)) {
    throw new SpanProblem('logs', `expected a list, got ${describeValue(logs)}`);
  }
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i];
    if (!isObj(l) || !b.time.millis(l.timestamp)) {
      throw new SpanProblem(`logs[${i}]`, `expected {timestamp: epoch milliseconds, fields}, got ${describeValue(l)}`);
    }
    const timeNs = b.rel();
    const fields = fromJaegerTags(l.fields, `logs[${i}].fields`);
    const name = typeof l.name === 'string' ? l.name : takeEventName(fields);
    events.push({ timeNs, name, attributes: fields, droppedAttributesCount: 0 });
  }

  const links: SpanLink[] = [];
  const refs = structured(get('references'), 'references') ?? [];
  if (!Array.isArray(refs)) {
    throw new SpanProblem('references', `expected a list, got ${describeValue(refs)}`);
  }
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i];
    const traceId = isObj(r) && typeof r.traceID === 'string' ? traceIdToHex(r.traceID, true) : null;
    const linkSpan = isObj(r) && typeof r.spanID === 'string' ? spanIdToHex(r.spanID, true) : null;
    if (!isObj(r) || traceId === null || linkSpan === null) {
      throw new SpanProblem(`references[${i}]`, `expected {traceID, spanID, tags} in hex, got ${describeValue(r)}`);
    }
    links.push({
      traceId,
      spanId: linkSpan,
      traceState: '',
      attributes: fromJaegerTags(r.tags, `references[${i}].tags`),
      droppedAttributesCount: 0,
      flags: 0,
    });
  }
  const warnings = structured(get('warnings'), 'warnings');
  if (Array.isArray(warnings)) {
    for (const w of warnings) {
      if (typeof w === 'string') {
        b.sourceWarnings.push(`${rowPath} (span ${spanId}): ${w}`);
      }
    }
  }
  const name = get('operationName');
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw new SpanProblem('operationName', `expected a string, got ${describeValue(name)}`);
  }

  const span: Span = {
    index: 0,
    spanId,
    parentSpanId,
    name: str(name),
    kind,
    statusCode,
    statusMessage,
    resource,
    scope,
    attributes: attributes as Attribute[],
    events,
    links,
    traceState,
    flags: 0,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  b.add(span, ti, startRel, endRel);
}

function readFrame(frame: unknown, path: string, b: SpanBatch, caches: Caches): void {
  if (!isObj(frame)) {
    throw new TraceInputError('bad-structure', path, `expected a data frame, got ${describeValue(frame)}`);
  }
  const { cols, length } = frameColumns(frame, path);
  for (const required of ['traceID', 'spanID', 'startTime', 'duration'] as const) {
    if (!cols[required]) {
      throw new TraceInputError(
        'bad-structure',
        path,
        `the frame has no "${required}" field, so it is not a trace frame`
      );
    }
  }
  let row = 0;
  const get = (c: Column): unknown => {
    const g = cols[c];
    return g ? g(row) : undefined;
  };
  for (row = 0; row < length; row++) {
    try {
      readRow(get, b, caches, `${path} row ${row}`);
    } catch (e) {
      if (!(e instanceof SpanProblem)) {
        throw e;
      }
      b.bad(`${path ? path + ' ' : ''}row ${row}${e.path ? '.' + e.path : ''}`, e.problem);
    }
  }
}

function readRows(rows: unknown[], path: string, b: SpanBatch, caches: Caches): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    try {
      if (!isObj(r)) {
        throw new SpanProblem('', `expected a span row object, got ${describeValue(r)}`);
      }
      readRow((c) => r[c], b, caches, `${path}[${i}]`);
    } catch (e) {
      if (!(e instanceof SpanProblem)) {
        throw e;
      }
      b.bad(`${path}[${i}]${e.path ? '.' + e.path : ''}`, e.problem);
    }
  }
}

/** A frame, a list of frames or rows, `{frames: [...]}`, or a `/api/ds/query` answer. */
export function readFrameDocument(doc: unknown, b: SpanBatch): void {
  const caches: Caches = { resources: new Map(), scopes: new Map() };
  if (Array.isArray(doc)) {
    if (doc.length > 0 && looksLikeRow(doc[0])) {
      readRows(doc, '', b, caches);
    } else {
      doc.forEach((f, i) => readFrame(f, `[${i}]`, b, caches));
    }
    return;
  }
  if (!isObj(doc)) {
    throw new TraceInputError('bad-structure', '', `expected a data frame, got ${describeValue(doc)}`);
  }
  if (isObj(doc.results)) {
    let found = false;
    for (const refId of Object.keys(doc.results)) {
      const res = doc.results[refId];
      if (isObj(res) && typeof res.error === 'string' && res.error !== '') {
        throw new TraceInputError(
          'bad-structure',
          `results.${refId}.error`,
          `the data source answered: ${serverText(res.error)}`
        );
      }
      const frames = isObj(res) && Array.isArray(res.frames) ? res.frames : [];
      frames.forEach((f, i) => {
        if (looksLikeFrame(f)) {
          found = true;
          readFrame(f, `results.${refId}.frames[${i}]`, b, caches);
        }
      });
    }
    if (!found) {
      throw new TraceInputError('not-found', 'results', 'the query answer holds no trace frame');
    }
    return;
  }
  if (Array.isArray(doc.frames)) {
    doc.frames.forEach((f, i) => readFrame(f, `frames[${i}]`, b, caches));
    return;
  }
  readFrame(doc, '', b, caches);
}
