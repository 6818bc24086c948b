import React from 'react';
import { DataFrame, PanelProps } from '@grafana/data';
import { NoData } from '../../components/NoData/NoData';
import { testIds } from '../../components/testIds';

/** A trace frame as the Tempo, Jaeger and Zipkin data sources return it. */
export function findTraceFrame(series: DataFrame[]): DataFrame | undefined {
  return series.find(
    (frame) =>
      frame.meta?.preferredVisualisationType === 'trace' ||
      (frame.fields.some((f) => f.name === 'traceID') && frame.fields.some((f) => f.name === 'spanID'))
  );
}

export function WaterfallPanel({ data, width, height }: PanelProps) {
  const frame = findTraceFrame(data.series);
  return (
    <div data-testid={testIds.waterfallPanel.container} style={{ width, height, overflow: 'auto' }}>
      {frame ? (
        <NoData title={`Trace received: ${frame.length} spans`}>The timeline view comes with the waterfall release.</NoData>
      ) : (
        <NoData title="No trace in this panel's data">
          Query one trace by ID from a trace data source (Tempo, Jaeger or Zipkin).
        </NoData>
      )}
    </div>
  );
}
