import React, { useCallback, useEffect, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { RadioButtonGroup, useStyles2 } from '@grafana/ui';
import type { TraceViewName } from '../../routes';
import { Trace } from '../../trace';
import type { SpanLinkFactory } from '../../grafana/spanLinks';
import { DownloadTrace } from '../DownloadTrace/DownloadTrace';
import { FlameGraph } from '../FlameGraph/FlameGraph';
import { SpanTable } from '../SpanTable/SpanTable';
import { testIds } from '../testIds';
import { TimelineFilter, Waterfall, WaterfallOptions } from '../Waterfall';
import { StatsView } from './StatsView';

const ids = testIds.traceViews;

export interface TraceViewsProps {
  trace: Trace;
  /** CSS height of the whole thing, the switch bar included; each view gets what the bar leaves */
  height: number | string;
  view: TraceViewName;
  onViewChange: (view: TraceViewName) => void;
  /** the timeline's selected span (e.g. `?span=`); without it the timeline keeps its own */
  selectedSpanId?: string;
  onSelectedSpanChange?: (spanId: string | undefined) => void;
  onOpenTrace?: (traceId: string, spanId: string) => void;
  options?: Partial<WaterfallOptions>;
  spanLinks?: SpanLinkFactory;
}

/** The switch bar's height: 32 px controls and their padding. */
export const BAR_HEIGHT = 40;

const VIEW_OPTIONS: Array<SelectableValue<TraceViewName> & { value: TraceViewName; label: string }> = [
  { value: 'timeline', label: 'Timeline' },
  { value: 'stats', label: 'Statistics' },
  { value: 'flame', label: 'Flame graph' },
  { value: 'table', label: 'Span table' },
];

/**
 * Grafana's radio buttons take no test ID per option: put each on its option's label (what a user clicks),
 * found next to the option's input. A host whose markup differs only loses the test IDs, never the labels.
 */
function labelTestIds(group: HTMLElement | null) {
  group?.querySelectorAll('input[type="radio"]').forEach((input, i) => {
    const option = VIEW_OPTIONS[i];
    const text = input.parentElement?.querySelector('label');
    if (option && text) {
      text.setAttribute('data-testid', ids.switch(option.value));
    }
  });
}

/** `height` less the bar, as a number where it is one (the virtualised lists start from it) or CSS. */
function viewHeight(height: number | string): number | string {
  return typeof height === 'number' ? Math.max(0, height - BAR_HEIGHT) : `calc(${height} - ${BAR_HEIGHT}px)`;
}

/**
 * The views of one trace, switched from one bar: the timeline (the Waterfall), the statistics, the flame
 * graph and the span table, with the download at the bar's right. The timeline stays mounted while another
 * view shows (remounting 100,000 rows costs more than a switch should), and every other view mounts on its
 * first visit and stays, hidden, after: switching back is a style change, and each keeps its state.
 * A span opened from another view shows in the timeline, selected, scrolled to and with its details open;
 * a statistics row filters the timeline to its spans. Either way the keyboard focus goes to the timeline's list.
 */
export function TraceViews({
  trace,
  height,
  view,
  onViewChange,
  selectedSpanId,
  onSelectedSpanChange,
  onOpenTrace,
  options,
  spanLinks,
}: TraceViewsProps) {
  const styles = useStyles2(getStyles);
  const [visited, setVisited] = useState<ReadonlySet<TraceViewName>>(() => new Set([view]));
  if (!visited.has(view)) {
    setVisited(new Set([...visited, view]));
  }
  // Per trace: a filter or a span request of another trace means nothing to this one.
  const [filter, setFilter] = useState<{ trace: Trace; filter: TimelineFilter }>();
  const [focus, setFocus] = useState<{ trace: Trace; request: { span: number } }>();

  // A hand-off to the timeline takes the keyboard focus with it: the view it came from is hidden, and focus
  // in a hidden pane falls to <body>. Taken once the timeline shows (a page may switch views a render later).
  const focusTimeline = useRef(false);
  const timelineRef = useRef<HTMLDivElement>(null);
  const onOpenSpan = useCallback(
    (span: number) => {
      setFocus({ trace, request: { span } });
      focusTimeline.current = true;
      onViewChange('timeline');
    },
    [trace, onViewChange]
  );
  const onFilter = useCallback(
    (f: TimelineFilter) => {
      setFilter({ trace, filter: f });
      focusTimeline.current = true;
      onViewChange('timeline');
    },
    [trace, onViewChange]
  );
  const onFilterClear = useCallback(() => setFilter(undefined), []);
  useEffect(() => {
    if (view === 'timeline' && focusTimeline.current) {
      focusTimeline.current = false;
      // The list, whose selected span is the active row (the Waterfall scrolls to it itself).
      timelineRef.current?.querySelector<HTMLElement>('[role="tree"]')?.focus({ preventScroll: true });
    }
  });

  // For the browser benchmark: the frame after a switched-to view painted (as 'traceway:waterfall-painted').
  const shown = useRef(view);
  useEffect(() => {
    if (shown.current === view) {
      return;
    }
    shown.current = view;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => performance.mark?.('traceway:view-shown', { detail: { view } }), 0);
    });
    // Both: a mark left pending after unmounting (or another switch) would be a stray measurement.
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [view]);

  const switchRef = useRef<HTMLDivElement>(null);
  useEffect(() => labelTestIds(switchRef.current), []);

  const inner = viewHeight(height);
  // `always`: mounted before its first visit too (the timeline).
  const pane = (name: TraceViewName, content: React.ReactNode, always = false) =>
    (always || visited.has(name)) && (
      <div
        ref={name === 'timeline' ? timelineRef : undefined}
        className={cx(styles.pane, name !== view && styles.hidden)}
        data-shown={name === view}
        data-testid={ids.view(name)}
        role="region"
        aria-label={VIEW_OPTIONS.find((o) => o.value === name)?.label}
      >
        {content}
      </div>
    );

  return (
    <div className={styles.root} style={{ height }} data-testid={ids.container}>
      <div className={styles.bar}>
        <div ref={switchRef}>
          <RadioButtonGroup
            size="sm"
            options={VIEW_OPTIONS}
            value={view}
            onChange={onViewChange}
            aria-label="Trace view"
          />
        </div>
        <div className={styles.end}>
          <DownloadTrace trace={trace} />
        </div>
      </div>
      {/* The timeline is always mounted: its rows, selection, collapse and zoom survive every switch. */}
      {pane(
        'timeline',
        <Waterfall
          trace={trace}
          height={inner}
          options={options}
          selectedSpanId={selectedSpanId}
          onSelectedSpanChange={onSelectedSpanChange}
          onOpenTrace={onOpenTrace}
          spanLinks={spanLinks}
          filter={filter?.trace === trace ? filter.filter : undefined}
          onFilterClear={onFilterClear}
          focusSpan={focus?.trace === trace ? focus.request : undefined}
        />,
        true
      )}
      {pane('stats', <StatsView trace={trace} height={inner} onFilter={onFilter} />)}
      {pane('flame', <FlameGraph trace={trace} height={inner} onOpenSpan={onOpenSpan} />)}
      {pane('table', <SpanTable trace={trace} height={inner} onOpenSpan={onOpenSpan} />)}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ position: 'relative', display: 'flex', flexDirection: 'column', minHeight: 0, minWidth: 0 }),
  bar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    height: BAR_HEIGHT,
    flexShrink: 0,
  }),
  end: css({ marginLeft: 'auto', display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  pane: css({ flex: 1, minHeight: 0, minWidth: 0 }),
  // Hidden, not display: none: that would drop the timeline's scroll position (Chromium forgets the offset of
  // an element without a box) and resize every view to nothing; invisible, it is also out of the tab order and
  // the accessibility tree.
  hidden: css({
    position: 'absolute',
    top: BAR_HEIGHT,
    left: 0,
    right: 0,
    bottom: 0,
    visibility: 'hidden',
    pointerEvents: 'none',
  }),
});
