import React, { useCallback, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, Stack } from '@grafana/ui';
import { summarize } from '../../trace';
import { testIds } from '../../components/testIds';
import { TraceHeader } from '../../components/TraceHeader/TraceHeader';
import { TraceViews } from '../../components/TraceViews/TraceViews';
import { OpenTraceFile } from '../../components/OpenTraceFile/OpenTraceFile';
import { getFileTrace } from '../../components/OpenTraceFile/fileTraces';
import { tracePagePath } from '../../routes';
import { useSpanParam } from './useSpanParam';
import { useViewParam } from './useViewParam';

/**
 * A trace opened from a file (`trace-file/<key>`): the Trace page's header and views, without a data
 * source, so no Explore link. The trace lives in the tab's memory: a reload or a shared link finds nothing.
 */
function FileTracePage() {
  const { key = '' } = useParams();
  const entry = getFileTrace(key);
  const [selectedSpanId, onSelectedSpanChange] = useSpanParam();
  const [view, onViewChange] = useViewParam();
  const navigate = useNavigate();
  // A span link to another trace: that trace is not in the file, so look for it in the configured Tempo.
  const onOpenTrace = useCallback(
    (traceId: string, spanId: string) => navigate(tracePagePath(traceId, spanId)),
    [navigate]
  );
  // Once per trace: selecting a span re-renders the page, and a summary walks every span.
  const summary = useMemo(() => entry && summarize(entry.trace), [entry]);
  return (
    <PluginPage pageNav={{ text: entry ? entry.fileName : 'Trace file' }}>
      <div data-testid={testIds.fileTracePage.container}>
        {entry && summary ? (
          <>
            <TraceHeader summary={summary} trace={entry.trace} fileName={entry.fileName} />
            <TraceViews
              trace={entry.trace}
              height="max(520px, calc(100vh - 260px))"
              view={view}
              onViewChange={onViewChange}
              selectedSpanId={selectedSpanId}
              onSelectedSpanChange={onSelectedSpanChange}
              onOpenTrace={onOpenTrace}
            />
          </>
        ) : (
          <Stack direction="column" gap={2}>
            <Alert title="This trace is no longer open" severity="info" data-testid={testIds.fileTracePage.missing}>
              This trace was opened from a file and was kept only in the memory of the browser tab that opened it, so a
              reload, another tab or a shared link cannot show it. Open the file again:
            </Alert>
            <OpenTraceFile />
          </Stack>
        )}
      </div>
    </PluginPage>
  );
}

export default FileTracePage;
