/**
 * Test support (imported by tests only): fixture loading, a canonical view of a model for
 * comparisons, and fast-check generators of random traces as OTLP/JSON.
 */
import fc from 'fast-check';
import { readFileSync } from 'fs';
import { join } from 'path';

import { TraceInputError } from '../trace/errors';
import { epochNanosString } from '../trace/time';
import { toDataFrame } from '../trace/write';
import { AnyValue, Attribute, Trace } from '../trace/types';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/**
 * Everything the model says about a trace, in plain data with absolute times, independent of the
 * input's span order and of object identity: spans sorted by ID, plus the tree as ID lists.
 */
export function canonical(t: Trace) {
  const abs = (ns: number) => epochNanosString(t.epochMs, ns);
  const spans = t.spans.map((s) => ({
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    kind: s.kind,
    statusCode: s.statusCode,
    statusMessage: s.statusMessage,
    start: abs(t.start[s.index]),
    end: abs(t.end[s.index]),
    service: t.services[t.serviceIndex[s.index]],
    resource: { ...s.resource },
    scope: { ...s.scope },
    attributes: s.attributes,
    events: s.events.map((e) => ({ ...e, timeNs: abs(e.timeNs) })),
    links: s.links,
    traceState: s.traceState,
    flags: s.flags,
    dropped: [s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount],
    spanFlags: t.spanFlags[s.index],
    depth: t.depth[s.index],
    treeParent: t.parent[s.index] >= 0 ? t.spans[t.parent[s.index]].spanId : '',
  }));
  spans.sort((a, b) =>
    a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0
  );
  return {
    traceId: t.traceId,
    spans,
    order: Array.from(t.order, (i) => t.spans[i].spanId),
    roots: Array.from(t.roots, (i) => t.spans[i].spanId),
    root: t.root >= 0 ? t.spans[t.root].spanId : '',
    maxDepth: t.maxDepth,
    services: t.services,
    start: abs(t.startNs),
    end: abs(t.endNs),
    warnings: t.warnings.map((w) => `${w.code}:${w.count}`).sort(),
  };
}

// ---- random traces -------------------------------------------------------------------------

const hex = (len: number) =>
  fc
    .array(fc.constantFrom(...'0123456789abcdef'.split('')), { minLength: len, maxLength: len })
    .map((a) => a.join(''))
    .filter((s) => !/^0+$/.test(s));

const KEYS = [
  'http.method',
  'http.status_code',
  'url.path',
  'db.system',
  'peer.service',
  'retry',
  'ratio',
  'cache.hit',
  'user.id',
  'note',
];

/** Values every format carries: strings, safe ints, doubles with a fraction, booleans. */
const simpleValue: fc.Arbitrary<AnyValue> = fc.oneof(
  fc.string({ maxLength: 12 }).map((value) => ({ type: 'string' as const, value })),
  fc.integer({ min: -1e9, max: 1e9 }).map((value) => ({ type: 'int' as const, value })),
  fc.integer({ min: -1e6, max: 1e6 }).map((k) => ({ type: 'double' as const, value: k + 0.5 })),
  fc.boolean().map((value) => ({ type: 'bool' as const, value }))
);

/** OTLP-only richness: arrays, maps, bytes, 64-bit ints, any double. */
const richValue: fc.Arbitrary<AnyValue> = fc.oneof(
  simpleValue,
  fc.bigInt({ min: BigInt('-9223372036854775808'), max: BigInt('9223372036854775807') }).map((v) => ({
    type: 'int' as const,
    value: Number.isSafeInteger(Number(v)) ? Number(v) : v,
  })),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((value) => ({ type: 'double' as const, value: Object.is(value, -0) ? 0 : value })),
  fc.uint8Array({ maxLength: 6 }).map((b) => ({ type: 'bytes' as const, value: Buffer.from(b).toString('base64') })),
  fc.array(simpleValue, { maxLength: 3 }).map((value) => ({ type: 'array' as const, value })),
  fc
    .uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'c'), simpleValue), { selector: (t) => t[0], maxLength: 3 })
    .map((kvs) => ({ type: 'kvlist' as const, value: kvs.map(([key, v]) => ({ key, ...v }) as Attribute) })),
  fc.constant({ type: 'empty' as const, value: null })
);

function attrs(value: fc.Arbitrary<AnyValue>, keys: string[] = KEYS) {
  return fc
    .uniqueArray(fc.tuple(fc.constantFrom(...keys), value), { selector: (t) => t[0], maxLength: 4 })
    .map((kvs) => kvs.map(([key, v]) => ({ key, ...v }) as Attribute));
}

export interface TraceSpec {
  traceId: string;
  baseMs: number;
  services: Array<{ name: string; attributes: Attribute[] }>;
  spans: Array<{
    spanId: string;
    /** index into spans, -1 root, -2 an ID not in the trace */
    parent: number;
    missingParent: string;
    followsFrom: boolean;
    service: number;
    scope: number;
    name: string;
    kind: number;
    status: number;
    statusMessage: string;
    startNs: number;
    durNs: number;
    attributes: Attribute[];
    events: Array<{ offNs: number; name: string; attributes: Attribute[] }>;
    links: Array<{ traceId: string; spanId: string; attributes: Attribute[]; traceState: string; flags: number }>;
    traceState: string;
    flags: number;
    dropped: number;
  }>;
}

/**
 * A random trace. `rich` adds what only the OTLP family carries (nanosecond times, structured and
 * 64-bit values, flags, dropped counts, link attributes and trace state); without it, times are
 * whole microseconds and values simple, which every format represents exactly.
 */
export function traceSpec(rich: boolean): fc.Arbitrary<TraceSpec> {
  const value = rich ? richValue : simpleValue;
  const time = rich ? fc.integer({ min: 0, max: 5e9 }) : fc.integer({ min: 0, max: 5e6 }).map((us) => us * 1000);
  const dur = rich ? fc.integer({ min: 0, max: 2e9 }) : fc.integer({ min: 0, max: 2e6 }).map((us) => us * 1000);
  const span = fc.record({
    parentPick: fc.oneof(
      { weight: 1, arbitrary: fc.constant(-1) },
      { weight: 1, arbitrary: fc.constant(-2) },
      { weight: 8, arbitrary: fc.nat() }
    ),
    missingParent: hex(16),
    followsFrom: fc.boolean(),
    service: fc.nat({ max: 2 }),
    scope: fc.nat({ max: 1 }),
    name: fc.string({ maxLength: 10 }),
    kind: fc.integer({ min: 0, max: 5 }),
    status: fc.integer({ min: 0, max: 2 }),
    statusMessage: fc.oneof(fc.constant(''), fc.string({ maxLength: 8 })),
    startNs: time,
    durNs: dur,
    attributes: attrs(value),
    events: fc.array(
      fc.record({
        offNs: time,
        name: fc.string({ maxLength: 6 }),
        attributes: attrs(value, ['a', 'b', 'exception.message']),
      }),
      { maxLength: 2 }
    ),
    links: fc.array(
      fc.record({
        traceId: hex(32),
        spanId: hex(16),
        attributes: rich ? attrs(value) : fc.constant<Attribute[]>([]),
        traceState: rich ? fc.constantFrom('', 'k=v') : fc.constant(''),
        flags: rich ? fc.nat({ max: 0x301 }) : fc.constant(0),
      }),
      { maxLength: 1 }
    ),
    traceState: fc.constantFrom('', 'rojo=00f067aa0ba902b7'),
    flags: rich ? fc.nat({ max: 0x301 }) : fc.constant(0),
    dropped: rich ? fc.nat({ max: 3 }) : fc.constant(0),
  });
  return fc
    .record({
      traceId: hex(32),
      baseMs: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
      serviceAttrs: fc.array(attrs(value, ['host.name', 'service.version', 'k8s.pod.name']), {
        minLength: 3,
        maxLength: 3,
      }),
      ids: fc.uniqueArray(hex(16), { minLength: 1, maxLength: 25 }),
      raw: fc.array(span, { minLength: 25, maxLength: 25 }),
    })
    .map(({ traceId, baseMs, serviceAttrs, ids, raw }) => ({
      traceId,
      baseMs,
      services: serviceAttrs.map((a, i) => ({
        name: `svc-${i}`,
        attributes: [{ key: 'service.name', type: 'string', value: `svc-${i}` } as Attribute, ...a],
      })),
      spans: ids.map((spanId, i) => {
        const r = raw[i];
        // mostly earlier spans as parents (a tree), sometimes any span (cycles), a root, or a missing ID
        const parent =
          r.parentPick < 0
            ? r.parentPick
            : r.parentPick % 10 === 0
              ? r.parentPick % ids.length
              : i === 0
                ? -1
                : r.parentPick % i;
        return { ...r, spanId, parent: parent === i && r.parentPick % 10 !== 0 ? -1 : parent };
      }),
    }));
}

const TYPE_KEYS: Record<string, string> = {
  string: 'stringValue',
  int: 'intValue',
  double: 'doubleValue',
  bool: 'boolValue',
  bytes: 'bytesValue',
};

function otlpValue(v: AnyValue): Record<string, unknown> {
  switch (v.type) {
    case 'array':
      return { arrayValue: { values: v.value.map(otlpValue) } };
    case 'kvlist':
      return { kvlistValue: { values: v.value.map((a) => ({ key: a.key, value: otlpValue(a) })) } };
    case 'empty':
      return {};
    case 'int':
      return { intValue: String(v.value) };
    default:
      return { [TYPE_KEYS[v.type]]: v.value };
  }
}

const otlpAttrs = (a: Attribute[]) => a.map((x) => ({ key: x.key, value: otlpValue(x) }));
const nanos = (baseMs: number, ns: number) => (BigInt(baseMs) * BigInt(1_000_000) + BigInt(ns)).toString();

/**
 * The spec as an OTLP/JSON export (hex IDs, integer enums), written here independently of the
 * model's writers. `shuffle` puts each span in its own resourceSpans entry in the given order.
 */
export function specToOtlp(spec: TraceSpec, order?: number[]): Record<string, unknown> {
  const span = (i: number) => {
    const s = spec.spans[i];
    const parentId = s.parent === -1 ? '' : s.parent === -2 ? s.missingParent : spec.spans[s.parent].spanId;
    const links = s.links.map((l) => ({ ...l, attributes: otlpAttrs(l.attributes) }));
    if (s.followsFrom && parentId !== '') {
      // first: Jaeger writes the FOLLOWS_FROM parent as its first reference
      links.unshift({
        traceId: spec.traceId,
        spanId: parentId,
        attributes: otlpAttrs([{ key: 'opentracing.ref_type', type: 'string', value: 'follows_from' }]),
        traceState: '',
        flags: 0,
      });
    }
    return {
      traceId: spec.traceId,
      spanId: s.spanId,
      parentSpanId: parentId,
      traceState: s.traceState,
      flags: s.flags,
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: nanos(spec.baseMs, s.startNs),
      endTimeUnixNano: nanos(spec.baseMs, s.startNs + s.durNs),
      attributes: otlpAttrs(s.attributes),
      droppedAttributesCount: s.dropped,
      events: s.events.map((e) => ({
        timeUnixNano: nanos(spec.baseMs, e.offNs),
        name: e.name,
        attributes: otlpAttrs(e.attributes),
      })),
      links,
      status: { code: s.status, message: s.statusMessage },
    };
  };
  const scopes = [
    { name: 'lib-a', version: '1.0.0' },
    { name: 'lib-b', version: '' },
  ];
  const resource = (sv: number) => ({ attributes: otlpAttrs(spec.services[sv].attributes) });
  if (order) {
    return {
      resourceSpans: order.map((i) => ({
        resource: resource(spec.spans[i].service),
        scopeSpans: [{ scope: scopes[spec.spans[i].scope], spans: [span(i)] }],
      })),
    };
  }
  return {
    resourceSpans: spec.services.map((_, sv) => ({
      resource: resource(sv),
      scopeSpans: scopes.map((scope, sc) => ({
        scope,
        spans: spec.spans
          .map((s, i) => (s.service === sv && s.scope === sc ? i : -1))
          .filter((i) => i >= 0)
          .map(span),
      })),
    })),
  };
}

// ---- hand-written traces -------------------------------------------------------------------

/** A span for hand-written test traces: times in ms from a fixed base, IDs short names. */
export interface SpanSketch {
  id: string;
  parent?: string;
  start: number;
  end: number;
  /** OTLP integer kind; INTERNAL when absent */
  kind?: number;
  service?: string;
  name?: string;
  error?: boolean;
  /** string attributes of the span */
  attrs?: Record<string, string>;
  /** a follows_from link to the parent, as OpenTracing shims write it */
  followsFrom?: boolean;
}

export const SKETCH_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** A short name as a 16-digit hex span ID (its bytes, zero-padded). */
export const sketchId = (name: string) => Buffer.from(name).toString('hex').padStart(16, '0').slice(-16);

/** OTLP/JSON for hand-written spans, one resource per service. */
export function sketchToOtlp(spans: SpanSketch[]): Record<string, unknown> {
  const base = BigInt('1700000000000000000');
  const services = [...new Set(spans.map((s) => s.service ?? 'svc'))];
  return {
    resourceSpans: services.map((svc) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: svc } }] },
      scopeSpans: [
        {
          scope: { name: 'test' },
          spans: spans
            .filter((s) => (s.service ?? 'svc') === svc)
            .map((s) => ({
              traceId: SKETCH_TRACE_ID,
              spanId: sketchId(s.id),
              parentSpanId: s.parent ? sketchId(s.parent) : '',
              name: s.name ?? s.id,
              kind: s.kind ?? 1,
              startTimeUnixNano: String(base + BigInt(Math.round(s.start * 1e6))),
              endTimeUnixNano: String(base + BigInt(Math.round(s.end * 1e6))),
              attributes: Object.entries(s.attrs ?? {}).map(([key, v]) => ({ key, value: { stringValue: v } })),
              links:
                s.followsFrom && s.parent
                  ? [
                      {
                        traceId: SKETCH_TRACE_ID,
                        spanId: sketchId(s.parent),
                        attributes: [{ key: 'opentracing.ref_type', value: { stringValue: 'follows_from' } }],
                      },
                    ]
                  : [],
              status: { code: s.error ? 2 : 0 },
            })),
        },
      ],
    })),
  };
}

/**
 * A healthy trace as a real SDK records it on hosts with agreeing clocks: every child starts
 * within its parent, except that start times may be rounded down to the millisecond (as the OTel
 * JS SDK's often are); INTERNAL, PRODUCER and CONSUMER children may outlive their parents (async
 * work); a SERVER child of a CLIENT call ends at most 0.9 ms after it (the response is flushed
 * after the client has it). Times in ms, for `sketchToOtlp`.
 */
export function healthySketch(): fc.Arbitrary<SpanSketch[]> {
  const step = fc.record({
    parentPick: fc.nat(),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    len: fc.double({ min: 0, max: 1, noNaN: true }),
    overhang: fc.double({ min: 0, max: 50, noNaN: true }),
    flush: fc.double({ min: 0, max: 0.9, noNaN: true }),
    roundStart: fc.boolean(),
    call: fc.boolean(),
    service: fc.nat({ max: 3 }),
    kind: fc.constantFrom(1, 4, 5),
  });
  return fc.array(step, { minLength: 1, maxLength: 40 }).map((steps) => {
    const spans: SpanSketch[] = [{ id: 's0', start: 0, end: 1000, kind: 2, service: 'svc-0' }];
    for (const st of steps) {
      const p = spans[st.parentPick % spans.length];
      const exact = p.start + st.at * (p.end - p.start);
      // rounding down to the ms may move a child before its parent by less than 1 ms
      const start = st.roundStart ? Math.max(Math.floor(exact), p.start - 0.999) : exact;
      const inside = exact + st.len * (p.end - exact);
      const i = spans.length;
      if (st.call) {
        // a CLIENT call in p's service and the SERVER span of another service that answers it
        spans.push({ id: `s${i}`, parent: p.id, start, end: inside, kind: 3, service: p.service });
        spans.push({
          id: `s${i + 1}`,
          parent: `s${i}`,
          start: start + (inside - start) * st.at,
          end: inside + st.flush,
          kind: 2,
          service: `svc-${(st.service % 3) + 1}`,
        });
      } else {
        spans.push({ id: `s${i}`, parent: p.id, start, end: inside + st.overhang, kind: st.kind, service: p.service });
      }
    }
    return spans;
  });
}

/** DataFrameJSON as Grafana's /api/ds/query answers it, with the structured columns as JSON text. */
export function toDataFrameJson(t: Trace): unknown {
  const frame = toDataFrame(t) as { fields: Array<{ name: string; type: string; values: unknown[] }> };
  return {
    results: {
      A: {
        frames: [
          {
            schema: { name: 'Trace', fields: frame.fields.map((f) => ({ name: f.name, type: f.type })) },
            data: {
              values: frame.fields.map((f) => (f.type === 'other' ? f.values.map((v) => JSON.stringify(v)) : f.values)),
            },
          },
        ],
      },
    },
  };
}

/** The TraceInputError that `f` throws; anything else thrown, or nothing, fails the test. */
export function inputError(f: () => unknown): TraceInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof TraceInputError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a TraceInputError');
}
