import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ServiceMap as MapData, mergeServiceGraphs, parseTrace, serviceGraph, serviceMapFromGraph } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { generateServiceMap } from '../../../bench/servicemapData';
import { testIds } from '../testIds';
import { ServiceMap, ServiceMapProps } from './ServiceMap';
import { ServiceMapView } from './view';

const ids = testIds.serviceMap;
jest.setTimeout(30_000);

/**
 * The service map of two recorded Harbor-shaped requests (Tempo 2.7.2 fixtures): harbor-ui → gateway → core →
 * registry and jobservice, core → postgresql (a virtual node), the failed request's errors on gateway and
 * core (1 of 2 calls), and `service.namespace` harbor on the instrumented services.
 */
function recordedMap(): MapData {
  const traces = ['tempo-2.7.2/trace-v2.json', 'tempo-2.7.2/trace-v2-error.json'].map((f) =>
    parseTrace(fixtureJson(f))
  );
  return serviceMapFromGraph(mergeServiceGraphs(traces.map((t) => serviceGraph(t))), 60);
}

const nodeLinks: ServiceMapProps['nodeLinks'] = (node) => [
  {
    label: 'Search traces of this service',
    href: `/a/traceway-explorer-app/search?service=${node.id}`,
    icon: 'search',
  },
  { label: 'Sneaky', href: 'javascript:alert(1)' },
  { label: 'Elsewhere', href: '//evil.example/x' },
];
const edgeLinks: ServiceMapProps['edgeLinks'] = (edge) => [
  {
    label: `Search traces from ${edge.source} to ${edge.target}`,
    href: `/a/traceway-explorer-app/search?q=${edge.source}`,
  },
];

function renderMap(props: Partial<ServiceMapProps> = {}) {
  return render(
    <ServiceMap map={recordedMap()} width={900} height={600} nodeLinks={nodeLinks} edgeLinks={edgeLinks} {...props} />
  );
}

const listed = () =>
  within(screen.getByTestId(ids.nodeList))
    .getAllByRole('button')
    .map((b) => b.getAttribute('data-testid')!.replace(ids.node(''), ''));
const summary = () => screen.getByTestId(ids.summary).textContent;
/** the layout runs after the render (in a worker, or a timer where there is none): wait for its time */
const laidOut = () => waitFor(() => expect(summary()).toMatch(/layout \d+ ms/), { timeout: 10_000 });

describe('ServiceMap', () => {
  it('lists every service and call with its figures for screen readers, and sums them up', async () => {
    renderMap();
    await laidOut();
    expect(listed()).toEqual(['core', 'gateway', 'harbor-ui', 'jobservice', 'postgresql', 'registry']);
    expect(screen.getByTestId(ids.node('postgresql'))).toHaveTextContent('postgresql (virtual)');
    // the failed request: one of two calls to core failed
    expect(screen.getByTestId(ids.node('core'))).toHaveTextContent('core: 0.03 req/s, 50% errors');
    expect(screen.getByTestId(ids.edge('core', 'registry'))).toHaveTextContent(
      /core calls registry: 0.03 req\/s, 0% errors, mean \d+ ms/
    );
    expect(summary()).toMatch(/^6 services, 5 calls; layout \d+ ms$/);
    expect(screen.getByTestId(ids.legend)).toHaveTextContent('virtual node');
    expect(screen.getByTestId(ids.legend)).toHaveTextContent('requests/s (log scale)');
  });

  it('says calls, not rates, for a sample of traces', async () => {
    renderMap({
      map: {
        ...recordedMap(),
        unit: 'calls',
        nodes: recordedMap().nodes.map((n) => ({ ...n, requests: 2, errors: 1 })),
      },
    });
    await laidOut();
    expect(screen.getByTestId(ids.node('core'))).toHaveTextContent('core: 2 calls, 50% errors');
    expect(screen.getByTestId(ids.legend)).toHaveTextContent('calls in the sample');
  });

  it('opens a node menu with its figures and only safe links; Escape closes it', async () => {
    const user = userEvent.setup();
    renderMap();
    await laidOut();
    await user.click(screen.getByTestId(ids.node('core')));
    const menu = screen.getByTestId(ids.menu);
    expect(menu).toHaveTextContent('core');
    expect(menu).toHaveTextContent('namespace harbor');
    expect(menu).toHaveTextContent('50% errors');
    const link = within(menu).getByRole('menuitem', { name: /Search traces of this service/ });
    expect(link.closest('a')).toHaveAttribute('href', '/a/traceway-explorer-app/search?service=core');
    expect(within(menu).queryByText('Sneaky')).toBeNull();
    expect(within(menu).queryByText('Elsewhere')).toBeNull();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId(ids.menu)).toBeNull();
  });

  it('opens an edge menu with the edge links', async () => {
    const user = userEvent.setup();
    renderMap();
    await laidOut();
    await user.click(screen.getByTestId(ids.edge('gateway', 'core')));
    const menu = screen.getByTestId(ids.menu);
    expect(menu).toHaveTextContent('gateway → core');
    expect(menu).toHaveTextContent('50% errors');
    expect(
      within(menu)
        .getByRole('menuitem', { name: /Search traces from gateway to core/ })
        .closest('a')
    ).toHaveAttribute('href', '/a/traceway-explorer-app/search?q=gateway');
    await user.click(within(menu).getByRole('menuitem', { name: 'Close' }));
    expect(screen.queryByTestId(ids.menu)).toBeNull();
  });

  it('hides virtual nodes and their calls', async () => {
    const user = userEvent.setup();
    renderMap();
    await laidOut();
    await user.click(screen.getByTestId(ids.hideVirtual));
    expect(listed()).toEqual(['core', 'gateway', 'harbor-ui', 'jobservice', 'registry']);
    expect(screen.queryByTestId(ids.edge('core', 'postgresql'))).toBeNull();
    await waitFor(() => expect(summary()).toMatch(/^5 of 6 services, 4 of 5 calls/));
  });

  it('focuses a service from its menu, to the hops and direction chosen', async () => {
    const user = userEvent.setup();
    const views: ServiceMapView[] = [];
    renderMap({ onViewChange: (v) => views.push(v) });
    await laidOut();
    await user.click(screen.getByTestId(ids.node('registry')));
    await user.click(within(screen.getByTestId(ids.menu)).getByRole('menuitem', { name: 'Focus on this service' }));
    // two hops both ways from registry: core, then gateway (core's caller); not core's other callees
    expect(listed()).toEqual(['core', 'gateway', 'registry']);
    expect(views[views.length - 1]).toEqual(expect.objectContaining({ focus: 'registry', hops: 2, direction: 'both' }));
    // three hops of callers: up to harbor-ui; callees of registry: none
    await user.click(within(screen.getByTestId(ids.hops)).getByLabelText('3'));
    await user.click(within(screen.getByTestId(ids.direction)).getByLabelText('Callers'));
    expect(listed()).toEqual(['core', 'gateway', 'harbor-ui', 'registry']);
    await user.click(within(screen.getByTestId(ids.direction)).getByLabelText('Callees'));
    expect(listed()).toEqual(['registry']);
    // off again: the whole map
    await user.click(screen.getByTestId(ids.focus));
    expect(listed()).toHaveLength(6);
  });

  it('finds a service by its name or a part of it, and focuses on the one found', async () => {
    const user = userEvent.setup();
    renderMap();
    await laidOut();
    const focus = screen.getByTestId(ids.focus);
    expect(focus).toBeDisabled();
    const find = screen.getByTestId(ids.find);
    // every name is a suggestion
    const options = document.getElementById(find.getAttribute('list')!)!.querySelectorAll('option');
    expect([...options].map((o) => o.value)).toEqual(listed());
    await user.type(find, 'jobs{Enter}');
    expect(find).toHaveValue('jobservice');
    expect(screen.getAllByLabelText('Focus on jobservice')).toContain(focus);
    expect(focus).toBeEnabled();
    await user.click(focus);
    expect(listed()).toEqual(['core', 'gateway', 'jobservice']);
    // nothing by that name: nothing found, the focus stays
    await user.clear(find);
    await user.type(find, 'billing{Enter}');
    expect(listed()).toEqual(['core', 'gateway', 'jobservice']);
  });

  it('follows a controlled view, and says when its focus is not in the map', async () => {
    const view: ServiceMapView = {
      focus: 'gateway',
      hops: 1,
      direction: 'downstream',
      hideVirtual: false,
      groupByNamespace: false,
    };
    const { rerender } = renderMap({ view });
    await laidOut();
    expect(listed()).toEqual(['core', 'gateway']);
    rerender(<ServiceMap map={recordedMap()} width={900} height={600} view={{ ...view, focus: 'billing' }} />);
    expect(listed()).toHaveLength(6);
    expect(screen.getByTestId(ids.summary)).toHaveTextContent('billing is not in this map');
  });

  it('offers grouping by namespace only when nodes carry one', async () => {
    const user = userEvent.setup();
    renderMap();
    await laidOut();
    const group = screen.getByTestId(ids.groupByNamespace);
    expect(screen.getAllByLabelText('Group by namespace')).toContain(group);
    await user.click(group);
    expect(group).toBeChecked();
    await laidOut();

    const plain = recordedMap();
    renderMapAgain(plain);
    expect(screen.getAllByTestId(ids.container)).toHaveLength(2);
    expect(screen.getAllByTestId(ids.groupByNamespace)).toHaveLength(1);
  });

  it('pans, zooms and fits from the keyboard on the focusable canvas', async () => {
    const user = userEvent.setup();
    renderMap();
    await laidOut();
    const canvas = screen.getByTestId(ids.canvas);
    expect(canvas).toHaveAttribute('tabindex', '0');
    expect(canvas).toHaveAccessibleName(/^Service map: 6 services, 5 calls/);
    // drawn with the layout, and fitted (this map fits at about 1.09)
    await waitFor(() => expect(canvas.dataset.nodes).toBe('6'));
    await waitFor(() => expect(canvas.dataset.zoom).not.toBe('1.0000'));
    const fitted = Number(canvas.dataset.zoom);
    canvas.focus();
    await user.keyboard('+');
    await waitFor(() => expect(Number(canvas.dataset.zoom)).toBeCloseTo(Math.min(6, fitted * 1.4), 2));
    const x = Number(canvas.dataset.x);
    await user.keyboard('{ArrowLeft}');
    await waitFor(() => expect(Number(canvas.dataset.x)).toBeCloseTo(x + 80, 2));
    await user.keyboard('--');
    await waitFor(() => expect(Number(canvas.dataset.zoom)).toBeCloseTo(fitted / 1.4, 2));
    await user.keyboard('0');
    await waitFor(() => expect(Number(canvas.dataset.zoom)).toBeCloseTo(fitted, 2));
    await user.click(screen.getByTestId(ids.zoomIn));
    await waitFor(() => expect(Number(canvas.dataset.zoom)).toBeCloseTo(fitted * 1.4, 2));
    await user.click(screen.getByTestId(ids.fit));
    await waitFor(() => expect(Number(canvas.dataset.zoom)).toBeCloseTo(fitted, 2));
  });

  it('keeps the viewport when the map changes in the same view (another time range)', async () => {
    const user = userEvent.setup();
    const { rerender } = renderMap();
    await laidOut();
    const canvas = screen.getByTestId(ids.canvas);
    await waitFor(() => expect(canvas.dataset.zoom).not.toBe('1.0000'));
    const fittedY = Number(canvas.dataset.y);
    canvas.focus();
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(Number(canvas.dataset.y)).toBeCloseTo(fittedY - 80, 5));
    const moved = { ...canvas.dataset };
    // the same services an hour later: other rates, one call more
    const later = recordedMap();
    later.nodes = later.nodes.map((n) => ({ ...n, requests: n.requests * 3 }));
    later.edges = [...later.edges, { ...later.edges[0], source: 'registry', target: 'postgresql' }];
    rerender(<ServiceMap map={later} width={900} height={600} />);
    await waitFor(() => expect(summary()).toMatch(/^6 services, 6 calls; layout \d+ ms$/), { timeout: 10_000 });
    await waitFor(() => expect(canvas.dataset.edges).toBe('6'));
    expect(canvas.dataset.zoom).toBe(moved.zoom);
    expect(canvas.dataset.x).toBe(moved.x);
    expect(canvas.dataset.y).toBe(moved.y);
  });

  it('zooms with the wheel around the pointer', async () => {
    renderMap();
    await laidOut();
    const canvas = screen.getByTestId(ids.canvas);
    await waitFor(() => expect(canvas.dataset.nodes).toBe('6'));
    const before = Number(canvas.dataset.zoom);
    act(() => {
      fireEvent.wheel(canvas, { deltaY: -200, clientX: 100, clientY: 100 });
    });
    await waitFor(() => expect(Number(canvas.dataset.zoom)).toBeGreaterThan(before));
  });

  it('keeps the legend behind a button on a small map', async () => {
    const user = userEvent.setup();
    renderMap({ width: 480, height: 300 });
    await laidOut();
    expect(screen.queryByTestId(ids.legend)).toBeNull();
    await user.click(screen.getByTestId(ids.legendButton));
    expect(await screen.findByTestId(ids.legend)).toHaveTextContent('error share');
  });

  it('makes each hidden list one Tab stop, moved through with arrow keys, Home and End', async () => {
    const user = userEvent.setup();
    renderMap();
    await laidOut();
    const services = screen.getByTestId(ids.nodeList);
    const calls = screen.getByTestId(ids.edgeList);
    const tabStops = (list: HTMLElement) => [...list.querySelectorAll('button')].filter((b) => b.tabIndex === 0);
    expect(tabStops(services)).toEqual([screen.getByTestId(ids.node('core'))]);
    expect(tabStops(calls)).toHaveLength(1);
    // from the Fit button, one Tab into the services, the next one past all of them into the calls
    screen.getByTestId(ids.fit).focus();
    await user.tab();
    expect(screen.getByTestId(ids.node('core'))).toHaveFocus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(screen.getByTestId(ids.node('harbor-ui'))).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(screen.getByTestId(ids.node('gateway'))).toHaveFocus();
    await user.keyboard('{End}');
    expect(screen.getByTestId(ids.node('registry'))).toHaveFocus();
    await user.keyboard('{ArrowDown}'); // stays on the last
    expect(screen.getByTestId(ids.node('registry'))).toHaveFocus();
    await user.keyboard('{Home}{ArrowRight}');
    expect(screen.getByTestId(ids.node('gateway'))).toHaveFocus();
    await user.tab();
    expect(calls.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).toBe(tabStops(calls)[0]);
    // back: the services list's Tab stop is where the arrows left it
    await user.tab({ shift: true });
    expect(screen.getByTestId(ids.node('gateway'))).toHaveFocus();
    expect(tabStops(services)).toEqual([screen.getByTestId(ids.node('gateway'))]);
    // Enter opens the menu; closing it returns to the button that opened it
    await user.keyboard('{Enter}');
    expect(screen.getByTestId(ids.menu)).toHaveTextContent('gateway');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId(ids.menu)).toBeNull();
    expect(screen.getByTestId(ids.node('gateway'))).toHaveFocus();
    await user.click(screen.getByTestId(ids.edge('gateway', 'core')));
    await user.click(within(screen.getByTestId(ids.menu)).getByRole('menuitem', { name: 'Close' }));
    expect(screen.getByTestId(ids.edge('gateway', 'core'))).toHaveFocus();
    // focusing a service from its menu closes the menu back to the service's button, which stays listed
    await user.click(screen.getByTestId(ids.node('core')));
    await user.click(within(screen.getByTestId(ids.menu)).getByRole('menuitem', { name: 'Focus on this service' }));
    expect(screen.getByTestId(ids.node('core'))).toHaveFocus();
  });

  it('offers hops and direction, named groups, only while a service is focused', async () => {
    const user = userEvent.setup();
    const views: ServiceMapView[] = [];
    renderMap({ onViewChange: (v) => views.push(v) });
    await laidOut();
    const hops = screen.getByRole('group', { name: 'Hops from the focused service' });
    const direction = screen.getByRole('group', { name: 'Direction' });
    expect(screen.getByRole('group', { name: 'Legend' })).toBe(screen.getByTestId(ids.legend));
    for (const radio of [...within(hops).getAllByRole('radio'), ...within(direction).getAllByRole('radio')]) {
      expect(radio).toBeDisabled();
    }
    await user.click(within(hops).getByLabelText('3'));
    expect(views).toEqual([]);
    await user.click(screen.getByTestId(ids.node('core')));
    await user.click(within(screen.getByTestId(ids.menu)).getByRole('menuitem', { name: 'Focus on this service' }));
    expect(within(hops).getByLabelText('3')).toBeEnabled();
    expect(within(direction).getByLabelText('Callers')).toBeEnabled();
  });

  it('neither lays out nor fits again when hops or direction change without a focus', async () => {
    const user = userEvent.setup();
    const view: ServiceMapView = { hops: 2, direction: 'both', hideVirtual: false, groupByNamespace: false };
    const map = recordedMap();
    const { rerender } = renderMap({ map, view });
    await laidOut();
    const canvas = screen.getByTestId(ids.canvas);
    await waitFor(() => expect(canvas.dataset.zoom).not.toBe('1.0000'));
    canvas.focus();
    const fittedY = Number(canvas.dataset.y);
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(Number(canvas.dataset.y)).toBeCloseTo(fittedY - 80, 5));
    const moved = { ...canvas.dataset };
    const layoutLine = summary();
    rerender(<ServiceMap map={map} width={900} height={600} view={{ ...view, hops: 4, direction: 'upstream' }} />);
    // a re-fit would move the picture back; a new layout would say so in the summary first
    await new Promise((r) => setTimeout(r, 300));
    expect(summary()).toBe(layoutLine);
    expect(canvas.dataset.x).toBe(moved.x);
    expect(canvas.dataset.y).toBe(moved.y);
    expect(canvas.dataset.zoom).toBe(moved.zoom);
  });

  it('calls a request from outside an entry, not a call to an uninstrumented peer', async () => {
    const user = userEvent.setup();
    const base = recordedMap();
    const entry = { ...base.edges[0], source: 'user', target: 'harbor-ui', connectionType: 'virtual_node' as const };
    const peer = { ...base.edges[0], source: 'core', target: 'billing', connectionType: 'virtual_node' as const };
    const virtual = (id: string) => ({ ...base.nodes[0], id, virtual: true, namespace: undefined });
    renderMap({
      map: {
        ...base,
        nodes: [...base.nodes, virtual('user'), virtual('billing')],
        edges: [...base.edges, entry, peer],
      },
    });
    await laidOut();
    await user.click(screen.getByTestId(ids.edge('user', 'harbor-ui')));
    expect(screen.getByTestId(ids.menu)).toHaveTextContent('requests entering at this service');
    expect(screen.getByTestId(ids.menu)).not.toHaveTextContent('uninstrumented');
    await user.keyboard('{Escape}');
    await user.click(screen.getByTestId(ids.edge('core', 'billing')));
    expect(screen.getByTestId(ids.menu)).toHaveTextContent('call to an uninstrumented peer');
  });

  it('ends a drag only for its own pointer, and resets the cursor when the drag is cancelled', async () => {
    // jsdom has no PointerEvent: a MouseEvent with a pointerId is what React reads.
    const had = 'PointerEvent' in window;
    class FakePointerEvent extends MouseEvent {
      pointerId: number;
      constructor(type: string, init: PointerEventInit = {}) {
        super(type, init);
        this.pointerId = init.pointerId ?? 1;
      }
    }
    Object.assign(window, { PointerEvent: FakePointerEvent });
    try {
      renderMap();
      await laidOut();
      const canvas = screen.getByTestId(ids.canvas);
      await waitFor(() => expect(canvas.dataset.zoom).not.toBe('1.0000'));
      const x0 = Number(canvas.dataset.x);
      const at = (clientX: number, pointerId = 1) => ({ clientX, clientY: 5, pointerId, button: 0 });
      fireEvent.pointerDown(canvas, at(10));
      fireEvent.pointerMove(canvas, at(60));
      expect(canvas.style.cursor).toBe('grabbing');
      await waitFor(() => expect(Number(canvas.dataset.x)).toBeCloseTo(x0 + 50, 1));
      // a second finger lifts: the first one's drag goes on
      fireEvent.pointerUp(canvas, at(300, 2));
      expect(canvas.style.cursor).toBe('grabbing');
      fireEvent.pointerMove(canvas, at(110));
      await waitFor(() => expect(Number(canvas.dataset.x)).toBeCloseTo(x0 + 100, 1));
      fireEvent.pointerCancel(canvas, at(110));
      expect(canvas.style.cursor).toBe('grab');
      fireEvent.pointerMove(canvas, at(200));
      await new Promise((r) => setTimeout(r, 50));
      expect(Number(canvas.dataset.x)).toBeCloseTo(x0 + 100, 1);
    } finally {
      if (!had) {
        delete (window as { PointerEvent?: unknown }).PointerEvent;
      }
    }
  });

  it('keeps a large map listed in full', async () => {
    const big = generateServiceMap({ services: 200, edges: 800, seed: 2 });
    render(<ServiceMap map={big} width={900} height={600} />);
    await laidOut();
    // (querySelectorAll: role queries over a thousand buttons take seconds in jsdom)
    expect(screen.getByTestId(ids.nodeList).querySelectorAll('button')).toHaveLength(200);
    expect(screen.getByTestId(ids.edgeList).querySelectorAll('button')).toHaveLength(big.edges.length);
  });
});

function renderMapAgain(map: MapData) {
  render(<ServiceMap map={{ ...map, nodes: map.nodes.map(({ namespace, ...n }) => n) }} width={900} height={600} />);
}
