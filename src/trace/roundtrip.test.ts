/** @jest-environment node */
import fc from 'fast-check';

import { parseTrace } from './parse';
import { canonical, specToOtlp, toDataFrameJson, traceSpec } from '../testing/traces';
import { Trace } from './types';
import { toDataFrame, toFrameRows, toJaeger, toOtlp, toTempoV1, toTempoV2 } from './write';

const MILLION = BigInt(1_000_000);

/** Writers produce JS values; going through JSON text is what a file or an HTTP body does. */
const viaText = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)));

const OTLP_FAMILY: Array<[string, (t: Trace) => unknown, string]> = [
  ['Tempo v2', toTempoV2, 'tempo-v2'],
  ['Tempo v1', toTempoV1, 'tempo-v1'],
  ['OTLP/JSON', toOtlp, 'otlp'],
];
const ALL_FORMATS: Array<[string, (t: Trace) => unknown, string]> = [
  ...OTLP_FAMILY,
  ['Jaeger', toJaeger, 'jaeger'],
  ['frame rows', toFrameRows, 'grafana-frame'],
  ['data frame', toDataFrame, 'grafana-frame'],
  ['DataFrameJSON', toDataFrameJson, 'grafana-frame'],
];

function bigintSafe<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
}

describe('round trips', () => {
  it.each(ALL_FORMATS)('random traces survive %s unchanged', (_name, write, format) => {
    fc.assert(
      fc.property(traceSpec(false), (spec) => {
        const model = parseTrace(specToOtlp(spec));
        const back = parseTrace(viaText(write(model)));
        expect(back.format).toBe(format);
        expect(canonical(back)).toEqual(canonical(model));
      }),
      { numRuns: 60 }
    );
  });

  it.each(OTLP_FAMILY)('random traces with OTLP-only detail survive %s unchanged', (_name, write) => {
    fc.assert(
      fc.property(traceSpec(true), (spec) => {
        const model = parseTrace(specToOtlp(spec));
        // 64-bit ints travel as strings in OTLP JSON, so bigint values survive the text too
        const text = JSON.stringify(write(model), (_k, x) => (typeof x === 'bigint' ? String(x) : x));
        const back = parseTrace(text);
        expect(bigintSafe(canonical(back))).toEqual(bigintSafe(canonical(model)));
      }),
      { numRuns: 60 }
    );
  });

  it('the order of spans in the input does not change the model', () => {
    fc.assert(
      fc.property(
        traceSpec(true).chain((spec) =>
          fc.tuple(
            fc.constant(spec),
            fc.shuffledSubarray(
              spec.spans.map((_, i) => i),
              { minLength: spec.spans.length }
            )
          )
        ),
        ([spec, order]) => {
          const grouped = parseTrace(specToOtlp(spec));
          const shuffled = parseTrace(specToOtlp(spec, order));
          expect(bigintSafe(canonical(shuffled))).toEqual(bigintSafe(canonical(grouped)));
        }
      ),
      { numRuns: 100 }
    );
  });

  it('the model matches what was generated', () => {
    fc.assert(
      fc.property(traceSpec(true), (spec) => {
        const t = parseTrace(specToOtlp(spec));
        expect(t.traceId).toBe(spec.traceId);
        expect(t.spans).toHaveLength(spec.spans.length);
        const bySpanId = new Map(t.spans.map((s) => [s.spanId, s]));
        for (const s of spec.spans) {
          const m = bySpanId.get(s.spanId)!;
          const i = m.index;
          expect(BigInt(t.epochMs) * MILLION + BigInt(t.start[i])).toBe(
            BigInt(spec.baseMs) * MILLION + BigInt(s.startNs)
          );
          expect(t.end[i] - t.start[i]).toBe(s.durNs);
          expect(m.name).toBe(s.name);
          expect(m.kind).toBe(s.kind);
          expect(m.resource.serviceName).toBe(spec.services[s.service].name);
          // every span is reachable exactly once from the roots
        }
        expect(new Set(t.order).size).toBe(t.spans.length);
        for (let i = 0; i < t.spans.length; i++) {
          const p = t.parent[i];
          expect(p < 0 ? t.depth[i] : t.depth[i] - t.depth[p]).toBe(p < 0 ? 0 : 1);
        }
      }),
      { numRuns: 60 }
    );
  });
});
