import fc from 'fast-check';
import { Trace, attributeKeys, findSpans, parseTrace, traceStats, selfTimes, spanIndexById } from '../../trace';
import { sortGroups } from '../TraceViews/statsTable';
import { fixtureJson, sketchId, sketchToOtlp, SpanSketch } from '../../testing/traces';
import {
  applyMask,
  attrColumn,
  attributeIsNumeric,
  cellText,
  filterMask,
  naturalDesc,
  sortKeys,
  sortSpans,
  tableData,
  textRanks,
  ColumnId,
} from './table';

const recorded = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));
const failed = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2-error.json'));
const ROOT = '19ac6dec20641bb9'; // click push (harbor-ui), 54.8 ms
const SELECT = 'e1ff702a5a2c8ac4'; // SELECT harbor.project (core)

/** Span IDs of the spans sorted by a column. */
function sortedIds(trace: Trace, column: ColumnId, desc: boolean): string[] {
  const data = tableData(trace);
  return Array.from(sortSpans(trace, sortKeys(data, column).keys, desc), (i) => trace.spans[i].spanId);
}
/** Names of the spans sorted by a column (sketches: the name is the sketch id). */
function sortedNames(trace: Trace, column: ColumnId, desc: boolean): string[] {
  const data = tableData(trace);
  return Array.from(sortSpans(trace, sortKeys(data, column).keys, desc), (i) => trace.spans[i].name);
}

function sketch(spans: SpanSketch[], edit?: (otlpSpans: any[]) => void): Trace {
  const otlp = sketchToOtlp(spans) as any;
  edit?.(otlp.resourceSpans.flatMap((r: any) => r.scopeSpans[0].spans));
  return parseTrace(otlp);
}

describe('naturalDesc', () => {
  it('has numbers and status start with the largest, text with A', () => {
    expect(naturalDesc('duration', false)).toBe(true);
    expect(naturalDesc('self', false)).toBe(true);
    expect(naturalDesc('start', false)).toBe(true);
    expect(naturalDesc('status', false)).toBe(true);
    expect(naturalDesc('name', false)).toBe(false);
    expect(naturalDesc('service', false)).toBe(false);
    expect(naturalDesc(attrColumn('server.port'), true)).toBe(true);
    expect(naturalDesc(attrColumn('url.path'), false)).toBe(false);
  });
});

describe('cellText', () => {
  it('writes each column of a recorded span as the waterfall does', () => {
    const trace = recorded();
    const data = tableData(trace);
    const root = spanIndexById(trace, ROOT);
    const select = spanIndexById(trace, SELECT);
    expect(cellText(data, root, 'service')).toBe('harbor-ui');
    expect(cellText(data, root, 'name')).toBe('click push');
    expect(cellText(data, root, 'kind')).toBe('internal');
    expect(cellText(data, root, 'status')).toBe('unset');
    expect(cellText(data, root, 'start')).toBe('0 ms');
    expect(cellText(data, root, 'duration')).toBe('54.8 ms');
    expect(cellText(data, select, 'kind')).toBe('client');
    expect(cellText(data, select, 'start')).toBe('1.00 ms');
    expect(cellText(data, select, 'duration')).toBe('7.28 ms');
    // a leaf's self time is its duration
    expect(cellText(data, select, 'self')).toBe('7.28 ms');
    expect(data.self[root]).toBe(selfTimes(trace)[root]);
    expect(data.self[root]).toBeLessThan(data.duration[root]);
    // attributes: the span's own, then its resource's; nothing when neither has it
    expect(cellText(data, select, attrColumn('db.system'))).toBe('postgresql');
    expect(cellText(data, select, attrColumn('service.namespace'))).toBe('harbor');
    expect(cellText(data, root, attrColumn('db.system'))).toBe('');
  });

  it('marks the status of failed spans as error', () => {
    const trace = failed();
    const data = tableData(trace);
    expect(cellText(data, spanIndexById(trace, '3784cbd3c3f6b79a'), 'status')).toBe('error');
  });
});

describe('sorting', () => {
  it('sorts numbers numerically, the longest first descending', () => {
    const trace = recorded();
    const desc = sortedIds(trace, 'duration', true);
    expect(desc[0]).toBe(ROOT);
    const data = tableData(trace);
    const durations = desc.map((id) => data.duration[spanIndexById(trace, id)]);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    expect(sortedIds(trace, 'duration', false)).toEqual([...desc].reverse());
  });

  it('keeps ties in the display order in both directions (stable)', () => {
    const trace = sketch([
      { id: 'root', start: 0, end: 10 },
      { id: 'b', parent: 'root', start: 1, end: 3 },
      { id: 'c', parent: 'root', start: 2, end: 4 },
      { id: 'd', parent: 'root', start: 3, end: 5 },
    ]);
    expect(sortedNames(trace, 'duration', true)).toEqual(['root', 'b', 'c', 'd']);
    expect(sortedNames(trace, 'duration', false)).toEqual(['b', 'c', 'd', 'root']);
    expect(sortedNames(trace, 'kind', false)).toEqual(['root', 'b', 'c', 'd']);
  });

  it('sorts text case-insensitively, then by exact text', () => {
    const trace = sketch([
      { id: 'root', name: 'b', start: 0, end: 10 },
      { id: 'x1', name: 'C', parent: 'root', start: 1, end: 2 },
      { id: 'x2', name: 'a', parent: 'root', start: 2, end: 3 },
      { id: 'x3', name: 'A', parent: 'root', start: 3, end: 4 },
    ]);
    expect(sortedNames(trace, 'name', false)).toEqual(['A', 'a', 'b', 'C']);
    expect(sortedNames(trace, 'name', true)).toEqual(['C', 'b', 'a', 'A']);
    expect(Array.from(textRanks(['b', 'a', 'b', 'B']))).toEqual([2, 0, 2, 1]);
  });

  it('sorts names with numbers by value, in the same order as Statistics', () => {
    const services = ['t10', 'T2', 'api', 't9', 'Api', 'GET /v10', 'get /v9'];
    const trace = sketch([
      { id: 'root', service: 'root', start: 0, end: 100 },
      ...services.map((service, k) => ({
        id: `s${k}`,
        name: service,
        service,
        parent: 'root',
        start: k + 1,
        end: k + 2,
      })),
    ]);
    const tableOrder = sortedNames(trace, 'name', false).filter((name) => name !== 'root');
    expect(tableOrder).toEqual(['Api', 'api', 'get /v9', 'GET /v10', 'T2', 't9', 't10']);
    const data = tableData(trace);
    const byService = Array.from(sortSpans(trace, sortKeys(data, 'service').keys, false), (i) =>
      cellText(data, i, 'service')
    );
    expect(byService.filter((name) => name !== 'root')).toEqual(tableOrder);
    const statsOrder = sortGroups(
      traceStats(trace).byService.filter((g) => g.service !== 'root'),
      { key: 'service', desc: false }
    ).map((g) => g.service);
    expect(statsOrder).toEqual(tableOrder);
  });

  it('puts the errors first by status, descending', () => {
    const trace = failed();
    const ids = sortedIds(trace, 'status', true);
    const statuses = ids.map((id) => trace.statusCode[spanIndexById(trace, id)]);
    expect(statuses).toEqual([2, 2, 2, 2, 0, 0, 0, 0]);
  });

  it('sorts an attribute of numbers numerically and puts spans without it last either way', () => {
    const trace = sketch(
      [
        { id: 'root', start: 0, end: 10 },
        { id: 'n9', parent: 'root', start: 1, end: 2 },
        { id: 'n100', parent: 'root', start: 2, end: 3 },
        { id: 'none', parent: 'root', start: 3, end: 4 },
        { id: 'n10', parent: 'root', start: 4, end: 5 },
      ],
      (spans) => {
        for (const s of spans) {
          const m = /^n(\d+)$/.exec(s.name);
          if (m) {
            s.attributes.push({ key: 'size', value: { intValue: m[1] } });
          }
        }
      }
    );
    const keys = sortKeys(tableData(trace), attrColumn('size'));
    expect(keys.numeric).toBe(true);
    expect(sortedNames(trace, attrColumn('size'), false)).toEqual(['n9', 'n10', 'n100', 'root', 'none']);
    expect(sortedNames(trace, attrColumn('size'), true)).toEqual(['n100', 'n10', 'n9', 'root', 'none']);
  });

  it('sorts an attribute with any text value as text, numbers in it by value', () => {
    const trace = sketch([
      { id: 'root', start: 0, end: 10, attrs: { v: '9' } },
      { id: 'x1', parent: 'root', start: 1, end: 2, attrs: { v: '10' } },
      { id: 'x2', parent: 'root', start: 2, end: 3 },
      { id: 'x3', parent: 'root', start: 3, end: 4, attrs: { v: 'abc' } },
    ]);
    expect(sortKeys(tableData(trace), attrColumn('v')).numeric).toBe(false);
    expect(sortedNames(trace, attrColumn('v'), false)).toEqual(['root', 'x1', 'x3', 'x2']);
    expect(sortedNames(trace, attrColumn('v'), true)).toEqual(['x3', 'x1', 'root', 'x2']);
  });

  it('orders as a stable comparator sort would, for any keys (ties, negatives, zeros, no value)', () => {
    const trace = recorded();
    const n = trace.spans.length;
    const key = fc.oneof(fc.constantFrom(NaN, 0, -0, 1, -1, 1e15, -1e15, 0.5), fc.double({ noNaN: true }));
    fc.assert(
      fc.property(fc.array(key, { minLength: n, maxLength: n }), fc.boolean(), (values, desc) => {
        const keys = Float64Array.from(values);
        const expected = Array.from(trace.order).sort((a, b) => {
          const ma = Number.isNaN(keys[a]) ? 1 : 0;
          const mb = Number.isNaN(keys[b]) ? 1 : 0;
          if (ma !== mb || ma === 1) {
            return ma - mb || trace.orderPos[a] - trace.orderPos[b];
          }
          const d = desc ? keys[b] - keys[a] : keys[a] - keys[b];
          return d !== 0 && !Number.isNaN(d) ? Math.sign(d) : trace.orderPos[a] - trace.orderPos[b];
        });
        expect(Array.from(sortSpans(trace, keys, desc))).toEqual(expected);
      }),
      { numRuns: 300 }
    );
  });

  it('sorts the recorded ports (ints) numerically', () => {
    const trace = recorded();
    const data = tableData(trace);
    const column = attrColumn('server.port');
    expect(sortKeys(data, column).numeric).toBe(true);
    const ports = sortedIds(trace, column, false)
      .map((id) => cellText(data, spanIndexById(trace, id), column))
      .filter((p) => p !== '');
    expect(ports).toEqual(['18080', '18081', '18082', '18083']);
  });

  it('knows an attribute column holds numbers before it is sorted, as its sort keys do', () => {
    const trace = recorded();
    const data = tableData(trace);
    const verdicts = attributeKeys(trace).map(({ key }) => [key, attributeIsNumeric(trace, key)]);
    expect(verdicts.filter(([, numeric]) => numeric).map(([key]) => key)).toEqual([
      'http.response.status_code',
      'server.port',
    ]);
    for (const [key, numeric] of verdicts) {
      expect(sortKeys(data, attrColumn(key as string)).numeric).toBe(numeric);
    }
  });
});

describe('filtering', () => {
  it("uses Find's syntax and keeps the order it is given", () => {
    const trace = recorded();
    const mask = filterMask(trace, 'db.system=postgresql');
    expect(mask).not.toBeNull();
    expect(Array.from(applyMask(trace.order, mask), (i) => trace.spans[i].spanId)).toEqual([SELECT]);
    const byDuration = sortSpans(trace, tableData(trace).duration, true);
    const gets = applyMask(byDuration, filterMask(trace, 'GET'));
    expect(gets.length).toBe(8);
    expect(Array.from(gets)).toEqual(Array.from(byDuration).filter((i) => gets.includes(i)));
  });

  it('finds in parts of the display order what Find finds in the whole, in the same order', () => {
    const trace = recorded();
    for (const query of ['GET', 'core', 'http.response.status_code=200', 'request_id']) {
      const whole = Array.from(findSpans(trace, query));
      expect(whole.length).toBeGreaterThan(0);
      const parts = [0, 3, 4, 9, 11].slice(1).flatMap((to, k, tos) => {
        const from = k === 0 ? 0 : tos[k - 1];
        return Array.from(findSpans(trace, query, from, to));
      });
      expect(parts).toEqual(whole);
    }
  });

  it('keeps every span for an empty query', () => {
    const trace = recorded();
    expect(filterMask(trace, '  ')).toBeNull();
    expect(applyMask(trace.order, null)).toBe(trace.order);
    expect(applyMask(trace.order, filterMask(trace, 'no-such-text')).length).toBe(0);
  });
});

it('keeps sketch span IDs distinct (test helper sanity)', () => {
  expect(sketchId('a')).not.toBe(sketchId('b'));
});
