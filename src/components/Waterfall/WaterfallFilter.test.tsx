import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Trace, groupSpans, parseTrace } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { testIds } from '../testIds';
import { TimelineFilter, Waterfall } from './Waterfall';

const recorded = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));
const SELECT = 'e1ff702a5a2c8ac4'; // SELECT harbor.project (core), depth 5

withJsdomLayout();
jest.setTimeout(30_000);

const shownIds = () =>
  screen.getAllByRole('treeitem').map((r) => r.getAttribute('data-testid')!.replace(testIds.waterfall.row(''), ''));

/** The spans of `filter` and every ancestor of them, in display order: what the filtered timeline must show. */
function expectedRows(trace: Trace, spans: Int32Array): string[] {
  const keep = new Set<number>();
  for (const s of spans) {
    for (let p = s; p >= 0 && !keep.has(p); p = trace.parent[p]) {
      keep.add(p);
    }
  }
  return Array.from(trace.order)
    .filter((i) => keep.has(i))
    .map((i) => trace.spans[i].spanId);
}

describe('Waterfall timeline filter', () => {
  it("shows only the filter's spans and their ancestors, dimmed, with a notice; Show all clears it", async () => {
    const trace = recorded();
    const spans = groupSpans(trace, 'core');
    const filter: TimelineFilter = { label: 'core', spans };
    const onFilterClear = jest.fn();
    render(<Waterfall trace={trace} height={700} filter={filter} onFilterClear={onFilterClear} />);
    const rows = expectedRows(trace, spans);
    expect(rows.length).toBeLessThan(trace.spans.length);
    expect(shownIds()).toEqual(rows);
    const members = new Set(Array.from(spans, (i) => trace.spans[i].spanId));
    for (const row of screen.getAllByRole('treeitem')) {
      const id = row.getAttribute('data-testid')!.replace(testIds.waterfall.row(''), '');
      expect(row.hasAttribute('data-dimmed')).toBe(!members.has(id));
    }
    expect(screen.getByTestId(testIds.traceViews.filterNotice)).toHaveTextContent(
      `Showing ${spans.length} spans: core`
    );
    expect(screen.getByTestId(testIds.waterfall.header)).toHaveTextContent(`${rows.length} of 11 spans`);
    // The notice accounts for every row: its spans and the dimmed ancestors add up to the header's count.
    const ancestors = rows.length - spans.length;
    expect(ancestors).toBeGreaterThan(1);
    expect(screen.getByTestId(testIds.traceViews.filterNotice)).toHaveTextContent(
      `Showing ${spans.length} spans: coreTheir ${ancestors} ancestors are dimmed (${rows.length} rows in all).`
    );

    await userEvent.click(screen.getByTestId(testIds.traceViews.filterClear));
    expect(onFilterClear).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId(testIds.traceViews.filterNotice)).toBeNull();
    expect(screen.getAllByRole('treeitem')).toHaveLength(11);
  });

  it('leaves the filter when find goes to a span outside it', async () => {
    const trace = recorded();
    const onFilterClear = jest.fn();
    const filter = { label: 'harbor-ui', spans: groupSpans(trace, 'harbor-ui') };
    render(<Waterfall trace={trace} height={700} filter={filter} onFilterClear={onFilterClear} />);
    expect(screen.queryByTestId(testIds.waterfall.row(SELECT))).toBeNull();
    await userEvent.type(screen.getByTestId(testIds.waterfall.find), 'SELECT');
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByTestId(testIds.waterfall.row(SELECT))).toHaveAttribute('aria-selected', 'true');
    expect(onFilterClear).toHaveBeenCalled();
    expect(screen.queryByTestId(testIds.traceViews.filterNotice)).toBeNull();
  });

  it('selects, reveals and opens the details of a requested span, again on a new request', async () => {
    const trace = recorded();
    const at = trace.spans.findIndex((s) => s.spanId === SELECT);
    const { rerender } = render(<Waterfall trace={trace} height={700} />);
    await userEvent.click(screen.getByTestId(testIds.waterfall.collapseAll));
    rerender(<Waterfall trace={trace} height={700} focusSpan={{ span: at }} />);
    expect(await screen.findByTestId(testIds.waterfall.row(SELECT))).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId(testIds.waterfall.details)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId(testIds.waterfall.detailsClose));
    expect(screen.queryByTestId(testIds.waterfall.details)).toBeNull();
    rerender(<Waterfall trace={trace} height={700} focusSpan={{ span: at }} />);
    expect(await screen.findByTestId(testIds.waterfall.details)).toBeInTheDocument();
  });

  it('draws an arrow only on rows with a child on screen', () => {
    const trace = recorded();
    const spans = groupSpans(trace, 'core');
    render(<Waterfall trace={trace} height={700} filter={{ label: 'core', spans }} />);
    const shown = new Set(expectedRows(trace, spans));
    for (const id of shown) {
      const i = trace.spans.findIndex((sp) => sp.spanId === id);
      const childShown = trace.spans.some((c) => trace.parent[c.index] === i && shown.has(c.spanId));
      const row = screen.getByTestId(testIds.waterfall.row(id));
      expect([id, row.getAttribute('aria-expanded')]).toEqual([id, childShown ? 'true' : null]);
      expect([id, screen.queryByTestId(testIds.waterfall.toggle(id)) !== null]).toEqual([id, childShown]);
    }
    // Some core spans have children the filter hides (SELECT's siblings' subtrees): they are leaves here.
    const hidden = Array.from(spans).filter(
      (i) => trace.subtreeSize[i] > 1 && !trace.spans.some((c) => trace.parent[c.index] === i && shown.has(c.spanId))
    );
    expect(hidden.length).toBeGreaterThan(0);

    // The keys agree: ArrowLeft on such a row goes to its parent (there is nothing to collapse).
    const leaf = trace.spans[hidden[0]].spanId;
    const parent = trace.spans[trace.parent[hidden[0]]].spanId;
    fireEvent.click(screen.getByTestId(testIds.waterfall.row(leaf)));
    fireEvent.keyDown(screen.getByTestId(testIds.waterfall.list), { key: 'ArrowLeft' });
    expect(screen.getByTestId(testIds.waterfall.row(parent))).toHaveAttribute('aria-selected', 'true');
  });

  it('Show all brings back the collapse state from before the filter', async () => {
    const trace = recorded();
    const filter = { label: 'core', spans: groupSpans(trace, 'core') };
    const { rerender } = render(<Waterfall trace={trace} height={700} />);
    await userEvent.click(screen.getByTestId(testIds.waterfall.collapseAll));
    const collapsed = shownIds();
    expect(collapsed.length).toBeLessThan(3);
    rerender(<Waterfall trace={trace} height={700} filter={filter} />);
    expect(shownIds()).toEqual(expectedRows(trace, filter.spans));
    // A second filter over the first keeps the state from before both.
    rerender(<Waterfall trace={trace} height={700} filter={{ ...filter }} />);
    await userEvent.click(screen.getByTestId(testIds.traceViews.filterClear));
    expect(shownIds()).toEqual(collapsed);
  });

  it('going to a span outside the filter brings back the earlier collapse state, opened just to show it', async () => {
    const trace = recorded();
    const filter = { label: 'harbor-ui', spans: groupSpans(trace, 'harbor-ui') };
    const { rerender } = render(<Waterfall trace={trace} height={700} />);
    await userEvent.click(screen.getByTestId(testIds.waterfall.collapseAll));
    rerender(<Waterfall trace={trace} height={700} filter={filter} />);
    await userEvent.type(screen.getByTestId(testIds.waterfall.find), 'SELECT');
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByTestId(testIds.waterfall.row(SELECT))).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByTestId(testIds.traceViews.filterNotice)).toBeNull();
    // SELECT and its ancestors, and each ancestor's other children (collapsed): not the whole tree.
    const at = trace.spans.findIndex((sp) => sp.spanId === SELECT);
    const path = new Set<number>();
    for (let p = trace.parent[at]; p >= 0; p = trace.parent[p]) {
      path.add(p);
    }
    const expected = Array.from(trace.order)
      .filter((i) => trace.parent[i] < 0 || path.has(trace.parent[i]))
      .map((i) => trace.spans[i].spanId);
    expect(shownIds()).toEqual(expected);
    expect(shownIds().length).toBeLessThan(11);
  });
});
