/** @jest-environment node */
import { parser } from '@grafana/lezer-traceql';
import fc from 'fast-check';

import {
  AttributeFilter,
  FILTER_OPERATORS,
  TraceSearch,
  buildTraceQL,
  errorCompanionQuery,
  normalizeDuration,
  unwritableCharacter,
} from './traceql';

/**
 * No field value may make the builder write a query that Grafana's own TraceQL grammar (the one its
 * query editor uses) cannot parse. The grammar does not throw: it marks what it cannot read with error
 * nodes, so the test looks for those. Seeded: a failure prints the seed and path that reproduce it.
 */
const SEED = 20261122;
const RUNS = 10_000;

// About 4 s alone; far longer beside the rest of the suite on a busy machine.
jest.setTimeout(120_000);

function errorsIn(query: string): number[] {
  const at: number[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) {
        at.push(node.from);
      }
    },
  });
  return at;
}

// Text that is hard on a query language: TraceQL's own punctuation and words, escapes, control characters.
const NASTY = [
  '"',
  '\\',
  '\\"',
  '{',
  '}',
  '}{',
  '||',
  '&&',
  '|',
  '(',
  ')',
  '=~',
  '!=',
  '>>',
  '~',
  '.',
  '..',
  ':',
  '$',
  '`',
  "'",
  ' ',
  '\t',
  '\r',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u00a0',
  '\u2028',
  '\ufeff',
  'é',
  '😀',
  'span',
  'resource',
  'event',
  'parent',
  'link',
  'with',
  'instrumentation',
  'true',
  'nil',
  'status',
  'error',
  'duration',
  '0',
  '-1',
  '1.5',
  '007',
  '1e5',
  '9223372036854775808',
  '\n',
  '\0',
  '\ud800',
];

/** Any unicode (full code points and lone UTF-16 units), with the nasty pieces mixed in often. */
const text = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...NASTY), { maxLength: 6 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '   ', '\t') }
);

const key = fc.oneof(
  text,
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,15}$/),
  fc
    .tuple(
      fc.constantFrom('span', 'resource', 'event', 'parent', 'link', 'with', 'x'),
      fc.constantFrom('', '.a', 'x', '_1')
    )
    .map(([a, b]) => a + b)
);

const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.bigInt()).map(String);

/** Valid durations only: invalid ones must throw (tested below). */
const duration = fc
  .tuple(
    fc.oneof(fc.nat({ max: 100_000 }).map(String), fc.stringMatching(/^\d{1,4}\.\d{1,6}$/)),
    fc.constantFrom('ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'),
    fc.constantFrom('', ' ')
  )
  .map(([n, unit, space]) => `${space}${n}${space}${unit}${space}`);

const filter: fc.Arbitrary<AttributeFilter> = fc.record({
  scope: fc.constantFrom('span', 'resource', 'any'),
  key,
  operator: fc.constantFrom(...FILTER_OPERATORS),
  value: fc.oneof(text, number, fc.constantFrom('true', 'false', ' true ')),
});

const search: fc.Arbitrary<TraceSearch> = fc.record(
  {
    service: text,
    spanName: text,
    minDuration: duration,
    maxDuration: duration,
    status: fc.constantFrom('any', 'error', 'ok'),
    requestId: text,
    filters: fc.array(filter, { maxLength: 4 }),
  },
  { requiredKeys: [] }
);

const requestIdKeys = fc.option(fc.array(key, { maxLength: 5 }), { nil: undefined });

/** What the builder must refuse (with an Error naming the field) rather than write; fields are trimmed first. */
function unwritable(s: TraceSearch, keys: readonly string[] | undefined): boolean {
  const requestId = s.requestId?.trim();
  const values = [
    s.service?.trim(),
    s.spanName?.trim(),
    requestId,
    ...(requestId ? (keys ?? []).map((k) => k.trim()) : []),
    ...(s.filters ?? []).filter((f) => f.key.trim() !== '').flatMap((f) => [f.key.trim(), f.value]),
  ];
  return values.some((v) => v !== undefined && !!unwritableCharacter(v));
}

describe('TraceQL builder: every query parses with Grafana’s TraceQL grammar', () => {
  it(`${RUNS.toLocaleString('en-US')} random searches build queries without error nodes, or are refused by name`, () => {
    let built = 0;
    fc.assert(
      fc.property(search, requestIdKeys, (s, keys) => {
        const options = { requestIdKeys: keys };
        if (unwritable(s, keys)) {
          expect(() => buildTraceQL(s, options)).toThrow(/^The [^]* holds (a line break|a NUL character|an unpaired)/);
          return;
        }
        const main = buildTraceQL(s, options);
        const companion = errorCompanionQuery(s, options);
        const fromText = errorCompanionQuery(main);
        if (companion !== undefined) {
          // The same companion whether the page passes the fields or the query they built.
          expect(fromText).toBe(companion);
        }
        for (const query of [main, companion, fromText]) {
          if (query !== undefined) {
            expect({ query, errors: errorsIn(query) }).toEqual({ query, errors: [] });
          }
        }
        built++;
      }),
      { seed: SEED, numRuns: RUNS }
    );
    // The refusals must stay the exception, or the test would prove little.
    expect(built).toBeGreaterThan(RUNS * 0.6);
  });

  it('refuses every duration that is not one, naming the field', () => {
    const notADuration = fc
      .oneof(text, number, fc.constantFrom('1d', '1w', '5 parsecs', '1.s', '.5s', '-1s', '1e3ms', '1 h m'))
      .filter((t) => t.trim() !== '' && 'error' in normalizeDuration(t));
    fc.assert(
      fc.property(notADuration, fc.boolean(), (t, min) => {
        const field = min ? 'minimum' : 'maximum';
        expect(() => buildTraceQL(min ? { minDuration: t } : { maxDuration: t })).toThrow(`The ${field} duration: `);
      }),
      { seed: SEED, numRuns: 2_000 }
    );
    // and what it accepts is a TraceQL duration
    fc.assert(
      fc.property(duration, (d) => {
        const query = buildTraceQL({ minDuration: d });
        expect(errorsIn(query)).toEqual([]);
        expect(query).toMatch(/^\{ duration >= (0|[1-9]\d*)(\.\d*[1-9])?(ns|us|ms|s|m|h) \}$/);
      }),
      { seed: SEED, numRuns: 2_000 }
    );
  });

  it('the oracle is not blind: it finds the errors of broken queries', () => {
    expect(errorsIn('{ name = "a }')).not.toEqual([]);
    expect(errorsIn('{ span.a = "\\n" }')).not.toEqual([]);
    expect(errorsIn('{ span.span = 1 }')).not.toEqual([]);
    expect(errorsIn('{ span.a = 1e+21 }')).not.toEqual([]);
    expect(errorsIn('{ resource.service.name = "core" }')).toEqual([]);
  });
});
