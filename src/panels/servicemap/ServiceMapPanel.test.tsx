import React from 'react';
import { render, screen } from '@testing-library/react';
import { FieldType, LoadingState, PanelProps, createDataFrame, getDefaultTimeRange } from '@grafana/data';
import { ServiceMapPanel, findGraphFrames } from './ServiceMapPanel';
import { testIds } from '../../components/testIds';

const meta = { preferredVisualisationType: 'nodeGraph' as const };
const nodes = createDataFrame({
  name: 'Nodes',
  meta,
  fields: [
    { name: 'id', type: FieldType.string, values: ['core', 'registry'] },
    { name: 'title', type: FieldType.string, values: ['core', 'registry'] },
  ],
});
const edges = createDataFrame({
  name: 'Edges',
  meta,
  fields: [
    { name: 'id', type: FieldType.string, values: ['core_registry'] },
    { name: 'source', type: FieldType.string, values: ['core'] },
    { name: 'target', type: FieldType.string, values: ['registry'] },
  ],
});

function renderPanel(series = [nodes, edges]) {
  const props = {
    data: { state: LoadingState.Done, series, timeRange: getDefaultTimeRange() },
    width: 400,
    height: 300,
  } as unknown as PanelProps;
  return render(<ServiceMapPanel {...props} />);
}

describe('ServiceMapPanel', () => {
  it('tells node frames from edge frames', () => {
    expect(findGraphFrames([edges, nodes])).toEqual({ nodes, edges });
    expect(findGraphFrames([createDataFrame({ fields: [] })])).toEqual({ nodes: undefined, edges: undefined });
  });

  it('counts services and calls', () => {
    renderPanel();
    expect(screen.getByTestId(testIds.serviceMapPanel.container)).toHaveTextContent(
      'Service graph received: 2 services, 1 calls'
    );
  });

  it('says what to query when there is no graph', () => {
    renderPanel([]);
    expect(screen.getByTestId(testIds.serviceMapPanel.container)).toHaveTextContent(
      "No service graph in this panel's data"
    );
  });
});
