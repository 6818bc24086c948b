import React, { useCallback, useMemo, useSyncExternalStore } from 'react';
import { DataFrame, PanelProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert } from '@grafana/ui';
import { NoData } from '../../components/NoData/NoData';
import { testIds } from '../../components/testIds';
import { TraceViews } from '../../components/TraceViews/TraceViews';
import { WaterfallOptions } from '../../components/Waterfall';
import { panelDatasource, spanLinksFor } from '../../grafana/spanLinks';
import { TraceViewName, readTraceView, tracePagePath } from '../../routes';
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

/** The panel's options: the timeline's, and the view the panel opens on. */
export interface WaterfallPanelOptions extends Partial<WaterfallOptions> {
  defaultView?: TraceViewName;
}

function timelineOptions({ defaultView: _view, ...rest }: WaterfallPanelOptions): Partial<WaterfallOptions> {
  return rest;
}

/** The dashboard URL's parameter that holds one panel's view, e.g. `traceway-view-4=stats`. */
export const viewParam = (panelId: number) => `traceway-view-${panelId}`;

const subscribe = (onChange: () => void) => {
  const sub = locationService.getLocationObservable().subscribe(onChange);
  return () => sub.unsubscribe();
};

/**
 * The view a panel shows: its parameter in the dashboard URL (so a shared link or a reload keeps it, per
 * panel), else the panel's default. A switch is the user's (the bar, a statistics row, a span opened from
 * another view), so it is a history entry: Back returns to the view before, as on the trace page.
 */
function usePanelView(panelId: number, defaultView: TraceViewName): [TraceViewName, (view: TraceViewName) => void] {
  const key = viewParam(panelId);
  const raw = useSyncExternalStore(subscribe, () => locationService.getSearch().get(key));
  const onChange = useCallback(
    (view: TraceViewName) => locationService.partial({ [key]: view === defaultView ? undefined : view }),
    [key, defaultView]
  );
  return [raw === null ? defaultView : readTraceView(raw), onChange];
}

export function WaterfallPanel({ id, data, width, height, options }: PanelProps<WaterfallPanelOptions>) {
  const frame = findTraceFrame(data.series);
  const parsed = useMemo(() => (frame ? parseFrame(frame) : null), [frame]);
  const [view, onViewChange] = usePanelView(id, readTraceView(options.defaultView));
  // The same object while the options stay, so a view switch does not re-render the timeline.
  const waterfallOptions = useMemo(() => timelineOptions(options), [options]);
  // Links to logs and metrics as the panel's trace data source configures them.
  const datasourceUid = panelDatasource(data.request?.targets);
  const scopedVars = data.request?.scopedVars;
  const spanLinks = useMemo(() => spanLinksFor(datasourceUid, scopedVars), [datasourceUid, scopedVars]);
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
        <TraceViews
          trace={parsed.trace}
          height={height}
          view={view}
          onViewChange={onViewChange}
          options={waterfallOptions}
          onOpenTrace={openTrace}
          spanLinks={spanLinks}
        />
      )}
    </div>
  );
}
