import React, { useCallback, useLayoutEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { Alert, Button, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { NoData } from '../../components/NoData/NoData';
import { SearchTrace } from '../../tempo';
import { MAX_SELECTED, ResultsTable } from './ResultsTable';
import { ScatterPlot } from './ScatterPlot';
import { toRows } from './results';
import { SearchState } from './useSearch';
import { widerRange } from '../../components/TimeRange/timeRange';
import { TableView } from './searchCache';

const ids = testIds.searchPage;

export interface ResultsViewProps {
  state: SearchState;
  limit: number;
  errorsOnly: boolean;
  /** the searched range, resolved (epoch milliseconds) and as the URL has it */
  fromMs: number;
  toMs: number;
  from: string;
  to: string;
  /** the data source's name, for messages */
  datasource: string;
  onCancel: () => void;
  onWiden: (range: { from: string; to: string }) => void;
  onOpen: (trace: SearchTrace) => void;
  hrefOf: (trace: SearchTrace) => string;
  /** the table's order and opened rows to start from (a search shown again) */
  initialView?: TableView;
  onViewChange?: (view: TableView) => void;
  /** opens the Compare page for two results (A the first selected); without it, rows have no checkboxes */
  onCompare?: (a: string, b: string) => void;
}

function slices(state: SearchState): string {
  return state.chunksTotal > 1 ? `searched ${state.chunksDone} of ${state.chunksTotal} time slices` : 'searching';
}

/** A search's progress, its results (plot and table), or what happened instead and what to try. */
export function ResultsView(props: ResultsViewProps) {
  const { state, limit, errorsOnly, fromMs, toMs, from, to, datasource, onCancel, onWiden, onOpen, hrefOf } = props;
  const styles = useStyles2(getStyles);
  const rows = useMemo(
    () => toRows(state.traces, state.failedTraceIds, errorsOnly),
    [state.traces, state.failedTraceIds, errorsOnly]
  );
  const n = rows.length;

  // Two results picked for Compare, in the order picked. One no longer in the results (a new search) is dropped
  // from the state itself, as the rows change (React's "adjust state on a prop change"), not just hidden: the
  // toggle counts what is picked, and a hidden pick would keep every checkbox from working.
  const [selected, setSelected] = useState<string[]>([]);
  const [selectedIn, setSelectedIn] = useState(rows);
  if (selectedIn !== rows) {
    setSelectedIn(rows);
    const kept = selected.filter((id) => rows.some((r) => r.trace.traceId === id));
    if (kept.length !== selected.length) {
      setSelected(kept);
    }
  }
  const onToggleSelected = useCallback(
    (traceId: string) =>
      setSelected((prev) =>
        prev.includes(traceId)
          ? prev.filter((id) => id !== traceId)
          : prev.length < MAX_SELECTED
            ? [...prev, traceId]
            : prev
      ),
    []
  );

  // For the browser benchmark: the first frame painted with these rows and the plot. Registered as the
  // commit is done (a layout effect, before the browser paints), the first animation callback runs in the
  // frame that paints them and the second once that paint is done.
  useLayoutEffect(() => {
    if (n === 0) {
      return;
    }
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => performance.mark?.('traceway:search-painted', { detail: { rows: n } }));
    });
    return () => cancelAnimationFrame(frame);
  }, [rows, n]);

  const range = `${dateTimeFormat(fromMs)} to ${dateTimeFormat(toMs)}`;
  const running = state.phase === 'running';

  let status: React.ReactNode = null;
  if (running) {
    status = (
      <div className={styles.progress} data-testid={ids.progress} role="status">
        <LoadingPlaceholder
          className={styles.loading}
          text={`Searching ${datasource}: ${slices(state)}${n > 0 ? `, ${n} traces so far` : ''}…`}
        />
        <Button size="sm" variant="secondary" icon="times" onClick={onCancel} data-testid={ids.cancel}>
          Cancel
        </Button>
      </div>
    );
  }
  const slow = running && state.slow && (
    <Alert severity="info" title="Still searching" data-testid={ids.slow}>
      Tempo is taking a while: it has {slices(state)} of {range} and found {n} traces so far. Newest results show first.
      A shorter time range, a service or a minimum duration make the search faster; Cancel keeps what has arrived.
    </Alert>
  );

  if (state.phase === 'error' && state.error && state.error.kind !== 'traceql') {
    return (
      <Alert severity="error" title={state.error.title} data-testid={ids.error}>
        {state.error.message}
      </Alert>
    );
  }
  if (state.phase === 'error') {
    // A TraceQL error is shown next to the query.
    return null;
  }
  if (n === 0 && !running) {
    const wider = widerRange(from, to);
    return (
      <div data-testid={ids.empty}>
        <NoData title={state.phase === 'cancelled' ? 'Search cancelled' : 'No traces found'}>
          {state.phase === 'cancelled'
            ? `The search was cancelled after it ${slices(state)}, before any trace matched.`
            : `No trace in ${datasource} matched this search from ${range}.`}{' '}
          Traces show up some seconds after their spans end. Try a wider time range, or fewer fields.
        </NoData>
        {wider && (
          <div className={styles.widen}>
            <Button variant="secondary" icon="history" onClick={() => onWiden(wider)} data-testid={ids.widen}>
              {wider.label}
            </Button>
          </div>
        )}
      </div>
    );
  }

  const failed = rows.filter((r) => r.failed).length;
  // One tree while running and after: the plot is mounted (and has measured its width) before the first
  // results arrive, which then render once.
  return (
    <div className={styles.results}>
      {status}
      {slow}
      {n > 0 && (
        <div className={styles.summaryLine}>
          <p className={styles.summary} data-testid={ids.summary}>
            {n === 1 ? '1 trace' : `${n} traces`}
            {failed > 0 && `, ${failed} failed`}
            {state.phase === 'cancelled' && ` (cancelled after it ${slices(state)})`}
            {state.phase === 'done' && n >= limit && ` (the limit: raise it or narrow the search to see more)`}
          </p>
          {props.onCompare && n > 1 && (
            <CompareSelected selected={selected} onCompare={props.onCompare} onClear={() => setSelected([])} />
          )}
        </div>
      )}
      <ScatterPlot rows={rows} fromMs={fromMs} toMs={toMs} onOpen={onOpen} />
      {n > 0 && (
        <ResultsTable
          rows={rows}
          hrefOf={hrefOf}
          onOpen={onOpen}
          height={Math.min(560, 40 + n * 36)}
          initialView={props.initialView}
          onViewChange={props.onViewChange}
          selected={props.onCompare ? selected : undefined}
          onToggleSelected={props.onCompare ? onToggleSelected : undefined}
        />
      )}
    </div>
  );
}

/** Compare, enabled once two results are selected, and what is selected. */
function CompareSelected(props: {
  selected: string[];
  onCompare: (a: string, b: string) => void;
  onClear: () => void;
}) {
  const { selected, onCompare, onClear } = props;
  const styles = useStyles2(getStyles);
  const short = (id: string) => id.slice(0, 8);
  return (
    <div className={styles.compare}>
      <span className={styles.muted} role="status">
        {selected.length === 0
          ? 'Select two traces to compare them'
          : selected.length === 1
            ? `A: ${short(selected[0])}…; select one more`
            : `A: ${short(selected[0])}…, B: ${short(selected[1])}…`}
      </span>
      {selected.length > 0 && (
        <Button size="sm" variant="secondary" fill="text" onClick={onClear}>
          Clear
        </Button>
      )}
      <Button
        size="sm"
        icon="exchange-alt"
        variant="secondary"
        disabled={selected.length !== MAX_SELECTED}
        onClick={() => onCompare(selected[0], selected[1])}
        tooltip="The first selected is A, the baseline"
        data-testid={testIds.compare.searchCompare}
      >
        Compare
      </Button>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  results: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5) }),
  summary: css({ margin: 0 }),
  summaryLine: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1, 2), alignItems: 'center' }),
  compare: css({ marginLeft: 'auto', display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  muted: css({ color: theme.colors.text.secondary }),
  progress: css({ display: 'flex', gap: theme.spacing(2), alignItems: 'center' }),
  loading: css({ marginBottom: 0 }),
  widen: css({ display: 'flex', justifyContent: 'center' }),
});
