import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Checkbox, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import {
  DiffGroup,
  DiffPath,
  Trace,
  TraceDiff as Diff,
  countDiffKinds,
  diffKind,
  diffPathLabel,
  diffTraces,
  summarize,
} from '../../trace';
import { DataText, isolate } from '../DataText/DataText';
import { formatDuration } from '../TraceHeader/format';
import { testIds } from '../testIds';
import { useVirtualRows } from '../VirtualGrid/VirtualGrid';
import {
  DiffOrder,
  changeOf,
  describeDelta,
  formatCountDelta,
  formatDelta,
  listedPaths,
  listedTree,
  subtreeSizes,
  treeOrder,
} from './rows';

const ids = testIds.compare;
const ROW_HEIGHT = 32;
/** Indentation per level in the tree order, and the deepest level indented (a 100,000-deep chain stays readable). */
const INDENT = 14;
const MAX_INDENT_LEVELS = 30;
/** Rows per group table: the rest is counted (the CLI's `traceway diff --json` lists them all). */
const MAX_GROUP_ROWS = 100;
/** Ancestors shown before a path's own operation when listed by difference. */
const ANCESTORS_SHOWN = 3;
/** Segments in a row's tooltip: a path 100,000 calls deep is not written out per row while scrolling. */
const TITLE_SEGMENTS = 12;
/** The paths grid's columns, and the width below which it scrolls sideways (header and rows together): the widths
 * fit "Difference (B − A)" and "▼ −1.23 min", and the grid fits a 1024 px wide Grafana without scrolling. */
const COLUMNS = 'minmax(220px, 1fr) 72px 84px 96px 96px 132px';
const MIN_GRID_WIDTH = 220 + 72 + 84 + 96 + 96 + 132;

export interface TraceDiffProps {
  /** the baseline */
  a: Trace;
  /** the trace compared with it */
  b: Trace;
  /** the CSS height of the list of paths */
  height: number | string;
  /** each trace's Trace page with one of its spans open (`?span=`), when it came from Tempo (a file's has none) */
  spanHrefA?: (spanId: string) => string;
  spanHrefB?: (spanId: string) => string;
}

const ORDER_OPTIONS: Array<{ label: string; value: DiffOrder; description: string }> = [
  {
    label: 'Largest difference',
    value: 'difference',
    description: 'The paths whose total duration changed most first',
  },
  { label: 'Tree', value: 'tree', description: 'The paths as the merged tree, parents above their children' },
];

/**
 * Two traces merged into one structure keyed by the path of service + operation from the root: paths only in A
 * (removed), only in B (added) and in both, with counts and total durations side by side and the difference
 * coloured and signed; then the same by service + operation. The list is virtualised: two 100,000-span traces can
 * have as many paths.
 */
export function TraceDiff({ a, b, height, spanHrefA, spanHrefB }: TraceDiffProps) {
  const styles = useStyles2(getStyles);
  // Once per pair: a re-render (order, filter, scrolling) never walks the spans again.
  const diff = useMemo(() => diffTraces(a, b), [a, b]);
  const summaryA = useMemo(() => summarize(a), [a]);
  const summaryB = useMemo(() => summarize(b), [b]);
  const kinds = useMemo(() => countDiffKinds(diff), [diff]);
  const [order, setOrder] = useState<DiffOrder>('difference');
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const tree = useMemo(() => {
    if (order !== 'tree') {
      return undefined;
    }
    const pathOrder = treeOrder(diff);
    return { order: pathOrder, sizes: subtreeSizes(diff, pathOrder) };
  }, [diff, order]);
  // Collapsed paths of the tree, for this pair only.
  const [collapsedFor, setCollapsed] = useState<{ diff: Diff; ids: ReadonlySet<number> }>({ diff, ids: new Set() });
  const collapsed = collapsedFor.diff === diff ? collapsedFor.ids : NONE;
  const onToggle = useCallback(
    (id: number) =>
      setCollapsed((prev) => {
        const ids = new Set(prev.diff === diff ? prev.ids : NONE);
        ids.has(id) ? ids.delete(id) : ids.add(id);
        return { diff, ids };
      }),
    [diff]
  );
  const listed = useMemo(
    () =>
      tree
        ? listedTree(diff, tree.order, tree.sizes, onlyDifferences, collapsed)
        : listedPaths(diff, diff.byDifference, onlyDifferences),
    [diff, tree, onlyDifferences, collapsed]
  );
  const identical = kinds.added + kinds.removed + kinds.changed === 0;
  // One trace on both sides (one ID twice, or one trace of a file picked for both): nothing to compare.
  const sameTrace = identical && summaryA.traceId === summaryB.traceId;

  return (
    <div className={styles.container} data-testid={ids.diff}>
      <p className={styles.summary} data-testid={ids.summary}>
        <span>
          <strong>A</strong> {formatDuration(summaryA.durationNs)}, {plural(summaryA.spanCount, 'span')}
        </span>
        <span>
          <strong>B</strong> {formatDuration(summaryB.durationNs)}, {plural(summaryB.spanCount, 'span')}{' '}
          <Delta a={summaryA.durationNs} b={summaryB.durationNs} styles={styles} />
        </span>
        <span>
          {plural(diff.paths.length, 'path')}: {kinds.added} added, {kinds.removed} removed, {kinds.changed} changed,{' '}
          {kinds.same} the same
        </span>
      </p>
      {sameTrace ? (
        <p className={styles.note} data-testid={ids.sameTrace}>
          A and B are the same trace (<DataText>{summaryA.traceId}</DataText>): pick another for one side.
        </p>
      ) : (
        identical && (
          <p className={styles.muted} data-testid={ids.noDifferences}>
            No differences: both traces have the same paths with the same span counts and total durations.
          </p>
        )
      )}
      {!sameTrace && (
        <>
          <div className={styles.controls}>
            <div data-testid={ids.order}>
              <RadioButtonGroup<DiffOrder> size="sm" options={ORDER_OPTIONS} value={order} onChange={setOrder} />
            </div>
            <div data-testid={ids.onlyDifferences}>
              <Checkbox
                label="Only differences"
                description="Hide the paths with the same span count and total duration in both"
                value={onlyDifferences}
                onChange={(e) => setOnlyDifferences(e.currentTarget.checked)}
              />
            </div>
          </div>
          <PathList
            a={a}
            b={b}
            diff={diff}
            listed={listed}
            onlyDifferences={onlyDifferences}
            sizes={tree?.sizes}
            collapsed={collapsed}
            onToggle={onToggle}
            height={height}
            spanHrefA={spanHrefA}
            spanHrefB={spanHrefB}
            styles={styles}
          />
          <Groups diff={diff} styles={styles} />
        </>
      )}
    </div>
  );
}

type Styles = ReturnType<typeof getStyles>;

const NONE: ReadonlySet<number> = new Set();

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : `${word}s`}`;
}

/** A duration difference, B against A: coloured, and signed with an arrow so that it reads without the colour. */
function Delta({ a, b, styles }: { a: number; b: number; styles: Styles }) {
  const change = changeOf(a, b);
  return (
    <span
      className={cx(styles.delta, styles[change])}
      data-change={change}
      data-testid={ids.change}
      title={describeDelta(a, b)}
      aria-label={describeDelta(a, b)}
    >
      {formatDelta(a, b)}
    </span>
  );
}

interface PathListProps {
  a: Trace;
  b: Trace;
  diff: Diff;
  listed: number[];
  /** the filter `listed` was made with: changing it starts the list from the top */
  onlyDifferences: boolean;
  /** the tree order's subtree sizes; undefined when listed by difference */
  sizes?: Int32Array;
  collapsed: ReadonlySet<number>;
  onToggle: (id: number) => void;
  height: number | string;
  spanHrefA?: (spanId: string) => string;
  spanHrefB?: (spanId: string) => string;
  styles: Styles;
}

function PathList({
  a,
  b,
  diff,
  listed,
  onlyDifferences,
  sizes,
  collapsed,
  onToggle,
  height,
  spanHrefA,
  spanHrefB,
  styles,
}: PathListProps) {
  const tree = sizes !== undefined;
  const navigate = useNavigate();
  const onOpen = useCallback((href: string) => navigate(href), [navigate]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const getItemKey = useCallback((i: number) => listed[i], [listed]);
  // The header is inside the scrolled element (sticky at its top), so that it scrolls sideways with the rows.
  const virtualizer = useVirtualRows({
    count: listed.length,
    rowHeight: ROW_HEIGHT,
    scrollRef,
    height,
    getItemKey,
    paddingStart: ROW_HEIGHT,
  });
  // One Tab stop (a roving tabindex): the row last focused while it is rendered, else the first row in view.
  const [active, setActive] = useState<number>();
  const items = virtualizer.getVirtualItems();
  const inView = items.find((item) => item.start >= (virtualizer.scrollOffset ?? 0) + ROW_HEIGHT) ?? items[0];
  const tabStop =
    active !== undefined && items.some((item) => listed[item.index] === active)
      ? active
      : inView && listed[inView.index];
  // Another pair, order or filter starts from the top (collapsing keeps the place, so not on `listed`).
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [diff, tree, onlyDifferences]);

  return (
    <div
      className={styles.table}
      role={tree ? 'treegrid' : 'grid'}
      aria-label="Paths of service and operation from the root, A against B"
      aria-rowcount={listed.length + 1}
      data-testid={ids.list}
    >
      <div ref={scrollRef} className={styles.body} style={{ height }}>
        <div
          className={styles.rows}
          style={{ height: listed.length > 0 ? virtualizer.getTotalSize() : undefined, minWidth: MIN_GRID_WIDTH }}
        >
          <div role="row" className={cx(styles.grid, styles.header)} aria-rowindex={1}>
            <div role="columnheader" className={styles.cell}>
              Path (service: operation)
            </div>
            <div role="columnheader" className={cx(styles.cell, styles.numeric)}>
              Spans A
            </div>
            <div role="columnheader" className={cx(styles.cell, styles.numeric)}>
              Spans B
            </div>
            <div role="columnheader" className={cx(styles.cell, styles.numeric)}>
              Total A
            </div>
            <div role="columnheader" className={cx(styles.cell, styles.numeric)}>
              Total B
            </div>
            <div role="columnheader" className={cx(styles.cell, styles.numeric)}>
              Difference (B − A)
            </div>
          </div>
          {listed.length === 0 ? (
            <p className={cx(styles.muted, styles.empty)}>No path differs between the two traces.</p>
          ) : (
            items.map((item) => {
              const path = diff.paths[listed[item.index]];
              return (
                <PathRow
                  key={item.key}
                  diff={diff}
                  path={path}
                  index={item.index}
                  start={item.start}
                  tree={tree}
                  below={sizes ? sizes[path.id] - 1 : 0}
                  expanded={!collapsed.has(path.id)}
                  onToggle={onToggle}
                  onOpen={onOpen}
                  tabStop={path.id === tabStop}
                  onFocusRow={setActive}
                  hrefA={spanHrefA && path.slowestA >= 0 ? spanHrefA(a.spans[path.slowestA].spanId) : undefined}
                  hrefB={spanHrefB && path.slowestB >= 0 ? spanHrefB(b.spans[path.slowestB].spanId) : undefined}
                  styles={styles}
                />
              );
            })
          )}
        </div>
      </div>
    </div>
  );
}

interface PathRowProps {
  diff: Diff;
  path: DiffPath;
  index: number;
  start: number;
  tree: boolean;
  /** paths below it, in the tree order */
  below: number;
  expanded: boolean;
  onToggle: (id: number) => void;
  onOpen: (href: string) => void;
  /** the list's one Tab stop; the other rows (and their links) are reached by the arrows */
  tabStop: boolean;
  onFocusRow: (id: number) => void;
  /** the Trace page of each side with the path's slowest span there open; undefined where the path is not */
  hrefA?: string;
  hrefB?: string;
  styles: Styles;
}

/** One path. Memoised: scrolling renders only the rows that come into view. */
const PathRow = React.memo(function PathRow(props: PathRowProps) {
  const {
    diff,
    path,
    index,
    start,
    tree,
    below,
    expanded,
    onToggle,
    onOpen,
    tabStop,
    onFocusRow,
    hrefA,
    hrefB,
    styles,
  } = props;
  const tabIndex = tabStop ? 0 : -1;
  const kind = diffKind(path);
  // Enter opens the path's slowest span in B, the one compared, unless the path is only in A.
  const href = hrefB ?? hrefA;
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) {
      return;
    }
    const row = e.currentTarget;
    const move = (to: Element | null) => {
      // a path's row (the header row above the first has no data-kind)
      if (to instanceof HTMLElement && to.dataset.kind) {
        e.preventDefault();
        to.focus();
        to.scrollIntoView?.({ block: 'nearest' });
      }
    };
    if (e.key === 'Enter' && href) {
      onOpen(href);
    } else if (e.key === 'ArrowDown') {
      move(row.nextElementSibling);
    } else if (e.key === 'ArrowUp') {
      move(row.previousElementSibling);
    } else if (tree && below > 0 && ((e.key === 'ArrowRight' && !expanded) || (e.key === 'ArrowLeft' && expanded))) {
      e.preventDefault();
      onToggle(path.id);
    }
  };
  const ancestors = !tree && path.parent >= 0 ? diffPathLabel(diff, path.parent, ANCESTORS_SHOWN) : '';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-level={tree ? path.depth + 1 : undefined}
      aria-expanded={tree && below > 0 ? expanded : undefined}
      tabIndex={tabIndex}
      onKeyDown={onKeyDown}
      onFocus={() => onFocusRow(path.id)}
      className={cx(styles.grid, styles.row, styles.item, kind !== 'same' && kind !== 'changed' && styles[kind])}
      style={{ transform: `translateY(${start}px)` }}
      data-kind={kind}
      data-testid={ids.row(path.id)}
    >
      <div
        role="gridcell"
        className={cx(styles.cell, styles.path)}
        style={tree ? { paddingLeft: 8 + Math.min(path.depth, MAX_INDENT_LEVELS) * INDENT } : undefined}
        title={isolate(diffPathLabel(diff, path.id, TITLE_SEGMENTS))}
      >
        {tree &&
          (below > 0 ? (
            <button
              type="button"
              className={styles.toggle}
              tabIndex={tabIndex}
              onClick={() => onToggle(path.id)}
              aria-label={`${expanded ? 'Collapse' : 'Expand'} ${path.service}: ${path.name} (${below} below)`}
              data-testid={ids.toggle(path.id)}
            >
              <span className={cx(styles.chevron, expanded && styles.chevronOpen)} aria-hidden />
            </button>
          ) : (
            <span className={styles.toggleSpace} />
          ))}
        <span className={styles.label}>
          {ancestors && (
            <span className={styles.ancestors}>
              <DataText>{ancestors}</DataText> ›{' '}
            </span>
          )}
          <span className={styles.ownLine}>
            <span className={styles.own}>
              <DataText className={styles.service}>{path.service}</DataText> <DataText>{path.name}</DataText>
            </span>
            {kind === 'added' && <span className={cx(styles.badge, styles.addedBadge)}>only in B</span>}
            {kind === 'removed' && <span className={cx(styles.badge, styles.removedBadge)}>only in A</span>}
          </span>
        </span>
      </div>
      <div role="gridcell" className={cx(styles.cell, styles.numeric)}>
        {path.countA || '–'}
      </div>
      <div role="gridcell" className={cx(styles.cell, styles.numeric)}>
        {path.countB || '–'}
        {path.countA > 0 && path.countB > 0 && path.countA !== path.countB && (
          <span className={styles.muted}> ({formatCountDelta(path.countA, path.countB)})</span>
        )}
      </div>
      <div role="gridcell" className={cx(styles.cell, styles.numeric)}>
        <Side
          count={path.countA}
          durationNs={path.durationNsA}
          href={hrefA}
          side="A"
          tabIndex={tabIndex}
          styles={styles}
        />
      </div>
      <div role="gridcell" className={cx(styles.cell, styles.numeric)}>
        <Side
          count={path.countB}
          durationNs={path.durationNsB}
          href={hrefB}
          side="B"
          tabIndex={tabIndex}
          styles={styles}
        />
      </div>
      <div role="gridcell" className={cx(styles.cell, styles.numeric)}>
        <Delta a={path.durationNsA} b={path.durationNsB} styles={styles} />
      </div>
    </div>
  );
});

/** One side's total; a link to that trace's page when it has one and the path is in it. */
function Side(props: {
  count: number;
  durationNs: number;
  href?: string;
  side: 'A' | 'B';
  tabIndex: number;
  styles: Styles;
}) {
  const { count, durationNs, href, side, tabIndex, styles } = props;
  if (count === 0) {
    return <span className={styles.muted}>–</span>;
  }
  const text = formatDuration(durationNs);
  return href ? (
    <Link
      to={href}
      className={styles.link}
      tabIndex={tabIndex}
      title={
        count === 1 ? `Open this span in trace ${side}` : `Open the slowest of these ${count} spans in trace ${side}`
      }
      data-testid={side === 'A' ? ids.openA : ids.openB}
    >
      {text}
    </Link>
  ) : (
    <>{text}</>
  );
}

const GROUP_SECTIONS: Array<{ kind: 'added' | 'removed' | 'changed'; title: string; none: string }> = [
  { kind: 'added', title: 'Only in B (added)', none: 'No operation is only in B.' },
  { kind: 'removed', title: 'Only in A (removed)', none: 'No operation is only in A.' },
  { kind: 'changed', title: 'In both, changed', none: 'No operation in both changed its span count or total.' },
];

/** By service + operation over the whole trace, wherever in the tree: added, removed and changed. */
function Groups({ diff, styles }: { diff: Diff; styles: Styles }) {
  return (
    <section className={styles.groups} data-testid={ids.groups} aria-label="By service and operation">
      <h4 className={styles.heading}>By service and operation</h4>
      {GROUP_SECTIONS.map(({ kind, title, none }) => {
        const groups: DiffGroup[] = diff[kind];
        return (
          <div key={kind} data-testid={ids.group(kind)}>
            <h5 className={styles.subheading}>
              {title}: {groups.length}
            </h5>
            {groups.length === 0 ? (
              <p className={styles.muted}>{none}</p>
            ) : (
              <table className={styles.groupTable}>
                {/* Fixed widths: the three tables' columns line up. */}
                <colgroup>
                  <col className={styles.serviceCol} />
                  <col />
                  <col className={styles.countCol} />
                  <col className={styles.countCol} />
                  <col className={styles.durationCol} />
                  <col className={styles.durationCol} />
                  <col className={styles.deltaCol} />
                </colgroup>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col">Operation</th>
                    <th scope="col" className={styles.numCell}>
                      Spans A
                    </th>
                    <th scope="col" className={styles.numCell}>
                      Spans B
                    </th>
                    <th scope="col" className={styles.numCell}>
                      Total A
                    </th>
                    <th scope="col" className={styles.numCell}>
                      Total B
                    </th>
                    <th scope="col" className={styles.numCell}>
                      Difference (B − A)
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {groups.slice(0, MAX_GROUP_ROWS).map((g) => (
                    <tr key={`${g.service}\n${g.name}`}>
                      <td title={isolate(g.service)}>
                        <DataText>{g.service}</DataText>
                      </td>
                      <td title={isolate(g.name)}>
                        <DataText>{g.name}</DataText>
                      </td>
                      <td className={styles.numCell}>{g.countA || '–'}</td>
                      <td className={styles.numCell}>{g.countB || '–'}</td>
                      <td className={styles.numCell}>{g.countA ? formatDuration(g.durationNsA) : '–'}</td>
                      <td className={styles.numCell}>{g.countB ? formatDuration(g.durationNsB) : '–'}</td>
                      <td className={styles.numCell}>
                        <Delta a={g.durationNsA} b={g.durationNsB} styles={styles} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {groups.length > MAX_GROUP_ROWS && (
              <p className={styles.muted}>
                The first {MAX_GROUP_ROWS} of {groups.length.toLocaleString('en-US')} are listed; traceway diff --json
                lists them all.
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1.5) }),
  summary: css({
    margin: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 3),
    fontVariantNumeric: 'tabular-nums',
  }),
  controls: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2), alignItems: 'center' }),
  table: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: COLUMNS,
    alignItems: 'center',
  }),
  header: css({
    position: 'sticky',
    top: 0,
    zIndex: 1,
    background: theme.colors.background.secondary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    fontWeight: theme.typography.fontWeightMedium,
    height: ROW_HEIGHT,
  }),
  // One scroller for the header and the rows: sideways they move together. A row scrolled into view by the keyboard
  // stops below the sticky header.
  body: css({ overflow: 'auto', position: 'relative', scrollPaddingTop: ROW_HEIGHT }),
  rows: css({ position: 'relative' }),
  empty: css({ padding: theme.spacing(2), margin: 0 }),
  item: css({ position: 'absolute', top: 0, left: 0, width: '100%' }),
  row: css({
    height: ROW_HEIGHT,
    boxSizing: 'border-box',
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
  }),
  cell: css({
    padding: theme.spacing(0, 1),
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  }),
  path: css({ display: 'flex', gap: theme.spacing(0.75), alignItems: 'center' }),
  toggle: css({
    all: 'unset',
    flexShrink: 0,
    cursor: 'pointer',
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: 18,
    height: 18,
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.secondary,
    '&:hover': { color: theme.colors.text.primary, background: theme.colors.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
  }),
  toggleSpace: css({ flexShrink: 0, width: 18 }),
  // A CSS chevron, as in the search results: no Icon (an SVG per instance) per row.
  chevron: css({
    width: 6,
    height: 6,
    borderRight: '1.5px solid currentColor',
    borderBottom: '1.5px solid currentColor',
    transform: 'rotate(-45deg)',
    transition: 'transform 0.1s',
  }),
  chevronOpen: css({ transform: 'rotate(45deg)' }),
  // By difference, a path's last ancestors are a small line above its own operation: each line has the cell's
  // width and ends in an ellipsis (the cell's title has the whole path), so neither shrinks to a letter.
  label: css({ flex: '1 1 auto', minWidth: 0, display: 'flex', flexDirection: 'column', justifyContent: 'center' }),
  ancestors: css({
    color: theme.colors.text.secondary,
    fontSize: 11,
    lineHeight: '13px',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  ownLine: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.75), minWidth: 0, lineHeight: '16px' }),
  own: css({ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }),
  service: css({ color: theme.colors.text.secondary }),
  numeric: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
  // doubled: above the table's own `th, td` rule
  numCell: css({ '&&': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } }),
  muted: css({ color: theme.colors.text.secondary }),
  note: css({ margin: 0 }),
  link: css({ color: theme.colors.text.link, '&:hover': { textDecoration: 'underline' } }),
  delta: css({ fontWeight: theme.typography.fontWeightMedium, whiteSpace: 'nowrap' }),
  slower: css({ color: theme.colors.error.text }),
  faster: css({ color: theme.colors.success.text }),
  same: css({ color: theme.colors.text.secondary }),
  // Rows only one trace has: a mark at the row's start, beside the words that say which.
  added: css({ boxShadow: `inset 3px 0 0 ${theme.colors.info.main}` }),
  removed: css({ boxShadow: `inset 3px 0 0 ${theme.colors.text.disabled}` }),
  badge: css({
    flexShrink: 0,
    padding: theme.spacing(0, 0.75),
    borderRadius: theme.shape.radius.pill,
    fontSize: theme.typography.bodySmall.fontSize,
    lineHeight: '14px',
    border: `1px solid ${theme.colors.border.medium}`,
  }),
  addedBadge: css({ color: theme.colors.info.text, borderColor: theme.colors.info.border }),
  removedBadge: css({ color: theme.colors.text.secondary }),
  serviceCol: css({ width: '18%' }),
  // as narrow as the paths grid's columns: the operation keeps the room at 1024 px
  countCol: css({ width: 72 }),
  durationCol: css({ width: 96 }),
  deltaCol: css({ width: 132 }),
  groups: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  heading: css({ margin: theme.spacing(1, 0, 0) }),
  subheading: css({ margin: 0, fontSize: theme.typography.body.fontSize }),
  groupTable: css({
    width: '100%',
    tableLayout: 'fixed',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    },
    th: { background: theme.colors.background.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});
