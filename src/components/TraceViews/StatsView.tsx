import React, { useCallback, useId, useMemo, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';
import { GroupStats, Trace, groupSpans, traceStats } from '../../trace';
import { DataText } from '../DataText/DataText';
import { SortHeaderCell } from '../SortHeader/SortHeader';
import {
  onGridKey,
  gridRowStyles,
  useKeepActiveInView,
  rightShadeStyles,
  useSideOverflow,
  useVirtualRows,
} from '../VirtualGrid/VirtualGrid';
import { formatDuration } from '../TraceHeader/format';
import { testIds } from '../testIds';
import { serviceColorsFor } from '../Waterfall/colors';
import type { TimelineFilter } from '../Waterfall';
import {
  DEFAULT_STATS_SORT,
  STATS_COLUMNS,
  StatsColumn,
  StatsGrouping,
  StatsSort,
  formatShare,
  groupKey,
  groupLabel,
  nextSort,
  sortGroups,
} from './statsTable';

const ids = testIds.traceViews;
const ROW_HEIGHT = 32;

export interface StatsViewProps {
  trace: Trace;
  /** CSS height of the whole view; the rows scroll inside it */
  height: number | string;
  /** a row chosen: show its spans in the timeline */
  onFilter: (filter: TimelineFilter) => void;
}

// By service there is no operation column. A constant, so that the memoised rows keep their props on each render.
const SERVICE_COLUMNS = STATS_COLUMNS.filter((c) => c.key !== 'operation');

const GROUPINGS: Array<{ value: StatsGrouping; label: string; description: string }> = [
  { value: 'service', label: 'Service', description: 'One row per service' },
  { value: 'operation', label: 'Service + operation', description: 'One row per service and span name' },
];

/** A row's identity across sorts: not the test ID's key, since a '/' in a service name must not make two rows one. */
const rowKey = (g: GroupStats) => JSON.stringify([g.service, g.operation]);

/**
 * The statistics of one trace (`traceStats`, computed once per trace): per service or per service +
 * operation, sortable by every column, the largest self time first. A row (click or Enter) filters the
 * timeline to its spans. Virtualised: a trace of 100,000 distinct span names is 100,000 rows.
 *
 * Keyboard, as the span table: the grid is one Tab stop; arrows, Page Up/Down, Home and End move the
 * active row (`aria-activedescendant`), Enter opens it.
 */
export function StatsView({ trace, height, onFilter }: StatsViewProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const stats = useMemo(() => traceStats(trace), [trace]);
  const serviceColors = useMemo(() => serviceColorsFor(theme, trace), [theme, trace]);
  const serviceIndex = useMemo(() => new Map(trace.services.map((s, i) => [s, i])), [trace]);
  const [grouping, setGrouping] = useState<StatsGrouping>('operation');
  const [chosenSort, setSort] = useState<StatsSort>(DEFAULT_STATS_SORT);
  // By service there is no operation column to sort by.
  const sort = grouping === 'service' && chosenSort.key === 'operation' ? DEFAULT_STATS_SORT : chosenSort;
  const groups = grouping === 'service' ? stats.byService : stats.byOperation;
  const sorted = useMemo(() => sortGroups(groups, sort), [groups, sort]);
  const columns = grouping === 'service' ? SERVICE_COLUMNS : STATS_COLUMNS;
  const template = columns.map((c) => COLUMN_WIDTH[c.key].template).join(' ');
  // Narrower than this, the one scroll box scrolls sideways, header and rows together.
  const minWidth = columns.reduce((sum, c) => sum + COLUMN_WIDTH[c.key].min, 0) + (columns.length - 1) * GAP + 2 * GAP;

  const scrollRef = useRef<HTMLDivElement>(null);
  const idPrefix = useId();
  /** the active row, by group, so that it stays on its group when the order changes */
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const activePos = useMemo(
    () => (activeKey === null ? -1 : sorted.findIndex((g) => rowKey(g) === activeKey)),
    [sorted, activeKey]
  );
  const virtualizer = useVirtualRows({
    count: sorted.length,
    rowHeight: ROW_HEIGHT,
    scrollRef,
    height,
    paddingStart: HEADER_HEIGHT,
  });
  // A new order or grouping shows the active row where it went, or starts from the top without one.
  useKeepActiveInView(sorted, activePos, virtualizer, scrollRef);
  // Narrow: columns hidden at the right get a shade at the rows' edge (overlay scrollbars show nothing).
  const overflow = useSideOverflow(scrollRef, minWidth);

  const open = useCallback(
    (g: GroupStats) => {
      const operation = grouping === 'service' ? undefined : g.operation;
      onFilter({ label: groupLabel(g, grouping), spans: groupSpans(trace, g.service, operation) });
    },
    [trace, grouping, onFilter]
  );
  const onRowClick = useCallback(
    (g: GroupStats) => {
      setActiveKey(rowKey(g));
      open(g);
    },
    [open]
  );

  // Keys on the header's sort buttons are theirs (onGridKey leaves them alone).
  const onGridKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) =>
    onGridKey(e, {
      activePos,
      count: sorted.length,
      viewportHeight: (scrollRef.current?.clientHeight ?? 0) - HEADER_HEIGHT,
      rowHeight: ROW_HEIGHT,
      scrollToIndex: (i, o) => virtualizer.scrollToIndex(i, o),
      onMove: (pos) => setActiveKey(rowKey(sorted[pos])),
      onOpen: (pos) => open(sorted[pos]),
    });
  const items = virtualizer.getVirtualItems();
  const activeShown = activePos >= 0 && items.some((it) => it.index === activePos);
  const rowId = (pos: number) => `${idPrefix}-row-${pos}`;

  return (
    <div className={styles.root} style={{ height }}>
      <div className={styles.toolbar}>
        {/* its own box, so that a long summary wraps instead of squeezing the buttons' labels */}
        <div className={styles.groupBy}>
          <RadioButtonGroup
            size="sm"
            options={GROUPINGS}
            value={grouping}
            onChange={setGrouping}
            data-testid={ids.statsGroupBy}
            aria-label="Group by"
          />
        </div>
        <span className={styles.summary}>
          {sorted.length.toLocaleString('en-US')} {grouping === 'service' ? 'services' : 'operations'} in{' '}
          {trace.spans.length.toLocaleString('en-US')} spans over {formatDuration(stats.durationNs)}. Total adds up the
          spans&apos; durations (nested spans of one group each count, so it can exceed the trace); self time is a
          span&apos;s time not covered by its children. Choose a row to see its spans in the timeline.
        </span>
      </div>
      <div
        className={styles.table}
        role="grid"
        tabIndex={0}
        aria-label={`Statistics by ${grouping === 'service' ? 'service' : 'service and operation'}`}
        aria-rowcount={sorted.length + 1}
        aria-colcount={columns.length}
        aria-activedescendant={activeShown ? rowId(activePos) : undefined}
        onKeyDown={onGridKeyDown}
        data-testid={ids.statsTable}
      >
        {/* One scroll box for header and rows: a sideways scroll moves both, and both have the same width. */}
        <div ref={scrollRef} className={styles.scroll}>
          <div className={styles.sized} style={{ height: virtualizer.getTotalSize(), minWidth }}>
            <div role="rowgroup" className={styles.head}>
              <div role="row" aria-rowindex={1} className={styles.grid} style={{ gridTemplateColumns: template }}>
                {columns.map((c) => (
                  <SortHeaderCell
                    key={c.key}
                    label={c.label}
                    numeric={c.numeric}
                    title={'title' in c ? c.title : undefined}
                    direction={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
                    onSort={() => setSort(nextSort(sort, c.key))}
                    className={styles.headerCell}
                    testId={ids.statsHeader(c.key)}
                  />
                ))}
              </div>
            </div>
            <div role="rowgroup">
              {items.map((item) => {
                const g = sorted[item.index];
                return (
                  <StatsRow
                    key={rowKey(g)}
                    id={rowId(item.index)}
                    active={item.index === activePos}
                    styles={styles}
                    group={g}
                    grouping={grouping}
                    columns={columns}
                    template={template}
                    index={item.index}
                    top={item.start}
                    color={serviceColors[serviceIndex.get(g.service) ?? 0]}
                    onOpen={onRowClick}
                  />
                );
              })}
            </div>
          </div>
        </div>
        {overflow.right && <div className={styles.moreRight} style={{ right: overflow.gutter + 1 }} aria-hidden />}
      </div>
    </div>
  );
}

/** The header's height (its bottom border inside it): the rows start below it in the one scroll box. */
const HEADER_HEIGHT = ROW_HEIGHT;
/** theme.spacing(1): the columns' gap and the rows' side padding */
const GAP = 8;

// The fixed columns fit a 1,000-pixel panel beside the two name columns' minimums; `min` is each one's least width.
const fixed = (px: number) => ({ template: `${px}px`, min: px });
const COLUMN_WIDTH: Record<StatsColumn, { template: string; min: number }> = {
  service: { template: 'minmax(96px, 1fr)', min: 96 },
  operation: { template: 'minmax(120px, 2fr)', min: 120 },
  count: fixed(60),
  totalNs: fixed(76),
  avgNs: fixed(76),
  minNs: fixed(76),
  maxNs: fixed(76),
  selfNs: fixed(80),
  share: fixed(110),
  errors: fixed(56),
};

interface RowProps {
  id: string;
  active: boolean;
  styles: ReturnType<typeof getStyles>;
  group: GroupStats;
  grouping: StatsGrouping;
  columns: ReadonlyArray<(typeof STATS_COLUMNS)[number]>;
  template: string;
  index: number;
  top: number;
  color: string;
  onOpen: (g: GroupStats) => void;
}

/** One group's row; memoised, so scrolling renders only the rows that come into view. */
const StatsRow = React.memo(function StatsRow({
  id,
  active,
  styles,
  group: g,
  grouping,
  columns,
  template,
  index,
  top,
  color,
  onOpen,
}: RowProps) {
  const cell = (key: StatsColumn) => {
    switch (key) {
      case 'service':
        return (
          <>
            <span className={styles.swatch} style={{ background: color }} />
            <DataText className={styles.text} title={g.service}>
              {g.service}
            </DataText>
          </>
        );
      case 'operation':
        return g.operation ? (
          <DataText className={styles.text} title={g.operation}>
            {g.operation}
          </DataText>
        ) : (
          <span className={styles.muted}>(no name)</span>
        );
      case 'count':
        return g.count.toLocaleString('en-US');
      case 'share':
        return (
          <>
            <span className={styles.shareTrack} aria-hidden>
              <span className={styles.shareBar} style={{ width: `${Math.min(1, g.share) * 100}%` }} />
            </span>
            <span className={styles.shareText}>{formatShare(g.share)}</span>
          </>
        );
      case 'errors':
        return g.errors > 0 ? <span className={styles.errors}>{g.errors.toLocaleString('en-US')}</span> : '0';
      default:
        return formatDuration(g[key]);
    }
  };
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={active}
      title="Show these spans in the timeline"
      className={cx(styles.grid, styles.row, active && styles.rowActive)}
      style={{ gridTemplateColumns: template, transform: `translateY(${top}px)` }}
      onClick={() => onOpen(g)}
      data-testid={testIds.traceViews.statsRow(groupKey(g, grouping))}
    >
      {columns.map((c) => (
        <div key={c.key} role="gridcell" className={cx(styles.cell, c.numeric && styles.numeric)}>
          {cell(c.key)}
        </div>
      ))}
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
  groupBy: css({ flexShrink: 0 }),
  toolbar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(0.5, 0, 1),
    flexShrink: 0,
  }),
  summary: css({ color: theme.colors.text.secondary, minWidth: 0 }),
  table: css({
    position: 'relative',
    display: 'flex',
    flexDirection: 'column',
    flex: 1,
    minHeight: 0,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    outline: 'none',
    '&:focus-visible': { boxShadow: `0 0 0 2px ${theme.colors.primary.border}` },
  }),
  moreRight: css({ ...rightShadeStyles(theme), top: 1, bottom: 1, zIndex: 2 }),
  scroll: css({ flex: 1, minHeight: 0, overflow: 'auto', overscrollBehavior: 'contain' }),
  // The rows are placed in it by the virtualiser; at least as wide as the columns need.
  sized: css({ position: 'relative' }),
  // Sticky: stays on top when the rows scroll down, and moves with them sideways.
  head: css({
    position: 'sticky',
    top: 0,
    zIndex: 1,
    boxSizing: 'border-box',
    height: HEADER_HEIGHT,
    background: theme.colors.background.secondary,
    borderBottom: `1px solid ${theme.colors.border.medium}`,
  }),
  grid: css({ display: 'grid', alignItems: 'center', columnGap: GAP, padding: `0 ${GAP}px` }),
  row: css(gridRowStyles(theme, ROW_HEIGHT).row),
  rowActive: css(gridRowStyles(theme, ROW_HEIGHT).rowActive),
  cell: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    minWidth: 0,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    height: ROW_HEIGHT,
  }),
  numeric: css({ justifyContent: 'flex-end', textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
  headerCell: css({ height: HEADER_HEIGHT - 1 }),
  swatch: css({ flexShrink: 0, width: 10, height: 10, borderRadius: theme.shape.radius.default }),
  text: css({ overflow: 'hidden', textOverflow: 'ellipsis' }),
  muted: css({ color: theme.colors.text.secondary, fontStyle: 'italic' }),
  shareTrack: css({
    position: 'relative',
    flex: 1,
    height: 8,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    overflow: 'hidden',
  }),
  shareBar: css({ position: 'absolute', left: 0, top: 0, bottom: 0, background: theme.colors.primary.main }),
  shareText: css({ width: 52, textAlign: 'right', flexShrink: 0 }),
  errors: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
});
