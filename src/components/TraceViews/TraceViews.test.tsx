import React, { useState } from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TraceViewName } from '../../routes';
import { Trace, parseTrace } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { testIds } from '../testIds';
import { TraceViews } from './TraceViews';

const ids = testIds.traceViews;
const recorded = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));
const SELECT = 'e1ff702a5a2c8ac4'; // SELECT harbor.project (core)
const GATEWAY = ['cf84fd2d7143986d', 'd12360d388667380']; // gateway "GET /api/v2.0/projects/scan", twice
const GATEWAY_OP = 'gateway/GET /api/v2.0/projects/scan';

withJsdomLayout({ width: 1200, height: 700 });
jest.setTimeout(30_000);

/** The shell with its view in state, as a page keeps it in the URL. */
function Harness({
  trace,
  initial = 'timeline',
  onSpan,
}: {
  trace: Trace;
  initial?: TraceViewName;
  /** when given, the selection is the harness's (as a page's `?span=`), and reported here */
  onSpan?: (spanId: string | undefined) => void;
}) {
  const [view, setView] = useState<TraceViewName>(initial);
  const [spanId, setSpanId] = useState<string>();
  const onSelectedSpanChange = (id: string | undefined) => {
    setSpanId(id);
    onSpan?.(id);
  };
  return onSpan ? (
    <TraceViews
      trace={trace}
      height={800}
      view={view}
      onViewChange={setView}
      selectedSpanId={spanId}
      onSelectedSpanChange={onSelectedSpanChange}
    />
  ) : (
    <TraceViews trace={trace} height={800} view={view} onViewChange={setView} />
  );
}

const isShown = (view: string) => screen.getByTestId(ids.view(view)).getAttribute('data-shown') === 'true';
const timelineIds = () =>
  screen.getAllByRole('treeitem').map((r) => r.getAttribute('data-testid')!.replace(testIds.waterfall.row(''), ''));
const statsRows = () =>
  within(screen.getByTestId(ids.statsTable))
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.getAttribute('data-testid')!.replace(ids.statsRow(''), ''));

describe('TraceViews', () => {
  it('mounts a view on its first visit and keeps the timeline, with its selection, through switches', async () => {
    render(<Harness trace={recorded()} />);
    expect(screen.queryByTestId(ids.view('stats'))).toBeNull();
    await userEvent.click(screen.getByTestId(testIds.waterfall.row(SELECT)));
    expect(screen.getByTestId(testIds.waterfall.details)).toBeInTheDocument();

    await userEvent.click(screen.getByTestId(ids.switch('stats')));
    expect(isShown('stats')).toBe(true);
    expect(isShown('timeline')).toBe(false);
    expect(screen.getByRole('radio', { name: 'Statistics' })).toBeChecked();

    await userEvent.click(screen.getByTestId(ids.switch('timeline')));
    expect(isShown('timeline')).toBe(true);
    // Kept, hidden: not mounted again.
    expect(isShown('stats')).toBe(false);
    expect(screen.getByTestId(testIds.waterfall.row(SELECT))).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId(testIds.waterfall.details)).toBeInTheDocument();
  });

  it('opens on the view it is given, and marks the frame after a switched-to view painted', async () => {
    const marks: string[] = [];
    // jsdom has no performance.mark: record the calls.
    const had = performance.mark;
    performance.mark = ((name: string, opts?: PerformanceMarkOptions) => {
      marks.push(`${name} ${JSON.stringify(opts?.detail)}`);
      return undefined as unknown as PerformanceMark;
    }) as typeof performance.mark;
    try {
      render(<Harness trace={recorded()} initial="stats" />);
      expect(isShown('stats')).toBe(true);
      expect(isShown('timeline')).toBe(false);
      await userEvent.click(screen.getByTestId(ids.switch('timeline')));
      await act(() => new Promise((r) => setTimeout(r, 50)));
      expect(marks).toContain('traceway:view-shown {"view":"timeline"}');
      expect(marks.filter((m) => m.startsWith('traceway:view-shown'))).toHaveLength(1);
    } finally {
      performance.mark = had;
    }
  });

  it('leaves no view-shown mark pending after it unmounts (it would land in the next measurement)', async () => {
    const marks: string[] = [];
    const had = { mark: performance.mark, raf: window.requestAnimationFrame };
    performance.mark = ((name: string) => {
      marks.push(name);
      return undefined as unknown as PerformanceMark;
    }) as typeof performance.mark;
    // The frame comes at once: the mark's timeout is then pending when the views unmount.
    window.requestAnimationFrame = (cb: FrameRequestCallback) => {
      cb(0);
      return 1;
    };
    try {
      const { unmount } = render(<Harness trace={recorded()} initial="stats" />);
      fireEvent.click(screen.getByRole('radio', { name: 'Timeline' }));
      unmount();
      await act(() => new Promise((r) => setTimeout(r, 30)));
      expect(marks.filter((m) => m === 'traceway:view-shown')).toEqual([]);
    } finally {
      performance.mark = had.mark;
      window.requestAnimationFrame = had.raf;
    }
  });

  it('lists the statistics by self time, largest first, and sorts by any column', async () => {
    render(<Harness trace={recorded()} initial="stats" />);
    expect(screen.getByTestId(ids.statsHeader('selfNs'))).toHaveAttribute('aria-sort', 'descending');
    expect(statsRows().slice(0, 3)).toEqual([
      'jobservice/job scan',
      'registry/GET /v2/library/manifests/latest',
      'core/SELECT harbor.project',
    ]);
    expect(screen.getByTestId(ids.statsRow('jobservice/job scan'))).toHaveTextContent('30.4 ms');

    await userEvent.click(within(screen.getByTestId(ids.statsHeader('count'))).getByRole('button'));
    expect(screen.getByTestId(ids.statsHeader('count'))).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByTestId(ids.statsHeader('selfNs'))).toHaveAttribute('aria-sort', 'none');
    expect(statsRows()[0]).toBe(GATEWAY_OP);

    await userEvent.click(within(screen.getByTestId(ids.statsHeader('operation'))).getByRole('button'));
    expect(screen.getByTestId(ids.statsHeader('operation'))).toHaveAttribute('aria-sort', 'ascending');
    expect(statsRows()[0]).toBe('harbor-ui/click push');
    await userEvent.click(within(screen.getByTestId(ids.statsHeader('operation'))).getByRole('button'));
    expect(screen.getByTestId(ids.statsHeader('operation'))).toHaveAttribute('aria-sort', 'descending');
    expect(statsRows()[0]).toBe('core/SELECT harbor.project');

    // By service: one row each, the operation column gone.
    await userEvent.click(screen.getByRole('radio', { name: 'Service' }));
    expect(statsRows()).toEqual(['jobservice', 'registry', 'core', 'harbor-ui', 'gateway']);
    expect(screen.queryByTestId(ids.statsHeader('operation'))).toBeNull();
    expect(screen.getByTestId(ids.statsRow('core'))).toHaveTextContent(/^core4/);
  });

  it("filters the timeline to a row's spans (click, or Enter) and Show all brings every span back", async () => {
    const trace = recorded();
    render(<Harness trace={trace} initial="stats" />);
    await userEvent.click(screen.getByTestId(ids.statsRow(GATEWAY_OP)));
    expect(isShown('timeline')).toBe(true);
    expect(screen.getByTestId(ids.filterNotice)).toHaveTextContent(
      'Showing 2 spans: gateway: GET /api/v2.0/projects/scan'
    );
    // The two gateway spans and the harbor-ui spans above them, nothing else.
    expect(timelineIds().sort()).toEqual(['19ac6dec20641bb9', '219b339f995084c0', ...GATEWAY].sort());
    const dimmed = screen.getAllByRole('treeitem').filter((r) => r.hasAttribute('data-dimmed'));
    expect(dimmed.map((r) => r.getAttribute('data-testid'))).toEqual(
      ['19ac6dec20641bb9', '219b339f995084c0'].map(testIds.waterfall.row)
    );

    await userEvent.click(screen.getByTestId(ids.filterClear));
    expect(screen.queryByTestId(ids.filterNotice)).toBeNull();
    expect(screen.getAllByRole('treeitem')).toHaveLength(11);

    // Keyboard: Enter on the active row filters too (the third by self time).
    await userEvent.click(screen.getByTestId(ids.switch('stats')));
    act(() => screen.getByTestId(ids.statsTable).focus());
    await userEvent.keyboard('{Home}{ArrowDown}{ArrowDown}{Enter}');
    expect(isShown('timeline')).toBe(true);
    expect(screen.getByTestId(ids.filterNotice)).toHaveTextContent('Showing 1 span: core: SELECT harbor.project');
    expect(screen.getByTestId(testIds.waterfall.row(SELECT))).not.toHaveAttribute('data-dimmed');
    // The keyboard goes on in the timeline's list, not from <body> (the grid it left is hidden).
    expect(screen.getByTestId(testIds.waterfall.list)).toHaveFocus();
  });

  it('the statistics grid is one Tab stop: arrows, Page keys, Home and End move the active row, Enter opens it', async () => {
    render(<Harness trace={recorded()} initial="stats" />);
    const grid = screen.getByTestId(ids.statsTable);
    const rows = () => within(grid).getAllByRole('row').slice(1);
    // One Tab stop: the grid, not each row (the header's sort buttons are buttons).
    expect(grid).toHaveAttribute('tabindex', '0');
    expect(rows().filter((r) => r.hasAttribute('tabindex'))).toEqual([]);
    expect(grid).not.toHaveAttribute('aria-activedescendant');
    const active = () => {
      const id = grid.getAttribute('aria-activedescendant');
      const row = rows().find((r) => r.id === id)!;
      expect(rows().filter((r) => r.getAttribute('aria-selected') === 'true')).toEqual([row]);
      return row.getAttribute('data-testid')!.replace(ids.statsRow(''), '');
    };
    // Key presses straight to the grid (userEvent's per-key events are slow on a busy CI machine).
    const press = (...keys: string[]) => keys.forEach((key) => fireEvent.keyDown(grid, { key }));
    const all = statsRows();
    expect(all.length).toBeGreaterThan(3);

    // The grid's Tab stop comes just before its header's sort buttons.
    act(() =>
      within(screen.getByTestId(ids.statsHeader('service')))
        .getByRole('button')
        .focus()
    );
    await userEvent.tab({ shift: true });
    expect(grid).toHaveFocus();
    press('ArrowDown');
    expect(active()).toBe(all[0]);
    press('ArrowDown', 'ArrowDown');
    expect(active()).toBe(all[2]);
    press('ArrowUp');
    expect(active()).toBe(all[1]);
    press('End');
    expect(active()).toBe(all[all.length - 1]);
    press('ArrowDown'); // stays on the last
    expect(active()).toBe(all[all.length - 1]);
    press('Home');
    expect(active()).toBe(all[0]);
    press('PageDown');
    expect(all.indexOf(active())).toBeGreaterThan(1);
    press('PageUp');
    expect(active()).toBe(all[0]);

    // The active row keeps its group through a new order.
    press('ArrowDown', 'ArrowDown');
    expect(active()).toBe('core/SELECT harbor.project');
    await userEvent.click(within(screen.getByTestId(ids.statsHeader('operation'))).getByRole('button'));
    expect(active()).toBe('core/SELECT harbor.project');
    expect(statsRows()[0]).toBe('harbor-ui/click push');

    press('Enter');
    expect(isShown('timeline')).toBe(true);
    expect(screen.getByTestId(ids.filterNotice)).toHaveTextContent('Showing 1 span: core: SELECT harbor.project');
  }, 60_000);

  it('opens a span chosen in the span table in the timeline: selected, details open, reported; out of a filter', async () => {
    const trace = recorded();
    const onSpan = jest.fn();
    render(<Harness trace={trace} initial="stats" onSpan={onSpan} />);
    // A filter that leaves the span out: opening the span leaves the filter.
    await userEvent.click(screen.getByTestId(ids.statsRow('jobservice/job scan')));
    expect(screen.getByTestId(ids.filterNotice)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.waterfall.row(SELECT))).toBeNull();

    await userEvent.click(screen.getByTestId(ids.switch('table')));
    await userEvent.click(screen.getByTestId(testIds.spanTable.row(SELECT)));
    expect(isShown('timeline')).toBe(true);
    expect(isShown('table')).toBe(false);
    expect(screen.getByTestId(testIds.waterfall.row(SELECT))).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId(testIds.waterfall.details)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.filterNotice)).toBeNull();
    expect(onSpan).toHaveBeenLastCalledWith(SELECT);
    expect(screen.getByTestId(testIds.waterfall.list)).toHaveFocus();
  });

  it('Enter on a flame-graph box opens its span in the timeline with the keyboard focus on the list', async () => {
    const trace = recorded();
    render(<Harness trace={trace} initial="flame" onSpan={jest.fn()} />);
    const canvas = screen.getByTestId(testIds.flameGraph.canvas);
    act(() => canvas.focus());
    fireEvent.keyDown(canvas, { key: 'ArrowDown' });
    fireEvent.keyDown(canvas, { key: 'Enter' });
    expect(isShown('timeline')).toBe(true);
    const list = screen.getByTestId(testIds.waterfall.list);
    expect(list).toHaveFocus();
    // The opened span is the list's selected row: the arrows go on from it.
    const opened = within(list)
      .getAllByRole('treeitem')
      .find((r) => r.getAttribute('aria-selected') === 'true')!;
    expect(opened.getAttribute('data-testid')).toBe(testIds.waterfall.row(trace.spans[trace.order[1]].spanId));
  });

  it('leaves the focus alone on a plain switch of views', async () => {
    render(<Harness trace={recorded()} initial="stats" />);
    await userEvent.click(screen.getByTestId(ids.switch('timeline')));
    expect(screen.getByTestId(testIds.waterfall.list)).not.toHaveFocus();
  });
});
