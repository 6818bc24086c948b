import React, { useMemo } from 'react';
import { DataFrame, PanelProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert } from '@grafana/ui';
import { NoData } from '../../components/NoData/NoData';
import { testIds } from '../../components/testIds';
import { Waterfall, WaterfallOptions } from '../../components/Waterfall';
import { tracePagePath } from '../../routes';
import { Trace, parseTrace } from '../../trace';

/** A trace frame as the Tempo, Jaeger and Zipkin data sources return it. */
export function findTraceFrame(series: DataFrame[]): DataFrame | undefined {
  return series.find(
    (frame) =>
      frame.meta?.preferredVisualisationType === 'trace' ||
      (frame.fields.some((f) => f.name === 'traceID') && frame.fields.some((f) => f.name === 'spanID'))
  );
}

type Parsed = { trace: Trace } | { error: string };

// The model reads Grafana trace frames itself, whichever data source produced them.
function parseFrame(frame: DataFrame): Parsed {
  try {
    return { trace: parseTrace(frame) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

const openTrace = (traceId: string, spanId: string) => locationService.push(tracePagePath(traceId, spanId));

export function WaterfallPanel({ data, width, height, options }: PanelProps<Partial<WaterfallOptions>>) {
  const frame = findTraceFrame(data.series);
  const parsed = useMemo(() => (frame ? parseFrame(frame) : null), [frame]);
  return (
    <div data-testid={testIds.waterfallPanel.container} style={{ width, height, overflow: 'hidden' }}>
      {!parsed ? (
        <NoData title="No trace in this panel's data">
          Query one trace by ID from a trace data source (Tempo, Jaeger or Zipkin).
        </NoData>
      ) : 'error' in parsed ? (
        <Alert severity="error" title="This panel's trace frame cannot be read">
          {parsed.error}
        </Alert>
      ) : (
        <Waterfall trace={parsed.trace} options={options} height={height} onOpenTrace={openTrace} />
      )}
    </div>
  );
}
