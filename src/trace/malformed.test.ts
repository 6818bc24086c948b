/** @jest-environment node */
import fc from 'fast-check';

import { TraceInputError, TraceInputErrorCode } from './errors';
import { parseTrace, parseTraces, TraceReader } from './parse';
import { fixtureJson, fixtureText } from '../testing/traces';
import { Trace } from './types';

/** One test per kind of bad input: a typed error naming what and where, or a model with warnings. */

function inputError(input: unknown, options = {}): TraceInputError {
  try {
    parseTrace(input, options);
  } catch (e) {
    if (e instanceof TraceInputError) {
      return e;
    }
    throw new Error(`untyped exception: ${String(e)}`);
  }
  throw new Error('no error');
}

const v2 = () => fixtureJson('tempo-2.7.2/trace-v2.json') as any;
const spanAt = (doc: any, r: number, k: number) => doc.trace.resourceSpans[r].scopeSpans[0].spans[k];
const badSpans = (t: Trace) => t.warnings.find((w) => w.code === 'bad-span');

describe('input that is not a trace', () => {
  it.each<[string, unknown, TraceInputErrorCode, RegExp]>([
    ['not JSON', 'trace IDs can only contain hex', 'not-json', /not JSON.*it begins with a letter; 30 characters/],
    ['truncated JSON', '{"trace":{"resourceSpans":[', 'not-json', /not JSON/],
    ['empty text', '  \n', 'empty-input', /empty.*404/],
    ['an unrelated object', { status: 'success', data: {} }, 'unknown-format', /keys "status", "data"/],
    ['a number', 42, 'unknown-format', /not a trace: 42/],
    ['null', null, 'unknown-format', /not a trace/],
    ['a list of numbers', [1, 2], 'unknown-format', /not a trace/],
    ['Tempo v2 not found', { trace: {} }, 'not-found', /no spans/],
    [
      'Jaeger not found',
      { data: null, total: 0, errors: [{ code: 404, msg: 'trace not found' }] },
      'not-found',
      /trace not found/,
    ],
    ['resourceSpans not a list', { resourceSpans: { a: 1 } }, 'bad-structure', /^resourceSpans: expected a list/],
    ['a resourceSpans entry not an object', { batches: [7] }, 'bad-structure', /^batches\[0\]: expected an object/],
    [
      'spans not a list',
      { resourceSpans: [{ scopeSpans: [{ spans: 'x' }] }] },
      'bad-structure',
      /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans: expected a list/,
    ],
    [
      'a frame without trace columns',
      { fields: [{ name: 'spanID', values: [] }] },
      'bad-structure',
      /no "traceID" field/,
    ],
    [
      'a data source error',
      { results: { A: { error: 'tempo: 500', frames: [] } } },
      'bad-structure',
      /results\.A\.error: the data source answered: tempo: 500/,
    ],
    [
      'Jaeger spans not a list',
      { data: [{ traceID: 'ab', spans: 3, processes: {} }] },
      'unknown-format',
      /not a trace/,
    ],
  ])('%s', (_name, input, code, message) => {
    const e = inputError(input);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});

describe('bad spans are skipped with a warning that says where; good spans are kept', () => {
  it.each<[string, (s: any) => void, string, RegExp]>([
    ['span ID', (s) => (s.spanId = 'xyz'), 'spanId', /expected 16 hex characters or 8 base64 bytes, got "xyz"/],
    ['span ID missing', (s) => delete s.spanId, 'spanId', /expected 16 hex characters or 8 base64 bytes, got nothing/],
    ['trace ID', (s) => (s.traceId = 'not-a-trace-id!!'), 'traceId', /expected 32 hex characters or 16 base64 bytes/],
    [
      'parent span ID',
      (s) => (s.parentSpanId = 12),
      'parentSpanId',
      /expected 16 hex characters or 8 base64 bytes, got 12/,
    ],
    ['start time', (s) => (s.startTimeUnixNano = '17952472664x'), 'startTimeUnixNano', /epoch nanoseconds/],
    ['end time missing', (s) => delete s.endTimeUnixNano, 'endTimeUnixNano', /epoch nanoseconds.*got nothing/],
    ['kind', (s) => (s.kind = 'SPAN_KIND_SIDEWAYS'), 'kind', /SPAN_KIND_\*/],
    ['status code', (s) => (s.status = { code: 7 }), 'status.code', /STATUS_CODE_\*/],
    ['attribute value', (s) => (s.attributes[0].value = { stringValue: 5 }), 'attributes[0].value', /OTLP AnyValue/],
    [
      'attribute without key',
      (s) => (s.attributes[1] = { value: {} }),
      'attributes[1]',
      /expected \{key: string, value\}/,
    ],
    ['attributes not a list', (s) => (s.attributes = 'a=b'), 'attributes', /expected a list/],
    [
      'event time',
      (s) => (s.events = [{ timeUnixNano: 'soon', name: 'x' }]),
      'events[0].timeUnixNano',
      /epoch nanoseconds/,
    ],
    [
      'link ID',
      (s) => (s.links = [{ traceId: 'AAAAAAAAAAAAAAAAAAAAAA==', spanId: '!' }]),
      'links[0].spanId',
      /8 base64 bytes/,
    ],
    ['name', (s) => (s.name = ['GET']), 'name', /expected a string/],
  ])('%s', (_name, mutate, field, message) => {
    const doc = v2();
    mutate(spanAt(doc, 3, 1));
    const t = parseTrace(doc);
    expect(t.spans).toHaveLength(10);
    const w = badSpans(t)!;
    expect(w.count).toBe(1);
    expect(w.examples[0]).toMatch(
      new RegExp(
        `^trace\\.resourceSpans\\[3\\]\\.scopeSpans\\[0\\]\\.spans\\[1\\]\\.${field.replace(/[[\].]/g, '\\$&')}: `
      )
    );
    expect(w.examples[0]).toMatch(message);
  });

  it('a span that is not an object', () => {
    const doc = v2();
    doc.trace.resourceSpans[0].scopeSpans[0].spans[0] = 'span';
    expect(badSpans(parseTrace(doc))!.examples[0]).toMatch(
      /^trace\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]: expected a span object/
    );
  });

  it('a bad resource skips its spans, counted', () => {
    const doc = v2();
    doc.trace.resourceSpans[3].resource = { attributes: [{ key: 'service.name', value: { intValue: 'abc' } }] };
    const t = parseTrace(doc);
    expect(t.spans).toHaveLength(7);
    expect(badSpans(t)!.count).toBe(4);
    expect(badSpans(t)!.examples[0]).toMatch(/^trace\.resourceSpans\[3\]\.resource\.attributes\[0\]\.value/);
  });

  it('when no span can be read, the error names the first problem', () => {
    const doc = v2();
    for (const rs of doc.trace.resourceSpans) {
      for (const s of rs.scopeSpans[0].spans) {
        s.spanId = '';
      }
    }
    const e = inputError(doc);
    expect(e.code).toBe('no-valid-spans');
    expect(e.path).toBe('trace.resourceSpans[0].scopeSpans[0].spans[0].spanId');
    expect(e.message).toMatch(/none of the 11 spans could be read/);
  });

  it('Jaeger: a span whose process is missing', () => {
    const t = parseTrace({
      data: [
        {
          traceID: 'abc',
          processes: { p1: { serviceName: 'a', tags: [] } },
          spans: [
            {
              traceID: 'abc',
              spanID: '1',
              operationName: 'ok',
              startTime: 1,
              duration: 1,
              processID: 'p1',
              references: [],
            },
            {
              traceID: 'abc',
              spanID: '2',
              operationName: 'bad',
              startTime: 1,
              duration: 1,
              processID: 'p9',
              references: [],
            },
          ],
        },
      ],
    });
    expect(t.traceId).toBe('00000000000000000000000000000abc');
    expect(t.spans.map((s) => s.spanId)).toEqual(['0000000000000001']);
    expect(badSpans(t)!.examples[0]).toMatch(
      /^data\[0\]\.spans\[1\]\.processID: expected the key of an entry in "processes", got "p9"/
    );
  });

  it('frames: a row with a bad span ID', () => {
    const rows = [
      { traceID: 'abc', spanID: '1', operationName: 'ok', serviceName: 's', startTime: 1, duration: 1 },
      { traceID: 'abc', spanID: 'zz', operationName: 'bad', serviceName: 's', startTime: 1, duration: 1 },
    ];
    const t = parseTrace(rows);
    expect(t.spans).toHaveLength(1);
    expect(badSpans(t)!.examples[0]).toMatch(/^\[1\]\.spanID: expected up to 16 hex characters, got "zz"/);
  });
});

describe('several traces in one input', () => {
  const text = fixtureText('tempo-2.7.2/otlp-export-request.json');

  it('asks which one, listing them', () => {
    const e = inputError(text);
    expect(e.code).toBe('multiple-traces');
    expect(e.message).toMatch(/holds 6 traces: b5a0f2520e74c14de11986b5c2b9f25b \(3 spans\)/);
  });

  it('reads the one asked for, or says it is not there', () => {
    expect(parseTrace(text, { traceId: '4324762d3d8c8ab77ffb3e0221d834c7' }).spans).toHaveLength(2);
    expect(inputError(text, { traceId: '00000000000000000000000000000001' }).code).toBe('trace-id-not-found');
    expect(parseTraces(text)).toHaveLength(6);
  });

  it('a reader with no documents', () => {
    expect(() => new TraceReader().finish()).toThrow(TraceInputError);
  });
});

describe('nothing throws an untyped exception, whatever the input', () => {
  const check = (input: unknown) => {
    try {
      parseTrace(input);
    } catch (e) {
      if (!(e instanceof TraceInputError)) {
        throw e;
      }
      // the catch-all in parse.ts turns bugs into typed errors; none should be needed (its words exactly: "the
      // only span could not be read" is a reader's own, right answer)
      expect(e.message).not.toMatch(/the input could not be read/);
    }
  };

  it('arbitrary JSON values and text', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.string()), check), { numRuns: 500 });
  });

  it('recorded traces with any part replaced by arbitrary JSON', () => {
    const docs = ['trace-v2.json', 'trace-v1.json', 'otlp-export-request.json'].map((f) =>
      fixtureText(`tempo-2.7.2/${f}`)
    );
    fc.assert(
      fc.property(fc.nat({ max: 2 }), fc.nat(), fc.jsonValue(), (d, pick, value) => {
        const doc = JSON.parse(docs[d]);
        // collect every (object, key) slot, replace one
        const slots: Array<[any, string | number]> = [];
        const walk = (v: any) => {
          if (v && typeof v === 'object') {
            for (const k of Object.keys(v)) {
              slots.push([v, Array.isArray(v) ? Number(k) : k]);
              walk(v[k]);
            }
          }
        };
        walk(doc);
        const [obj, key] = slots[pick % slots.length];
        obj[key] = value;
        check(doc);
        check(JSON.stringify(doc).slice(0, pick % 5000));
      }),
      { numRuns: 500 }
    );
  });
});
