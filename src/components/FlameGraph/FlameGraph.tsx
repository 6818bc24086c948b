import React, { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, RadioButtonGroup, useStyles2, useTheme2 } from '@grafana/ui';
import { PathTree, Trace, pathTree, selfTimes } from '../../trace';
import { DataText, isolate } from '../DataText/DataText';
import { formatDuration } from '../TraceHeader/format';
import { serviceColorsFor } from '../Waterfall/colors';
import { testIds } from '../testIds';
import { useElementSize } from '../useElementSize';
import { drawFlame, flameColors } from './draw';
import { FlameLayout, FlameMode, ROW, ancestry, boxAt, neighbour, pathLayout, timeLayout, zoomTo } from './layout';

export interface FlameGraphProps {
  trace: Trace;
  /** CSS height of the whole view */
  height: number | string;
  /** opens a span (index into trace.spans) in the timeline */
  onOpenSpan: (span: number) => void;
}

const ids = testIds.flameGraph;

const MODES: Array<{ label: string; value: FlameMode; description: string }> = [
  {
    label: 'By time',
    value: 'time',
    description:
      'The span tree over time, width by duration: children on the rows under their parent, calls that run at the same time on rows of their own',
  },
  {
    label: 'By service + operation',
    value: 'paths',
    description: 'Spans with the same service + operation path from the root added up, the largest total first',
  },
];

/** Size of the stage before it is measured (and in jsdom, which has no layout). */
const FALLBACK = { width: 800, height: 400 };
/** Room the tooltip takes (three lines), to keep it inside the stage. */
const TOOLTIP_HEIGHT = 72;
/** Breadcrumb entries shown before the top ones become "…". */
const CRUMBS = 6;

/** What is computed from a trace once, whichever modes are shown. */
interface TraceCache {
  self?: Float64Array;
  tree?: PathTree;
  time?: FlameLayout;
  paths?: FlameLayout;
}

/** One box's figures: a span ('time') or a path of spans added up ('paths'). */
interface BoxInfo {
  service: string;
  name: string;
  durationNs: number;
  selfNs: number;
  count: number;
  errors: number;
  /** the span to open: the box's span, or the path's slowest */
  span: number;
}

function boxInfo(trace: Trace, cache: TraceCache, layout: FlameLayout, b: number): BoxInfo {
  const item = layout.item[b];
  if (layout.mode === 'time') {
    return {
      service: trace.services[trace.serviceIndex[item]],
      name: trace.spans[item].name,
      durationNs: Math.max(0, trace.end[item] - trace.start[item]),
      // self times are computed on the first hover or focus, not before the first drawing
      selfNs: (cache.self ??= selfTimes(trace))[item],
      count: 1,
      errors: layout.error[b],
      span: item,
    };
  }
  const tree = cache.tree!;
  return {
    service: trace.services[tree.service[item]],
    name: tree.name[item],
    durationNs: tree.totalNs[item],
    selfNs: tree.selfNs[item],
    count: tree.count[item],
    errors: tree.errors[item],
    span: tree.slowest[item],
  };
}

function describe(info: BoxInfo, mode: FlameMode): string {
  const errors = info.errors > 0 ? (mode === 'time' ? ', failed' : `, ${info.errors} failed`) : '';
  if (mode === 'time') {
    return `${formatDuration(info.durationNs)}, self ${formatDuration(info.selfNs)}${errors}`;
  }
  return (
    `${info.count} ${info.count === 1 ? 'span' : 'spans'}, total ${formatDuration(info.durationNs)}, ` +
    `self ${formatDuration(info.selfNs)}${errors}`
  );
}

/**
 * The trace as a flame graph on a canvas, in two modes: by time (an icicle of the span tree, x from the trace's
 * start) and by service + operation path (spans on one path from the root added up, widest first, the self
 * time a stripe at each box's bottom). The layout is built once per trace and mode in typed arrays; the canvas
 * draws only the visible rows, merging boxes under a pixel. Hover shows a box's figures, a click zooms into it,
 * and the canvas takes the keyboard: arrows move between boxes, Enter opens the span (by time) or zooms (by
 * path), Escape resets the zoom; the focused box is described in a live region for screen readers.
 */
export function FlameGraph({ trace, height, onOpenSpan }: FlameGraphProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const [mode, setMode] = useState<FlameMode>('time');
  const [zoom, setZoom] = useState(-1);
  const [focused, setFocused] = useState(-1);
  const [hover, setHover] = useState<{ box: number; x: number; y: number }>();

  // eslint-disable-next-line react-hooks/exhaustive-deps
  const cache = useMemo<TraceCache>(() => ({}), [trace]);
  const layout = useMemo(() => {
    if (mode === 'time') {
      return (cache.time ??= timeLayout(trace));
    }
    cache.self ??= selfTimes(trace);
    cache.tree ??= pathTree(trace, cache.self);
    return (cache.paths ??= pathLayout(cache.tree));
  }, [cache, mode, trace]);
  const colors = useMemo(() => flameColors(theme, serviceColorsFor(theme, trace)), [theme, trace]);

  // A new trace starts from the whole graph (reset while rendering, not in an effect: no frame of a stale zoom).
  const [shownTrace, setShownTrace] = useState(trace);
  if (shownTrace !== trace) {
    setShownTrace(trace);
    setZoom(-1);
    setFocused(-1);
    setHover(undefined);
  }

  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stage = useElementSize(scrollRef, FALLBACK);

  const view = useMemo(() => zoomTo(layout, zoom, stage.width), [layout, zoom, stage.width]);
  const label = useCallback(
    (b: number) => (layout.mode === 'time' ? trace.spans[layout.item[b]].name : cache.tree!.name[layout.item[b]]),
    [layout, trace, cache]
  );
  const serviceOf = (b: number) => trace.services[layout.service[b]];

  // What the next frame draws; scrolling redraws from it without a React render.
  const drawState = useRef({ layout, view, stage, colors, label, focused, hover: -1 });
  useLayoutEffect(() => {
    drawState.current = { layout, view, stage, colors, label, focused, hover: hover?.box ?? -1 };
  });
  const frame = useRef(0);
  const pressed = useRef(false);
  /** The box under the pointer when a click began, and where: a double-click opens it even if the first click's
   * zoom (or anything else) has moved what is under the pointer since. */
  const clickStart = useRef<{ box: number; x: number; y: number }>();
  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    if (!canvas) {
      return;
    }
    const s = drawState.current;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(s.stage.width * dpr);
    const h = Math.round(s.stage.height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    // What is shown, for the tests and the browser bench (jsdom cannot draw).
    canvas.dataset.mode = s.layout.mode;
    canvas.dataset.boxes = String(s.layout.n);
    canvas.dataset.from = String(s.view.from);
    canvas.dataset.to = String(s.view.to);
    canvas.dataset.focused = String(s.focused);
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      return;
    }
    const t0 = performance.now();
    const drawn = drawFlame(ctx, s.layout, {
      view: s.view,
      height: s.stage.height,
      scrollTop: scrollRef.current?.scrollTop ?? 0,
      dpr,
      colors: s.colors,
      label: s.label,
      focused: s.focused,
      hovered: s.hover,
    });
    canvas.dataset.drawn = String(drawn);
    canvas.dataset.drawMs = (performance.now() - t0).toFixed(2);
  }, []);
  const requestDraw = useCallback(() => {
    if (typeof requestAnimationFrame !== 'function') {
      draw();
    } else if (frame.current === 0) {
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        draw();
      });
    }
  }, [draw]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  // Drawn now (not in a frame) after a change, so a switch of mode or theme shows at once.
  const hoverBox = hover?.box ?? -1;
  useLayoutEffect(draw, [draw, layout, view, stage, colors, focused, hoverBox]);

  /** The box under a mouse event, and where, in the stage's CSS pixels. */
  const pointed = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    return { box: boxAt(layout, view, x, y + (scrollRef.current?.scrollTop ?? 0)), x, y };
  };

  /** Moves the focus to `b`, scrolled into view; a box outside the zoom zooms out to its parent. */
  const focusBox = (b: number) => {
    if (b < 0) {
      return;
    }
    setFocused(b);
    if (layout.x1[b] < view.from || layout.x0[b] > view.to) {
      setZoom(layout.parent[b]);
    }
    const el = scrollRef.current;
    if (el) {
      const top = layout.level[b] * ROW;
      if (top < el.scrollTop) {
        el.scrollTo?.({ top });
      } else if (top + ROW > el.scrollTop + stage.height) {
        el.scrollTo?.({ top: top + ROW - stage.height });
      }
    }
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    const arrows: Record<string, 'up' | 'down' | 'left' | 'right'> = {
      ArrowUp: 'up',
      ArrowDown: 'down',
      ArrowLeft: 'left',
      ArrowRight: 'right',
    };
    let handled = true;
    if (arrows[e.key]) {
      focusBox(focused < 0 ? 0 : neighbour(layout, focused, arrows[e.key]));
    } else if (e.key === 'Enter' && focused >= 0) {
      if (layout.mode === 'time') {
        onOpenSpan(layout.item[focused]);
      } else {
        setZoom(focused);
      }
    } else if ((e.key === ' ' || e.key === 'z') && focused >= 0) {
      setZoom(focused);
    } else if (e.key === 'Escape' && zoom >= 0) {
      setZoom(-1);
    } else {
      handled = false;
    }
    if (handled) {
      e.preventDefault();
    }
  };

  const focusedInfo = focused >= 0 && focused < layout.n ? boxInfo(trace, cache, layout, focused) : undefined;
  const hoverInfo = hover && hover.box >= 0 ? boxInfo(trace, cache, layout, hover.box) : undefined;
  const crumbs = zoom >= 0 ? ancestry(layout, zoom) : [];
  const shownCrumbs = crumbs.slice(-CRUMBS);
  const levelsHeight = layout.levels * ROW;

  return (
    <div className={styles.container} style={{ height }} data-testid={ids.container}>
      {/* One row of a fixed height, zoomed or not: a breadcrumb appearing must not move the canvas (a double-click's
          first click zooms). */}
      <div className={styles.toolbar}>
        <RadioButtonGroup
          size="sm"
          aria-label="Flame graph layout"
          className={styles.modes}
          options={MODES}
          value={mode}
          onChange={(m) => {
            setMode(m);
            setZoom(-1);
            setFocused(-1);
            setHover(undefined);
            scrollRef.current?.scrollTo?.({ top: 0 });
          }}
          data-testid={ids.mode}
        />
        {crumbs.length > 0 && (
          <nav className={styles.crumbs} aria-label="Zoom" data-testid={ids.breadcrumb}>
            <div className={styles.crumbList}>
              {crumbs.length > shownCrumbs.length && <span aria-hidden>…</span>}
              {shownCrumbs.map((b, k) => {
                const i = crumbs.length - shownCrumbs.length + k;
                return (
                  <Button
                    key={b}
                    size="sm"
                    variant="secondary"
                    fill="text"
                    // the zoomed box's crumb narrows last
                    className={cx(styles.crumb, b === zoom && styles.current)}
                    onClick={() => setZoom(b)}
                    aria-current={b === zoom ? 'true' : undefined}
                    title={`${isolate(serviceOf(b))} · ${isolate(label(b))}`}
                    data-testid={ids.crumb(i)}
                  >
                    <span className={styles.crumbText}>
                      <DataText className={styles.service}>{serviceOf(b)}</DataText> · <DataText>{label(b)}</DataText>
                    </span>
                  </Button>
                );
              })}
            </div>
            <Button
              size="sm"
              variant="secondary"
              icon="search-minus"
              className={styles.reset}
              onClick={() => setZoom(-1)}
              data-testid={ids.resetZoom}
            >
              Reset zoom
            </Button>
          </nav>
        )}
      </div>
      <div className={styles.details} role="status" aria-live="polite" data-testid={ids.details}>
        {focusedInfo ? (
          <>
            <span className={styles.service}>
              <DataText>{focusedInfo.service}</DataText>
            </span>{' '}
            <DataText className={styles.name}>{focusedInfo.name}</DataText>
            <span className={styles.figures}>{describe(focusedInfo, layout.mode)}</span>
            <Button
              size="sm"
              variant="secondary"
              fill="outline"
              icon="eye"
              onClick={() => onOpenSpan(focusedInfo.span)}
              data-testid={ids.open}
              tooltip={layout.mode === 'paths' ? 'Opens the slowest span of this path' : undefined}
            >
              {layout.mode === 'time' ? 'Open in timeline' : 'Show in timeline'}
            </Button>
          </>
        ) : (
          <span className={styles.hint}>
            Hover a box for its figures; click to zoom in
            {mode === 'time' ? ', double-click to open the span in the timeline' : ''}. Arrow keys move between boxes.
          </span>
        )}
      </div>
      <div className={styles.stage}>
        <div
          ref={scrollRef}
          className={styles.scroll}
          onScroll={() => {
            setHover(undefined);
            requestDraw();
          }}
        >
          <div style={{ height: Math.max(levelsHeight, stage.height) }}>
            <canvas
              ref={canvasRef}
              className={styles.canvas}
              style={{ width: stage.width, height: stage.height }}
              tabIndex={0}
              role="application"
              aria-roledescription="flame graph"
              aria-label={`Flame graph ${MODES.find((m) => m.value === mode)!.label.toLowerCase()}: arrow keys move between boxes, ${
                mode === 'time' ? 'Enter opens the span in the timeline' : 'Enter zooms into the path'
              }, Space zooms, Escape resets the zoom`}
              data-testid={ids.canvas}
              onMouseDown={(e) => {
                pressed.current = true;
                // the first press of a click or double-click (detail 1; 0 where the browser does not count)
                if (e.detail <= 1) {
                  clickStart.current = { box: pointed(e).box, x: e.clientX, y: e.clientY };
                }
              }}
              onFocus={() => {
                // focus from the keyboard starts on the top box; a click picks its own (or none, off the boxes)
                if (!pressed.current && focused < 0 && layout.n > 0) {
                  setFocused(0);
                }
                pressed.current = false;
              }}
              onKeyDown={onKeyDown}
              onMouseMove={(e) => {
                const p = pointed(e);
                if (p.box !== (hover?.box ?? -1) || p.box >= 0) {
                  setHover(p.box >= 0 ? p : undefined);
                }
              }}
              onMouseLeave={() => setHover(undefined)}
              onClick={(e) => {
                // the second click of a double-click: its first click zoomed already
                if (e.detail > 1) {
                  return;
                }
                const { box } = pointed(e);
                if (box >= 0) {
                  setFocused(box);
                  setZoom(box);
                }
              }}
              onDoubleClick={(e) => {
                const start = clickStart.current;
                // the box of the first press when the double-click is where it began (its clicks are one spot)
                const near = start && Math.abs(start.x - e.clientX) <= 4 && Math.abs(start.y - e.clientY) <= 4;
                const box = near ? start.box : pointed(e).box;
                if (box >= 0 && layout.mode === 'time') {
                  onOpenSpan(layout.item[box]);
                }
              }}
            />
          </div>
        </div>
        {hover && hoverInfo && (
          <div
            className={styles.tooltip}
            style={{
              left: Math.min(hover.x + 12, Math.max(0, stage.width - 320)),
              // below the pointer, or above it near the bottom
              top:
                hover.y + 16 + TOOLTIP_HEIGHT > stage.height ? Math.max(0, hover.y - 8 - TOOLTIP_HEIGHT) : hover.y + 16,
            }}
            data-testid={ids.tooltip}
          >
            <div>
              <DataText className={styles.service}>{hoverInfo.service}</DataText>
            </div>
            <div>
              <DataText className={styles.name}>{hoverInfo.name}</DataText>
            </div>
            <div>{describe(hoverInfo, layout.mode)}</div>
          </div>
        )}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    gap: theme.spacing(0.5),
  }),
  toolbar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    height: theme.spacing(4),
    flexShrink: 0,
    minWidth: 0,
  }),
  modes: css({ flexShrink: 0 }),
  // one line: crumbs narrow (an ellipsis, the whole in their title) rather than wrap
  crumbs: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
    flex: 1,
    whiteSpace: 'nowrap',
  }),
  crumbList: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
    overflow: 'hidden',
  }),
  crumb: css({
    minWidth: '4em',
    maxWidth: '20em',
    flexShrink: 1,
    // Button's own content wrapper, then ours: one line cut with an ellipsis
    '& > span': { minWidth: 0, overflow: 'hidden' },
  }),
  current: css({ flexShrink: 0 }),
  crumbText: css({ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  reset: css({ flexShrink: 0 }),
  details: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    minHeight: theme.spacing(4),
    fontSize: theme.typography.bodySmall.fontSize,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  }),
  service: css({ color: theme.colors.text.secondary }),
  name: css({ fontWeight: theme.typography.fontWeightMedium, overflow: 'hidden', textOverflow: 'ellipsis' }),
  figures: css({ color: theme.colors.text.secondary }),
  hint: css({ color: theme.colors.text.secondary }),
  stage: css({ position: 'relative', flex: 1, minHeight: 0 }),
  scroll: css({ position: 'absolute', inset: 0, overflowY: 'auto', overflowX: 'hidden' }),
  canvas: css({
    position: 'sticky',
    top: 0,
    display: 'block',
    cursor: 'pointer',
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.border}`, outlineOffset: -2 },
  }),
  tooltip: css({
    position: 'absolute',
    pointerEvents: 'none',
    maxWidth: 320,
    padding: theme.spacing(0.5, 1),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
    zIndex: 1,
    overflowWrap: 'anywhere',
  }),
});
