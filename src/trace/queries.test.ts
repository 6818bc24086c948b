/** @jest-environment node */
import { sketchId, sketchToOtlp, SpanSketch } from '../testing/traces';
import { criticalPath } from './critical';
import { parseTrace } from './parse';
import { clockSkew, errorSubtrees, membership, spanIndexById } from './queries';
import { SpanKind, Trace } from './types';

const build = (spans: SpanSketch[]): Trace => parseTrace(sketchToOtlp(spans));
const byName = (t: Trace, name: string) => t.spans.find((s) => s.name === name)!.index;

describe('spanIndexById', () => {
  const t = build([
    { id: 'root', start: 0, end: 10 },
    { id: 'a', parent: 'root', start: 1, end: 2 },
    { id: 'b', parent: 'root', start: 3, end: 4 },
  ]);

  it('finds every span by its ID, in any case', () => {
    for (const s of t.spans) {
      expect(spanIndexById(t, s.spanId)).toBe(s.index);
      expect(spanIndexById(t, s.spanId.toUpperCase())).toBe(s.index);
    }
  });

  it('answers -1 for IDs not in the trace and for text that is no span ID', () => {
    for (const id of [
      'ffffffffffffffff',
      '',
      'root',
      sketchId('a').slice(1),
      sketchId('a') + '0',
      'zzzzzzzzzzzzzzzz',
    ]) {
      expect(spanIndexById(t, id)).toBe(-1);
    }
  });

  it('among duplicates, finds the span that holds the children', () => {
    const d = build([
      { id: 'root', start: 0, end: 10 },
      { id: 'dup', parent: 'root', start: 5, end: 6, name: 'late' },
      { id: 'dup', parent: 'root', start: 1, end: 2, name: 'early' },
      { id: 'kid', parent: 'dup', start: 1.5, end: 1.8 },
    ]);
    const i = spanIndexById(d, sketchId('dup'));
    expect(d.spans[i].name).toBe('early');
    expect(d.parent[byName(d, 'kid')]).toBe(i);
  });
});

describe('errorSubtrees and membership', () => {
  it('marks failed spans and their ancestors only', () => {
    const t = build([
      { id: 'root', start: 0, end: 10 },
      { id: 'a', parent: 'root', start: 1, end: 5 },
      { id: 'a1', parent: 'a', start: 2, end: 3, error: true },
      { id: 'b', parent: 'root', start: 6, end: 8 },
    ]);
    const m = errorSubtrees(t);
    expect(['root', 'a', 'a1', 'b'].map((n) => m[byName(t, n)])).toEqual([1, 1, 1, 0]);
  });

  it('membership marks the given spans', () => {
    const t = build([
      { id: 'root', start: 0, end: 10 },
      { id: 'a', parent: 'root', start: 1, end: 9 },
      { id: 'b', parent: 'root', start: 2, end: 3 },
    ]);
    const m = membership(t.spans.length, criticalPath(t).spans);
    expect(['root', 'a', 'b'].map((n) => m[byName(t, n)])).toEqual([1, 1, 0]);
    expect(membership(3, new Int32Array(0))).toEqual(new Uint8Array(3));
  });
});

describe('clockSkew', () => {
  it('gives the amounts for a server span shifted out of its client parent', () => {
    const t = build([
      { id: 'root', start: 0, end: 100, service: 'ui' },
      { id: 'call', parent: 'root', start: 10, end: 60, kind: SpanKind.Client, service: 'ui' },
      { id: 'early', parent: 'call', start: -40, end: 20, kind: SpanKind.Server, service: 'api' },
    ]);
    expect(clockSkew(t, byName(t, 'early'))).toEqual({ earlyNs: 50e6, lateNs: 0 });
    expect(clockSkew(t, byName(t, 'call'))).toBeNull();
    expect(clockSkew(t, byName(t, 'root'))).toBeNull();
  });
});
