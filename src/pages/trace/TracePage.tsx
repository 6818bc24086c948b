import React, { useCallback, useMemo } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { NoData } from '../../components/NoData/NoData';
import { TraceHeader } from '../../components/TraceHeader/TraceHeader';
import { TraceViews } from '../../components/TraceViews/TraceViews';
import { spanLinksFor } from '../../grafana/spanLinks';
import { exploreTraceUrl, tracePagePath } from '../../routes';
import { useAppSettings } from '../../components/AppSettingsContext';
import { normalizeTraceId } from '../../tempo';
import { findDataSource } from '../../grafana';
import { TraceQuery, loadingText, notFoundText, secondsRange } from './traceQuery';
import { useTrace } from './useTrace';
import { useSpanParam } from './useSpanParam';
import { useViewParam } from './useViewParam';

function TracePage() {
  const { traceId: raw = '' } = useParams();
  const [params] = useSearchParams();
  const { tempoDatasourceUid } = useAppSettings();
  // `?ds=` is the Tempo data source a link came from (a search over another Tempo); else the configured one.
  const datasourceUid = params.get('ds')?.trim() || tempoDatasourceUid;
  const parsed = normalizeTraceId(raw);
  return (
    <PluginPage pageNav={{ text: 'Trace' }}>
      <div data-testid={testIds.tracePage.container}>
        {'error' in parsed ? (
          <Alert title="Not a trace ID" severity="error" data-testid={testIds.tracePage.error}>
            {parsed.error}
          </Alert>
        ) : (
          <TraceView
            query={{
              datasourceUid,
              traceId: parsed.traceId,
              ...secondsRange(Number(params.get('from')), Number(params.get('to'))),
            }}
            linkDatasource={params.get('ds') ? datasourceUid : undefined}
          />
        )}
      </div>
    </PluginPage>
  );
}

/** `linkDatasource`: kept in links to other traces, which live in the same Tempo. */
function TraceView({ query, linkDatasource }: { query: TraceQuery; linkDatasource?: string }) {
  const state = useTrace(query);
  const [selectedSpanId, onSelectedSpanChange] = useSpanParam();
  const [view, onViewChange] = useViewParam();
  const navigate = useNavigate();
  // The Tempo data source's trace-to-logs and trace-to-metrics links, once per data source.
  const spanLinks = useMemo(() => spanLinksFor(query.datasourceUid), [query.datasourceUid]);
  const onOpenTrace = useCallback(
    (traceId: string, spanId: string) => navigate(tracePagePath(traceId, spanId, { datasource: linkDatasource })),
    [navigate, linkDatasource]
  );
  switch (state.status) {
    case 'loading':
      return (
        <div data-testid={testIds.tracePage.loading}>
          <LoadingPlaceholder
            text={loadingText(query, state.phase, state.bytes, findDataSource(query.datasourceUid)?.name)}
          />
        </div>
      );
    case 'not-found':
      return (
        <div data-testid={testIds.tracePage.notFound}>
          <NoData title="Trace not found">
            {notFoundText(query, findDataSource(query.datasourceUid)?.name)} A trace shows up some seconds after its
            spans end; check the ID and that the spans reached this Tempo.
          </NoData>
        </div>
      );
    case 'error':
      return (
        <Alert title={state.title} severity="error" data-testid={testIds.tracePage.error}>
          {state.message}
        </Alert>
      );
    case 'loaded':
      return (
        <>
          <TraceHeader
            summary={state.summary}
            trace={state.trace}
            exploreHref={exploreTraceUrl(query.datasourceUid, state.summary.traceId, {
              startMs: state.summary.startEpochMs,
              endMs: state.summary.startEpochMs + state.summary.durationMs,
            })}
          />
          <TraceViews
            trace={state.trace}
            height="max(520px, calc(100vh - 260px))"
            view={view}
            onViewChange={onViewChange}
            selectedSpanId={selectedSpanId}
            onSelectedSpanChange={onSelectedSpanChange}
            onOpenTrace={onOpenTrace}
            spanLinks={spanLinks}
          />
        </>
      );
  }
}

export default TracePage;
