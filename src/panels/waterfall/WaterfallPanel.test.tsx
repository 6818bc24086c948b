import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { locationService } from '@grafana/runtime';
import { DataFrame, FieldType, LoadingState, PanelProps, createDataFrame, getDefaultTimeRange } from '@grafana/data';
import { WaterfallPanel, WaterfallPanelOptions, findTraceFrame, viewParam } from './WaterfallPanel';
import { testIds } from '../../components/testIds';
import { parseTrace, toDataFrame } from '../../trace';
import { fixtureJson } from '../../testing/traces';

// The Tempo data source's frame for the recorded 11-span trace, as the model writes it.
const traceFrame = toDataFrame(parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'))) as unknown as DataFrame;
const metricFrame = createDataFrame({
  fields: [
    { name: 'time', type: FieldType.time, values: [1] },
    { name: 'value', type: FieldType.number, values: [2] },
  ],
});
const idsOnly = createDataFrame({
  fields: [
    { name: 'traceID', type: FieldType.string, values: ['a'] },
    { name: 'spanID', type: FieldType.string, values: ['1'] },
  ],
});

beforeAll(() => {
  jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(500);
  jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(900);
});
afterAll(() => jest.restoreAllMocks());

function renderPanel(series: DataFrame[] = [metricFrame], options: WaterfallPanelOptions = {}, id = 4) {
  const props = {
    id,
    data: { state: LoadingState.Done, series, timeRange: getDefaultTimeRange() },
    options,
    width: 900,
    height: 500,
  } as unknown as PanelProps<WaterfallPanelOptions>;
  return render(<WaterfallPanel {...props} />);
}

describe('WaterfallPanel', () => {
  it('finds a trace frame by its fields or by its preferred visualisation', () => {
    expect(findTraceFrame([metricFrame, idsOnly])).toBe(idsOnly);
    const marked = createDataFrame({ meta: { preferredVisualisationType: 'trace' }, fields: [] });
    expect(findTraceFrame([marked])).toBe(marked);
    expect(findTraceFrame([metricFrame])).toBeUndefined();
  });

  it('says what to query when there is no trace', () => {
    renderPanel();
    expect(screen.getByTestId(testIds.waterfallPanel.container)).toHaveTextContent("No trace in this panel's data");
  });

  it('draws the waterfall of the trace frame it received, with its options', () => {
    renderPanel([metricFrame, traceFrame], { rowSize: 'compact', showMinimap: false });
    const rows = screen.getAllByRole('treeitem');
    expect(rows).toHaveLength(11);
    expect(rows[0]).toHaveTextContent('click push');
    expect(rows[0].style.height).toBe('20px');
    expect(screen.queryByTestId(testIds.waterfall.minimap)).toBeNull();
  });

  it('says why a trace frame cannot be read', () => {
    renderPanel([idsOnly]);
    expect(screen.getByTestId(testIds.waterfallPanel.container)).toHaveTextContent(
      "This panel's trace frame cannot be read"
    );
  });
});

describe('WaterfallPanel views', () => {
  beforeEach(() => locationService.replace('/d/abc?orgId=1'));
  const isShown = (view: string) =>
    screen.getByTestId(testIds.traceViews.view(view)).getAttribute('data-shown') === 'true';
  const param = (id: number) => locationService.getSearch().get(viewParam(id));

  it('opens on the default view of its options', () => {
    renderPanel([traceFrame], { defaultView: 'stats' });
    expect(isShown('stats')).toBe(true);
    expect(isShown('timeline')).toBe(false);
  });

  it('keeps the view in the dashboard URL per panel, and reads it back', async () => {
    renderPanel([traceFrame]);
    expect(isShown('timeline')).toBe(true);
    await userEvent.click(screen.getByTestId(testIds.traceViews.switch('stats')));
    expect(isShown('stats')).toBe(true);
    expect(param(4)).toBe('stats');
    expect(param(5)).toBeNull();
    expect(locationService.getSearch().get('orgId')).toBe('1');
    // The default view is no parameter.
    await userEvent.click(screen.getByTestId(testIds.traceViews.switch('timeline')));
    expect(param(4)).toBeNull();
    // A URL that changes from outside (Back, a dashboard link) switches the panel.
    act(() => locationService.partial({ [viewParam(4)]: 'stats' }, true));
    expect(isShown('stats')).toBe(true);
  }, 30_000);

  it('a view switch is a history entry: Back returns to the view before', async () => {
    renderPanel([traceFrame]);
    await userEvent.click(screen.getByTestId(testIds.traceViews.switch('stats')));
    await userEvent.click(screen.getByTestId(testIds.traceViews.switch('flame')));
    expect(param(4)).toBe('flame');
    act(() => locationService.getHistory().goBack());
    expect(param(4)).toBe('stats');
    expect(isShown('stats')).toBe(true);
    act(() => locationService.getHistory().goBack());
    expect(param(4)).toBeNull();
    expect(isShown('timeline')).toBe(true);
    expect(locationService.getLocation().pathname).toBe('/d/abc');
  }, 30_000);

  it('opens on the view in the URL over its default; another panel keeps its own', () => {
    locationService.partial({ [viewParam(4)]: 'stats' }, true);
    const first = renderPanel([traceFrame], { defaultView: 'timeline' });
    const other = renderPanel([traceFrame], { defaultView: 'timeline' }, 5);
    const shownIn = (c: HTMLElement, view: string) =>
      within(c).getByTestId(testIds.traceViews.view(view)).getAttribute('data-shown') === 'true';
    expect(shownIn(first.container, 'stats')).toBe(true);
    expect(shownIn(first.container, 'timeline')).toBe(false);
    expect(shownIn(other.container, 'timeline')).toBe(true);
    expect(within(other.container).queryByTestId(testIds.traceViews.view('stats'))).toBeNull();
  });
});
