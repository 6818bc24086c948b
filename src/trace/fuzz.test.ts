/** @jest-environment node */
/**
 * A short run of `npm run fuzz` (scripts/fuzz.ts) in the unit tests: the same seeded mutations of
 * every format's fixtures and the same checks, 60 inputs per format instead of 10,000, so that
 * a regression shows in `npm test` too. The full run is a CI step of its own.
 */
import { checkInput, fuzzFormat, FUZZ_FORMATS } from '../../scripts/fuzz';

describe('fuzz (a short run of npm run fuzz)', () => {
  it.each(FUZZ_FORMATS.map((f) => [f]))(
    '%s: no finding in 60 mutated inputs',
    (format) => {
      const stats = fuzzFormat(format, 60, 20261122);
      expect(stats.inputs).toBe(60);
      expect(stats.findings.map((f) => `${f.kind} #${f.index} [${f.mutations.join('; ')}]: ${f.detail}`)).toEqual([]);
      // the mutations are neither all refused nor all harmless
      expect(stats.traces).toBeGreaterThan(15);
      expect(stats.typedErrors).toBeGreaterThan(2);
    },
    30_000
  );

  it('the checks see what they are for', () => {
    // a trace with a span at the epoch and one at 2^64 ns: read, and read back by every writer
    const spans = ['1000', '18446744073709000000'].map((t, i) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: `00000000000000a${i}`,
      startTimeUnixNano: t,
      endTimeUnixNano: t,
    }));
    expect(checkInput({ resourceSpans: [{ scopeSpans: [{ spans }] }] }).found).toEqual([]);
  });
});
