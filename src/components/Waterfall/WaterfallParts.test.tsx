import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createTheme } from '@grafana/data';
import { Trace, parseTrace, summarize } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { SpanSpec, tempoV2 } from '../../../tests/traces';
import { testIds } from '../testIds';
import { TraceHeader } from '../TraceHeader/TraceHeader';
import { Waterfall, WaterfallProps } from './Waterfall';
import { SERVICE_PALETTE, barColors, paletteColor, serviceColorsFor, serviceLegend, servicesInOrder } from './colors';
import { Minimap } from './Minimap';
import { flagNotes } from './SpanDetails';
import { withJsdomLayout } from '../../testing/jsdomLayout';

const ids = testIds.waterfall;
const TRACE_ID = '000000000000000000000000000000aa';
const ROOT = '0000000000000001';
const SKEWED = '0000000000000003';

const recorded = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));
const build = (spans: SpanSpec[]) => parseTrace(tempoV2(TRACE_ID, spans));

/** gateway calls registry, whose server span starts 50 ms before the call: clocks 50 ms apart. */
const skewed = () =>
  build([
    { id: ROOT, name: 'GET /v2', service: 'gateway', kind: 'server', startMs: 100, durationMs: 100 },
    {
      id: '0000000000000002',
      parent: ROOT,
      name: 'call',
      service: 'gateway',
      kind: 'client',
      startMs: 110,
      durationMs: 40,
    },
    {
      id: SKEWED,
      parent: '0000000000000002',
      name: 'GET /v2/manifests',
      service: 'registry',
      kind: 'server',
      startMs: 60,
      durationMs: 30,
    },
    {
      id: '0000000000000004',
      parent: ROOT,
      name: '',
      service: 'a-service-with-a-really-long-name-indeed',
      startMs: 160,
      durationMs: 10,
    },
  ]);

withJsdomLayout();
// Full renders with user events: slow on a busy CI machine, so more than Jest's default 5 s each.
jest.setTimeout(30_000);

function renderWaterfall(props: Partial<WaterfallProps> & { trace: Trace }) {
  return render(<Waterfall height={700} {...props} />);
}
const rowOf = (spanId: string) => screen.getByTestId(ids.row(spanId));

// CIE L*a*b* distance between two #rrggbb colours: how different they look.
function lab(hex: string): number[] {
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
  const [r, g, b] = [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047);
  const y = f(r * 0.2126 + g * 0.7152 + b * 0.0722);
  const z = f((r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}
const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));
const hex = (c: string) => {
  const el = document.createElement('div');
  el.style.color = c;
  const [r, g, b] = el.style.color.match(/\d+/g)!.map(Number);
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
};

describe('service colours', () => {
  it.each(['dark', 'light'] as const)('are eight clearly different, non-red hues in the %s theme', (mode) => {
    const theme = createTheme({ colors: { mode } });
    const palette = SERVICE_PALETTE[mode];
    for (let i = 0; i < palette.length; i++) {
      for (let j = i + 1; j < palette.length; j++) {
        expect(deltaE(palette[i], palette[j])).toBeGreaterThan(20);
      }
      // far from the error colour the waterfall marks failures with
      expect(deltaE(palette[i], hex(theme.colors.error.main))).toBeGreaterThan(40);
      expect(paletteColor(theme, i)).toBe(palette[i]);
    }
    // a ninth service repeats a hue in another tone
    expect(paletteColor(theme, 8)).not.toBe(palette[0]);
  });

  it('are given in the order services first appear, so the first services differ most', () => {
    const trace = recorded();
    const order = servicesInOrder(trace).map((s) => trace.services[s]);
    expect(order[0]).toBe('harbor-ui');
    expect(new Set(order).size).toBe(trace.services.length);
    const theme = createTheme({ colors: { mode: 'dark' } });
    const colors = serviceColorsFor(theme, trace);
    order.forEach((name, k) => expect(colors[trace.services.indexOf(name)]).toBe(SERVICE_PALETTE.dark[k]));
    expect(new Set(colors).size).toBe(trace.services.length);
  });

  it('make a legend with span and error counts', () => {
    const trace = recorded();
    const legend = serviceLegend(createTheme(), trace);
    expect(legend.map((e) => e.service)).toEqual(servicesInOrder(trace).map((s) => trace.services[s]));
    expect(legend.reduce((n, e) => n + e.spans, 0)).toBe(trace.spans.length);
  });

  it('show in the trace header with the counts', () => {
    const trace = recorded();
    render(<TraceHeader summary={summarize(trace)} exploreHref="/explore" trace={trace} />);
    const legend = screen.getByTestId(testIds.tracePage.services);
    const items = within(legend).getAllByRole('listitem');
    expect(items).toHaveLength(trace.services.length);
    expect(items[0]).toHaveTextContent('harbor-ui');
    const core = screen.getByTestId(testIds.tracePage.service('core'));
    const coreSpans = trace.spans.filter((s) => s.resource.serviceName === 'core').length;
    expect(core).toHaveTextContent(`core${coreSpans}`);
  });

  it('count errors per service in the header legend', () => {
    const trace = parseTrace(fixtureJson('tempo-2.7.2/trace-v2-error.json'));
    render(<TraceHeader summary={summarize(trace)} exploreHref="/explore" trace={trace} />);
    const errors = serviceLegend(createTheme(), trace).filter((e) => e.errors > 0);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(screen.getByTestId(testIds.tracePage.service(e.service))).toHaveTextContent(
        `${e.service}${e.spans}${e.errors} ${e.errors === 1 ? 'error' : 'errors'}`
      );
    }
  });
});

describe('clock skew', () => {
  it('marks the skewed row with its size, and no other', async () => {
    renderWaterfall({ trace: skewed() });
    const marks = screen.getAllByTestId(ids.skewMark);
    expect(marks).toHaveLength(1);
    expect(within(rowOf(SKEWED)).getByTestId(ids.skewMark)).toHaveAccessibleName(
      'Clock skew: starts 50.0 ms before its parent'
    );
    await userEvent.click(rowOf(SKEWED));
    expect(screen.getByTestId(ids.detailsSkew)).toHaveTextContent('Starts 50.0 ms before its parent');
    expect(screen.getByTestId(ids.details)).toHaveTextContent('Clock skew');
  });

  it('is not shown on a healthy recorded trace', () => {
    renderWaterfall({ trace: recorded() });
    expect(screen.queryAllByTestId(ids.skewMark)).toHaveLength(0);
  });
});

describe('span details', () => {
  it('say what the model noticed in whole sentences', async () => {
    const trace = build([
      { id: ROOT, name: 'root', service: 'a', startMs: 0, durationMs: 10 },
      { id: '0000000000000002', parent: '0000000000000009', name: 'lost', service: 'b', startMs: 1, durationMs: 2 },
    ]);
    const lost = trace.spans.findIndex((s) => s.name === 'lost');
    expect(flagNotes(trace, lost)).toEqual([
      'Its parent span 0000000000000009 is not in this trace, so it is shown as a root.',
    ]);
    renderWaterfall({ trace });
    await userEvent.click(rowOf('0000000000000002'));
    const notes = screen.getByTestId(ids.detailsNotes);
    expect(notes).toHaveTextContent('Its parent span 0000000000000009 is not in this trace');
    expect(notes).not.toHaveTextContent('This span its');
  });
});

describe('names', () => {
  it('show the span name before the service, and a placeholder for an empty name', () => {
    renderWaterfall({ trace: skewed() });
    const row = rowOf('0000000000000004');
    expect(row).toHaveTextContent(/\(no name\)a-service-with-a-really-long-name-indeed/);
    expect(within(row).getByText('(no name)')).toHaveStyle({ fontStyle: 'italic' });
    expect(rowOf(ROOT)).toHaveTextContent(/GET \/v2gateway/);
  });
});

describe('notices', () => {
  it('a missing deep-linked span is a one-line notice that can be dismissed, rows keep their height', async () => {
    renderWaterfall({ trace: recorded(), selectedSpanId: 'ffffffffffffffff' });
    const notice = screen.getByTestId(ids.missingSpan);
    expect(notice).toHaveTextContent('Span ffffffffffffffff is not in this trace');
    expect(screen.getAllByRole('treeitem')[0].style.height).toBe('28px');
    await userEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId(ids.missingSpan)).toBeNull();
  });

  it('the large-trace warning is one dismissible line too', async () => {
    renderWaterfall({ trace: recorded(), options: { spanLimit: 5 } });
    const notice = screen.getByTestId(ids.sizeWarning);
    await userEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId(ids.sizeWarning)).toBeNull();
  });
});

describe('resizing', () => {
  it('the name column follows its handle, by keyboard too, without moving the selection', async () => {
    const user = userEvent.setup();
    renderWaterfall({ trace: recorded() });
    const handle = screen.getByTestId(ids.nameResize);
    expect(handle).toHaveAttribute('role', 'separator');
    expect(handle).toHaveAttribute('aria-valuenow', '30');
    handle.focus();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(handle).toHaveAttribute('aria-valuenow', '34');
    const first = screen.getAllByRole('treeitem')[0];
    expect((first.firstChild as HTMLElement).style.width).toBe('34%');
    await user.keyboard('{Shift>}{ArrowLeft}{/Shift}');
    expect(handle).toHaveAttribute('aria-valuenow', '24');
    // the tree's keys did not act: nothing selected, nothing collapsed
    expect(screen.getAllByRole('treeitem')).toHaveLength(11);
    expect(screen.getAllByRole('treeitem').some((r) => r.getAttribute('aria-selected') === 'true')).toBe(false);
  });

  it('the details pane follows its handle', async () => {
    const user = userEvent.setup();
    renderWaterfall({ trace: recorded() });
    await user.click(screen.getAllByRole('treeitem')[0]);
    const handle = screen.getByTestId(ids.detailsResize);
    const pane = handle.parentElement!;
    handle.focus();
    await user.keyboard('{ArrowLeft}');
    const width = parseFloat(pane.style.width);
    expect(width).toBeGreaterThanOrEqual(260);
    await user.keyboard('{ArrowLeft}');
    expect(parseFloat(pane.style.width)).toBe(width + 16);
    await user.keyboard('{ArrowRight}');
    expect(parseFloat(pane.style.width)).toBe(width);
  });
});

describe('minimap', () => {
  // withJsdomLayout: every element is 1,000 px wide.
  it('places the zoomed window at the width it measured, and a drag there zooms to it', async () => {
    const trace = recorded();
    const total = trace.endNs - trace.startNs;
    const onViewChange = jest.fn();
    render(
      <Minimap
        trace={trace}
        colors={barColors(createTheme(), trace, 'service')}
        viewStart={trace.startNs + total / 4}
        viewEnd={trace.startNs + total / 2}
        onViewChange={onViewChange}
      />
    );
    const minimap = screen.getByTestId(ids.minimap);
    const frame = minimap.lastElementChild as HTMLElement;
    expect(frame.style.left).toBe('250px');
    expect(frame.style.width).toBe('250px');
    await userEvent.pointer([
      { keys: '[MouseLeft>]', target: minimap, coords: { clientX: 100 } },
      { target: minimap, coords: { clientX: 300 } },
      { keys: '[/MouseLeft]', target: minimap },
    ]);
    expect(onViewChange).toHaveBeenCalledTimes(1);
    const [from, to] = onViewChange.mock.calls[0];
    expect((from - trace.startNs) / total).toBeCloseTo(0.1, 6);
    expect((to - trace.startNs) / total).toBeCloseTo(0.3, 6);
  });
});
