/** @jest-environment node */
import { parseTrace } from './parse';
import { FILTER_ANCESTOR, FILTER_MEMBER, filterMarks, keepMarked, visibleRows } from './rows';
import { groupSpans, traceStats } from './stats';
import { Trace } from './types';
import { fixtureJson, sketchToOtlp, SpanSketch } from '../testing/traces';

const build = (spans: SpanSketch[]): Trace => parseTrace(sketchToOtlp(spans));
const ids = (t: Trace, spans: Int32Array) => Array.from(spans, (i) => t.spans[i].name);

// The timeline filter a statistics row sets: a group's spans, shown with the ancestors that lead to them.
describe('timeline filter', () => {
  const t = build([
    { id: 'root', start: 0, end: 100, service: 'gw', name: 'GET /' },
    { id: 'a', parent: 'root', start: 1, end: 50, service: 'api', name: 'handle' },
    { id: 'a1', parent: 'a', start: 2, end: 10, service: 'db', name: 'SELECT' },
    { id: 'a2', parent: 'a', start: 12, end: 20, service: 'db', name: 'INSERT' },
    { id: 'b', parent: 'root', start: 60, end: 90, service: 'api', name: 'handle' },
    { id: 'b1', parent: 'b', start: 61, end: 70, service: 'db', name: 'SELECT' },
    { id: 'c', parent: 'root', start: 91, end: 99, service: 'cache', name: 'get' },
  ]);
  const at = (name: string) => t.spans.find((s) => s.name === name)!.index;

  it("finds a group's spans in display order, by service or by service + operation", () => {
    expect(ids(t, groupSpans(t, 'db', 'SELECT'))).toEqual(['SELECT', 'SELECT']);
    expect(Array.from(groupSpans(t, 'db'))).toEqual(
      Array.from(t.order).filter((i) => t.spans[i].resource.serviceName === 'db')
    );
    expect(groupSpans(t, 'db', 'DELETE')).toHaveLength(0);
    expect(groupSpans(t, 'nope')).toHaveLength(0);
  });

  it('marks members and, apart, the ancestors on the way to them; nothing else', () => {
    const select = groupSpans(t, 'db', 'SELECT');
    const marks = filterMarks(t, select);
    const rows = keepMarked(visibleRows(t), marks);
    expect(ids(t, rows)).toEqual(['GET /', 'handle', 'SELECT', 'handle', 'SELECT']);
    for (const r of rows) {
      expect(marks[r]).toBe(t.spans[r].name === 'SELECT' ? FILTER_MEMBER : FILTER_ANCESTOR);
    }
    expect(marks[at('get')]).toBe(0);
    expect(marks[at('INSERT')]).toBe(0);
  });

  it('keeps a member that is also an ancestor of another member a member', () => {
    const api = groupSpans(t, 'api');
    const both = new Int32Array([...api, ...groupSpans(t, 'db', 'SELECT')]);
    const marks = filterMarks(t, both);
    for (const i of api) {
      expect(marks[i]).toBe(FILTER_MEMBER);
    }
  });

  it('ignores indices outside the trace', () => {
    expect(Array.from(filterMarks(t, new Int32Array([-1, 99])))).toEqual(new Array(t.spans.length).fill(0));
  });

  it("agrees with the statistics' counts on a recorded trace", () => {
    const trace = parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));
    const stats = traceStats(trace);
    for (const g of stats.byOperation) {
      expect(groupSpans(trace, g.service, g.operation)).toHaveLength(g.count);
    }
    for (const g of stats.byService) {
      expect(groupSpans(trace, g.service)).toHaveLength(g.count);
    }
  });
});
