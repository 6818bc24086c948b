import React, { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { cx } from '@emotion/css';
import { Button, Icon, Input, useStyles2, useTheme2 } from '@grafana/ui';
import { StatusCode, Trace } from '../../trace';
import { DataText, isolate } from '../DataText/DataText';
import { testIds } from '../testIds';
import { serviceColorsFor } from '../Waterfall/colors';
import { FIND_HELP } from '../Waterfall/useFind';
import { traceKey } from '../traceKey';
import { nextSort } from '../sorting';
import { SortHeaderCell } from '../SortHeader/SortHeader';
import { onGridKey, useKeepActiveInView, useSideOverflow, useVirtualRows } from '../VirtualGrid/VirtualGrid';
import { ColumnPicker } from './ColumnPicker';
import { useSpanFilter } from './useSpanFilter';
import { HEADER_HEIGHT, ROW_HEIGHT, SERVICE_WIDTH, SpanTableStyles, getSpanTableStyles } from './styles';
import {
  BASE_COLUMNS,
  ColumnDef,
  ColumnId,
  Sort,
  SortKeys,
  TableData,
  applyMask,
  attrColumn,
  attributeIsNumeric,
  attrKeyOf,
  cellText,
  naturalDesc,
  sortKeys,
  sortSpans,
  tableData,
} from './table';

const ids = testIds.spanTable;

export interface SpanTableProps {
  trace: Trace;
  /** CSS height of the whole view; rows scroll inside it */
  height: number | string;
  /** opens a span (index into trace.spans) in the timeline */
  onOpenSpan: (span: number) => void;
}

/** Above this many spans the filter waits longer for a pause in typing (a filter pass takes a few 100 ms). */
const BIG_TRACE = 10_000;

/** Column widths in px; the name column takes what is left (at least NAME_MIN). */
const WIDTHS: Record<string, number> = { service: SERVICE_WIDTH, kind: 84, status: 84, start: 96, duration: 96, self: 96 };
const NAME_MIN = 220;
const ATTR_WIDTH = 180;

/**
 * Every span of a trace, one row each: service, name, kind, status, start, duration, self time and the attribute
 * columns the user adds; filtered with Find's syntax and sorted by any column. All state is per trace (keyed).
 */
export function SpanTable(props: SpanTableProps) {
  const styles = useStyles2(getSpanTableStyles);
  if (props.trace.spans.length === 0) {
    return (
      <div className={styles.empty} data-testid={ids.container}>
        This trace has no spans.
      </div>
    );
  }
  return <SpanTableView key={traceKey(props.trace)} {...props} />;
}

function SpanTableView({ trace, height, onOpenSpan }: SpanTableProps) {
  const styles = useStyles2(getSpanTableStyles);
  const theme = useTheme2();
  const n = trace.spans.length;
  const idPrefix = useId();

  const data = useMemo(() => tableData(trace), [trace]);
  const colors = useMemo(() => serviceColorsFor(theme, trace), [theme, trace]);

  const [query, setQuery] = useState('');
  const [appliedQuery, setAppliedQuery] = useState('');
  const [sort, setSort] = useState<Sort | null>(null);
  /** the attribute columns the user added, each knowing from the start whether it holds numbers */
  const [attrColumns, setAttrColumns] = useState<ColumnDef[]>([]);
  const attrKeys = useMemo(() => attrColumns.map((c) => attrKeyOf(c.id) ?? ''), [attrColumns]);
  /** the focused row, by span, so that it stays on its span when the order changes */
  const [active, setActive] = useState(-1);

  useEffect(() => {
    const t = setTimeout(() => setAppliedQuery(query.trim()), n > BIG_TRACE ? 400 : 150);
    return () => clearTimeout(t);
  }, [query, n]);

  const keysOf = useMemo(() => sortKeysCache(data), [data]);

  const ordered = useMemo(
    () => (sort === null ? trace.order : sortSpans(trace, keysOf(sort.column).keys, sort.desc)),
    [trace, sort, keysOf]
  );
  const { mask, progress } = useSpanFilter(trace, appliedQuery);
  const rows = useMemo(() => applyMask(ordered, mask), [ordered, mask]);

  const columns: ColumnDef[] = useMemo(() => [...BASE_COLUMNS, ...attrColumns], [attrColumns]);
  const template = columns
    .map((c) => (c.id === 'name' ? `minmax(${NAME_MIN}px, 1fr)` : `${WIDTHS[c.id] ?? ATTR_WIDTH}px`))
    .join(' ');
  const minWidth = columns.reduce((sum, c) => sum + (c.id === 'name' ? NAME_MIN : (WIDTHS[c.id] ?? ATTR_WIDTH)), 0);

  const scrollRef = useRef<HTMLDivElement>(null);
  const getItemKey = useCallback((i: number) => rows[i], [rows]);
  const virtualizer = useVirtualRows({
    count: rows.length,
    rowHeight: ROW_HEIGHT,
    scrollRef,
    height,
    getItemKey,
    paddingStart: HEADER_HEIGHT,
  });

  const activePos = useMemo(() => (active < 0 ? -1 : rows.indexOf(active)), [rows, active]);
  // Added columns can make the grid wider than the view: say so, and shade the side that hides columns.
  const overflow = useSideOverflow(scrollRef, minWidth);
  const hiddenRight = () => {
    const el = scrollRef.current;
    el?.scrollBy({ left: Math.max(ATTR_WIDTH, el.clientWidth - WIDTHS.service - NAME_MIN), behavior: 'smooth' });
  };

  // A new order or filter shows the focused row where it went, or starts from the top without one.
  useKeepActiveInView(rows, activePos, virtualizer, scrollRef);

  const onSort = (column: ColumnId) => {
    const numericAttr = attrColumns.some((c) => c.id === column && c.numeric);
    setSort((s) => nextSort(s, column, naturalDesc(column, numericAttr)));
  };
  const addColumn = (key: string) => {
    const id = attrColumn(key);
    if (attrColumns.some((c) => c.id === id)) {
      return;
    }
    const column: ColumnDef = { id, label: key, numeric: attributeIsNumeric(trace, key) };
    setAttrColumns((cols) => (cols.some((c) => c.id === id) ? cols : [...cols, column]));
  };
  const removeColumn = (key: string) => {
    setAttrColumns((cols) => cols.filter((c) => c.id !== attrColumn(key)));
    setSort((s) => (s !== null && s.column === attrColumn(key) ? null : s));
  };

  const onRowClick = useCallback(
    (span: number) => {
      setActive(span);
      onOpenSpan(span);
    },
    [onOpenSpan]
  );

  // Keys on the header's buttons are theirs (onGridKey leaves them alone).
  const onGridKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) =>
    onGridKey(e, {
      activePos,
      count: rows.length,
      viewportHeight: (scrollRef.current?.clientHeight ?? 0) - HEADER_HEIGHT,
      rowHeight: ROW_HEIGHT,
      scrollToIndex: (i, o) => virtualizer.scrollToIndex(i, o),
      onMove: (pos) => setActive(rows[pos]),
      onOpen: (pos) => onOpenSpan(rows[pos]),
    });

  const items = virtualizer.getVirtualItems();
  const activeShown = activePos >= 0 && items.some((it) => it.index === activePos);
  const rowId = (span: number) => `${idPrefix}-row-${span}`;
  const filtered = appliedQuery !== '';

  return (
    <div className={styles.root} style={{ height }} data-testid={ids.container}>
      <div className={styles.toolbar}>
        <Input
          width={40}
          prefix={<Icon name="filter" />}
          placeholder="Filter: text, key=value, status=error"
          aria-label="Filter spans"
          title={`${FIND_HELP} The same as Find in the timeline.`}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              setAppliedQuery(query.trim());
            } else if (e.key === 'Escape' && query !== '') {
              e.preventDefault();
              setQuery('');
              setAppliedQuery('');
            }
          }}
          data-testid={ids.filter}
        />
        <span className={styles.count} aria-live="polite" data-testid={ids.count}>
          {rows.length.toLocaleString('en-US')} of {n.toLocaleString('en-US')} spans
          {progress !== null && ` (filtering: ${Math.round(progress * 100)}%)`}
        </span>
        <ColumnPicker trace={trace} styles={styles} added={attrKeys} onAdd={addColumn} />
        {sort !== null && (
          <Button size="sm" variant="secondary" fill="text" onClick={() => setSort(null)}>
            Trace order
          </Button>
        )}
        {overflow.right && (
          <Button
            size="sm"
            variant="secondary"
            fill="text"
            icon="arrow-right"
            title="Some columns are out of view at the right: scroll sideways (Shift + wheel) or click here"
            onClick={hiddenRight}
          >
            More columns
          </Button>
        )}
      </div>
      <div className={styles.body}>
        <div
          ref={scrollRef}
          className={styles.scroll}
          tabIndex={0}
          role="grid"
          aria-label={`Spans of trace ${trace.traceId}`}
          aria-rowcount={rows.length + 1}
          aria-colcount={columns.length}
          aria-activedescendant={activeShown ? rowId(rows[activePos]) : undefined}
          onKeyDown={onGridKeyDown}
          data-scrolled-x={overflow.left}
          data-testid={ids.grid}
        >
          <div className={styles.rows} style={{ height: virtualizer.getTotalSize(), minWidth }}>
            <div
              role="row"
              aria-rowindex={1}
              className={cx(styles.grid, styles.header)}
              style={{ gridTemplateColumns: template }}
            >
              {columns.map((c) => {
                const key = attrKeyOf(c.id);
                const sorted = sort !== null && sort.column === c.id;
                return (
                  <SortHeaderCell
                    key={c.id}
                    label={key !== null ? <DataText>{key}</DataText> : c.label}
                    numeric={c.numeric}
                    direction={sorted ? (sort.desc ? 'descending' : 'ascending') : undefined}
                    onSort={() => onSort(c.id)}
                    title={
                      key !== null ? isolate(key) : c.id === 'start' ? 'Start, from the start of the trace' : undefined
                    }
                    className={cx(
                      styles.headerCell,
                      c.id === 'service' && cx(styles.headerSticky, styles.stickyService),
                      c.id === 'name' && cx(styles.headerSticky, styles.stickyName)
                    )}
                    buttonTestId={ids.sort(c.id)}
                  >
                    {key !== null && (
                      <button
                        type="button"
                        className={styles.removeColumn}
                        aria-label={`Remove column ${isolate(key)}`}
                        title="Remove this column"
                        onClick={() => removeColumn(key)}
                        data-testid={ids.removeColumn(key)}
                      >
                        ×
                      </button>
                    )}
                  </SortHeaderCell>
                );
              })}
            </div>
            {items.map((item) => {
              const span = rows[item.index];
              return (
                <SpanRow
                  key={span}
                  id={rowId(span)}
                  data={data}
                  styles={styles}
                  colors={colors}
                  columns={columns}
                  template={template}
                  span={span}
                  pos={item.index}
                  top={item.start}
                  active={span === active}
                  onClick={onRowClick}
                />
              );
            })}
          </div>
          {rows.length === 0 && filtered && progress === null && (
            <div
              className={styles.empty}
              style={{ position: 'absolute', top: HEADER_HEIGHT }}
              data-testid={ids.noMatch}
            >
              No span matches this filter.
            </div>
          )}
        </div>
        {overflow.right && <div className={styles.moreRight} style={{ right: overflow.gutter }} aria-hidden />}
      </div>
    </div>
  );
}

/** Sort keys per column, computed the first time a column is sorted, then kept. */
function sortKeysCache(data: TableData): (column: ColumnId) => SortKeys {
  const cache = new Map<ColumnId, SortKeys>();
  return (column) => {
    let k = cache.get(column);
    if (k === undefined) {
      k = sortKeys(data, column);
      cache.set(column, k);
    }
    return k;
  };
}

interface SpanRowProps {
  id: string;
  data: TableData;
  styles: SpanTableStyles;
  colors: string[];
  columns: ColumnDef[];
  template: string;
  span: number;
  pos: number;
  top: number;
  active: boolean;
  onClick: (span: number) => void;
}

/** One span's row. Memoised: scrolling renders only the rows that come into view. */
const SpanRow = React.memo(function SpanRow(props: SpanRowProps) {
  const { id, data, styles, colors, columns, template, span, pos, top, active, onClick } = props;
  const { trace } = data;
  const failed = trace.statusCode[span] === StatusCode.Error;
  const s = trace.spans[span];
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={pos + 2}
      aria-selected={active}
      className={cx(styles.grid, styles.row, failed && styles.rowError, active && styles.rowActive)}
      style={{ gridTemplateColumns: template, transform: `translateY(${top}px)` }}
      onClick={() => onClick(span)}
      data-testid={ids.row(s.spanId)}
    >
      {columns.map((c) => {
        // Service and Name stick at the left, with the row's bar on the first.
        const sticky =
          c.id === 'service'
            ? cx(styles.stickyCell, styles.stickyService, active ? styles.stickyActive : failed && styles.stickyError)
            : c.id === 'name'
              ? cx(styles.stickyCell, styles.stickyName)
              : undefined;
        if (c.id === 'status' && failed) {
          return (
            <div key={c.id} role="gridcell" className={styles.cell}>
              <span
                className={styles.errorMark}
                title={s.statusMessage ? isolate(s.statusMessage) : 'Status: error'}
                data-testid={ids.errorMark}
              >
                ! error
              </span>
            </div>
          );
        }
        const text = cellText(data, span, c.id);
        const isAttr = attrKeyOf(c.id) !== null;
        return (
          <div
            key={c.id}
            role="gridcell"
            className={cx(
              styles.cell,
              sticky,
              c.numeric && styles.numeric,
              (c.id === 'kind' || (c.id === 'status' && !failed)) && styles.secondary
            )}
            title={isAttr || c.id === 'name' || c.id === 'service' ? isolate(text) : undefined}
          >
            {c.id === 'service' && (
              <span className={styles.swatch} style={{ background: colors[trace.serviceIndex[span]] }} aria-hidden />
            )}
            {isAttr && text === '' ? (
              <span className={styles.noValue} aria-label="no value">
                –
              </span>
            ) : isAttr || c.id === 'name' || c.id === 'service' ? (
              <DataText>{text}</DataText>
            ) : (
              text
            )}
          </div>
        );
      })}
    </div>
  );
});
