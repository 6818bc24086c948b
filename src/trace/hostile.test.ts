/** @jest-environment node */
/**
 * Hostile input (issue 7, "The model"): each case here was found by the audit or by `npm run fuzz`
 * and failed before its fix. The model must stay bounded in time and stack, keep every time
 * finite, register traces only through accepted spans, and read back everything it writes.
 */
import { describeValue } from './errors';
import { findSpans } from './find';
import { parseJsonText, parseTrace, parseTraces } from './parse';
import { epochNanosString, MAX_EPOCH_MS } from './time';
import { Trace } from './types';
import { inputError } from '../testing/traces';
import { DEEP_VALUE_MARKER, valueToString } from './values';
import { toDataFrame, toFrameRows, toJaeger, toOtlp, toTempoV1, toTempoV2, toZipkin } from './write';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const OTHER_TRACE = '1af7651916cd43dd8448eb211c80319c';
const T0 = '1700000000000000000';

function otlpSpan(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE,
    spanId: '00000000000000a1',
    name: 'GET /',
    kind: 2,
    startTimeUnixNano: T0,
    endTimeUnixNano: '1700000000005000000',
    ...over,
  };
}

const otlp = (...spans: Array<Record<string, unknown>>) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [{ spans }],
    },
  ],
});

function jaeger(...spans: Array<Record<string, unknown>>) {
  return {
    data: [
      {
        traceID: TRACE,
        processes: { p1: { serviceName: 'svc', tags: [] } },
        spans: spans.map((s, i) => ({
          traceID: TRACE,
          spanID: `00000000000000b${i}`,
          operationName: 'op',
          references: [],
          startTime: 1_700_000_000_000_000,
          duration: 1000,
          tags: [],
          logs: [],
          processID: 'p1',
          ...s,
        })),
      },
    ],
  };
}

function zipkin(...spans: Array<Record<string, unknown>>) {
  return spans.map((s, i) => ({
    traceId: TRACE,
    id: `00000000000000c${i}`,
    name: 'op',
    timestamp: 1_700_000_000_000_000,
    duration: 1000,
    localEndpoint: { serviceName: 'svc' },
    ...s,
  }));
}

/** A DataFrame of rows given as column -> values. */
function frame(rows: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  const full = rows.map((r, i) => ({
    traceID: TRACE,
    spanID: `00000000000000d${i}`,
    operationName: 'op',
    serviceName: 'svc',
    startTime: 1_700_000_000_000,
    duration: 1,
    ...r,
  }));
  const names = [...new Set(full.flatMap((r) => Object.keys(r)))];
  return { fields: names.map((name) => ({ name, values: full.map((r) => (r as any)[name]) })), ...extra };
}

const badSpans = (t: Trace) => t.warnings.find((w) => w.code === 'bad-span');

function expectFinite(t: Trace) {
  for (let i = 0; i < t.spans.length; i++) {
    expect(Number.isFinite(t.start[i]) && Number.isFinite(t.end[i])).toBe(true);
    for (const e of t.spans[i].events) {
      expect(Number.isFinite(e.timeNs)).toBe(true);
    }
  }
  expect(Number.isFinite(t.startNs) && Number.isFinite(t.endNs) && Number.isFinite(t.epochMs)).toBe(true);
}

describe("a frame's length is not trusted", () => {
  it.each([1e6, 1e308, Infinity, -1, 'x'])('"length": %p on a one-row frame reads one row, at once', (length) => {
    const t0 = Date.now();
    const t = parseTrace(frame([{}], { length }));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(t.spans).toHaveLength(1);
    expect(badSpans(t)).toBeUndefined();
  });
});

describe('enum names are looked up without a prototype', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'CONSTRUCTOR'])(
    'OTLP kind and status code %p make a bad span',
    (name) => {
      const t = parseTrace(
        otlp(
          otlpSpan(),
          otlpSpan({ spanId: '00000000000000a2', kind: name }),
          otlpSpan({ spanId: '00000000000000a3', status: { code: name } })
        )
      );
      expect(t.spans).toHaveLength(1);
      expect(badSpans(t)!.count).toBe(2);
      expect(badSpans(t)!.examples.join('\n')).toMatch(
        /\.kind: expected SPAN_KIND_\*.*\n.*status\.code: expected STATUS_CODE_\*/
      );
    }
  );

  it('Zipkin kind "constructor" is a bad span; otel.status_code "toString" is no status', () => {
    const t = parseTrace(zipkin({}, { kind: 'constructor' }, { tags: { 'otel.status_code': 'toString' } }));
    expect(t.spans).toHaveLength(2);
    expect(badSpans(t)!.examples[0]).toMatch(/^\[1\]\.kind: expected CLIENT, SERVER/);
    const s = t.spans.find((x) => x.spanId === '00000000000000c2')!;
    expect(s.statusCode).toBe(0);
    expect(s.attributes).toContainEqual({ key: 'otel.status_code', type: 'string', value: 'toString' });
  });

  it('a frame kind "constructor" or statusCode "valueOf" is a bad span', () => {
    const t = parseTrace(
      frame([{ kind: 'server' }, { kind: 'constructor' }, { kind: 'client', statusCode: 'valueOf' }])
    );
    expect(t.spans).toHaveLength(1);
    expect(badSpans(t)!.count).toBe(2);
  });

  it('an attribute named "__proto__" survives every writer', () => {
    const doc = otlp(otlpSpan({ attributes: [{ key: '__proto__', value: { stringValue: 'x' } }] }));
    const model = parseTrace(doc);
    for (const write of [toZipkin, toJaeger, toOtlp, toDataFrame] as Array<(t: Trace) => unknown>) {
      const back = parseTrace(JSON.stringify(write(model)));
      expect(back.spans[0].attributes).toContainEqual({ key: '__proto__', type: 'string', value: 'x' });
    }
  });
});

describe('only an accepted span registers its trace', () => {
  const bad = { traceId: OTHER_TRACE, spanId: 'nope' };
  it('OTLP: one good span and one bad span of another trace are one trace', () => {
    const t = parseTrace(otlp(otlpSpan(), otlpSpan(bad)));
    expect(t.traceId).toBe(TRACE);
    expect(badSpans(t)!.count).toBe(1);
    expect(parseTraces(otlp(otlpSpan(), otlpSpan(bad)))).toHaveLength(1);
  });

  it('Jaeger, Zipkin and frames likewise', () => {
    expect(parseTrace(jaeger({}, { traceID: OTHER_TRACE, spanID: 'zz' })).traceId).toBe(TRACE);
    expect(parseTrace(zipkin({}, { traceId: OTHER_TRACE, id: 'zz' })).traceId).toBe(TRACE);
    expect(parseTrace(frame([{}, { traceID: OTHER_TRACE, spanID: 'zz' }])).traceId).toBe(TRACE);
  });

  it('a bad span first, then a good span of its trace: the trace is still found', () => {
    const t = parseTrace(otlp(otlpSpan({ traceId: OTHER_TRACE, spanId: 'nope' }), otlpSpan({ traceId: OTHER_TRACE })));
    expect(t.traceId).toBe(OTHER_TRACE);
    expect(t.spans).toHaveLength(1);
  });
});

describe('non-finite and out-of-range times make a bad span; the rest stays intact and finite', () => {
  it.each<[string, unknown]>([
    ['Jaeger duration 1e308', jaeger({}, { duration: 1e308 })],
    ['Jaeger duration -1e308', jaeger({}, { duration: -1e308 })],
    ['Jaeger startTime 1e308', jaeger({}, { startTime: 1e308 })],
    ['Jaeger a duration that ends 10 ms before the epoch', jaeger({}, { startTime: 5, duration: -10_005 })],
    ['Zipkin duration 1e308', zipkin({}, { duration: 1e308 })],
    ['Zipkin timestamp 1e308', zipkin({}, { timestamp: 1e308 })],
    ['frame startTime 1e308', frame([{}, { startTime: 1e308 }])],
    ['frame duration 1e308', frame([{}, { duration: 1e308 }])],
    ['frame duration -1e308', frame([{}, { duration: -1e308 }])],
    ['OTLP numeric start 1e308', otlp(otlpSpan(), otlpSpan({ spanId: '00000000000000a2', startTimeUnixNano: 1e308 }))],
    ['OTLP numeric start 1e21', otlp(otlpSpan(), otlpSpan({ spanId: '00000000000000a2', startTimeUnixNano: 1e21 }))],
    [
      'OTLP end beyond 2^64 ns',
      otlp(otlpSpan(), otlpSpan({ spanId: '00000000000000a2', endTimeUnixNano: '99999999999999999999' })),
    ],
  ])('%s', (_name, doc) => {
    const t = parseTrace(doc);
    expect(t.spans).toHaveLength(1);
    expect(badSpans(t)!.count).toBe(1);
    expectFinite(t);
    expect(t.endNs - t.startNs).toBeLessThan(1e7);
  });

  it('a skipped span with an absurd time does not cost the good spans their nanoseconds', () => {
    const t = parseTrace(
      otlp(
        otlpSpan({ spanId: 'bad', startTimeUnixNano: '18446744073709000000' }),
        otlpSpan({ startTimeUnixNano: '1700000000000000001' })
      )
    );
    expect(epochNanosString(t.epochMs, t.start[0])).toBe('1700000000000000001');
  });
});

describe('deep nesting is cut at a depth, the span kept', () => {
  const deepKv = (n: number): unknown => {
    let v: unknown = { stringValue: 'bottom' };
    for (let i = 0; i < n; i++) {
      v = { kvlistValue: { values: [{ key: 'k', value: v }] } };
    }
    return v;
  };
  const deepArray = (n: number): unknown => JSON.parse(deepArrayText(n));
  /** JSON text of a list nested n deep (JSON.stringify itself would overflow) */
  const deepArrayText = (n: number) => '['.repeat(n) + '"bottom"' + ']'.repeat(n);

  it('an OTLP attribute nested 10,000 levels', () => {
    const t = parseTrace(otlp(otlpSpan({ attributes: [{ key: 'deep', value: deepKv(10_000) }] })));
    expect(t.spans).toHaveLength(1);
    expect(badSpans(t)).toBeUndefined();
    expect(valueToString(t.spans[0].attributes[0])).toContain(DEEP_VALUE_MARKER);
    expect(findSpans(t, 'bottom')).toHaveLength(0);
    expect(findSpans(t, 'nested')).toHaveLength(1);
    expect(parseTrace(JSON.stringify(toOtlp(t))).spans).toHaveLength(1);
  });

  it('a name that is a list 5,000 deep is a bad span, described briefly', () => {
    const t = parseTrace(otlp(otlpSpan(), otlpSpan({ spanId: '00000000000000a2', name: deepArray(5000) })));
    expect(t.spans).toHaveLength(1);
    expect(badSpans(t)!.examples[0]).toMatch(/\.name: expected a string, got \[\[\[\[/);
  });

  it('Jaeger tags, frame tags and Zipkin annotations 10,000 deep', () => {
    const j = parseTrace(jaeger({ tags: [{ key: 'deep', type: 'string', value: deepArray(10_000) }] }));
    expect(valueToString(j.spans[0].attributes[0])).toContain(DEEP_VALUE_MARKER);
    const f = parseTrace(frame([{ tags: `[{"key":"deep","value":${deepArrayText(10_000)}}]` }]));
    expect(valueToString(f.spans[0].attributes[0])).toContain(DEEP_VALUE_MARKER);
    const deepJson = `{"a":${deepArrayText(10_000)}}`;
    const z = parseTrace(zipkin({ annotations: [{ timestamp: 1_700_000_000_000_001, value: `e|${deepJson}|0` }] }));
    expect(valueToString(z.spans[0].events[0].attributes[0])).toContain(DEEP_VALUE_MARKER);
    for (const t of [j, f, z]) {
      expect(t.spans).toHaveLength(1);
      for (const write of [toTempoV2, toOtlp, toJaeger, toZipkin, toDataFrame] as Array<(t: Trace) => unknown>) {
        expect(parseTrace(JSON.stringify(write(t))).spans).toHaveLength(1);
      }
    }
  });

  it('valueToString and find are safe on a model value built 5,000 deep by hand', () => {
    const t = parseTrace(otlp(otlpSpan()));
    let v: any = { type: 'string', value: 'x' };
    for (let i = 0; i < 5000; i++) {
      v = { type: 'array', value: [v] };
    }
    t.spans[0].attributes.push({ key: 'deep', ...v });
    expect(valueToString(t.spans[0].attributes[0])).toContain(DEEP_VALUE_MARKER);
    expect(findSpans(t, 'deep')).toHaveLength(1);
    expect(() => toOtlp(t)).not.toThrow();
  });
});

describe('the model reads its own output', () => {
  const WRITERS: Array<[string, (t: Trace) => unknown]> = [
    ['Tempo v2', toTempoV2],
    ['Tempo v1', toTempoV1],
    ['OTLP', toOtlp],
    ['Jaeger', toJaeger],
    ['Zipkin', toZipkin],
    ['frame rows', toFrameRows],
    ['data frame', toDataFrame],
  ];
  const cases: Array<[string, unknown]> = [
    ['an int64 tag of 1e308 (Jaeger)', jaeger({ tags: [{ key: 'n', type: 'int64', value: 1e308 }] })],
    ['an int64 tag of 2^63 as text', jaeger({ tags: [{ key: 'n', type: 'int64', value: '9223372036854775807' }] })],
    ['a frame tag of 1e300', frame([{ tags: [{ key: 'n', value: 1e300 }] }])],
    ['a span at the epoch', otlp(otlpSpan({ startTimeUnixNano: '0', endTimeUnixNano: '400' }))],
    [
      'spans 584 years apart',
      otlp(
        otlpSpan({ startTimeUnixNano: '1000' }),
        otlpSpan({
          spanId: '00000000000000a2',
          startTimeUnixNano: '18446744073709000000',
          endTimeUnixNano: '18446744073709551615',
        })
      ),
    ],
    [
      'a port that is no port',
      otlp(otlpSpan({ attributes: [{ key: 'net.host.port', value: { stringValue: '1.5' } }] })),
    ],
    ['dropped counts of 1e308', otlp(otlpSpan({ droppedAttributesCount: 1e308, flags: 1e308 }))],
    // found by the fuzz: far from epochMs a time is not exact, and Jaeger's and frames' end fell before the epoch
    ['a span that ends at the epoch, long after it starts', otlp(otlpSpan({ endTimeUnixNano: '5' }))],
    // found by the fuzz (tempo-v2 #2643): the base millisecond lands before the epoch, written as "-1999936"
    [
      'a span near the epoch read after one in 2026',
      otlp(
        otlpSpan({ startTimeUnixNano: '1795376633214378226', endTimeUnixNano: '1795376633215378226' }),
        otlpSpan({ spanId: '00000000000000a2', startTimeUnixNano: 5e-324, endTimeUnixNano: '1795376633215378226' })
      ),
    ],
  ];
  it.each(cases)('%s', (_name, doc) => {
    const model = parseTrace(doc);
    const n = model.spans.length;
    expect(n).toBeGreaterThan(0);
    for (const [name, write] of WRITERS) {
      const text = JSON.stringify(write(model));
      // times and int64s as digits (a tag's text may well read "1e+308")
      expect(text).not.toMatch(/"(startTimeUnixNano|endTimeUnixNano|timeUnixNano|intValue)":"[^"]*[eE]/);
      expect(text).not.toMatch(/"(startTime|duration|timestamp)":-?\d+(\.\d+)?[eE]/);
      const back = parseTrace(text);
      expect([name, back.spans.length, badSpans(back)?.examples]).toEqual([name, n, undefined]);
      expectFinite(back);
    }
  });

  it('an int64 out of range in OTLP is a bad value, not an exponent written back', () => {
    const t = parseTrace(
      otlp(otlpSpan(), otlpSpan({ spanId: '00000000000000a2', attributes: [{ key: 'n', value: { intValue: 1e308 } }] }))
    );
    expect(t.spans).toHaveLength(1);
    expect(badSpans(t)!.examples[0]).toMatch(/attributes\[0\]\.value/);
  });

  it('epoch nanoseconds are digits for every time the readers accept', () => {
    expect(epochNanosString(MAX_EPOCH_MS, 999_999)).toBe('18446744073709999999');
    expect(epochNanosString(0, 2 ** 60 + 2 ** 10)).toBe((BigInt(2) ** BigInt(60) + BigInt(1024)).toString());
    expect(epochNanosString(1_700_000_000_000, -1_700_000_000_000 * 1e6 + 2 ** 62)).toMatch(/^\d+$/);
  });
});

describe('messages describe unknown input, never quote it', () => {
  const shadow =
    'root:$6$Qw8s9kQ2$abcdefghijklmnopqrstuvwxyz0123456789:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n';
  it.each<[string, string, RegExp]>([
    ['an /etc/shadow', shadow, /key-value text; 101 characters, 3 lines/],
    ['an HTML error page', '<!DOCTYPE html><html><body>Bad gateway</body></html>', /looks like HTML/],
    ['a letter', 'password=hunter2 is not json', /YAML, INI or other key-value text/],
    ['a word', 'secret words', /begins with a letter; 12 characters/],
    ['broken JSON', '{"token": "abc', /begins like JSON/],
  ])('%s', (_name, text, shape) => {
    const e = inputError(() => parseJsonText(text));
    expect(e.code).toBe('not-json');
    expect(e.message).toMatch(shape);
    for (const secret of ['root', 'Qw8s9', 'hunter2', 'secret', 'Bad gateway', 'abc', 'token']) {
      expect(e.message).not.toContain(secret);
    }
  });

  it('a JSON Lines line that is not JSON is described too', () => {
    const text = JSON.stringify(otlp(otlpSpan())) + '\n' + JSON.stringify(otlp(otlpSpan())) + '\nroot:$6$Qw8s9k\n';
    const e = inputError(() => parseTrace(text));
    expect(e.message).toMatch(/^line 3: not JSON \(.*\); the line looks like YAML/);
    expect(e.message).not.toMatch(/root|Qw8s9k/);
  });

  it('a JSON document that is not a trace: its shape, not its text', () => {
    expect(inputError(() => parseTrace(JSON.stringify('AKIAIOSFODNN7EXAMPLE secret'))).message).toMatch(
      /not a trace: a string of 27 characters/
    );
    expect(inputError(() => parseTrace('["AKIAIOSFODNN7EXAMPLE"]')).message).toMatch(
      /not a trace: a list of 1 item$|not a trace: a list of 1 item /
    );
  });

  it("a server's error text is quoted, but cut short", () => {
    const e = inputError(() =>
      parseTrace({ results: { A: { error: 'tempo: ' + 'x'.repeat(1_000_000), frames: [] } } })
    );
    expect(e.message.length).toBeLessThan(400);
    expect(e.message).toMatch(/the data source answered: tempo: x+\.\.\./);
  });

  it('a long bad value is described by its length; describeValue is bounded for any value', () => {
    expect(describeValue('x'.repeat(5000))).toBe('a string of 5,000 characters');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
    }
    expect(describeValue(deep)).toBe('[[[[...]]]]');
    expect(describeValue({ a: 'b'.repeat(100) }).length).toBeLessThanOrEqual(60);
  });
});
