import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readSearchAnswer } from '../../tempo/searchAnswer';
import { fixtureJson } from '../../testing/traces';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { testIds } from '../../components/testIds';
import { SearchTrace } from '../../tempo';
import { ResultsTable } from './ResultsTable';
import { ScatterPlot } from './ScatterPlot';
import { toRows } from './results';

const ids = testIds.searchPage;
const answer = (name: string) => readSearchAnswer(fixtureJson(`tempo-2.7.2/${name}.json`))!.traces;
const RECORDED = '5feb30ccfb3cdb0936f11324d886982a';

withJsdomLayout({ width: 1200, height: 600 });
jest.setTimeout(30_000);

const rowIds = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.getAttribute('data-testid')!.replace(ids.row(''), ''));

describe('ResultsTable', () => {
  const traces = answer('search-service-duration');
  const failed = new Set(answer('search-error-select').map((t) => t.traceId));

  function renderTable(rows = toRows(traces, failed, false)) {
    const onOpen = jest.fn<void, [SearchTrace]>();
    render(<ResultsTable rows={rows} hrefOf={(t) => `/trace/${t.traceId}`} onOpen={onOpen} height={600} />);
    return onOpen;
  }

  it('lists the traces newest first with root service, root span, start, duration and matched spans', () => {
    renderTable();
    expect(rowIds()).toHaveLength(20);
    const row = screen.getByTestId(ids.row(RECORDED));
    expect(row).toHaveTextContent('harbor-ui');
    expect(row).toHaveTextContent('click push');
    expect(row).toHaveTextContent('54 ms');
    expect(within(row).getByRole('link')).toHaveAttribute('href', `/trace/${RECORDED}`);
    const starts = traces.map((t) => t.startMs).sort((a, b) => b - a);
    expect(rowIds()).toEqual(starts.map((s) => traces.find((t) => t.startMs === s)!.traceId));
  });

  it('sorts by a column, and again the other way', async () => {
    renderTable();
    await userEvent.click(screen.getByTestId(ids.sort('durationMs')));
    const byDuration = (desc: boolean) =>
      [...traces]
        .sort((a, b) => (desc ? b.durationMs! - a.durationMs! : a.durationMs! - b.durationMs!) || b.startMs - a.startMs)
        .map((t) => t.traceId);
    expect(rowIds()).toEqual(byDuration(true));
    expect(screen.getAllByRole('columnheader').find((h) => h.textContent?.startsWith('Duration'))).toHaveAttribute(
      'aria-sort',
      'descending'
    );
    await userEvent.click(screen.getByTestId(ids.sort('durationMs')));
    expect(rowIds()).toEqual(byDuration(false));
  });

  it('marks failed traces and opens a trace on click or Enter', async () => {
    const service = answer('search-service');
    const onOpen = renderTable(toRows(service, failed, false));
    expect(screen.getAllByTestId(ids.errorMark)).toHaveLength(2);
    expect(
      within(screen.getByTestId(ids.row('2a9949f99c729ca9394c691fa9298218'))).getByTestId(ids.errorMark)
    ).toBeInTheDocument();
    await userEvent.click(screen.getByTestId(ids.row('1d21d473bf2b0f088141344693356b5a')));
    expect(onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ traceId: '1d21d473bf2b0f088141344693356b5a' }));
    screen.getByTestId(ids.row('2a9949f99c729ca9394c691fa9298218')).focus();
    await userEvent.keyboard('{Enter}');
    expect(onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ traceId: '2a9949f99c729ca9394c691fa9298218' }));
  });

  it('shows the matched spans of a row, with the attributes Tempo returned', async () => {
    const onOpen = renderTable(toRows(answer('search-request-id'), new Set(), false));
    expect(screen.queryByTestId(ids.matchedSpans(RECORDED))).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId(ids.expand(RECORDED)));
    const spans = screen.getByTestId(ids.matchedSpans(RECORDED));
    expect(spans).toHaveTextContent('19ac6dec20641bb9');
    expect(spans).toHaveTextContent('request_id=c3f3de22-5ca0-4e9d-9dcb-dfcdd33ef212');
    // Tempo returned 3 of the 5 spans that matched.
    expect(spans).toHaveTextContent('3 of 5 matched spans shown');
    // The rows below move down by the list's height.
    const offset = (id: string) => screen.getByTestId(ids.row(id)).parentElement!.style.transform;
    expect(offset(RECORDED)).toBe('translateY(0px)');
    // The toggle does not open the trace.
    expect(onOpen).not.toHaveBeenCalled();
  });

  it('moves the rows below an opened row down by its matched spans', async () => {
    renderTable();
    const offset = (id: string) => screen.getByTestId(ids.row(id)).parentElement!.style.transform;
    const [first, second] = rowIds();
    expect(offset(second)).toBe('translateY(36px)');
    await userEvent.click(screen.getByTestId(ids.expand(first)));
    // 36 px row, 4 px padding above and below, a 24 px line per span and one for "n of m shown".
    const t = traces.find((x) => x.traceId === first)!;
    expect(t.spans.length).toBe(2);
    const lines = t.spans.length + (t.matched > t.spans.length ? 1 : 0);
    expect(offset(second)).toBe(`translateY(${36 + 8 + lines * 24}px)`);
    await userEvent.click(screen.getByTestId(ids.expand(first)));
    expect(offset(second)).toBe('translateY(36px)');
  });

  it('renders only the rows in view of 1,000 results', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      ...traces[i % 20],
      traceId: i.toString(16).padStart(32, '0'),
    }));
    renderTable(toRows(many, new Set(), false));
    const rendered = screen.getAllByRole('row').length - 1;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByRole('table')).toHaveAttribute('aria-rowcount', '1001');
  });
});

describe('ScatterPlot', () => {
  /** The centres of the circles in the plot's path of traces that did not fail. */
  const circles = (d: string) =>
    [...d.matchAll(/M(-?[\d.]+) (-?[\d.]+)a/g)].map((m) => ({ x: Number(m[1]) + 3.5, y: Number(m[2]) }));

  it('draws one point per trace, failed ones distinct, and a click opens the trace', async () => {
    const service = answer('search-service');
    const failed = new Set(answer('search-error-select').map((t) => t.traceId));
    const onOpen = jest.fn();
    const from = Math.min(...service.map((t) => t.startMs)) - 1000;
    render(<ScatterPlot rows={toRows(service, failed, false)} fromMs={from} toMs={from + 60_000} onOpen={onOpen} />);
    const ok = screen.getByTestId(ids.scatterPoint);
    const errors = screen.getByTestId(ids.scatterErrorPoint);
    expect(ok).toHaveAttribute('data-count', '3');
    expect(errors).toHaveAttribute('data-count', '2');
    // Diamonds for the failed ones, one subpath each.
    expect(errors.getAttribute('d')!.match(/M/g)).toHaveLength(2);
    expect(screen.getByRole('img')).toHaveAttribute('aria-label', 'Duration over start time of 5 traces, 2 failed');
    // The longest trace (62 ms) is the highest point; the axis reaches past it.
    const points = circles(ok.getAttribute('d')!);
    expect(points).toHaveLength(3);
    const top = points.reduce((a, b) => (b.y < a.y ? b : a));
    expect(screen.getByText('80 ms')).toBeInTheDocument();
    const svg = screen.getByRole('img');
    await userEvent.pointer({ target: svg, coords: { clientX: top.x + 2, clientY: top.y - 1 } });
    expect(screen.getByTestId(ids.scatterTooltip)).toHaveTextContent('harbor-ui click push62 ms');
    await userEvent.pointer({ keys: '[MouseLeft]', target: svg, coords: { clientX: top.x + 2, clientY: top.y - 1 } });
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ traceId: '1d21d473bf2b0f088141344693356b5a' }));
    // Away from every point: nothing to open.
    await userEvent.pointer({ target: svg, coords: { clientX: 1, clientY: 1 } });
    expect(screen.queryByTestId(ids.scatterTooltip)).not.toBeInTheDocument();
    onOpen.mockClear();
    await userEvent.pointer({ keys: '[MouseLeft]', target: svg, coords: { clientX: 1, clientY: 1 } });
    expect(onOpen).not.toHaveBeenCalled();
  });

  it('keeps the tooltip on the hovered trace when arriving results reorder the rows', async () => {
    const service = answer('search-service');
    const failed = new Set(answer('search-error-select').map((t) => t.traceId));
    const from = Math.min(...service.map((t) => t.startMs)) - 1000;
    const plot = (traces: SearchTrace[]) => (
      <ScatterPlot rows={toRows(traces, failed, false)} fromMs={from} toMs={from + 60_000} onOpen={() => {}} />
    );
    const { rerender } = render(plot(service));
    const top = circles(screen.getByTestId(ids.scatterPoint).getAttribute('d')!).reduce((a, b) => (b.y < a.y ? b : a));
    await userEvent.pointer({ target: screen.getByRole('img'), coords: { clientX: top.x + 2, clientY: top.y - 1 } });
    expect(screen.getByTestId(ids.scatterTooltip)).toHaveTextContent('harbor-ui click push62 ms');
    // The same traces in another order, as a progressive update merges them.
    rerender(plot([...service].reverse()));
    expect(screen.getByTestId(ids.scatterTooltip)).toHaveTextContent('harbor-ui click push62 ms');
    // The trace gone from the results: no tooltip for another one.
    rerender(plot(service.filter((t) => t.traceId !== '1d21d473bf2b0f088141344693356b5a')));
    expect(screen.queryByTestId(ids.scatterTooltip)).not.toBeInTheDocument();
  });
});
