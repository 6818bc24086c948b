import React, { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Alert, Button, useStyles2, useTheme2 } from '@grafana/ui';
import { CriticalSection, FILTER_ANCESTOR, Trace, criticalPath, filterMarks, selfTimes } from '../../trace';
import type { SpanLinkFactory } from '../../grafana/spanLinks';
import { testIds } from '../testIds';
import { traceKey } from '../traceKey';
import { barColors } from './colors';
import { Minimap } from './Minimap';
import { tickCount, timeTicks } from './model';
import { Notice } from './Notice';
import { DataText, isolate } from '../DataText/DataText';
import { HARD_SPAN_LIMIT, ROW_HEIGHT, WaterfallOptions, withDefaults } from './options';
import { ResizeHandle } from './ResizeHandle';
import { SpanDetails } from './SpanDetails';
import { HEADER_HEIGHT, INDENT, getWaterfallStyles, nameColumnEdge } from './styles';
import { TimeAxis } from './TimeAxis';
import { Toolbar } from './Toolbar';
import { useCollapse } from './useCollapse';
import { useDeepLink } from './useDeepLink';
import { useFind } from './useFind';
import { useKeyboard } from './useKeyboard';
import { useSelection } from './useSelection';
import { WarningsBanner } from './WarningsBanner';
import { RowContext, WaterfallRow } from './WaterfallRow';

export interface WaterfallProps {
  trace: Trace;
  options?: Partial<WaterfallOptions>;
  /** CSS height of the whole waterfall; the rows scroll inside it */
  height: number | string;
  /** the span to select and scroll to (the `?span=` deep link); changing it moves the selection */
  selectedSpanId?: string;
  onSelectedSpanChange?: (spanId: string | undefined) => void;
  /** opens a linked trace; without it, links are plain hrefs to the app's trace page */
  onOpenTrace?: (traceId: string, spanId: string) => void;
  /** links from a span to its logs and metrics (the Tempo data source's settings); none without it */
  spanLinks?: SpanLinkFactory;
  /**
   * Shows only these spans and their ancestors (dimmed), with a notice and "Show all"; a new object is a
   * new filter. Cleared by "Show all" or by going to a span outside it, which calls `onFilterClear`.
   */
  filter?: TimelineFilter;
  onFilterClear?: () => void;
  /** a request to select a span, scroll to it and open its details; a new object is a new request */
  focusSpan?: { span: number };
}

/** A timeline filter: which spans (indices into trace.spans), and what they are, e.g. "db: SELECT". */
export interface TimelineFilter {
  label: string;
  spans: Int32Array;
}

/**
 * The timeline of one trace, shared by the waterfall panel and the app's Trace page. Refuses
 * traces too large for a browser; otherwise all state lives in WaterfallView, keyed by the trace
 * so that a new trace starts fresh. Memoised: a parent that re-renders with the same props (the trace
 * views switching to another view) costs the timeline nothing.
 */
export const Waterfall = memo(function Waterfall(props: WaterfallProps) {
  const styles = useStyles2(getWaterfallStyles);
  const n = props.trace.spans.length;
  if (n > HARD_SPAN_LIMIT) {
    return (
      <Alert
        severity="error"
        title="This trace is too large to show in the browser"
        data-testid={testIds.waterfall.refused}
      >
        It has {n.toLocaleString('en-US')} spans; the waterfall shows at most {HARD_SPAN_LIMIT.toLocaleString('en-US')}.
        Query a part of it with TraceQL instead, e.g. one service or the spans with errors.
      </Alert>
    );
  }
  if (n === 0) {
    return <div className={styles.empty}>This trace has no spans.</div>;
  }
  return <WaterfallView key={traceKey(props.trace)} {...props} />;
});

/** Limits of the resizable panes: the name column in percent, the details pane in pixels. */
const NAME_MIN = 10;
const NAME_MAX = 80;
const DETAILS_MIN = 260;
/** what the details pane leaves to the rows at least */
const ROWS_MIN = 240;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function WaterfallView({
  trace,
  options,
  height,
  selectedSpanId,
  onSelectedSpanChange,
  onOpenTrace,
  spanLinks,
  filter,
  onFilterClear,
  focusSpan,
}: WaterfallProps) {
  const opts = withDefaults(options);
  const styles = useStyles2(getWaterfallStyles);
  const theme = useTheme2();
  const n = trace.spans.length;
  const big = n > opts.spanLimit;
  const rowHeight = ROW_HEIGHT[opts.rowSize];

  // A filter cleared here stays cleared until the parent passes another one (or clears it too).
  const [clearedFilter, setClearedFilter] = useState<TimelineFilter | undefined>();
  const activeFilter = filter && filter !== clearedFilter ? filter : undefined;
  const marks = useMemo(() => (activeFilter ? filterMarks(trace, activeFilter.spans) : null), [trace, activeFilter]);
  const filterShape = useMemo(() => (marks ? shapeOfFilter(trace, marks) : null), [trace, marks]);
  const clearFilter = useCallback(() => {
    setClearedFilter(filter);
    onFilterClear?.();
  }, [filter, onFilterClear]);
  const view = useCollapse(trace, marks, clearFilter);
  const selection = useSelection(view.reveal);
  const { selected, detailsOpen, setDetailsOpen, goTo, scrollTarget } = selection;
  // Built once per selected span, not on every render (the virtualiser re-renders this view on each scroll frame).
  const links = useMemo(
    () => (detailsOpen && selected >= 0 ? spanLinks?.(trace, selected) : undefined),
    [spanLinks, trace, selected, detailsOpen]
  );
  const find = useFind(trace, big, (span) => goTo(span, 'center'));
  const missingSpan = useDeepLink({ trace, selectedSpanId, onSelectedSpanChange, selected, goTo });
  useEffect(() => {
    if (focusSpan && focusSpan.span >= 0 && focusSpan.span < n) {
      goTo(focusSpan.span, 'center', true);
    }
    // Only a new request moves the selection, not a new goTo.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusSpan]);

  const [criticalOn, setCriticalOn] = useState(opts.criticalPath && !big);
  const [timeWindow, setTimeWindow] = useState({ start: trace.startNs, end: Math.max(trace.endNs, trace.startNs + 1) });
  const [nameWidth, setNameWidth] = useState(opts.nameColumnWidth);
  const [detailsWidth, setDetailsWidth] = useState<number | null>(null);
  const [dismissed, setDismissed] = useState<string[]>([]);
  useEffect(() => setNameWidth(opts.nameColumnWidth), [opts.nameColumnWidth]);

  const listRef = useRef<HTMLDivElement>(null);
  const rowsRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const detailsRef = useRef<HTMLDivElement>(null);
  const findRef = useRef<HTMLInputElement>(null);

  const colors = useMemo(() => barColors(theme, trace, opts.colorBy), [theme, trace, opts.colorBy]);
  const sectionsBySpan = useMemo(() => (criticalOn ? criticalSections(trace) : null), [trace, criticalOn]);
  // Self times are one pass over the trace, computed the first time details are shown; the model keeps them
  // per trace, shared with the other views.
  const selfTimeOf = (span: number) => selfTimes(trace)[span];

  const { rows, rowOf } = view;
  const getItemKey = useCallback((i: number) => rows[i], [rows]);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualiser re-renders this component on scroll
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => rowHeight,
    getItemKey,
    overscan: 8,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  useEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  // Scroll once the rows that hold the target exist.
  useEffect(() => {
    const target = scrollTarget.current;
    if (!target) {
      return;
    }
    const row = rowOf[target.span];
    if (row >= 0) {
      virtualizer.scrollToIndex(row, { align: target.align });
    }
    scrollTarget.current = null;
  });

  // For the browser benchmark: the first frame painted with rows (after the frame, hence the timeout).
  useEffect(() => {
    const frame = requestAnimationFrame(() =>
      setTimeout(() => performance.mark?.('traceway:waterfall-painted', { detail: { spans: n } }), 0)
    );
    return () => cancelAnimationFrame(frame);
  }, [n]);

  const { setSelected } = selection;
  const onRowClick = useCallback(
    (span: number) => {
      setSelected(span);
      setDetailsOpen(true);
      listRef.current?.focus({ preventScroll: true });
    },
    [setSelected, setDetailsOpen]
  );

  const ctx: RowContext = useMemo(
    () => ({
      trace,
      styles,
      colors,
      viewStart: timeWindow.start,
      viewEnd: timeWindow.end,
      rowHeight,
      nameWidth,
      indent: INDENT,
      collapsed: view.collapsed,
      critical: sectionsBySpan,
      filter: marks,
      shownChildren: filterShape?.parents ?? null,
      onRowClick,
      onToggle: view.toggle,
    }),
    [
      trace,
      styles,
      colors,
      timeWindow,
      rowHeight,
      nameWidth,
      view.collapsed,
      sectionsBySpan,
      marks,
      filterShape,
      onRowClick,
      view.toggle,
    ]
  );

  const onKeyDown = useKeyboard({
    trace,
    rowHeight,
    listRef,
    findRef,
    find,
    view,
    selection,
    shownChildren: filterShape?.parents ?? null,
  });

  const dragName = (clientX: number) => {
    const box = rowsRef.current?.getBoundingClientRect();
    if (box && box.width > 0) {
      setNameWidth(clamp(((clientX - box.left) / box.width) * 100, NAME_MIN, NAME_MAX));
    }
  };
  const detailsMax = () => Math.max(DETAILS_MIN, (bodyRef.current?.clientWidth ?? 0) - ROWS_MIN);
  const dragDetails = (clientX: number) => {
    const box = bodyRef.current?.getBoundingClientRect();
    if (box) {
      setDetailsWidth(clamp(box.right - clientX, DETAILS_MIN, detailsMax()));
    }
  };
  const currentDetailsWidth = () => detailsWidth ?? detailsRef.current?.getBoundingClientRect().width ?? DETAILS_MIN;

  const dismiss = (key: string) => setDismissed((d) => [...d, key]);
  const items = virtualizer.getVirtualItems();
  const viewportHeight = virtualizer.scrollRect?.height ?? 0;
  const ticks = timeTicks(
    timeWindow.start,
    timeWindow.end,
    trace.startNs,
    tickCount(virtualizer.scrollRect?.width ?? 0, nameWidth)
  );
  const zoomed = timeWindow.start > trace.startNs || timeWindow.end < trace.endNs;

  return (
    <div className={styles.root} style={{ height }} data-testid={testIds.waterfall.container} onKeyDown={onKeyDown}>
      <div className={styles.notices}>
        {big && !dismissed.includes('size') && (
          <Notice
            severity="warning"
            title={`A very large trace: ${n.toLocaleString('en-US')} spans`}
            detail={`Above ${opts.spanLimit.toLocaleString('en-US')} spans the critical path starts off and find waits for a pause in typing; everything still works, more slowly.`}
            testId={testIds.waterfall.sizeWarning}
            onDismiss={() => dismiss('size')}
          />
        )}
        {!dismissed.includes('warnings') && (
          <WarningsBanner warnings={trace.warnings} onDismiss={() => dismiss('warnings')} />
        )}
        {activeFilter && filterShape && (
          <Notice
            severity="info"
            title={
              <>
                Showing {count(activeFilter.spans.length, 'span')}: <DataText>{activeFilter.label}</DataText>
              </>
            }
            label={`Showing ${count(activeFilter.spans.length, 'span')}: ${isolate(activeFilter.label)}`}
            // Says what the rest of the rows are, so that this count and the list's "N of M spans" agree.
            detail={
              filterShape.ancestors > 0
                ? `${activeFilter.spans.length === 1 ? 'Its' : 'Their'} ${count(filterShape.ancestors, 'ancestor')} ${filterShape.ancestors === 1 ? 'is' : 'are'} dimmed (${count(activeFilter.spans.length + filterShape.ancestors, 'row')} in all).`
                : undefined
            }
            testId={testIds.traceViews.filterNotice}
            actions={
              <Button
                size="sm"
                variant="secondary"
                fill="text"
                onClick={clearFilter}
                data-testid={testIds.traceViews.filterClear}
              >
                Show all
              </Button>
            }
          />
        )}
        {missingSpan && !dismissed.includes(`span:${missingSpan}`) && (
          <Notice
            severity="info"
            title={
              <>
                Span <DataText>{missingSpan}</DataText> is not in this trace
              </>
            }
            label={`Span ${isolate(missingSpan)} is not in this trace`}
            detail="The link names a span that this trace does not have."
            testId={testIds.waterfall.missingSpan}
            onDismiss={() => dismiss(`span:${missingSpan}`)}
          />
        )}
      </div>
      <Toolbar
        styles={styles}
        find={find}
        findRef={findRef}
        view={view}
        maxDepth={trace.maxDepth}
        criticalOn={criticalOn}
        onCriticalChange={setCriticalOn}
        zoomed={zoomed}
        onResetZoom={() => setTimeWindow({ start: trace.startNs, end: Math.max(trace.endNs, trace.startNs + 1) })}
      />
      {opts.showMinimap && (
        <Minimap
          trace={trace}
          colors={colors}
          viewStart={timeWindow.start}
          viewEnd={timeWindow.end}
          onViewChange={(start, end) => setTimeWindow({ start, end: Math.max(end, start + 1) })}
        />
      )}
      <div ref={bodyRef} className={styles.body}>
        <div className={styles.listWrap}>
          <div
            ref={listRef}
            className={styles.list}
            tabIndex={0}
            role="tree"
            aria-label={`Spans of trace ${trace.traceId}`}
            data-testid={testIds.waterfall.list}
          >
            <div ref={rowsRef} className={styles.rows} style={{ height: virtualizer.getTotalSize() }}>
              <TimeAxis
                styles={styles}
                nameWidth={nameWidth}
                shownRows={rows.length}
                spanCount={n}
                zoomWindowNs={zoomed ? timeWindow.end - timeWindow.start : null}
                ticks={ticks}
                viewportHeight={viewportHeight}
              >
                <ResizeHandle
                  label="Resize the name column"
                  value={nameWidth}
                  min={NAME_MIN}
                  max={NAME_MAX}
                  onDrag={dragName}
                  onStep={(dir, bigStep) =>
                    setNameWidth((w) => clamp(w + dir * (bigStep ? 10 : 2), NAME_MIN, NAME_MAX))
                  }
                  style={{
                    left: nameColumnEdge(nameWidth),
                    bottom: 'auto',
                    height: Math.max(HEADER_HEIGHT, viewportHeight),
                  }}
                  testId={testIds.waterfall.nameResize}
                />
              </TimeAxis>
              {items.map((item) => {
                const span = rows[item.index];
                return (
                  <WaterfallRow
                    key={span}
                    ctx={ctx}
                    span={span}
                    top={item.start}
                    selected={span === selected}
                    match={find.hitMarks?.[span] === 1}
                  />
                );
              })}
            </div>
          </div>
        </div>
        {detailsOpen && selected >= 0 && (
          <div
            ref={detailsRef}
            className={styles.details}
            style={detailsWidth === null ? undefined : { width: detailsWidth, maxWidth: 'none' }}
          >
            <ResizeHandle
              label="Resize the span details"
              value={detailsWidth ?? 0}
              min={DETAILS_MIN}
              max={detailsMax()}
              onDrag={dragDetails}
              onStep={(dir, bigStep) =>
                setDetailsWidth(clamp(currentDetailsWidth() - dir * (bigStep ? 80 : 16), DETAILS_MIN, detailsMax()))
              }
              style={{ left: 0 }}
              testId={testIds.waterfall.detailsResize}
            />
            <div className={styles.detailsScroll}>
              <SpanDetails
                trace={trace}
                span={selected}
                selfTimeNs={selfTimeOf(selected)}
                onClose={() => {
                  setDetailsOpen(false);
                  listRef.current?.focus();
                }}
                onSelectSpan={(span) => goTo(span, 'center', true)}
                onOpenTrace={onOpenTrace}
                links={links}
              />
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

const count = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/**
 * What a filter shows besides its spans: how many ancestors (dimmed rows), and which rows have a child shown
 * (1), so that a row whose children the filter hides draws no expand/collapse arrow.
 */
function shapeOfFilter(trace: Trace, marks: Uint8Array): { ancestors: number; parents: Uint8Array } {
  const parents = new Uint8Array(marks.length);
  let ancestors = 0;
  for (let i = 0; i < marks.length; i++) {
    if (marks[i] === FILTER_ANCESTOR) {
      ancestors++;
    }
    const p = trace.parent[i];
    if (marks[i] !== 0 && p >= 0) {
      parents[p] = 1;
    }
  }
  return { ancestors, parents };
}

/** The critical sections of each span on the critical path. */
function criticalSections(trace: Trace): Map<number, CriticalSection[]> {
  const map = new Map<number, CriticalSection[]>();
  for (const sec of criticalPath(trace).sections) {
    const list = map.get(sec.span);
    list ? list.push(sec) : map.set(sec.span, [sec]);
  }
  return map;
}
