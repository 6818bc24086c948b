import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GrafanaConfig, RawTimeRange, createTheme, locationUtil } from '@grafana/data';
import { Trace, errorSubtrees, parseTrace } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { IMG, JS_URL, SCRIPT, payloadTrace, tempoV2 } from '../../../tests/traces';
import { testIds } from '../testIds';
import { Waterfall, WaterfallProps } from './Waterfall';
import { timeTicks } from './model';
import { withJsdomLayout } from '../../testing/jsdomLayout';

const ids = testIds.waterfall;
const ROOT = '19ac6dec20641bb9'; // click push (harbor-ui)
const SELECT = 'e1ff702a5a2c8ac4'; // SELECT harbor.project (core), depth 5
const CORE_SERVER = '3846b10d2d53dec8'; // GET /api/v2.0/projects/scan (core), 6 spans below

const recorded = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));
const failed = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2-error.json'));

withJsdomLayout();
// Full renders with user events: slow on a busy CI machine, so more than Jest's default 5 s each.
jest.setTimeout(30_000);

function renderWaterfall(props: Partial<WaterfallProps> & { trace: Trace }) {
  return render(<Waterfall height={700} {...props} />);
}

const rowOf = (spanId: string) => screen.getByTestId(ids.row(spanId));
const queryRow = (spanId: string) => screen.queryByTestId(ids.row(spanId));
const rowCount = () => screen.getAllByRole('treeitem').length;

describe('Waterfall rows', () => {
  it('shows every span with its service, duration bar, indentation and a time axis', () => {
    renderWaterfall({ trace: recorded() });
    expect(rowCount()).toBe(11);
    const root = rowOf(ROOT);
    expect(root).toHaveTextContent('harbor-ui');
    expect(root).toHaveTextContent('click push');
    expect(root).toHaveTextContent('54.8 ms');
    expect(root).toHaveAttribute('aria-level', '1');
    expect(rowOf(SELECT)).toHaveAttribute('aria-level', '6');
    // the root spans the whole axis
    const bar = within(root).getByTestId(ids.bar);
    expect(bar.style.left).toBe('0%');
    expect(parseFloat(bar.style.width)).toBeCloseTo(100, 3);
    const ticks = screen.getAllByTestId(ids.tick).map((t) => t.textContent);
    // one unit across the axis, 0 included
    expect(ticks.slice(0, 3)).toEqual(['0 ms', '10 ms', '20 ms']);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(screen.getByTestId(ids.header)).toHaveTextContent('11 of 11 spans');
  });

  it('marks failed spans', () => {
    renderWaterfall({ trace: failed() });
    expect(screen.getAllByTestId(ids.errorMark).length).toBeGreaterThan(0);
  });

  it('collapses and expands a subtree from its toggle', async () => {
    renderWaterfall({ trace: recorded() });
    await userEvent.click(screen.getByTestId(ids.toggle(CORE_SERVER)));
    expect(queryRow(SELECT)).toBeNull();
    expect(rowOf(CORE_SERVER)).toHaveAttribute('aria-expanded', 'false');
    expect(rowOf(CORE_SERVER)).toHaveTextContent('+6');
    expect(rowCount()).toBe(5);
    await userEvent.click(screen.getByTestId(ids.toggle(CORE_SERVER)));
    expect(rowCount()).toBe(11);
  });

  it('collapses all and expands all', async () => {
    renderWaterfall({ trace: recorded() });
    await userEvent.click(screen.getByTestId(ids.collapseAll));
    expect(rowCount()).toBe(1);
    await userEvent.click(screen.getByTestId(ids.expandAll));
    expect(rowCount()).toBe(11);
  });

  it('shows only the paths to errors when asked', async () => {
    const trace = failed();
    renderWaterfall({ trace });
    const all = rowCount();
    await userEvent.click(within(screen.getByTestId(ids.container)).getByLabelText('Errors only'));
    const shown = rowCount();
    expect(shown).toBeLessThan(all);
    expect(shown).toBeGreaterThan(0);
    for (const row of screen.getAllByRole('treeitem')) {
      // every row left is an error or leads to one
      const id = row.getAttribute('data-testid')!.split('-').pop()!;
      const i = trace.spans.findIndex((s) => s.spanId === id);
      let leads = trace.statusCode[i] === 2;
      for (let k = trace.orderPos[i]; k < trace.orderPos[i] + trace.subtreeSize[i]; k++) {
        leads ||= trace.statusCode[trace.order[k]] === 2;
      }
      expect(leads).toBe(true);
    }
  });

  it('keeps errors only on when the selected span is fed back as the deep link', async () => {
    const trace = failed();
    const errorPaths = errorSubtrees(trace);
    const healthy = trace.spans.find((sp) => errorPaths[sp.index] === 0)!;
    // As the Trace page does: the selection goes to the URL and comes back as selectedSpanId.
    function Page() {
      const [span, setSpan] = React.useState<string>();
      return <Waterfall height={700} trace={trace} selectedSpanId={span} onSelectedSpanChange={setSpan} />;
    }
    render(<Page />);
    await userEvent.click(rowOf(healthy.spanId));
    const toggle = screen.getByRole('switch', { name: 'Errors only' });
    await userEvent.click(toggle);
    expect(toggle).toBeChecked();
    expect(queryRow(healthy.spanId)).toBeNull();
  });

  it('highlights the critical path by default and can turn it off', async () => {
    renderWaterfall({ trace: recorded() });
    const critical = () => document.querySelectorAll(`[data-testid="${ids.bar}"] > span`).length;
    expect(screen.getByTestId(ids.criticalLegend)).toHaveAccessibleName(/critical path is the chain of work/);
    expect(critical()).toBeGreaterThan(0);
    await userEvent.click(within(screen.getByTestId(ids.container)).getByLabelText('Critical path'));
    expect(critical()).toBe(0);
  });
});

describe('Waterfall find', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('counts matches and steps through them, selecting each', async () => {
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    renderWaterfall({ trace: recorded() });
    await user.type(screen.getByTestId(ids.find), 'core');
    act(() => jest.advanceTimersByTime(200));
    const count = screen.getByTestId(ids.findCount);
    expect(count).toHaveTextContent('1 of 4');
    const first = screen.getAllByRole('treeitem').find((r) => r.getAttribute('aria-selected') === 'true')!;
    expect(first).toHaveTextContent('core');
    await user.click(screen.getByTestId(ids.findNext));
    expect(count).toHaveTextContent('2 of 4');
    await user.click(screen.getByTestId(ids.findPrev));
    await user.click(screen.getByTestId(ids.findPrev));
    expect(count).toHaveTextContent('4 of 4');
    // Enter in the find box goes to the next match, wrapping around
    await user.type(screen.getByTestId(ids.find), '{Enter}');
    expect(count).toHaveTextContent('1 of 4');
    await user.clear(screen.getByTestId(ids.find));
    await user.type(screen.getByTestId(ids.find), 'no-such-thing');
    act(() => jest.advanceTimersByTime(200));
    expect(count).toHaveTextContent('No matches');
  });

  it('reveals a match hidden in a collapsed subtree', async () => {
    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    renderWaterfall({ trace: recorded() });
    await user.click(screen.getByTestId(ids.collapseAll));
    expect(queryRow(SELECT)).toBeNull();
    await user.type(screen.getByTestId(ids.find), 'SELECT');
    act(() => jest.advanceTimersByTime(200));
    expect(rowOf(SELECT)).toHaveAttribute('aria-selected', 'true');
  });
});

describe('Waterfall keyboard', () => {
  it('moves, collapses, expands, opens and closes with the keys of a tree', async () => {
    const user = userEvent.setup();
    renderWaterfall({ trace: recorded() });
    screen.getByTestId(ids.list).focus();
    await user.keyboard('{ArrowDown}');
    expect(rowOf(ROOT)).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowLeft}');
    expect(rowCount()).toBe(1);
    await user.keyboard('{ArrowRight}');
    expect(rowCount()).toBe(11);
    await user.keyboard('{ArrowRight}{ArrowDown}');
    expect(screen.getAllByRole('treeitem').find((r) => r.getAttribute('aria-selected') === 'true')).toHaveAttribute(
      'aria-level',
      '3'
    );
    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(rowOf(ROOT)).toHaveAttribute('aria-selected', 'false');
    await user.keyboard('{Home}{Enter}');
    expect(screen.getByTestId(ids.details)).toHaveTextContent('click push');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId(ids.details)).toBeNull();
    await user.keyboard('/');
    expect(screen.getByTestId(ids.find)).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.getByTestId(ids.list)).toHaveFocus();
  });
});

describe('Span details', () => {
  it("says a span that starts the trace starts it, rather than '+0 ns into the trace'", async () => {
    renderWaterfall({ trace: recorded() });
    await userEvent.click(rowOf(ROOT));
    const details = screen.getByTestId(ids.details);
    expect(details).toHaveTextContent("(the trace's start)");
    expect(details).not.toHaveTextContent('into the trace');
  });

  it('shows a clicked span in full, with copy buttons', async () => {
    const onSelectedSpanChange = jest.fn();
    renderWaterfall({ trace: recorded(), onSelectedSpanChange });
    await userEvent.click(rowOf(SELECT));
    expect(onSelectedSpanChange).toHaveBeenLastCalledWith(SELECT);
    const details = screen.getByTestId(ids.details);
    expect(details).toHaveTextContent('SELECT harbor.project');
    expect(details).toHaveTextContent('Servicecore');
    expect(details).toHaveTextContent('Kindclient');
    expect(details).toHaveTextContent('Statusunset');
    expect(details).toHaveTextContent(/Start\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \(\+[\d.]+ ms into the trace\)/);
    expect(details).toHaveTextContent(/Self time[\d.]+ [µm]s/);
    expect(details).toHaveTextContent(`Span ID${SELECT}`);
    expect(details).toHaveTextContent('Trace ID5feb30ccfb3cdb0936f11324d886982a');
    expect(within(details).getByRole('button', { name: 'Copy span ID' })).toBeInTheDocument();
    expect(within(details).getByRole('button', { name: 'Copy trace ID' })).toBeInTheDocument();
    expect(screen.getByTestId(ids.attribute('resource', 'service.name'))).toHaveTextContent('core');
    expect(within(details).getAllByRole('button', { name: /^Copy / }).length).toBeGreaterThan(4);
    await userEvent.click(screen.getByTestId(ids.detailsClose));
    expect(screen.queryByTestId(ids.details)).toBeNull();
    expect(onSelectedSpanChange).toHaveBeenCalledTimes(1);
  });

  it('selects the deep-linked span, opens it and follows a new link', () => {
    const trace = recorded();
    const { rerender } = renderWaterfall({ trace, selectedSpanId: SELECT.toUpperCase() });
    expect(rowOf(SELECT)).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId(ids.details)).toHaveTextContent('SELECT harbor.project');
    rerender(<Waterfall height={700} trace={trace} selectedSpanId={ROOT} />);
    expect(screen.getByTestId(ids.details)).toHaveTextContent('click push');
    rerender(<Waterfall height={700} trace={trace} selectedSpanId="00000000000000ff" />);
    expect(screen.getByTestId(ids.missingSpan)).toHaveTextContent('Span 00000000000000ff is not in this trace');
  });

  it("builds the selected span's links once per selection, not on every render", async () => {
    const trace = recorded();
    const spanLinks = jest.fn((_t: Trace, span: number) => [
      { kind: 'logs' as const, title: `Logs of ${trace.spans[span].name}`, href: '/explore' },
    ]);
    const { rerender } = renderWaterfall({ trace, spanLinks });
    expect(spanLinks).not.toHaveBeenCalled(); // no details open: nothing to build
    await userEvent.click(rowOf(SELECT));
    expect(spanLinks).toHaveBeenCalledTimes(1);
    expect(spanLinks).toHaveBeenLastCalledWith(trace, trace.spans.findIndex((s) => s.spanId === SELECT));
    // Renders that keep the selection (a resize here; scrolling does the same) reuse them.
    rerender(<Waterfall height={650} trace={trace} spanLinks={spanLinks} />);
    rerender(<Waterfall height={600} trace={trace} spanLinks={spanLinks} />);
    expect(spanLinks).toHaveBeenCalledTimes(1);
    await userEvent.click(rowOf(ROOT));
    expect(spanLinks).toHaveBeenCalledTimes(2);
  });

  it('shows exception events with a readable stack trace', async () => {
    const trace = failed();
    renderWaterfall({ trace });
    const withEvent = trace.spans.find((s) => s.events.some((e) => e.name === 'exception'))!;
    await userEvent.click(rowOf(withEvent.spanId));
    const event = screen.getAllByTestId(ids.event)[0];
    expect(event).toHaveTextContent('exception');
    const stack = event.querySelector('pre');
    if (withEvent.events[0].attributes.some((a) => a.key === 'exception.stacktrace')) {
      expect(stack?.textContent).toContain('\n');
    }
  });

  it('renders markup as text and links only http(s) URLs', async () => {
    renderWaterfall({ trace: parseTrace(payloadTrace()) });
    await userEvent.click(rowOf('00000000000000a1'));
    const container = screen.getByTestId(ids.container);
    expect(container.querySelector('script, img, iframe')).toBeNull();
    expect(container).toHaveTextContent(SCRIPT);
    expect(container).toHaveTextContent(IMG);
    const hrefs = Array.from(container.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    expect(hrefs).toContain('https://grafana.com/docs/tempo/');
    for (const href of hrefs) {
      expect(href).toMatch(/^(https?:\/\/|\/a\/traceway-explorer-app\/)/);
    }
    expect(screen.getByTestId(ids.attribute('span', 'http.url'))).toHaveTextContent(JS_URL);
    expect(within(screen.getByTestId(ids.attribute('span', 'http.url'))).queryByRole('link')).toBeNull();
  });

  it('opens a linked trace through the callback', async () => {
    const onOpenTrace = jest.fn();
    renderWaterfall({ trace: parseTrace(payloadTrace()), onOpenTrace });
    await userEvent.click(rowOf('00000000000000a1'));
    const link = screen.getByTestId(ids.link);
    expect(link).toHaveAttribute(
      'href',
      '/a/traceway-explorer-app/trace/000000000000000000000000000000ff?span=00000000000000ff'
    );
    await userEvent.click(link);
    expect(onOpenTrace).toHaveBeenCalledWith('000000000000000000000000000000ff', '00000000000000ff');
  });

  it("puts Grafana's sub-path in links to other traces", async () => {
    locationUtil.initialize({
      config: { appSubUrl: '/grafana' } as GrafanaConfig,
      getTimeRangeForUrl: () => ({}) as RawTimeRange,
      getVariablesUrlParams: () => ({}),
    });
    try {
      renderWaterfall({ trace: parseTrace(payloadTrace()) });
      await userEvent.click(rowOf('00000000000000a1'));
      expect(screen.getByTestId(ids.link)).toHaveAttribute(
        'href',
        '/grafana/a/traceway-explorer-app/trace/000000000000000000000000000000ff?span=00000000000000ff'
      );
    } finally {
      locationUtil.initialize({
        config: { appSubUrl: '' } as GrafanaConfig,
        getTimeRangeForUrl: () => ({}) as RawTimeRange,
        getVariablesUrlParams: () => ({}),
      });
    }
  });
});

describe('Waterfall options and guards', () => {
  it('applies row size, name column width, colouring and minimap options', () => {
    const trace = failed();
    renderWaterfall({
      trace,
      options: { rowSize: 'compact', nameColumnWidth: 50, colorBy: 'status', showMinimap: false },
    });
    const rows = screen.getAllByRole('treeitem');
    expect(rows[0].style.height).toBe('20px');
    expect((rows[0].firstChild as HTMLElement).style.width).toBe('50%');
    expect(screen.queryByTestId(ids.minimap)).toBeNull();
    const theme = createTheme();
    const errorRow = screen.getAllByTestId(ids.errorMark)[0].closest('[role="treeitem"]') as HTMLElement;
    expect(within(errorRow).getByTestId(ids.bar).style.background).toBe(
      // jsdom normalises colours to rgb()
      toRgb(theme.colors.error.main)
    );
  });

  it('warns above the span limit and starts with the critical path off', () => {
    renderWaterfall({ trace: recorded(), options: { spanLimit: 5 } });
    expect(screen.getByTestId(ids.sizeWarning)).toHaveTextContent('A very large trace: 11 spans');
    expect(within(screen.getByTestId(ids.container)).getByLabelText('Critical path')).not.toBeChecked();
    expect(rowCount()).toBe(11);
  });

  it('refuses a trace beyond what the browser can hold', () => {
    const trace = recorded();
    const huge = { ...trace, spans: { length: 1_000_001 } } as unknown as Trace;
    renderWaterfall({ trace: huge });
    expect(screen.getByTestId(ids.refused)).toHaveTextContent('It has 1,000,001 spans');
    expect(screen.queryByRole('treeitem')).toBeNull();
  });

  it("lists the model's warnings behind a summary", async () => {
    const trace = parseTrace(
      tempoV2('000000000000000000000000000000aa', [
        { id: '0000000000000001', name: 'root', service: 'a', startMs: 0, durationMs: 10 },
        { id: '0000000000000002', parent: '0000000000000009', name: 'lost', service: 'b', startMs: 1, durationMs: 2 },
      ])
    );
    renderWaterfall({ trace });
    const banner = screen.getByTestId(ids.warnings);
    expect(banner).toHaveTextContent('orphan spans (1)');
    await userEvent.click(within(banner).getByRole('button', { name: 'Show details' }));
    expect(banner).toHaveTextContent('0000000000000002');
  });
});

describe('timeTicks', () => {
  it('puts round ticks across the window, labelled from the trace start', () => {
    const ticks = timeTicks(0, 54_800_000, 0);
    expect(ticks.map((t) => t.offsetNs)).toEqual([0, 1e7, 2e7, 3e7, 4e7, 5e7]);
    const zoomed = timeTicks(12_345_000, 13_000_000, 0);
    expect(zoomed[0].offsetNs).toBe(12_400_000);
    expect(zoomed[0].at).toBeCloseTo(55_000 / 655_000, 6);
  });
});

function toRgb(color: string): string {
  const el = document.createElement('div');
  el.style.background = color;
  return el.style.background;
}
