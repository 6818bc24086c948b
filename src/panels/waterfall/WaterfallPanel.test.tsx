import React from 'react';
import { render, screen } from '@testing-library/react';
import { FieldType, LoadingState, PanelProps, createDataFrame, getDefaultTimeRange } from '@grafana/data';
import { WaterfallPanel, findTraceFrame } from './WaterfallPanel';
import { testIds } from '../../components/testIds';

const traceFrame = createDataFrame({
  name: 'Trace',
  fields: [
    { name: 'traceID', type: FieldType.string, values: ['a', 'a'] },
    { name: 'spanID', type: FieldType.string, values: ['1', '2'] },
    { name: 'operationName', type: FieldType.string, values: ['GET /', 'SELECT'] },
  ],
});
const metricFrame = createDataFrame({
  fields: [
    { name: 'time', type: FieldType.time, values: [1] },
    { name: 'value', type: FieldType.number, values: [2] },
  ],
});

function renderPanel(series = [metricFrame]) {
  const props = {
    data: { state: LoadingState.Done, series, timeRange: getDefaultTimeRange() },
    width: 400,
    height: 300,
  } as unknown as PanelProps;
  return render(<WaterfallPanel {...props} />);
}

describe('WaterfallPanel', () => {
  it('finds a trace frame by its fields or by its preferred visualisation', () => {
    expect(findTraceFrame([metricFrame, traceFrame])).toBe(traceFrame);
    const marked = createDataFrame({ meta: { preferredVisualisationType: 'trace' }, fields: [] });
    expect(findTraceFrame([marked])).toBe(marked);
    expect(findTraceFrame([metricFrame])).toBeUndefined();
  });

  it('says what to query when there is no trace', () => {
    renderPanel();
    expect(screen.getByTestId(testIds.waterfallPanel.container)).toHaveTextContent(
      "No trace in this panel's data"
    );
  });

  it('counts the spans of the trace it received', () => {
    renderPanel([metricFrame, traceFrame]);
    expect(screen.getByTestId(testIds.waterfallPanel.container)).toHaveTextContent('Trace received: 2 spans');
  });
});
