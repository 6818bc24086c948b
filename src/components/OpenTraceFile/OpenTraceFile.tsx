import React, { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Icon, Text, useStyles2 } from '@grafana/ui';
import { Trace, TraceSummary, summarize } from '../../trace';
import { fileTracePath } from '../../routes';
import { DataText } from '../DataText/DataText';
import { FileButton } from '../FileButton/FileButton';
import { formatBytes, formatDuration } from '../TraceHeader/format';
import { testIds } from '../testIds';
import { putFileTrace } from './fileTraces';
import { MAX_TRACE_FILE_MB, TraceFileError, checkTraceFile, readFileBytes, tracesFromBytes } from './readTraceFile';

export interface OpenTraceFileProps {
  /** one line (a button and a drop target), for a toolbar; otherwise a drop zone with an explanation */
  compact?: boolean;
}

type State =
  | { status: 'idle' }
  | { status: 'reading'; name: string; loaded: number; total: number }
  | { status: 'parsing'; name: string; bytes: number }
  | { status: 'choose'; name: string; bytes: number; traces: Trace[]; summaries: TraceSummary[] }
  | { status: 'error'; message: string };

/** How many traces of a multi-trace file are offered; the rest are counted. */
const MAX_CHOICES = 100;

const ids = testIds.openTraceFile;

/**
 * Opens a trace from a JSON file the user drops or picks (any format the model reads), as Jaeger UI does:
 * the trace is kept in this tab's memory and shown on the file trace page. Nothing is uploaded.
 */
export function OpenTraceFile({ compact = false }: OpenTraceFileProps) {
  const styles = useStyles2(getStyles);
  const navigate = useNavigate();
  const [state, setState] = useState<State>({ status: 'idle' });
  const [dragging, setDragging] = useState(false);
  const reading = useRef<AbortController>();

  // Leaving the page stops a read in progress, and no state is set after that.
  useEffect(() => () => reading.current?.abort(), []);

  const open = useCallback(
    (name: string, trace: Trace, bytes: number) =>
      navigate(fileTracePath(putFileTrace({ trace, fileName: name, bytes }))),
    [navigate]
  );

  const openFile = useCallback(
    async (file: File) => {
      reading.current?.abort();
      const controller = new AbortController();
      reading.current = controller;
      const { signal } = controller;
      try {
        checkTraceFile(file);
        setState({ status: 'reading', name: file.name, loaded: 0, total: file.size });
        // A few progress updates a second, not one per chunk.
        let last = 0;
        const bytes = await readFileBytes(
          file,
          (loaded) => {
            const now = performance.now();
            if (now - last > 100) {
              last = now;
              setState({ status: 'reading', name: file.name, loaded, total: file.size });
            }
          },
          signal
        );
        setState({ status: 'parsing', name: file.name, bytes: bytes.length });
        // Paint "Reading the trace" before the model's synchronous work holds the main thread.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (signal.aborted) {
          return;
        }
        const traces = tracesFromBytes(file.name, bytes);
        if (traces.length === 1) {
          open(file.name, traces[0], bytes.length);
          return;
        }
        const summaries = traces.map(summarize).sort((a, b) => a.startEpochMs - b.startEpochMs);
        const byId = new Map(traces.map((t) => [t.traceId, t]));
        setState({
          status: 'choose',
          name: file.name,
          bytes: bytes.length,
          traces: summaries.map((s) => byId.get(s.traceId)!),
          summaries,
        });
      } catch (e) {
        if (signal.aborted) {
          return;
        }
        const message =
          e instanceof TraceFileError
            ? e.message
            : `"${file.name}" could not be read: ${e instanceof Error ? e.message : String(e)}`;
        setState({ status: 'error', message });
      }
    },
    [open]
  );

  const openFiles = (files: FileList | null | undefined) => {
    if (!files || files.length === 0) {
      return;
    }
    if (files.length > 1) {
      setState({ status: 'error', message: `${files.length} files were dropped: drop one trace file at a time.` });
      return;
    }
    void openFile(files[0]);
  };

  const cancel = () => {
    reading.current?.abort();
    setState({ status: 'idle' });
  };

  const busy = state.status === 'reading' || state.status === 'parsing';

  return (
    <div
      className={cx(styles.zone, compact && styles.compact, dragging && styles.dragging)}
      data-testid={ids.container}
      onDragOver={(e) => {
        // Only files: dragging text or a link over the page is not an open.
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) {
          setDragging(false);
        }
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (!busy) {
          openFiles(e.dataTransfer.files);
        }
      }}
    >
      <div className={styles.line}>
        {!compact && (
          <>
            <Icon name="upload" size="lg" className={styles.icon} />
            <Text color="secondary">Drop a trace file here, or</Text>
          </>
        )}
        <FileButton
          label="Trace file"
          tooltip={compact ? 'Pick a JSON trace file, or drop one on this button' : undefined}
          disabled={busy}
          onFiles={openFiles}
          buttonTestId={ids.button}
          inputTestId={ids.input}
        >
          Open a trace file
        </FileButton>
      </div>
      {!compact && (
        <Text color="secondary" variant="bodySmall">
          Tempo, OTLP/JSON (also the Collector&apos;s JSON Lines export), Jaeger, Zipkin v2 or Grafana trace frames, up
          to {MAX_TRACE_FILE_MB} MB. The trace stays in this browser tab: nothing is uploaded.
        </Text>
      )}
      {state.status !== 'idle' && (
        <div className={compact ? styles.popover : styles.status}>
          {state.status === 'reading' && (
            <div className={styles.line} data-testid={ids.progress} role="status">
              <progress max={state.total} value={state.loaded} className={styles.progress} />
              <Text variant="bodySmall">
                Reading <DataText>{state.name}</DataText>: {formatBytes(state.loaded)} of {formatBytes(state.total)}
              </Text>
              <Button size="sm" variant="secondary" fill="text" onClick={cancel} data-testid={ids.cancel}>
                Cancel
              </Button>
            </div>
          )}
          {state.status === 'parsing' && (
            <div className={styles.line} data-testid={ids.progress} role="status">
              <Text variant="bodySmall">
                Reading the trace in <DataText>{state.name}</DataText> ({formatBytes(state.bytes)})…
              </Text>
            </div>
          )}
          {state.status === 'choose' && (
            <div className={styles.choose} data-testid={ids.choices}>
              <Text variant="bodySmall">
                <DataText>{state.name}</DataText> holds {state.summaries.length.toLocaleString('en-US')} traces. Open
                one:
              </Text>
              <ul className={styles.list}>
                {state.summaries.slice(0, MAX_CHOICES).map((s, i) => (
                  <li key={s.traceId}>
                    <Button
                      size="sm"
                      variant="secondary"
                      fill="text"
                      onClick={() => open(state.name, state.traces[i], state.bytes)}
                      data-testid={ids.choice(s.traceId)}
                    >
                      <span className={styles.choice}>
                        <DataText className={styles.service}>{s.rootServiceName || 'unknown service'}</DataText>
                        <DataText>{s.rootName || '(no root span)'}</DataText>
                        <span className={styles.meta}>
                          {formatDuration(s.durationNs)}, {s.spanCount.toLocaleString('en-US')}{' '}
                          {s.spanCount === 1 ? 'span' : 'spans'}
                          {s.errorCount > 0 ? `, ${s.errorCount} failed` : ''} · <DataText>{s.traceId}</DataText>
                        </span>
                      </span>
                    </Button>
                  </li>
                ))}
              </ul>
              <div>
                <Button size="sm" variant="secondary" fill="text" onClick={cancel}>
                  Cancel
                </Button>
              </div>
              {state.summaries.length > MAX_CHOICES && (
                <Text color="secondary" variant="bodySmall">
                  The first {MAX_CHOICES} by start time are listed. Pick another with the CLI: traceway trace FILE
                  --trace-id ID --json &gt; trace.json
                </Text>
              )}
            </div>
          )}
          {state.status === 'error' && (
            <div className={styles.block}>
              <Alert
                title="The file was not opened"
                severity="error"
                className={styles.alert}
                data-testid={ids.error}
                onRemove={cancel}
              >
                {state.message}
              </Alert>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

export default OpenTraceFile;

const getStyles = (theme: GrafanaTheme2) => ({
  zone: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    border: `1px dashed ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    textAlign: 'center',
  }),
  // One button in a toolbar: what follows a pick floats below it rather than growing the toolbar.
  compact: css({
    position: 'relative',
    padding: 0,
    border: '1px solid transparent',
    background: 'none',
  }),
  status: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    alignSelf: 'stretch',
    gap: theme.spacing(1),
  }),
  popover: css({
    position: 'absolute',
    top: `calc(100% + ${theme.spacing(0.5)})`,
    left: 0,
    zIndex: theme.zIndex.dropdown,
    width: 'min(560px, 90vw)',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    textAlign: 'left',
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z3,
  }),
  dragging: css({
    borderColor: theme.colors.primary.border,
    background: theme.colors.primary.transparent,
  }),
  line: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
  }),
  icon: css({ color: theme.colors.text.secondary }),
  progress: css({ width: 160 }),
  alert: css({ marginBottom: 0 }),
  block: css({ alignSelf: 'stretch', textAlign: 'left' }),
  choose: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    alignSelf: 'stretch',
    textAlign: 'left',
  }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    maxHeight: 320,
    overflowY: 'auto',
  }),
  choice: css({ display: 'inline-flex', flexWrap: 'wrap', gap: theme.spacing(1), textAlign: 'left' }),
  service: css({ color: theme.colors.text.secondary }),
  meta: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular }),
});
