import { parseTrace, toJaeger, toOtlp, toTempoV2 } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { generateTrace } from '../../../tests/traces';
import { jsonParts } from './jsonParts';

describe('jsonParts', () => {
  it('writes exactly what JSON.stringify writes', async () => {
    const values: unknown[] = [
      null,
      'text "quoted"',
      { a: undefined, b: [1, undefined, () => 1], c: { d: Array.from({ length: 200 }, (_, i) => ({ i })) } },
      Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? undefined : { n: i, s: `x${i}` })),
      { when: new Date(0), big: Array.from({ length: 100 }, (_, i) => i) },
    ];
    for (const v of values) {
      expect((await jsonParts(v)).join('')).toBe(JSON.stringify(v));
    }
    expect((await jsonParts({ n: BigInt('9007199254740993') })).join('')).toBe('{"n":"9007199254740993"}');
  });

  it("writes each of the model's writers' output of a recorded trace as JSON.stringify does", async () => {
    const trace = parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));
    for (const write of [toTempoV2, toOtlp, toJaeger]) {
      const value = write(trace);
      expect((await jsonParts(value)).join('')).toBe(JSON.stringify(value));
    }
  });

  it('pauses between slices of a large trace', async () => {
    const value = toOtlp(parseTrace(generateTrace(20_000)));
    let pauses = 0;
    const parts = await jsonParts(value, async () => {
      pauses++;
    });
    // Chunks of spans, never one string of the whole trace.
    expect(parts.length).toBeGreaterThan(20_000 / 256);
    expect(parts.join('')).toBe(JSON.stringify(value));
    // 20,000 spans take well over one 30 ms slice to write on any machine.
    expect(pauses).toBeGreaterThan(0);
  });
});
