/** @jest-environment node */
import { collapseAll, errorSubtrees, expandAll, parseTrace, spanIndexById } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { displayRows, rowIndex, tickCount, tickLabels, timeTicks } from './model';

const failed = parseTrace(fixtureJson('tempo-2.7.2/trace-v2-error.json'));

describe('waterfall rows', () => {
  it('marks failed spans and every ancestor of one', () => {
    const marks = errorSubtrees(failed);
    for (let i = 0; i < failed.spans.length; i++) {
      let below = false;
      const first = failed.orderPos[i];
      for (let k = first; k < first + failed.subtreeSize[i]; k++) {
        below ||= failed.statusCode[failed.order[k]] === 2;
      }
      expect(marks[i] === 1).toBe(below);
    }
  });

  it('filters the visible rows to error paths, keeping display order and collapse', () => {
    const marks = errorSubtrees(failed);
    const all = displayRows(failed, expandAll(failed), null);
    const errors = displayRows(failed, expandAll(failed), marks);
    expect(Array.from(errors)).toEqual(Array.from(all).filter((i) => marks[i] === 1));
    expect(displayRows(failed, collapseAll(failed), marks)).toHaveLength(1);
  });

  it('indexes rows by span, -1 when hidden', () => {
    const rows = displayRows(failed, collapseAll(failed), null);
    const index = rowIndex(failed.spans.length, rows);
    expect(index[failed.root]).toBe(0);
    expect(Array.from(index).filter((r) => r === -1)).toHaveLength(failed.spans.length - 1);
  });

  it('finds a span by ID in any case', () => {
    const id = failed.spans[3].spanId;
    expect(spanIndexById(failed, id.toUpperCase())).toBe(3);
    expect(spanIndexById(failed, 'ffffffffffffffff')).toBe(-1);
  });
});

describe('time axis labels', () => {
  it('labels every tick in one unit, 0 included', () => {
    expect(timeTicks(0, 54_800_000, 0).map((t) => t.label)).toEqual([
      '0 ms',
      '10 ms',
      '20 ms',
      '30 ms',
      '40 ms',
      '50 ms',
    ]);
    // zoomed in: decimals as the step needs, in the unit of the largest tick
    expect(timeTicks(12_345_000, 12_800_000, 0).map((t) => t.label)).toEqual([
      '12.4 ms',
      '12.5 ms',
      '12.6 ms',
      '12.7 ms',
      '12.8 ms',
    ]);
    expect(tickLabels([0, 200e6, 400e6, 1_200e6], 200e6)).toEqual(['0 s', '0.2 s', '0.4 s', '1.2 s']);
    expect(tickLabels([0, 500, 1000], 500)).toEqual(['0 µs', '0.5 µs', '1.0 µs']);
    expect(tickLabels([0, 2, 4], 2)).toEqual(['0 ns', '2 ns', '4 ns']);
  });
});

describe('tick density', () => {
  it('puts about one tick per 90 px of axis, at least two', () => {
    expect(tickCount(0, 30)).toBe(6);
    // 1000 px list, 300 px name column: 700 px of axis
    expect(tickCount(1000, 30)).toBe(7);
    // a narrow list with details open: the 200 px floor of the name column leaves 300 px
    expect(tickCount(500, 30)).toBe(3);
    expect(tickCount(150, 30)).toBe(2);
    expect(tickCount(5000, 30)).toBe(10);
    expect(timeTicks(0, 54_800_000, 0, tickCount(500, 30)).length).toBeLessThanOrEqual(4);
  });
});
