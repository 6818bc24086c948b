import { readSearchAnswer } from '../../tempo/searchAnswer';
import { fixtureJson } from '../../testing/traces';
import { DEFAULT_SORT, formatMs, sortRows, toRows } from './results';
import { rawRange, resolveRange, shiftRange, urlRange, widerRange } from '../../components/TimeRange/timeRange';
import { niceTicks } from './ScatterPlot';

const answer = (name: string) => readSearchAnswer(fixtureJson(`tempo-2.7.2/${name}.json`))!;

describe('search result rows', () => {
  const traces = answer('search-service-duration').traces;
  const failed = new Set(answer('search-error-select').traces.map((t) => t.traceId));

  it('marks failed traces from the companion query, or all when the search asked for errors', () => {
    const service = answer('search-service').traces;
    const rows = toRows(service, failed, false);
    // Tempo dropped the leading zero of the first; the client put it back.
    expect(rows.filter((r) => r.failed).map((r) => r.trace.traceId)).toEqual([
      '0969da18926dc504280d3166a68f6839',
      '2a9949f99c729ca9394c691fa9298218',
    ]);
    expect(toRows(service, new Set(), true).every((r) => r.failed)).toBe(true);
  });

  it('sorts newest first by default, and by any column both ways', () => {
    const rows = toRows(traces, failed, false);
    const starts = sortRows(rows, DEFAULT_SORT).map((r) => r.trace.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    const longest = sortRows(rows, { key: 'durationMs', desc: true });
    expect(longest[0].trace.durationMs).toBe(62);
    const shortest = sortRows(rows, { key: 'durationMs', desc: false });
    expect(shortest[0].trace.durationMs).toBe(32);
    // Equal durations keep newest first.
    const equal = shortest.filter((r) => r.trace.durationMs === 32).map((r) => r.trace.startMs);
    expect(equal).toEqual([...equal].sort((a, b) => b - a));
  });

  it('sorts a trace whose root has not arrived after the named ones, either way', () => {
    const [a, b] = traces;
    const rows = toRows([{ ...a, rootService: undefined }, b], new Set(), false);
    for (const desc of [true, false]) {
      expect(sortRows(rows, { key: 'rootService', desc }).map((r) => r.trace.rootService)).toEqual([
        'harbor-ui',
        undefined,
      ]);
    }
  });

  it('writes durations as people read them', () => {
    expect([0, 0.25, 12, 12.34, 250, 1500, 61_000, undefined].map(formatMs)).toEqual([
      '<1 ms',
      '250 µs',
      '12 ms',
      '12.3 ms',
      '250 ms',
      '1.5 s',
      '1 min 01 s',
      '–',
    ]);
  });

  it('picks round axis ticks', () => {
    expect(niceTicks(62)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(0.9)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0)).toEqual([0]);
  });
});

describe('search time range', () => {
  it('reads Grafana URL times: relative text, or epoch milliseconds', () => {
    expect(urlRange(rawRange('now-6h', 'now'))).toEqual({ from: 'now-6h', to: 'now' });
    expect(urlRange(rawRange('1700000000000', '1700000600000'))).toEqual({
      from: '1700000000000',
      to: '1700000600000',
    });
    expect(resolveRange(rawRange('1700000000000', '1700000600000'))).toEqual({
      fromMs: 1700000000000,
      toMs: 1700000600000,
    });
    const last = resolveRange(rawRange())!;
    // One "now" for both ends: exactly an hour, never an hour and a millisecond.
    for (let i = 0; i < 200; i++) {
      const r = resolveRange(rawRange())!;
      expect(r.toMs - r.fromMs).toBe(3_600_000);
    }
    expect(Math.abs(last.toMs - Date.now())).toBeLessThan(5_000);
    // An end before the start, or text that is no time, is no range.
    expect(resolveRange(rawRange('now', 'now-1h'))).toBeUndefined();
    expect(resolveRange(rawRange('yesterday', 'now'))).toBeUndefined();
  });

  it('offers the next wider range when nothing matched', () => {
    expect(widerRange('now-1h', 'now')).toEqual({ from: 'now-3h', to: 'now', label: 'Search the last 3 hours' });
    expect(widerRange('now-24h', 'now')).toEqual({ from: 'now-2d', to: 'now', label: 'Search the last 2 days' });
    // Not on the ladder: the next step longer than it.
    expect(widerRange('now-2h', 'now')).toEqual({ from: 'now-3h', to: 'now', label: 'Search the last 3 hours' });
    expect(widerRange('now-30d', 'now')).toBeUndefined();
    expect(widerRange('1700000000000', '1700000600000')).toEqual({
      from: String(1700000600000 - 2_400_000),
      to: '1700000600000',
      label: 'Search a range four times as long',
    });
  });

  it("moves and zooms out like Grafana's time picker buttons", () => {
    const raw = rawRange('1700000000000', '1700000600000');
    expect(shiftRange(raw, 'back')).toEqual({ from: '1699999700000', to: '1700000300000' });
    expect(shiftRange(raw, 'forward')).toEqual({ from: '1700000300000', to: '1700000900000' });
    expect(shiftRange(raw, 'out')).toEqual({ from: '1699999400000', to: '1700001200000' });
  });
});
