import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { Trace } from '../../trace';
import { testIds } from '../testIds';
import { useElementSize } from '../useElementSize';
import { BarColors } from './colors';

interface Props {
  trace: Trace;
  colors: BarColors;
  viewStart: number;
  viewEnd: number;
  onViewChange: (startNs: number, endNs: number) => void;
  height?: number;
}

/** Below this many pixels a drag is a click, not a zoom. */
const MIN_DRAG_PX = 4;

/**
 * The whole trace in one canvas, every span a line in display order, and the time window as a
 * frame. Dragging across it zooms the rows to that window; a double click shows the whole trace.
 * Drawing is one pass over the typed arrays, redone only when the trace, colours or size change.
 */
export function Minimap({ trace, colors, viewStart, viewEnd, onViewChange, height = 48 }: Props) {
  const styles = useStyles2(getStyles);
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // 0 until measured (jsdom never is): nothing is drawn at 0. Only the width is used; the height is the prop's.
  const { width } = useElementSize(wrapRef, { width: 0, height });
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || width === 0) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const { order, start, end } = trace;
    const n = order.length;
    const t0 = trace.startNs;
    const total = Math.max(1, trace.endNs - t0);
    // A few spans get thin lines at the top rather than bands filling the whole height.
    const rowH = Math.min(4, height / Math.max(1, n));
    let lastColor = '';
    for (let k = 0; k < n; k++) {
      const v = order[k];
      const color = colors.colors[colors.key[v]];
      if (color !== lastColor) {
        ctx.fillStyle = color;
        lastColor = color;
      }
      const x = ((start[v] - t0) / total) * width;
      const w = Math.max(1, ((Math.max(start[v], end[v]) - start[v]) / total) * width);
      ctx.fillRect(x, k * rowH, w, Math.max(rowH, 1));
    }
  }, [trace, colors, width, height]);

  const total = Math.max(1, trace.endNs - trace.startNs);
  const toNs = (px: number) => trace.startNs + (Math.min(Math.max(px, 0), width) / Math.max(1, width)) * total;
  const toPx = (ns: number) => ((ns - trace.startNs) / total) * width;
  const localX = (e: React.PointerEvent) => e.clientX - (wrapRef.current?.getBoundingClientRect().left ?? 0);

  const frameLeft = drag ? Math.min(drag.from, drag.to) : toPx(viewStart);
  const frameRight = drag ? Math.max(drag.from, drag.to) : toPx(viewEnd);
  const zoomed = viewStart > trace.startNs || viewEnd < trace.endNs;

  return (
    <div
      ref={wrapRef}
      className={styles.wrap}
      style={{ height }}
      data-testid={testIds.waterfall.minimap}
      title="Drag to zoom the timeline; double-click to show the whole trace"
      onPointerDown={(e) => {
        if (e.button !== 0) {
          return;
        }
        e.currentTarget.setPointerCapture?.(e.pointerId);
        const x = localX(e);
        setDrag({ from: x, to: x });
      }}
      onPointerMove={(e) => drag && setDrag({ from: drag.from, to: localX(e) })}
      onPointerUp={() => {
        if (drag && Math.abs(drag.to - drag.from) >= MIN_DRAG_PX) {
          const a = toNs(Math.min(drag.from, drag.to));
          const b = toNs(Math.max(drag.from, drag.to));
          onViewChange(a, b);
        }
        setDrag(null);
      }}
      onPointerCancel={() => setDrag(null)}
      onDoubleClick={() => onViewChange(trace.startNs, trace.endNs)}
    >
      <canvas ref={canvasRef} className={styles.canvas} style={{ width: '100%', height }} />
      {(zoomed || drag) && (
        <>
          <div className={styles.shade} style={{ left: 0, width: Math.max(0, frameLeft) }} />
          <div className={styles.shade} style={{ left: frameRight, right: 0 }} />
          <div className={styles.frame} style={{ left: frameLeft, width: Math.max(1, frameRight - frameLeft) }} />
        </>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({
    position: 'relative',
    flexShrink: 0,
    marginBottom: theme.spacing(1),
    cursor: 'crosshair',
    userSelect: 'none',
    touchAction: 'none',
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
  }),
  canvas: css({ display: 'block' }),
  shade: css({ position: 'absolute', top: 0, bottom: 0, background: theme.colors.action.disabledBackground }),
  frame: css({
    position: 'absolute',
    top: 0,
    bottom: 0,
    border: `1px solid ${theme.colors.primary.border}`,
    background: theme.colors.primary.transparent,
  }),
});
