import React from 'react';
import { render, screen } from '@testing-library/react';
import { DataFrame, FieldType, LoadingState, PanelProps, createDataFrame, getDefaultTimeRange } from '@grafana/data';
import { WaterfallPanel, findTraceFrame } from './WaterfallPanel';
import { testIds } from '../../components/testIds';
import { WaterfallOptions } from '../../components/Waterfall';
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

function renderPanel(series: DataFrame[] = [metricFrame], options: Partial<WaterfallOptions> = {}) {
  const props = {
    data: { state: LoadingState.Done, series, timeRange: getDefaultTimeRange() },
    options,
    width: 900,
    height: 500,
  } as unknown as PanelProps<Partial<WaterfallOptions>>;
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
