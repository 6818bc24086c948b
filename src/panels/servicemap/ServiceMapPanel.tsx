import React from 'react';
import { DataFrame, PanelProps } from '@grafana/data';
import { NoData } from '../../components/NoData/NoData';
import { testIds } from '../../components/testIds';

/** Node-graph frames (nodes and edges) as Tempo's service-map query returns them. */
export function findGraphFrames(series: DataFrame[]): { nodes?: DataFrame; edges?: DataFrame } {
  const isGraph = (frame: DataFrame) => frame.meta?.preferredVisualisationType === 'nodeGraph';
  const nodes = series.find((f) => isGraph(f) && (f.name === 'Nodes' || f.fields.some((x) => x.name === 'title')));
  const edges = series.find((f) => isGraph(f) && (f.name === 'Edges' || f.fields.some((x) => x.name === 'source')));
  return { nodes, edges };
}

export function ServiceMapPanel({ data, width, height }: PanelProps) {
  const { nodes, edges } = findGraphFrames(data.series);
  return (
    <div data-testid={testIds.serviceMapPanel.container} style={{ width, height, overflow: 'auto' }}>
      {nodes ? (
        <NoData title={`Service graph received: ${nodes.length} services, ${edges?.length ?? 0} calls`}>
          The map view comes with the service-map release.
        </NoData>
      ) : (
        <NoData title="No service graph in this panel's data">
          Use a Tempo service-map query, or Prometheus queries on Tempo&apos;s traces_service_graph metrics.
        </NoData>
      )}
    </div>
  );
}
