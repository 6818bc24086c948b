import { findSpans } from './find';
import { parseTrace } from './parse';
import { fixtureText, sketchToOtlp } from '../testing/traces';
import { SPAN_KIND_NAMES, Trace } from './types';

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

describe('status and kind (the columns the span table shows)', () => {
  // The recorded failing trace: 8 spans; the four "GET /api/v2.0/projects/boom" (gateway server + client, core
  // server, harbor-ui client) have status error; server spans: gateway's and core's boom, registry's manifests.
  const rec = parseTrace(fixtureText('tempo-2.7.2/trace-v2-error.json'));
  const found = (q: string) =>
    Array.from(
      findSpans(rec, q),
      (i) => `${rec.services[rec.serviceIndex[i]]} ${SPAN_KIND_NAMES[rec.kind[i]]} ${rec.spans[i].name}`
    ).sort();
  const boom = 'GET /api/v2.0/projects/boom';

  it('status=error finds the failed spans, in any case', () => {
    const failed = [
      `core server ${boom}`,
      `gateway client ${boom}`,
      `gateway server ${boom}`,
      `harbor-ui client ${boom}`,
    ];
    expect(found('status=error')).toEqual(failed);
    expect(found('STATUS=Error')).toEqual(failed);
    expect(found('status=unset')).toHaveLength(4);
    expect(found('status=ok')).toEqual([]);
    // The value is the whole status name, not a part of it.
    expect(found('status=err')).toEqual([]);
  });

  it('the bare word error also finds the failed spans (besides text that contains it)', () => {
    expect(found('error')).toEqual(found('status=error'));
    // Only the whole word: "err" is text search as before (the exception event's attributes hold "error").
    expect(found('err')).toEqual([`core server ${boom}`]);
  });

  it('kind= finds spans of one kind', () => {
    expect(found('kind=server')).toEqual([
      `core server ${boom}`,
      `gateway server ${boom}`,
      'registry server GET /v2/library/manifests/latest',
    ]);
    expect(found('kind=CLIENT')).toHaveLength(4);
    expect(found('kind=internal')).toEqual(['harbor-ui internal click push']);
    expect(found('kind=consumer')).toEqual([]);
    expect(found('kind=server status=error service=gateway')).toEqual([`gateway server ${boom}`]);
  });

  it('an attribute named status or kind still matches, as well as the field', () => {
    const t = parseTrace(
      sketchToOtlp([
        { id: 'root', start: 0, end: 100, kind: 2 },
        { id: 'job', parent: 'root', start: 10, end: 20, attrs: { status: 'error: disk full', kind: 'batch' } },
        { id: 'db', parent: 'root', start: 20, end: 30, kind: 3, error: true },
      ])
    );
    const hit = (q: string) => Array.from(findSpans(t, q), (i) => t.spans[i].name);
    expect(hit('status=error')).toEqual(['job', 'db']);
    expect(hit('status=disk')).toEqual(['job']);
    expect(hit('kind=batch')).toEqual(['job']);
    expect(hit('kind=server')).toEqual(['root']);
    // The key of an attribute is exact: Status= is the field only.
    expect(hit('Status=disk')).toEqual([]);
  });
});
