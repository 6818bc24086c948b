import type { TraceKeyValuePair, TraceLog, TraceSpanReference, TraceSpanRow } from '@grafana/data';

import { specialTagsOf } from './jaeger';
import { spanIdToBase64, traceIdToBase64 } from './ids';
import { epochMicros, epochMillis, epochNanosString } from './time';
import { FOLLOWS_FROM_KEY, FOLLOWS_FROM_VALUE } from './tree';
import { Attribute, Resource, Scope, Span, SpanFlag, SPAN_KIND_NAMES, Trace } from './types';
import { KIND_ENUM, STATUS_ENUM } from './otlpEnums';
import { setOwn, toOtlpAttributes, toPlainValue, valueToString } from './values';

/**
 * Writers from the model to every format the model reads. They write what each producer
 * writes: Tempo's base64 IDs, enum names and omitted zero values; OTLP/JSON's hex IDs and integer
 * enums; Jaeger's microseconds and translator tags; Grafana's TraceSpanRow columns.
 */

type Obj = Record<string, unknown>;

/** Spans grouped by resource, then scope (object identity), in span order. */
function groupSpans(trace: Trace): Array<{ resource: Resource; scopes: Array<{ scope: Scope; spans: Span[] }> }> {
  const byResource = new Map<Resource, Map<Scope, Span[]>>();
  for (const span of trace.spans) {
    let scopes = byResource.get(span.resource);
    if (!scopes) {
      scopes = new Map();
      byResource.set(span.resource, scopes);
    }
    let list = scopes.get(span.scope);
    if (!list) {
      list = [];
      scopes.set(span.scope, list);
    }
    list.push(span);
  }
  return [...byResource].map(([resource, scopes]) => ({
    resource,
    scopes: [...scopes].map(([scope, spans]) => ({ scope, spans })),
  }));
}

interface OtlpStyle {
  /** Tempo (protobuf JSON): base64 IDs, enum names, zero values omitted */
  tempo: boolean;
}

function otlpResourceSpans(trace: Trace, style: OtlpStyle): Obj[] {
  const { tempo } = style;
  const traceId = tempo ? traceIdToBase64(trace.traceId) : trace.traceId;
  const spanId = tempo ? spanIdToBase64 : (s: string) => s;
  const t = (ns: number) => epochNanosString(trace.epochMs, ns);
  const attrs = (a: Attribute[], o: Obj, key = 'attributes') => {
    if (!tempo || a.length > 0) {
      o[key] = toOtlpAttributes(a);
    }
  };
  const num = (o: Obj, key: string, v: number) => {
    if (!tempo || v !== 0) {
      o[key] = v;
    }
  };
  const text = (o: Obj, key: string, v: string) => {
    if (!tempo || v !== '') {
      o[key] = v;
    }
  };
  return groupSpans(trace).map(({ resource, scopes }) => {
    const res: Obj = {};
    attrs(resource.attributes, res);
    num(res, 'droppedAttributesCount', resource.droppedAttributesCount);
    return {
      resource: res,
      scopeSpans: scopes.map(({ scope, spans }) => {
        const sc: Obj = {};
        text(sc, 'name', scope.name);
        text(sc, 'version', scope.version);
        attrs(scope.attributes, sc);
        num(sc, 'droppedAttributesCount', scope.droppedAttributesCount);
        return {
          scope: sc,
          spans: spans.map((s) => {
            const i = s.index;
            const o: Obj = { traceId, spanId: spanId(s.spanId) };
            // the OTel SDKs leave traceState out when there is none, like Tempo
            if (s.traceState !== '') {
              o.traceState = s.traceState;
            }
            if (s.parentSpanId !== '') {
              o.parentSpanId = spanId(s.parentSpanId);
            } else if (!tempo) {
              o.parentSpanId = '';
            }
            num(o, 'flags', s.flags);
            text(o, 'name', s.name);
            if (tempo) {
              if (s.kind !== 0) {
                o.kind = KIND_ENUM[s.kind];
              }
            } else {
              o.kind = s.kind;
            }
            o.startTimeUnixNano = t(trace.start[i]);
            o.endTimeUnixNano = t(trace.end[i]);
            attrs(s.attributes, o);
            num(o, 'droppedAttributesCount', s.droppedAttributesCount);
            if (!tempo || s.events.length > 0) {
              o.events = s.events.map((e) => {
                const eo: Obj = { timeUnixNano: t(e.timeNs) };
                text(eo, 'name', e.name);
                attrs(e.attributes, eo);
                num(eo, 'droppedAttributesCount', e.droppedAttributesCount);
                return eo;
              });
            }
            num(o, 'droppedEventsCount', s.droppedEventsCount);
            if (!tempo || s.links.length > 0) {
              o.links = s.links.map((l) => {
                const lo: Obj = { traceId: tempo ? traceIdToBase64(l.traceId) : l.traceId, spanId: spanId(l.spanId) };
                text(lo, 'traceState', l.traceState);
                attrs(l.attributes, lo);
                num(lo, 'droppedAttributesCount', l.droppedAttributesCount);
                num(lo, 'flags', l.flags);
                return lo;
              });
            }
            num(o, 'droppedLinksCount', s.droppedLinksCount);
            const status: Obj = {};
            if (s.statusMessage !== '') {
              status.message = s.statusMessage;
            }
            if (tempo) {
              if (s.statusCode !== 0) {
                status.code = STATUS_ENUM[s.statusCode];
              }
            } else {
              status.code = s.statusCode;
            }
            o.status = status;
            return o;
          }),
        };
      }),
    };
  });
}

/** As Tempo's `/api/v2/traces/<id>` answers. */
export function toTempoV2(trace: Trace): { trace: { resourceSpans: Obj[] } } {
  return { trace: { resourceSpans: otlpResourceSpans(trace, { tempo: true }) } };
}

/** As Tempo's `/api/traces/<id>` answers. */
export function toTempoV1(trace: Trace): { batches: Obj[] } {
  return { batches: otlpResourceSpans(trace, { tempo: true }) };
}

/** OTLP/JSON as the specification and the Collector's file exporter write it. */
export function toOtlp(trace: Trace): { resourceSpans: Obj[] } {
  return { resourceSpans: otlpResourceSpans(trace, { tempo: false }) };
}

function jaegerTags(attrs: Attribute[]): Obj[] {
  return attrs.map((a) => {
    switch (a.type) {
      case 'string':
        return { key: a.key, type: 'string', value: a.value };
      case 'bool':
        return { key: a.key, type: 'bool', value: a.value };
      case 'int':
        return { key: a.key, type: 'int64', value: typeof a.value === 'bigint' ? Number(a.value) : a.value };
      case 'double':
        return { key: a.key, type: 'float64', value: a.value };
      case 'bytes':
        return { key: a.key, type: 'binary', value: a.value };
      default:
        // Jaeger has no arrays or maps; the translator writes them as JSON text
        return { key: a.key, type: 'string', value: JSON.stringify(toPlainValue(a)) };
    }
  });
}

/** As Jaeger's `/api/traces/<id>` answers. */
export function toJaeger(trace: Trace): Obj {
  const processes: Obj = {};
  const processIds = new Map<Resource, string>();
  const spans = trace.spans.map((s) => {
    let pid = processIds.get(s.resource);
    if (!pid) {
      pid = `p${processIds.size + 1}`;
      processIds.set(s.resource, pid);
      processes[pid] = {
        serviceName: s.resource.serviceName,
        tags: jaegerTags(s.resource.attributes.filter((a) => a.key !== 'service.name')),
      };
    }
    const i = s.index;
    const followsFrom = (trace.spanFlags[i] & SpanFlag.FollowsFrom) !== 0;
    const references: Obj[] = [];
    if (s.parentSpanId !== '') {
      references.push({
        refType: followsFrom ? 'FOLLOWS_FROM' : 'CHILD_OF',
        traceID: trace.traceId,
        spanID: s.parentSpanId,
      });
    }
    for (const l of s.links) {
      const isParentLink =
        followsFrom &&
        l.spanId === s.parentSpanId &&
        l.attributes.some((a) => a.key === FOLLOWS_FROM_KEY && a.value === FOLLOWS_FROM_VALUE);
      if (!isParentLink) {
        references.push({ refType: 'FOLLOWS_FROM', traceID: l.traceId, spanID: l.spanId });
      }
    }
    const startUs = epochMicros(trace.epochMs, trace.start[i]);
    return {
      traceID: trace.traceId,
      spanID: s.spanId,
      flags: s.flags,
      operationName: s.name,
      references,
      startTime: startUs,
      duration: epochMicros(trace.epochMs, trace.end[i]) - startUs,
      tags: jaegerTags([...s.attributes, ...specialTagsOf(s)]),
      logs: s.events.map((e) => ({
        timestamp: epochMicros(trace.epochMs, e.timeNs),
        fields: jaegerTags(
          e.name !== '' ? [{ key: 'event', type: 'string', value: e.name }, ...e.attributes] : e.attributes
        ),
      })),
      processID: pid,
      warnings: null,
    };
  });
  return {
    data: [{ traceID: trace.traceId, spans, processes, warnings: null }],
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  };
}

function kv(attrs: Attribute[]): TraceKeyValuePair[] {
  return attrs.map((a) => ({
    key: a.key,
    value: toPlainValue(a),
    ...(a.type === 'double' ? { type: 'float64' } : {}),
  }));
}

/** Grafana `TraceSpanRow`s, as the Tempo data source builds them. */
export function toFrameRows(trace: Trace): TraceSpanRow[] {
  return trace.spans.map((s) => {
    const i = s.index;
    const logs: TraceLog[] = s.events.map((e) => ({
      timestamp: epochMillis(trace.epochMs, e.timeNs),
      fields: kv(e.attributes),
      name: e.name,
    }));
    const references: TraceSpanReference[] = s.links.map((l) => ({
      traceID: l.traceId,
      spanID: l.spanId,
      tags: kv(l.attributes),
    }));
    return {
      traceID: trace.traceId,
      spanID: s.spanId,
      parentSpanID: s.parentSpanId === '' ? undefined : s.parentSpanId,
      operationName: s.name,
      serviceName: s.resource.serviceName,
      serviceTags: kv(s.resource.attributes),
      startTime: epochMillis(trace.epochMs, trace.start[i]),
      duration: (trace.end[i] - trace.start[i]) / 1e6,
      logs,
      references,
      tags: kv(s.attributes),
      kind: s.kind === 0 ? '' : SPAN_KIND_NAMES[s.kind],
      statusCode: s.statusCode,
      statusMessage: s.statusMessage,
      instrumentationLibraryName: s.scope.name,
      instrumentationLibraryVersion: s.scope.version,
      traceState: s.traceState,
    };
  });
}

const FRAME_FIELDS: Array<[keyof TraceSpanRow, string]> = [
  ['traceID', 'string'],
  ['spanID', 'string'],
  ['parentSpanID', 'string'],
  ['operationName', 'string'],
  ['serviceName', 'string'],
  ['kind', 'string'],
  ['statusCode', 'number'],
  ['statusMessage', 'string'],
  ['instrumentationLibraryName', 'string'],
  ['instrumentationLibraryVersion', 'string'],
  ['traceState', 'string'],
  ['serviceTags', 'other'],
  ['startTime', 'number'],
  ['duration', 'number'],
  ['logs', 'other'],
  ['references', 'other'],
  ['tags', 'other'],
];

/** A plain data frame (`fields[].values`) with the TraceSpanRow columns, meta.preferredVisualisationType 'trace'. */
export function toDataFrame(trace: Trace): Obj {
  const rows = toFrameRows(trace);
  return {
    name: 'Trace',
    meta: { preferredVisualisationType: 'trace' },
    length: rows.length,
    fields: FRAME_FIELDS.map(([name, type]) => ({ name, type, config: {}, values: rows.map((r) => r[name]) })),
  };
}

const ZIPKIN_KIND = ['', '', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

const plainObject = (attrs: Attribute[]): Obj => {
  const o: Obj = {};
  for (const a of [...attrs].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))) {
    setOwn(o, a.key, toPlainValue(a));
  }
  return o;
};

/** A port as Zipkin endpoints carry it: an integer 1..65535 written as text by valueToString. */
function zipkinPort(text: string): number | undefined {
  const n = Number(text);
  return /^\d{1,5}$/.test(text) && n > 0 && n <= 65535 ? n : undefined;
}

/**
 * Zipkin v2 JSON (a list of spans), by the rules of the OpenTelemetry Collector's Zipkin exporter:
 * resource and scope (`otel.library.*`) attributes in every span's tags, values as text,
 * `span.kind=internal`, the status as `error`/`otel.status_code`/`otel.status_description`,
 * events as annotations (`name|{attributes}|dropped` when they have attributes), links as
 * `otlp.link.N` tags, `peer.service` and `net.{host,peer}.{ip,port}` as endpoints; microseconds.
 */
export function toZipkin(trace: Trace): Obj[] {
  return trace.spans.map((s) => {
    const i = s.index;
    // no prototype: an attribute named "__proto__" or "constructor" is a tag like any other
    const tags: Record<string, string> = Object.create(null);
    for (const a of s.resource.attributes) {
      if (a.key !== 'service.name') {
        tags[a.key] = valueToString(a);
      }
    }
    if (s.scope.name !== '') {
      tags['otel.library.name'] = s.scope.name;
    }
    if (s.scope.version !== '') {
      tags['otel.library.version'] = s.scope.version;
    }
    for (const a of s.attributes) {
      tags[a.key] = valueToString(a);
    }
    if (s.traceState !== '') {
      tags['w3c.tracestate'] = s.traceState;
    }
    if (s.kind === 1) {
      tags['span.kind'] = 'internal';
    }
    const endpoint = (side: 'host' | 'peer', serviceName: string): Obj | undefined => {
      const ep: Obj = {};
      if (serviceName !== '') {
        ep.serviceName = serviceName;
      }
      const ip = tags[`net.${side}.ip`];
      if (ip !== undefined) {
        ep[ip.includes(':') ? 'ipv6' : 'ipv4'] = ip;
        delete tags[`net.${side}.ip`];
      }
      const port = tags[`net.${side}.port`];
      if (port !== undefined) {
        // only a real port moves to the endpoint (its reader wants an integer); anything else stays a tag
        const p = zipkinPort(port);
        if (p !== undefined) {
          ep.port = p;
          delete tags[`net.${side}.port`];
        } else if (port === '0') {
          delete tags[`net.${side}.port`];
        }
      }
      return Object.keys(ep).length > 0 ? ep : undefined;
    };
    const peer = tags['peer.service'] ?? '';
    delete tags['peer.service'];
    const localEndpoint = endpoint('host', s.resource.serviceName);
    const remoteEndpoint = endpoint('peer', peer);
    if (s.statusCode === 2) {
      tags.error = 'true';
    } else {
      delete tags.error;
    }
    if (s.statusCode !== 0) {
      tags['otel.status_code'] = s.statusCode === 2 ? 'ERROR' : 'OK';
      if (s.statusMessage !== '') {
        tags['otel.status_description'] = s.statusMessage;
      }
    }
    s.links.forEach((l, k) => {
      tags[`otlp.link.${k}`] =
        `${l.traceId}|${l.spanId}|${l.traceState}|${JSON.stringify(plainObject(l.attributes))}|${l.droppedAttributesCount}`;
    });
    // Zipkin reads a timestamp of 0 as "no start time": a span in the epoch's first microsecond says 1
    const startUs = Math.max(1, epochMicros(trace.epochMs, trace.start[i] + 500));
    const z: Obj = {
      timestamp: startUs,
      duration: Math.max(0, Math.floor((trace.end[i] - trace.start[i]) / 1000)),
      traceId: trace.traceId,
      id: s.spanId,
    };
    if (s.parentSpanId !== '') {
      z.parentId = s.parentSpanId;
    }
    z.name = s.name;
    if (ZIPKIN_KIND[s.kind] !== '') {
      z.kind = ZIPKIN_KIND[s.kind];
    }
    if (localEndpoint) {
      z.localEndpoint = localEndpoint;
    }
    if (remoteEndpoint) {
      z.remoteEndpoint = remoteEndpoint;
    }
    if (s.events.length > 0) {
      z.annotations = s.events.map((e) => ({
        timestamp: epochMicros(trace.epochMs, e.timeNs),
        value:
          e.attributes.length === 0 && e.droppedAttributesCount === 0
            ? e.name
            : `${e.name}|${JSON.stringify(plainObject(e.attributes))}|${e.droppedAttributesCount}`,
      }));
    }
    z.tags = Object.fromEntries(
      Object.keys(tags)
        .sort()
        .map((k) => [k, tags[k]])
    );
    return z;
  });
}
