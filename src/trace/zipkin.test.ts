/** @jest-environment node */
import { fixtureJson, fixtureText } from '../testing/traces';
import { TraceInputError } from './errors';
import { detectFormat, parseTrace, parseTraces } from './parse';
import { summarize } from './stats';
import { epochMicros } from './time';
import { SpanKind, StatusCode, Trace } from './types';
import { valueToString } from './values';
import { toZipkin } from './write';

/**
 * Zipkin v2 JSON. fixtures/zipkin/ holds the recorded Tempo traces converted by the rules of the
 * OpenTelemetry Collector's Zipkin exporter (fixtures/derive.mjs); reading them must give the
 * recorded traces back, up to what Zipkin cannot carry (typed values, sub-microsecond times).
 */

function fail(input: unknown): TraceInputError {
  try {
    parseTrace(input);
  } catch (e) {
    if (e instanceof TraceInputError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a TraceInputError');
}

/** What a Zipkin trace keeps of a span, keyed by span ID. */
function view(t: Trace) {
  return Object.fromEntries(
    t.spans.map((s) => {
      const i = s.index;
      return [
        s.spanId,
        {
          parent: s.parentSpanId,
          treeParent: t.parent[i] >= 0 ? t.spans[t.parent[i]].spanId : '',
          depth: t.depth[i],
          name: s.name,
          kind: s.kind,
          status: [s.statusCode, s.statusMessage],
          service: t.services[t.serviceIndex[i]],
          resource: Object.fromEntries(s.resource.attributes.map((a) => [a.key, valueToString(a)])),
          scope: [s.scope.name, s.scope.version],
          attributes: Object.fromEntries(s.attributes.map((a) => [a.key, valueToString(a)])),
          startUs: epochMicros(t.epochMs, t.start[i] + 500),
          events: s.events.map((e) => ({
            name: e.name,
            us: epochMicros(t.epochMs, e.timeNs),
            attributes: Object.fromEntries(e.attributes.map((a) => [a.key, valueToString(a)])),
          })),
        },
      ];
    })
  );
}

describe.each([
  ['trace-v2', 'zipkin/trace-v2.zipkin.json', 'tempo-2.7.2/trace-v2.json'],
  ['trace-v2-error', 'zipkin/trace-v2-error.zipkin.json', 'tempo-2.7.2/trace-v2-error.json'],
])('Zipkin golden: %s as the Collector exports it', (_name, zipkinFile, tempoFile) => {
  const z = parseTrace(fixtureText(zipkinFile));
  const t = parseTrace(fixtureText(tempoFile));

  it('is detected as Zipkin from its shape', () => {
    expect(detectFormat(fixtureJson(zipkinFile))).toBe('zipkin');
    expect(z.format).toBe('zipkin');
  });

  it('reads back every span, the tree, kinds, status, services, resources, scopes, attributes and events', () => {
    expect(z.traceId).toBe(t.traceId);
    expect(view(z)).toEqual(view(t));
    expect(Array.from(z.order, (i) => z.spans[i].spanId)).toEqual(Array.from(t.order, (i) => t.spans[i].spanId));
    expect(z.warnings).toEqual(t.warnings);
  });

  it('keeps durations to the microsecond', () => {
    for (const s of z.spans) {
      const u = t.spans.find((x) => x.spanId === s.spanId)!;
      const dz = z.end[s.index] - z.start[s.index];
      const dt = t.end[u.index] - t.start[u.index];
      expect(Math.abs(dz - dt)).toBeLessThan(1000);
    }
  });

  it('toZipkin writes what the Collector would, and reads back the same', () => {
    // fixtures/derive.mjs converts the raw recording independently of the model
    expect(JSON.parse(JSON.stringify(toZipkin(t)))).toEqual(fixtureJson(zipkinFile));
    expect(view(parseTrace(JSON.stringify(toZipkin(z))))).toEqual(view(z));
  });

  it('summarizes as the recording does', () => {
    const sz = summarize(z);
    const st = summarize(t);
    expect([sz.spanCount, sz.services, sz.errorCount, sz.maxDepth, sz.rootSpanId]).toEqual([
      st.spanCount,
      st.services,
      st.errorCount,
      st.maxDepth,
      st.rootSpanId,
    ]);
    expect(Math.abs(sz.durationMs - st.durationMs)).toBeLessThan(0.002);
  });
});

const TRACE = '463ac35c9f6413ad48485a3953bb6124';
const span = (over: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  id: 'a2fb4a1d1a96d312',
  name: 'get /api',
  timestamp: 1_700_000_000_000_000,
  duration: 2500,
  localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.7', port: 8080 },
  ...over,
});

describe('Zipkin v2 JSON', () => {
  it('reads the fields of native Zipkin tracers (Brave, zipkin-go)', () => {
    const t = parseTrace([
      span({ kind: 'SERVER', tags: { 'http.path': '/api', 'http.status_code': '200' } }),
      span({
        id: '0000000000000002',
        parentId: 'a2fb4a1d1a96d312',
        name: 'select',
        kind: 'CLIENT',
        timestamp: 1_700_000_000_000_500,
        duration: 1000,
        remoteEndpoint: { serviceName: 'postgres', ipv6: '::1', port: 5432 },
        annotations: [{ timestamp: 1_700_000_000_000_700, value: 'wire send' }],
        tags: { error: 'connection reset' },
        debug: true,
      }),
    ]);
    expect(t.format).toBe('zipkin');
    const root = t.spans[t.root];
    expect(root.kind).toBe(SpanKind.Server);
    expect(root.attributes.map((a) => [a.key, a.value])).toEqual([
      ['http.path', '/api'],
      ['http.status_code', '200'],
      ['net.host.ip', '10.0.0.7'],
      ['net.host.port', 8080],
    ]);
    const db = t.spans.find((s) => s.name === 'select')!;
    expect(t.parent[db.index]).toBe(t.root);
    expect(db.statusCode).toBe(StatusCode.Error);
    expect(db.statusMessage).toBe('connection reset');
    expect(db.attributes.map((a) => [a.key, a.value])).toEqual([
      ['net.host.ip', '10.0.0.7'],
      ['net.host.port', 8080],
      ['peer.service', 'postgres'],
      ['net.peer.ip', '::1'],
      ['net.peer.port', 5432],
    ]);
    expect(db.events).toEqual([
      { timeNs: t.start[db.index] + 200_000, name: 'wire send', attributes: [], droppedAttributesCount: 0 },
    ]);
    expect(t.end[db.index] - t.start[db.index]).toBe(1_000_000);
    expect(db.kind).toBe(SpanKind.Client);
    // no span.kind tag: Zipkin cannot tell INTERNAL from unspecified
    expect(t.spans.every((s) => s.kind !== SpanKind.Internal)).toBe(true);
  });

  it('reads 64-bit trace IDs, /api/v2/traces (a list of traces) and several traces by ID', () => {
    const short = parseTrace([span({ traceId: '48485a3953bb6124' })]);
    expect(short.traceId).toBe('000000000000000048485a3953bb6124');
    const other = 'ffffffffffffffff0000000000000001';
    const doc = [[span()], [span({ traceId: other, id: '0000000000000009' })]];
    expect(detectFormat(doc)).toBe('zipkin');
    expect(parseTraces(doc).map((t) => t.traceId)).toEqual([TRACE, other]);
    expect(fail(doc)).toMatchObject({ code: 'multiple-traces' });
    expect(parseTrace(doc, { traceId: other }).spans[0].spanId).toBe('0000000000000009');
  });

  it('reads the OTLP tags of the Collector: status, INTERNAL, scope, trace state, links, event attributes', () => {
    const t = parseTrace([
      span({
        tags: {
          'otel.status_code': 'ERROR',
          'otel.status_description': 'boom',
          error: 'true',
          'span.kind': 'internal',
          'otel.scope.name': 'io.opentelemetry.http',
          'otel.scope.version': '2.1',
          'w3c.tracestate': 'rojo=00f067aa0ba902b7',
          'otlp.link.0': `${TRACE}|00f067aa0ba902b7|k=v|{"a":1,"b":"x|y"}|2`,
          'service.version': '1.2.3',
          'host.name': 'node-1',
          'http.method': 'GET',
        },
        annotations: [{ timestamp: 1_700_000_000_000_100, value: 'exception|{"exception.type":"Error","n":3}|1' }],
      }),
    ]);
    const s = t.spans[0];
    expect([s.statusCode, s.statusMessage, s.kind]).toEqual([StatusCode.Error, 'boom', SpanKind.Internal]);
    expect([s.scope.name, s.scope.version, s.traceState]).toEqual([
      'io.opentelemetry.http',
      '2.1',
      'rojo=00f067aa0ba902b7',
    ]);
    expect(s.links).toEqual([
      {
        traceId: TRACE,
        spanId: '00f067aa0ba902b7',
        traceState: 'k=v',
        attributes: [
          { key: 'a', type: 'int', value: 1 },
          { key: 'b', type: 'string', value: 'x|y' },
        ],
        droppedAttributesCount: 2,
        flags: 0,
      },
    ]);
    expect(s.resource.attributes.map((a) => a.key)).toEqual(['service.name', 'service.version', 'host.name']);
    expect(s.resource.serviceName).toBe('frontend');
    expect(s.attributes.map((a) => a.key)).toEqual(['http.method', 'net.host.ip', 'net.host.port']);
    expect(s.events[0]).toMatchObject({
      name: 'exception',
      attributes: [
        { key: 'exception.type', value: 'Error' },
        { key: 'n', value: 3 },
      ],
      droppedAttributesCount: 1,
    });
  });

  it('splits a shared server span from its client, as Jaeger does', () => {
    const t = parseTrace([
      span({ id: '0000000000000001', name: 'root', duration: 10_000 }),
      span({
        id: '0000000000000002',
        parentId: '0000000000000001',
        kind: 'CLIENT',
        name: 'call',
        timestamp: 1_700_000_000_001_000,
        duration: 5000,
      }),
      span({
        id: '0000000000000002',
        parentId: '0000000000000001',
        kind: 'SERVER',
        shared: true,
        name: 'serve',
        timestamp: 1_700_000_000_001_200,
        duration: 4000,
        localEndpoint: { serviceName: 'backend' },
      }),
      span({
        id: '0000000000000004',
        parentId: '0000000000000002',
        name: 'work',
        timestamp: 1_700_000_000_001_500,
        duration: 1000,
        localEndpoint: { serviceName: 'backend' },
      }),
    ]);
    const byName = (n: string) => t.spans.find((s) => s.name === n)!;
    expect(byName('serve').spanId).toBe('0000000000000003');
    expect(t.spans[t.parent[byName('serve').index]].name).toBe('call');
    expect(t.spans[t.parent[byName('work').index]].name).toBe('serve');
    expect(t.warnings).toEqual([]);
  });

  describe('malformed input: typed errors and bad-span warnings with paths', () => {
    it.each([
      ['an ID that is not hex', span({ id: 'xyz' }), '[1].id', /expected 16 hex characters, got "xyz"/],
      ['no timestamp', span({ timestamp: undefined }), '[1].timestamp', /without a start time/],
      ['a negative duration', span({ duration: -5 }), '[1].duration', /expected microseconds/],
      ['an unknown kind', span({ kind: 'SERVICE' }), '[1].kind', /expected CLIENT, SERVER, PRODUCER or CONSUMER/],
      ['tags not an object', span({ tags: ['a'] }), '[1].tags', /expected an object of string values/],
      ['a tag that is an object', span({ tags: { a: { b: 1 } } }), '[1].tags.a', /expected a string/],
      ['a bad annotation', span({ annotations: [{ value: 'x' }] }), '[1].annotations[0]', /epoch microseconds/],
      ['a bad endpoint', span({ localEndpoint: 'frontend' }), '[1].localEndpoint', /endpoint object/],
      ['a bad port', span({ remoteEndpoint: { port: '80' } }), '[1].remoteEndpoint.port', /integer/],
      ['a bad parent', span({ parentId: 42 }), '[1].parentId', /hex/],
      ['shared not a boolean', span({ shared: 'yes' }), '[1].shared', /true or false/],
      ['not an object', 'span', '[1]', /expected a Zipkin span object/],
    ])('%s', (_name, bad, path, problem) => {
      const t = parseTrace([span({ id: '00000000000000aa' }), bad]);
      expect(t.spans).toHaveLength(1);
      const w = t.warnings.find((x) => x.code === 'bad-span')!;
      expect(w.message).toBe('1 malformed span skipped');
      expect(w.examples[0].startsWith(`${path}: `)).toBe(true);
      expect(w.examples[0]).toMatch(problem);
    });

    it('no readable span: no-valid-spans with the first path', () => {
      const e = fail([span({ id: 'nope' }), span({ traceId: 'zz' })]);
      expect(e.code).toBe('no-valid-spans');
      expect(e.path).toBe('[0].id');
      expect(e.message).toMatch(/none of the 2 spans could be read/);
      expect(fail([span({ id: 'nope' })]).message).toMatch(/the only span could not be read/);
    });

    it('a list of traces with something else in it', () => {
      const e = fail([[span()], { spans: [] }]);
      expect([e.code, e.path]).toEqual(['bad-structure', '[1]']);
      const t = parseTrace([[span()], [span({ id: 'q' })]]);
      expect(t.warnings[0].examples[0]).toMatch(/^\[1\]\[0\]\.id: /);
    });
  });

  it('toZipkin writes endpoints, links and event attributes the reader takes back', () => {
    const t = parseTrace([
      span({
        kind: 'CLIENT',
        remoteEndpoint: { serviceName: 'postgres', ipv4: '10.0.0.9', port: 5432 },
        tags: { 'otel.status_code': 'OK', 'otlp.link.0': `${TRACE}|00f067aa0ba902b7||{"a":1}|0` },
        annotations: [{ timestamp: 1_700_000_000_000_100, value: 'retry|{"n":2}|0' }],
      }),
    ]);
    const [z] = toZipkin(t);
    expect(z).toMatchObject({
      localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.7', port: 8080 },
      remoteEndpoint: { serviceName: 'postgres', ipv4: '10.0.0.9', port: 5432 },
      annotations: [{ timestamp: 1_700_000_000_000_100, value: 'retry|{"n":2}|0' }],
      tags: { 'otel.status_code': 'OK', 'otlp.link.0': `${TRACE}|00f067aa0ba902b7||{"a":1}|0` },
    });
    expect(view(parseTrace(toZipkin(t)))).toEqual(view(t));
  });
});
