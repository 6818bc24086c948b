/** @jest-environment node */
import { collapseAll, expandAll, parseTrace } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { displayRows, errorSubtrees, rowIndex, spanIndexById } from './model';

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
