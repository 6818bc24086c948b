import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import { useVirtualizer } from '@tanstack/react-virtual';
import { GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { DataText } from '../../components/DataText/DataText';
import { testIds } from '../../components/testIds';
import { SearchTrace } from '../../tempo';
import { DEFAULT_SORT, ResultRow, Sort, SortKey, formatMs, sortRows } from './results';
import { TableView } from './searchCache';

const ids = testIds.searchPage;
const ROW_HEIGHT = 36;
const SPAN_LINE_HEIGHT = 24;

export interface ResultsTableProps {
  rows: ResultRow[];
  /** the page's link to a trace (the Trace page with data source and time) */
  hrefOf: (trace: SearchTrace) => string;
  onOpen: (trace: SearchTrace) => void;
  /** pixels, or a CSS length */
  height: number | string;
  /** the order and opened rows to start from (a search shown again on Back) */
  initialView?: TableView;
  /** told the order and opened rows as they change, so that the page can keep them with the search */
  onViewChange?: (view: TableView) => void;
  /**
   * Rows selected for Compare, in the order picked (A, then B); with `onToggleSelected`, each row has a checkbox.
   * At most `MAX_SELECTED`: the others' checkboxes are off while two are picked.
   */
  selected?: readonly string[];
  onToggleSelected?: (traceId: string) => void;
}

/** Compare takes two traces. */
export const MAX_SELECTED = 2;

const COLUMNS: Array<{ key: SortKey; label: string; numeric?: boolean }> = [
  { key: 'failed', label: 'Error' },
  { key: 'traceId', label: 'Trace ID' },
  { key: 'rootService', label: 'Root service' },
  { key: 'rootName', label: 'Root span' },
  { key: 'startMs', label: 'Start' },
  { key: 'durationMs', label: 'Duration', numeric: true },
  { key: 'matched', label: 'Matched spans', numeric: true },
];

/**
 * The search results: a sortable table, virtualised so that 1,000 rows render as fast as 20. A row opens
 * its trace (click, or Enter); its toggle shows the spans that matched.
 */
export function ResultsTable(props: ResultsTableProps) {
  const { rows, hrefOf, onOpen, height, initialView, onViewChange, selected, onToggleSelected } = props;
  const styles = useStyles2(getStyles);
  const selectable = onToggleSelected !== undefined;
  const gridClass = selectable ? styles.gridSelectable : styles.grid;
  const [sort, setSort] = useState<Sort>(initialView?.sort ?? DEFAULT_SORT);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(initialView?.expanded ?? new Set());
  useEffect(() => onViewChange?.({ sort, expanded }), [onViewChange, sort, expanded]);
  const sorted = useMemo(() => sortRows(rows, sort), [rows, sort]);
  const scrollRef = useRef<HTMLDivElement>(null);

  const getItemKey = useCallback((i: number) => sorted[i].trace.traceId, [sorted]);
  // Heights are exact, not measured: a row, and its matched spans when open (see spansHeight).
  const estimateSize = useCallback(
    (i: number) => {
      const { trace } = sorted[i];
      return expanded.has(trace.traceId) ? ROW_HEIGHT + spansHeight(trace) : ROW_HEIGHT;
    },
    [sorted, expanded]
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualiser re-renders this component on scroll
  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: 6,
    // The list's height is known: the first render then already has the rows in view, without waiting for
    // the element to be measured (a second render).
    initialRect: { width: 0, height: typeof height === 'number' ? height : 600 },
  });
  // The virtualiser keeps sizes it has computed: recompute them when a row opens or closes (not at mount,
  // when there is nothing to recompute).
  const sizedFor = useRef(estimateSize);
  useEffect(() => {
    if (sizedFor.current !== estimateSize) {
      sizedFor.current = estimateSize;
      virtualizer.measure();
    }
  }, [virtualizer, estimateSize]);

  // A new order starts from its top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [sort]);

  const onSort = (key: SortKey) =>
    setSort((s) =>
      s.key === key
        ? { key, desc: !s.desc }
        : { key, desc: key !== 'rootService' && key !== 'rootName' && key !== 'traceId' }
    );
  const toggle = useCallback((traceId: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      next.has(traceId) ? next.delete(traceId) : next.add(traceId);
      return next;
    });
  }, []);

  return (
    <div className={styles.table} role="table" aria-rowcount={sorted.length + 1} data-testid={ids.results}>
      <div role="rowgroup">
        <div role="row" className={cx(gridClass, styles.header)}>
          {selectable && (
            <div role="columnheader" className={styles.toggleCell} aria-label="Select two traces to compare" />
          )}
          <div role="columnheader" className={styles.cell} aria-label="Matched spans toggle" />
          {COLUMNS.map((c) => (
            <div
              key={c.key}
              role="columnheader"
              className={cx(styles.cell, c.numeric && styles.numeric)}
              aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
            >
              <button
                type="button"
                className={styles.sortButton}
                onClick={() => onSort(c.key)}
                data-testid={ids.sort(c.key)}
              >
                {c.label}
                {sort.key === c.key && <span aria-hidden>{sort.desc ? '↓' : '↑'}</span>}
              </button>
            </div>
          ))}
        </div>
      </div>
      <div ref={scrollRef} className={styles.body} style={{ height }} role="rowgroup">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <ResultRowView
              key={item.key}
              styles={styles}
              row={sorted[item.index]}
              index={item.index}
              start={item.start}
              size={item.size}
              open={expanded.has(sorted[item.index].trace.traceId)}
              href={hrefOf(sorted[item.index].trace)}
              onOpen={onOpen}
              onToggle={toggle}
              gridClass={gridClass}
              selectedAs={selectedAs(selected, sorted[item.index].trace.traceId)}
              selectDisabled={(selected?.length ?? 0) >= MAX_SELECTED}
              onToggleSelected={onToggleSelected}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

interface ResultRowProps {
  styles: ReturnType<typeof getStyles>;
  row: ResultRow;
  index: number;
  start: number;
  size: number;
  open: boolean;
  href: string;
  onOpen: (trace: SearchTrace) => void;
  onToggle: (traceId: string) => void;
  gridClass: string;
  /** 'A' or 'B' when selected for Compare */
  selectedAs?: 'A' | 'B';
  /** two others are selected */
  selectDisabled: boolean;
  onToggleSelected?: (traceId: string) => void;
}

function selectedAs(selected: readonly string[] | undefined, traceId: string): 'A' | 'B' | undefined {
  const at = selected?.indexOf(traceId) ?? -1;
  return at === 0 ? 'A' : at === 1 ? 'B' : undefined;
}

/** One result row (and its matched spans when open). Memoised: scrolling re-renders only new rows. */
const ResultRowView = React.memo(function ResultRowView(props: ResultRowProps) {
  // The table's styles, handed down: each row computing its own would serialise every class again.
  const { styles, row, index, start, size, open, href, onOpen, onToggle, gridClass } = props;
  const { selectedAs: as, selectDisabled, onToggleSelected } = props;
  const { trace } = row;
  return (
    <div className={styles.item} style={{ transform: `translateY(${start}px)`, height: size }}>
      <div
        role="row"
        aria-rowindex={index + 2}
        tabIndex={0}
        className={cx(gridClass, styles.row, row.failed && styles.failedRow)}
        onClick={() => onOpen(trace)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && e.target === e.currentTarget) {
            onOpen(trace);
          }
        }}
        data-testid={ids.row(trace.traceId)}
      >
        {onToggleSelected && (
          <div role="cell" className={styles.toggleCell}>
            {/* A native checkbox, as the chevron: cheap per row. Its clicks never open the trace. */}
            <label className={styles.select} onClick={(e) => e.stopPropagation()}>
              <input
                type="checkbox"
                checked={as !== undefined}
                disabled={as === undefined && selectDisabled}
                onChange={() => onToggleSelected(trace.traceId)}
                onKeyDown={(e) => e.stopPropagation()}
                aria-label={`Compare trace ${trace.traceId}${as ? ` (as ${as})` : ''}`}
                title={
                  as === undefined && selectDisabled
                    ? 'Two traces are selected: clear one to pick another'
                    : 'Select two traces, then Compare'
                }
                data-testid={testIds.compare.select(trace.traceId)}
              />
              <span className={styles.selectedAs} aria-hidden>
                {as ?? ''}
              </span>
            </label>
          </div>
        )}
        <div role="cell" className={styles.toggleCell}>
          <button
            type="button"
            className={styles.toggle}
            aria-label={open ? 'Hide matched spans' : 'Show matched spans'}
            aria-expanded={open}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(trace.traceId);
            }}
            data-testid={ids.expand(trace.traceId)}
          >
            {/* A CSS chevron: Grafana's Icon per row (an SVG fetched and parsed per instance) costs more than
                the rest of the row. */}
            <span className={cx(styles.chevron, open && styles.chevronOpen)} aria-hidden />
          </button>
        </div>
        <div role="cell" className={styles.cell}>
          {row.failed && (
            <span className={styles.errorMark} data-testid={ids.errorMark} title="This trace has failed spans">
              <ErrorGlyph /> error
            </span>
          )}
        </div>
        <div role="cell" className={cx(styles.cell, styles.mono)}>
          <a
            href={href}
            className={styles.link}
            onClick={(e) => {
              // A plain click navigates in the app; a modified click opens a tab as links do.
              e.stopPropagation();
              if (!e.metaKey && !e.ctrlKey && !e.shiftKey && e.button === 0) {
                e.preventDefault();
                onOpen(trace);
              }
            }}
          >
            {trace.traceId}
          </a>
        </div>
        <div role="cell" className={styles.cell}>
          {trace.rootService !== undefined ? (
            <DataText>{trace.rootService}</DataText>
          ) : (
            <span className={styles.muted} title="Tempo has not received this trace's root span yet">
              root not yet received
            </span>
          )}
        </div>
        <div role="cell" className={styles.cell}>
          {trace.rootName !== undefined && <DataText>{trace.rootName}</DataText>}
        </div>
        <div role="cell" className={styles.cell}>
          {formatStart(trace.startMs)}
        </div>
        <div role="cell" className={cx(styles.cell, styles.numeric)}>
          {formatMs(trace.durationMs)}
        </div>
        <div role="cell" className={cx(styles.cell, styles.numeric)}>
          {trace.matched}
        </div>
      </div>
      {open && <MatchedSpans trace={trace} styles={styles} />}
    </div>
  );
});

/** A circled exclamation mark, drawn inline (see the chevron: no Icon per row). */
function ErrorGlyph() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden>
      <circle cx="6" cy="6" r="5.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M6 3.2v3.4" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      <circle cx="6" cy="8.7" r="0.85" fill="currentColor" />
    </svg>
  );
}

/** Start times as the table shows them, in the user's time zone, to the millisecond. */
function formatStart(ms: number): string {
  return dateTimeFormat(ms, { format: 'YYYY-MM-DD HH:mm:ss.SSS' });
}

const SPANS_PADDING = 8;

/** The matched spans' list height: one line per span, one for "n of m shown", padding. */
function spansHeight(trace: SearchTrace): number {
  const lines = Math.max(1, trace.spans.length) + (trace.matched > trace.spans.length ? 1 : 0);
  return SPANS_PADDING + lines * SPAN_LINE_HEIGHT;
}

function MatchedSpans({ trace, styles }: { trace: SearchTrace; styles: ReturnType<typeof getStyles> }) {
  return (
    <ul
      className={styles.spans}
      style={{ height: spansHeight(trace) }}
      data-testid={ids.matchedSpans(trace.traceId)}
      aria-label="Matched spans"
    >
      {trace.spans.length === 0 && <li className={styles.muted}>Tempo returned no spans for this trace.</li>}
      {trace.spans.map((s) => (
        <li key={s.spanId} className={styles.span}>
          <span className={styles.mono}>{s.spanId}</span>
          {s.service !== undefined && <DataText className={styles.spanService}>{s.service}</DataText>}
          {s.name !== undefined && <DataText>{s.name}</DataText>}
          <span className={styles.muted}>{formatMs(s.durationMs)}</span>
          {Object.entries(s.attributes).map(([k, v]) => (
            <span key={k} className={styles.attr}>
              <DataText>{k}</DataText>=<DataText>{String(v)}</DataText>
            </span>
          ))}
        </li>
      ))}
      {trace.matched > trace.spans.length && (
        <li className={styles.muted}>
          {trace.spans.length} of {trace.matched} matched spans shown (Tempo returns a few per trace).
        </li>
      )}
    </ul>
  );
}

// With the Compare checkboxes (36px) they fit a 1,000-pixel table.
const COLUMN_WIDTHS = '40px 72px 256px minmax(90px, 1fr) minmax(110px, 1.6fr) 176px 84px 112px';

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  grid: css({
    display: 'grid',
    // A trace ID is 32 monospace characters: its column fits them.
    gridTemplateColumns: COLUMN_WIDTHS,
    alignItems: 'center',
  }),
  // The same with the Compare checkbox first.
  gridSelectable: css({
    display: 'grid',
    gridTemplateColumns: `36px ${COLUMN_WIDTHS}`,
    alignItems: 'center',
  }),
  select: css({ display: 'inline-flex', alignItems: 'center', gap: 2, cursor: 'pointer', padding: theme.spacing(0.5) }),
  selectedAs: css({
    width: 10,
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightBold,
    color: theme.colors.primary.text,
  }),
  header: css({
    background: theme.colors.background.secondary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    fontWeight: theme.typography.fontWeightMedium,
    height: ROW_HEIGHT,
  }),
  sortButton: css({
    all: 'unset',
    cursor: 'pointer',
    display: 'inline-flex',
    gap: theme.spacing(0.5),
    alignItems: 'center',
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
  }),
  body: css({ overflowY: 'auto', position: 'relative' }),
  item: css({ position: 'absolute', top: 0, left: 0, width: '100%' }),
  row: css({
    height: ROW_HEIGHT,
    boxSizing: 'border-box',
    cursor: 'pointer',
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
  }),
  failedRow: css({ boxShadow: `inset 3px 0 0 ${theme.colors.error.main}` }),
  cell: css({
    padding: theme.spacing(0, 1),
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  }),
  toggleCell: css({ display: 'flex', justifyContent: 'center' }),
  chevron: css({
    width: 6,
    height: 6,
    margin: 2,
    borderRight: '1.5px solid currentColor',
    borderBottom: '1.5px solid currentColor',
    transform: 'rotate(-45deg)',
    transition: 'transform 0.1s',
  }),
  chevronOpen: css({ transform: 'rotate(45deg)' }),
  toggle: css({
    all: 'unset',
    cursor: 'pointer',
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: 20,
    height: 20,
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.secondary,
    '&:hover': { color: theme.colors.text.primary, background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
  }),
  numeric: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
  mono: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  link: css({ color: theme.colors.text.link, '&:hover': { textDecoration: 'underline' } }),
  muted: css({ color: theme.colors.text.secondary }),
  errorMark: css({
    color: theme.colors.error.text,
    display: 'inline-flex',
    gap: theme.spacing(0.5),
    alignItems: 'center',
  }),
  spans: css({
    listStyle: 'none',
    margin: 0,
    padding: `${SPANS_PADDING / 2}px ${theme.spacing(1)} ${SPANS_PADDING / 2}px ${theme.spacing(5)}`,
    boxSizing: 'border-box',
    overflow: 'hidden',
    background: theme.colors.background.secondary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  span: css({
    display: 'flex',
    gap: theme.spacing(1.5),
    alignItems: 'center',
    height: SPAN_LINE_HEIGHT,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  }),
  spanService: css({ color: theme.colors.text.secondary }),
  attr: css({ fontFamily: theme.typography.fontFamilyMonospace, color: theme.colors.text.secondary }),
});
