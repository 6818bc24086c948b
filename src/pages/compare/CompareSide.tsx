import React, { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { css } from '@emotion/css';
import { GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { Alert, Combobox, ComboboxOption, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { Trace, TraceSummary } from '../../trace';
import { DataText, isolate } from '../../components/DataText/DataText';
import { testIds } from '../../components/testIds';
import { formatDuration } from '../../components/TraceHeader/format';
import { findDataSource } from '../../grafana';
import { TraceQuery, loadingText, notFoundText, traceQueryKey } from '../trace/traceQuery';
import { useTrace } from '../trace/useTrace';

const ids = testIds.compare;

export type Side = 'a' | 'b';

export const SIDE_LABEL: Record<Side, string> = { a: 'A · baseline', b: 'B · compared' };

/** A side's card: which trace, and whether it is there yet. `status` is for tests and the browser tests. */
function SideCard({ side, status, children }: { side: Side; status: string; children: React.ReactNode }) {
  const styles = useStyles2(getStyles);
  return (
    <section className={styles.card} data-testid={ids.side(side)} data-status={status} aria-label={SIDE_LABEL[side]}>
      <h4 className={styles.title}>{SIDE_LABEL[side]}</h4>
      {children}
    </section>
  );
}

/** What a loaded trace is: its root, duration, spans and errors; a link to its page when it has one. */
function Loaded({ side, summary, href }: { side: Side; summary: TraceSummary; href?: string }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.loaded}>
      <div className={styles.root}>
        <DataText className={styles.muted}>{summary.rootServiceName || 'unknown service'}</DataText>{' '}
        <DataText>{summary.rootName || '(no root span)'}</DataText>
      </div>
      <div className={styles.muted}>
        {formatDuration(summary.durationNs)}, {summary.spanCount.toLocaleString('en-US')}{' '}
        {summary.spanCount === 1 ? 'span' : 'spans'}
        {summary.errorCount > 0 && `, ${summary.errorCount} failed`}
        {summary.startEpochMs > 0 && `, started ${dateTimeFormat(summary.startEpochMs)}`}
      </div>
      <div className={styles.mono}>
        {href ? (
          <Link to={href} className={styles.link} data-testid={ids.sideOpen(side)} title="Open on the Trace page">
            {summary.traceId}
          </Link>
        ) : (
          <DataText>{summary.traceId}</DataText>
        )}
      </div>
    </div>
  );
}

export function EmptySide({ side }: { side: Side }) {
  const styles = useStyles2(getStyles);
  return (
    <SideCard side={side} status="empty">
      <span className={styles.muted}>Enter a trace ID or open a trace file.</span>
    </SideCard>
  );
}

export function BadIdSide({ side, message }: { side: Side; message: string }) {
  return (
    <SideCard side={side} status="error">
      <Alert title="Not a trace ID" severity="error">
        {message}
      </Alert>
    </SideCard>
  );
}

/** A trace loaded from Tempo and the query (`traceQueryKey`) it answers. */
export interface LoadedTrace {
  key: string;
  trace: Trace;
}

export interface TempoSideProps {
  side: Side;
  query: TraceQuery;
  /** the Trace page of this trace */
  href: string;
  /** told the trace once loaded, and undefined while it is not (another query, or this side gone) */
  onTrace: (side: Side, loaded: LoadedTrace | undefined) => void;
}

/** One trace from Tempo, loaded as the Trace page loads it; both sides load at once. */
export function TempoSide({ side, query, href, onTrace }: TempoSideProps) {
  const styles = useStyles2(getStyles);
  const state = useTrace(query);
  const trace = state.status === 'loaded' ? state.trace : undefined;
  const key = traceQueryKey(query);
  const datasourceName = findDataSource(query.datasourceUid)?.name;
  useEffect(() => onTrace(side, trace && { key, trace }), [side, key, trace, onTrace]);
  useEffect(() => () => onTrace(side, undefined), [side, onTrace]);
  switch (state.status) {
    case 'loading':
      return (
        <SideCard side={side} status="loading">
          <LoadingPlaceholder
            className={styles.loading}
            text={loadingText(query, state.phase, state.bytes, datasourceName)}
          />
        </SideCard>
      );
    case 'not-found':
      return (
        <SideCard side={side} status="not-found">
          <Alert title="Trace not found" severity="warning">
            {notFoundText(query, datasourceName)} Check the ID, and that the trace is in this data source.
          </Alert>
        </SideCard>
      );
    case 'error':
      return (
        <SideCard side={side} status="error">
          <Alert title={state.title} severity="error">
            {state.message}
          </Alert>
        </SideCard>
      );
    case 'loaded':
      return (
        <SideCard side={side} status="loaded">
          <Loaded side={side} summary={state.summary} href={href} />
        </SideCard>
      );
  }
}

/** A trace file picked for one side: every trace in it, and the one compared. */
export interface FileSideState {
  name: string;
  traces: Trace[];
  summaries: TraceSummary[];
  index: number;
  /** where in this file the other side's trace is, when that is why `index` is not the first */
  otherAt?: number;
}

/**
 * Which trace of a file a side starts with: the first, unless the other side has that one (the same file opened for
 * both); then the first after it that the other side does not have, and where the other side's is.
 */
export function pickOtherTrace(
  summaries: Array<Pick<TraceSummary, 'traceId'>>,
  otherTraceId: string | undefined
): { index: number; otherAt?: number } {
  if (summaries.length < 2 || otherTraceId === undefined || summaries[0].traceId !== otherTraceId) {
    return { index: 0 };
  }
  const index = summaries.findIndex((s) => s.traceId !== otherTraceId);
  return index < 0 ? { index: 0 } : { index, otherAt: 0 };
}

export type FileReadState = { status: 'reading'; name: string } | { status: 'error'; message: string };

/** One side from a file: what was read, or why not; a file of several traces offers a choice. */
export function FileSide(props: {
  side: Side;
  file?: FileSideState;
  reading?: FileReadState;
  onPick: (index: number) => void;
}) {
  const { side, file, reading, onPick } = props;
  const styles = useStyles2(getStyles);
  if (reading?.status === 'reading') {
    return (
      <SideCard side={side} status="loading">
        <LoadingPlaceholder className={styles.loading} text={`Reading ${reading.name}…`} />
      </SideCard>
    );
  }
  if (reading?.status === 'error' || !file) {
    return (
      <SideCard side={side} status="error">
        <Alert title="The file was not opened" severity="error">
          {reading?.status === 'error' ? reading.message : 'No file.'}
        </Alert>
      </SideCard>
    );
  }
  const count = file.traces.length;
  return (
    <SideCard side={side} status="loaded">
      <div className={styles.muted}>
        From the file <DataText>{file.name}</DataText>
        {count > 1 && `, trace ${file.index + 1} of ${count}`}
      </div>
      {count > 1 && (
        <Combobox<number>
          aria-label={`Trace of ${isolate(file.name)} for ${side.toUpperCase()}`}
          options={traceOptions(file.summaries)}
          value={file.index}
          onChange={(o) => onPick(o.value)}
        />
      )}
      {file.otherAt !== undefined && (
        <div className={styles.muted} data-testid={ids.sideNote(side)}>
          Trace {file.index + 1} picked: trace {file.otherAt + 1} is the one {side === 'a' ? 'B' : 'A'} has.
        </div>
      )}
      <Loaded side={side} summary={file.summaries[file.index]} />
    </SideCard>
  );
}

/**
 * A file's traces as picker options told apart by what differs between requests of one endpoint: the position,
 * start time (the time of day when all start on one day), duration and spans; the root and the ID below.
 */
function traceOptions(summaries: TraceSummary[]): Array<ComboboxOption<number>> {
  const day = (s: TraceSummary) => dateTimeFormat(s.startEpochMs, { format: 'YYYY-MM-DD' });
  const oneDay = summaries.every((s) => s.startEpochMs > 0 && day(s) === day(summaries[0]));
  const format = oneDay ? 'HH:mm:ss.SSS' : 'YYYY-MM-DD HH:mm:ss.SSS';
  return summaries.map((s, i) => ({
    value: i,
    label: [
      `${i + 1}.`,
      s.startEpochMs > 0 ? `${dateTimeFormat(s.startEpochMs, { format })} ·` : '',
      `${formatDuration(s.durationNs)}, ${s.spanCount.toLocaleString('en-US')} ${s.spanCount === 1 ? 'span' : 'spans'}`,
    ]
      .filter(Boolean)
      .join(' '),
    // Text from the trace, isolated: a Combobox option is no place for a <bdi>.
    description: `${isolate(s.rootServiceName || 'unknown service')} ${isolate(s.rootName || '(no root span)')} · ${s.traceId}`,
  }));
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    flex: '1 1 320px',
    minWidth: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1.5, 2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
  title: css({ margin: 0, fontSize: theme.typography.body.fontSize }),
  loaded: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), minWidth: 0 }),
  // A long real route ("GET /harbor/projects/{project_name}/repositories/…") wraps inside the card.
  root: css({ overflowWrap: 'anywhere' }),
  loading: css({ marginBottom: 0 }),
  muted: css({ color: theme.colors.text.secondary }),
  mono: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  link: css({ color: theme.colors.text.link, '&:hover': { textDecoration: 'underline' } }),
});
