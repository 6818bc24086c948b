/** @jest-environment node */
import fc from 'fast-check';

import { spanIdToBase64, spanIdToHex, SpanIdTable, traceIdToBase64, traceIdToHex } from './ids';
import { epochNanosString, EpochReader } from './time';

/** Node's Buffer is the oracle for base64 and hex. */
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b));

describe('IDs', () => {
  it('base64 and hex span IDs convert like Buffer does, both ways', () => {
    fc.assert(
      fc.property(bytes(8), (b) => {
        const hex = b.toString('hex');
        expect(spanIdToHex(b.toString('base64'))).toBe(hex);
        expect(spanIdToHex(b.toString('base64').replace(/=$/, ''))).toBe(hex);
        expect(spanIdToHex(hex.toUpperCase())).toBe(hex);
        expect(spanIdToBase64(hex)).toBe(b.toString('base64'));
      })
    );
  });

  it('trace IDs likewise, and 64-bit or zero-trimmed hex is padded', () => {
    fc.assert(
      fc.property(bytes(16), (b) => {
        const hex = b.toString('hex');
        expect(traceIdToHex(b.toString('base64'))).toBe(hex);
        expect(traceIdToBase64(hex)).toBe(b.toString('base64'));
        expect(traceIdToHex(hex.slice(16))).toBe('0'.repeat(16) + hex.slice(16));
        expect(traceIdToHex(hex.replace(/^0+/, ''), true)).toBe(hex);
      })
    );
  });

  it('rejects what is not an ID', () => {
    for (const bad of ['', 'xyz', '53a7Er9hot!=', 'g000000000000000', '0'.repeat(17), '53a7Er9hotJ=']) {
      expect(spanIdToHex(bad)).toBeNull();
    }
    expect(spanIdToHex('12ab', true)).toBe('00000000000012ab');
    expect(traceIdToHex('not-a-trace-id')).toBeNull();
    expect(traceIdToHex('X+swzPs82wk28RMk2IaYK==')).toBeNull();
  });

  it('the span ID table finds what was stored', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          bytes(8).map((b) => b.toString('hex')),
          { maxLength: 200 }
        ),
        (ids) => {
          const table = new SpanIdTable(ids.length);
          ids.forEach((id, i) => {
            table.parse(id);
            table.set(i);
          });
          ids.forEach((id, i) => {
            table.parse(id);
            expect(table.get()).toBe(i);
          });
          table.parse('ffffffffffffffff');
          expect(ids.includes('ffffffffffffffff') || table.get() === -1).toBe(true);
        }
      )
    );
  });
});

describe('epoch nanoseconds', () => {
  it('survive reading and writing exactly, beyond 2^53', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: BigInt(0), max: BigInt('10000000000000000000') }),
        fc.bigInt({ min: BigInt(0), max: BigInt('1000000000000000') }),
        (t, d) => {
          const r = new EpochReader();
          expect(r.nanos(String(t))).toBe(true);
          const baseMs = r.ms;
          expect(epochNanosString(baseMs, r.sub)).toBe(String(t));
          r.nanos(String(t + d));
          expect(epochNanosString(baseMs, (r.ms - baseMs) * 1e6 + r.sub)).toBe(String(t + d));
        }
      )
    );
  });
});
