import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Alert, Button, Dropdown, InlineSwitch, Input, Menu, useStyles2, useTheme2 } from '@grafana/ui';
import {
  CriticalSection,
  Trace,
  collapseAll,
  collapseToDepth,
  criticalPath,
  expandAll,
  findSpans,
  revealSpan,
  selfTimes,
  toggleCollapsed,
} from '../../trace';
import { formatDuration } from '../TraceHeader/format';
import { testIds } from '../testIds';
import { barColors } from './colors';
import { Minimap } from './Minimap';
import { displayRows, errorSubtrees, membership, rowIndex, spanIndexById, timeTicks } from './model';
import { HARD_SPAN_LIMIT, ROW_HEIGHT, WaterfallOptions, withDefaults } from './options';
import { SpanDetails } from './SpanDetails';
import { HEADER_HEIGHT, INDENT, getWaterfallStyles } from './styles';
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
}

const traceKeys = new WeakMap<Trace, number>();
let nextTraceKey = 1;
function keyOf(trace: Trace): number {
  let k = traceKeys.get(trace);
  if (k === undefined) {
    k = nextTraceKey++;
    traceKeys.set(trace, k);
  }
  return k;
}

/**
 * The timeline of one trace, shared by the waterfall panel and the app's Trace page. Refuses
 * traces too large for a browser; otherwise all state lives in WaterfallView, keyed by the trace
 * so that a new trace starts fresh.
 */
export function Waterfall(props: WaterfallProps) {
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
  return <WaterfallView key={keyOf(props.trace)} {...props} />;
}

type Align = 'auto' | 'center';
const NO_HITS = new Int32Array(0);

function WaterfallView({ trace, options, height, selectedSpanId, onSelectedSpanChange, onOpenTrace }: WaterfallProps) {
  const opts = withDefaults(options);
  const styles = useStyles2(getWaterfallStyles);
  const theme = useTheme2();
  const n = trace.spans.length;
  const big = n > opts.spanLimit;
  const rowHeight = ROW_HEIGHT[opts.rowSize];

  const [collapsed, setCollapsed] = useState(() => expandAll(trace));
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [criticalOn, setCriticalOn] = useState(opts.criticalPath && !big);
  const [selected, setSelected] = useState(-1);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [view, setView] = useState({ start: trace.startNs, end: Math.max(trace.endNs, trace.startNs + 1) });
  const [query, setQuery] = useState('');
  const [appliedQuery, setAppliedQuery] = useState('');
  const [hitPos, setHitPos] = useState(-1);

  const listRef = useRef<HTMLDivElement>(null);
  const findRef = useRef<HTMLInputElement>(null);
  const scrollTarget = useRef<{ span: number; align: Align } | null>(null);

  const errorMarks = useMemo(() => (errorsOnly ? errorSubtrees(trace) : null), [trace, errorsOnly]);
  const rows = useMemo(() => displayRows(trace, collapsed, errorMarks), [trace, collapsed, errorMarks]);
  const rowOf = useMemo(() => rowIndex(n, rows), [n, rows]);
  const colors = useMemo(() => barColors(theme, trace, opts.colorBy), [theme, trace, opts.colorBy]);
  const critical = useMemo(() => (criticalOn ? criticalPath(trace) : null), [trace, criticalOn]);
  const sectionsBySpan = useMemo(() => {
    if (!critical) {
      return null;
    }
    const map = new Map<number, CriticalSection[]>();
    for (const sec of critical.sections) {
      const list = map.get(sec.span);
      list ? list.push(sec) : map.set(sec.span, [sec]);
    }
    return map;
  }, [critical]);
  const hits = useMemo(() => (appliedQuery ? findSpans(trace, appliedQuery) : NO_HITS), [trace, appliedQuery]);
  const hitMarks = useMemo(() => (hits.length > 0 ? membership(n, hits) : null), [n, hits]);
  // Self times are one pass over the trace: computed the first time details are shown, then kept.
  const selfRef = useRef<Float64Array | null>(null);
  const selfTimeOf = (span: number) => {
    selfRef.current ??= selfTimes(trace);
    return selfRef.current[span];
  };

  // Find runs when typing pauses; a very large trace waits longer between searches.
  useEffect(() => {
    const t = setTimeout(() => setAppliedQuery(query.trim()), big ? 400 : 150);
    return () => clearTimeout(t);
  }, [query, big]);

  /** Selects a span, revealing it first if it is collapsed away or filtered out, and scrolls to it. */
  const goTo = useCallback(
    (span: number, align: Align, openDetails = false) => {
      setCollapsed((mask) => {
        for (let p = trace.parent[span]; p >= 0; p = trace.parent[p]) {
          if (mask[p] === 1) {
            return revealSpan(trace, mask, span);
          }
        }
        return mask;
      });
      if (errorMarks && errorMarks[span] !== 1) {
        setErrorsOnly(false);
      }
      setSelected(span);
      if (openDetails) {
        setDetailsOpen(true);
      }
      scrollTarget.current = { span, align };
    },
    [trace, errorMarks]
  );

  // A new search jumps to its first match.
  useEffect(() => {
    if (hits.length > 0) {
      setHitPos(0);
      goTo(hits[0], 'center');
    } else {
      setHitPos(-1);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the matches change
  }, [hits]);

  const stepHit = (delta: number) => {
    if (hits.length === 0) {
      return;
    }
    const next = ((((hitPos < 0 ? (delta > 0 ? -1 : 0) : hitPos) + delta) % hits.length) + hits.length) % hits.length;
    setHitPos(next);
    goTo(hits[next], 'center');
  };

  // The deep link: select the span it names, open its details, and scroll to it; only when the
  // link changes from outside (not when it echoes a selection made here, or another control changes).
  const notified = useRef(selectedSpanId?.toLowerCase());
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const goToRef = useRef(goTo);
  goToRef.current = goTo;
  const missingSpan = useMemo(
    () => (selectedSpanId && spanIndexById(trace, selectedSpanId) < 0 ? selectedSpanId : undefined),
    [trace, selectedSpanId]
  );
  useEffect(() => {
    const id = selectedSpanId?.toLowerCase();
    const current = selectedRef.current;
    if (!id || (current >= 0 && trace.spans[current].spanId === id)) {
      return;
    }
    notified.current = id;
    const i = spanIndexById(trace, id);
    if (i >= 0) {
      goToRef.current(i, 'center', true);
    }
  }, [trace, selectedSpanId]);

  useEffect(() => {
    if (selected < 0) {
      return;
    }
    const id = trace.spans[selected].spanId;
    if (id !== notified.current) {
      notified.current = id;
      onSelectedSpanChange?.(id);
    }
  }, [selected, trace, onSelectedSpanChange]);

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

  const onRowClick = useCallback((span: number) => {
    setSelected(span);
    setDetailsOpen(true);
    listRef.current?.focus({ preventScroll: true });
  }, []);
  const onToggle = useCallback((span: number) => setCollapsed((mask) => toggleCollapsed(mask, span)), []);

  const ctx: RowContext = useMemo(
    () => ({
      trace,
      styles,
      colors,
      viewStart: view.start,
      viewEnd: view.end,
      rowHeight,
      nameWidth: opts.nameColumnWidth,
      indent: INDENT,
      collapsed,
      critical: sectionsBySpan,
      onRowClick,
      onToggle,
    }),
    [trace, styles, colors, view, rowHeight, opts.nameColumnWidth, collapsed, sectionsBySpan, onRowClick, onToggle]
  );

  const moveSelection = (toRow: number) => {
    if (rows.length === 0) {
      return;
    }
    const r = Math.min(rows.length - 1, Math.max(0, toRow));
    setSelected(rows[r]);
    scrollTarget.current = { span: rows[r], align: 'auto' };
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target === findRef.current) {
      if (e.key === 'Enter') {
        e.preventDefault();
        stepHit(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        setQuery('');
        listRef.current?.focus();
      }
      return;
    }
    const typing =
      (target instanceof HTMLInputElement && target.type !== 'checkbox') || target instanceof HTMLTextAreaElement;
    if (typing || e.altKey || e.ctrlKey || e.metaKey) {
      return;
    }
    if (e.key === '/') {
      e.preventDefault();
      findRef.current?.focus();
      return;
    }
    if (e.key === 'Escape') {
      if (detailsOpen) {
        e.preventDefault();
        setDetailsOpen(false);
        listRef.current?.focus();
      }
      return;
    }
    if (!listRef.current || !listRef.current.contains(target)) {
      return;
    }
    const row = selected >= 0 ? rowOf[selected] : -1;
    const page = Math.max(1, Math.floor((listRef.current.clientHeight - HEADER_HEIGHT) / rowHeight) - 1);
    const hasChildren = selected >= 0 && trace.subtreeSize[selected] > 1;
    switch (e.key) {
      case 'ArrowDown':
        moveSelection(row < 0 ? 0 : row + 1);
        break;
      case 'ArrowUp':
        moveSelection(row < 0 ? rows.length - 1 : row - 1);
        break;
      case 'PageDown':
        moveSelection(row + page);
        break;
      case 'PageUp':
        moveSelection(row - page);
        break;
      case 'Home':
        moveSelection(0);
        break;
      case 'End':
        moveSelection(rows.length - 1);
        break;
      case 'ArrowLeft':
        if (hasChildren && collapsed[selected] !== 1) {
          setCollapsed(toggleCollapsed(collapsed, selected));
        } else if (selected >= 0 && trace.parent[selected] >= 0 && rowOf[trace.parent[selected]] >= 0) {
          moveSelection(rowOf[trace.parent[selected]]);
        }
        break;
      case 'ArrowRight':
        if (hasChildren && collapsed[selected] === 1) {
          setCollapsed(toggleCollapsed(collapsed, selected));
        } else if (hasChildren) {
          moveSelection(row + 1);
        }
        break;
      case 'Enter':
        if (selected >= 0) {
          setDetailsOpen(true);
        }
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const depthOptions = useMemo(
    () =>
      Array.from({ length: Math.min(trace.maxDepth, 20) }, (_, d) => ({
        depth: d,
        label: d === 0 ? 'Roots only' : `Depth ${d}`,
      })),
    [trace.maxDepth]
  );

  const ticks = timeTicks(view.start, view.end, trace.startNs);
  const zoomed = view.start > trace.startNs || view.end < trace.endNs;
  const items = virtualizer.getVirtualItems();
  const viewportHeight = virtualizer.scrollRect?.height ?? 0;

  return (
    <div className={styles.root} style={{ height }} data-testid={testIds.waterfall.container} onKeyDown={onKeyDown}>
      {big && (
        <Alert
          severity="warning"
          title={`A very large trace: ${n.toLocaleString('en-US')} spans`}
          data-testid={testIds.waterfall.sizeWarning}
        >
          Above this view&apos;s limit of {opts.spanLimit.toLocaleString('en-US')} spans the critical path starts off
          and find waits for a pause in typing. Everything still works, more slowly.
        </Alert>
      )}
      <WarningsBanner warnings={trace.warnings} />
      {missingSpan && (
        <Alert severity="info" title={`Span ${missingSpan} is not in this trace`}>
          The link names a span that this trace does not have.
        </Alert>
      )}
      <div className={styles.toolbar}>
        <Input
          ref={findRef}
          width={32}
          placeholder="Find in trace ( / )"
          aria-label="Find in trace"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          data-testid={testIds.waterfall.find}
        />
        <span className={styles.findCount} data-testid={testIds.waterfall.findCount} aria-live="polite">
          {appliedQuery === '' ? '' : hits.length === 0 ? 'No matches' : `${hitPos + 1} of ${hits.length}`}
        </span>
        {/* Text buttons, not icons: they read the same everywhere, including where icons fail to load. */}
        <Button
          size="sm"
          variant="secondary"
          fill="outline"
          tooltip="Previous match (Shift+Enter)"
          disabled={hits.length === 0}
          onClick={() => stepHit(-1)}
          data-testid={testIds.waterfall.findPrev}
        >
          Prev
        </Button>
        <Button
          size="sm"
          variant="secondary"
          fill="outline"
          tooltip="Next match (Enter)"
          disabled={hits.length === 0}
          onClick={() => stepHit(1)}
          data-testid={testIds.waterfall.findNext}
        >
          Next
        </Button>
        <InlineSwitch
          label="Errors only"
          showLabel
          transparent
          value={errorsOnly}
          onChange={() => setErrorsOnly(!errorsOnly)}
          data-testid={testIds.waterfall.errorsOnly}
        />
        <InlineSwitch
          label="Critical path"
          showLabel
          transparent
          value={criticalOn}
          onChange={() => setCriticalOn(!criticalOn)}
          data-testid={testIds.waterfall.criticalPath}
        />
        <Button
          size="sm"
          variant="secondary"
          onClick={() => setCollapsed(collapseAll(trace))}
          data-testid={testIds.waterfall.collapseAll}
        >
          Collapse all
        </Button>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => setCollapsed(expandAll(trace))}
          data-testid={testIds.waterfall.expandAll}
        >
          Expand all
        </Button>
        {depthOptions.length > 1 && (
          <Dropdown
            overlay={
              <Menu>
                {depthOptions.map((o) => (
                  <Menu.Item
                    key={o.depth}
                    label={o.label}
                    onClick={() => setCollapsed(collapseToDepth(trace, o.depth))}
                  />
                ))}
              </Menu>
            }
          >
            <Button size="sm" variant="secondary" data-testid={testIds.waterfall.collapseToDepth}>
              Collapse to depth ▾
            </Button>
          </Dropdown>
        )}
        {zoomed && (
          <Button
            size="sm"
            variant="secondary"
            fill="text"
            onClick={() => setView({ start: trace.startNs, end: Math.max(trace.endNs, trace.startNs + 1) })}
            data-testid={testIds.waterfall.resetZoom}
          >
            Show whole trace
          </Button>
        )}
      </div>
      {opts.showMinimap && (
        <Minimap
          trace={trace}
          colors={colors}
          viewStart={view.start}
          viewEnd={view.end}
          onViewChange={(start, end) => setView({ start, end: Math.max(end, start + 1) })}
        />
      )}
      <div className={styles.body}>
        <div className={styles.listWrap}>
          <div
            ref={listRef}
            className={styles.list}
            tabIndex={0}
            role="tree"
            aria-label={`Spans of trace ${trace.traceId}`}
            data-testid={testIds.waterfall.list}
          >
            <div className={styles.rows} style={{ height: virtualizer.getTotalSize() }}>
              <div className={styles.header} data-testid={testIds.waterfall.header}>
                <div className={styles.headerName} style={{ width: `${opts.nameColumnWidth}%` }}>
                  {rows.length.toLocaleString('en-US')} of {n.toLocaleString('en-US')} spans
                  {zoomed && ` · window ${formatDuration(view.end - view.start)}`}
                </div>
                <div className={styles.axis}>
                  {ticks.map((t) => (
                    <span
                      key={t.ns}
                      className={styles.tick}
                      style={{ left: `${t.at * 100}%` }}
                      data-testid={testIds.waterfall.tick}
                    >
                      {formatDuration(t.offsetNs)}
                    </span>
                  ))}
                </div>
                <div
                  className={styles.gridLines}
                  style={{ left: `${opts.nameColumnWidth}%`, height: Math.max(0, viewportHeight - HEADER_HEIGHT) }}
                >
                  {ticks.map((t) => (
                    <span key={t.ns} className={styles.gridLine} style={{ left: `${t.at * 100}%` }} />
                  ))}
                </div>
              </div>
              {items.map((item) => {
                const span = rows[item.index];
                return (
                  <WaterfallRow
                    key={span}
                    ctx={ctx}
                    span={span}
                    top={item.start}
                    selected={span === selected}
                    match={hitMarks?.[span] === 1}
                  />
                );
              })}
            </div>
          </div>
        </div>
        {detailsOpen && selected >= 0 && (
          <div className={styles.details}>
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
            />
          </div>
        )}
      </div>
    </div>
  );
}
