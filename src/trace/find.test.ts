import { findSpans } from './find';
import { parseTrace } from './parse';
import { sketchToOtlp } from '../testing/traces';
import { Trace } from './types';

// A root with five children, each named by its display position; "db" in three of them.
const trace: Trace = parseTrace(
  sketchToOtlp([
    { id: 'root', start: 0, end: 100 },
    { id: 'db-1', parent: 'root', start: 10, end: 20 },
    { id: 'http-2', parent: 'root', start: 20, end: 30 },
    { id: 'db-3', parent: 'root', start: 30, end: 40 },
    { id: 'http-4', parent: 'root', start: 40, end: 50 },
    { id: 'db-5', parent: 'root', start: 50, end: 60 },
  ])
);
const names = (idx: ArrayLike<number>) => Array.from(idx, (i) => trace.spans[i].name);

describe('findSpans over a range of the display order', () => {
  it('searches only the display positions [from, to)', () => {
    expect(names(trace.order).slice(1)).toEqual(['db-1', 'http-2', 'db-3', 'http-4', 'db-5']);
    expect(names(findSpans(trace, 'db'))).toEqual(['db-1', 'db-3', 'db-5']);
    expect(names(findSpans(trace, 'db', 2, 5))).toEqual(['db-3']);
    expect(names(findSpans(trace, 'db', 0, 2))).toEqual(['db-1']);
    expect(names(findSpans(trace, 'db', 5))).toEqual(['db-5']);
  });

  it('finds in consecutive ranges exactly what it finds in the whole order', () => {
    for (const query of ['db', 'http', 'root', 'no-such-text']) {
      const whole = names(findSpans(trace, query));
      const parts = [0, 1, 3, 4, 6]
        .slice(1)
        .flatMap((to, k, tos) => names(findSpans(trace, query, k === 0 ? 0 : tos[k - 1], to)));
      expect(parts).toEqual(whole);
    }
  });

  it('clamps a range outside the order and finds nothing in an empty one', () => {
    expect(names(findSpans(trace, 'db', -3, 99))).toEqual(['db-1', 'db-3', 'db-5']);
    expect(findSpans(trace, 'db', 4, 4)).toHaveLength(0);
    expect(findSpans(trace, 'db', 5, 2)).toHaveLength(0);
    expect(findSpans(trace, 'db', 50, 60)).toHaveLength(0);
  });
});
