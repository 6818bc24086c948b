import React, { useMemo, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { DataText } from '../../components/DataText/DataText';
import { useElementSize } from '../../components/useElementSize';
import { SearchTrace } from '../../tempo';
import { ResultRow, formatMs } from './results';

const ids = testIds.searchPage;
const HEIGHT = 180;
const MARGIN = { top: 10, right: 16, bottom: 24, left: 64 };
/** radius of a point */
const R = 3.5;
/** the plot's size until it is measured */
const FALLBACK = { width: 800, height: HEIGHT };

export interface ScatterPlotProps {
  rows: ResultRow[];
  /** the searched range, epoch milliseconds: the x axis spans it so that gaps in time show */
  fromMs: number;
  toMs: number;
  onOpen: (trace: SearchTrace) => void;
}

/** About `count` round values from 0 to at least max (1, 2 or 5 times a power of ten apart). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) {
    return [0];
  }
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  // Up to the first tick at or above max, so that the largest value is inside the axis.
  const ticks = [0];
  while (ticks[ticks.length - 1] < max * (1 - 1e-9)) {
    ticks.push(Number((ticks.length * step).toPrecision(12)));
  }
  return ticks;
}

/**
 * Duration over start time, one point per trace: failed traces are red diamonds, the others circles in
 * the theme's blue. Clicking a point opens its trace, hovering shows what it is. SVG, one path per kind.
 */
export function ScatterPlot({ rows, fromMs, toMs, onOpen }: ScatterPlotProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const ref = useRef<HTMLDivElement>(null);
  // Measured before the first paint and on resizes; 800 where there is no layout, as in jsdom.
  const { width } = useElementSize(ref, FALLBACK);
  const plotW = Math.max(50, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;

  const { yTicks, yMax } = useMemo(() => {
    const max = rows.reduce((m, r) => Math.max(m, r.trace.durationMs ?? 0), 0);
    const ticks = niceTicks(max || 1);
    return { yTicks: ticks, yMax: ticks[ticks.length - 1] || 1 };
  }, [rows]);
  // The searched range, widened to the data if a result lies outside it (a trace that started earlier).
  const [x0, x1] = useMemo(() => {
    let lo = fromMs;
    let hi = toMs;
    for (const r of rows) {
      lo = Math.min(lo, r.trace.startMs);
      hi = Math.max(hi, r.trace.startMs);
    }
    return hi > lo ? [lo, hi] : [lo - 1, lo + 1];
  }, [rows, fromMs, toMs]);
  const x = (ms: number) => MARGIN.left + ((ms - x0) / (x1 - x0)) * plotW;
  const y = (ms: number) => MARGIN.top + plotH - (ms / yMax) * plotH;
  const timeFormat = x1 - x0 > 2 * 86_400_000 ? 'MM-DD HH:mm' : x1 - x0 > 600_000 ? 'HH:mm' : 'HH:mm:ss';
  const xTicks = Array.from({ length: 5 }, (_, i) => x0 + ((x1 - x0) * i) / 4);

  const okColor = theme.visualization.getColorByName('blue');
  const errorColor = theme.colors.error.main;
  // The hovered trace by ID, not by index: results arriving reorder the rows under the pointer.
  const [hoveredId, setHoveredId] = useState<string>();

  // Every point of a kind is one <path> of small circles (or diamonds): two elements for 1,000 traces, where
  // an element per point would cost React and the browser's style and layout far more. A click or hover finds
  // the nearest point by its coordinates.
  const points = useMemo(() => {
    const xs = new Float64Array(rows.length);
    const ys = new Float64Array(rows.length);
    let ok = '';
    let failed = '';
    rows.forEach(({ trace, failed: f }, i) => {
      const px = MARGIN.left + ((trace.startMs - x0) / (x1 - x0)) * plotW;
      const py = MARGIN.top + plotH - ((trace.durationMs ?? 0) / yMax) * plotH;
      xs[i] = px;
      ys[i] = py;
      const cx = px.toFixed(1);
      const cy = py.toFixed(1);
      if (f) {
        failed += `M${cx} ${(py - 5).toFixed(1)}l5 5l-5 5l-5 -5z`;
      } else {
        ok += `M${(px - R).toFixed(1)} ${cy}a${R} ${R} 0 1 0 ${2 * R} 0a${R} ${R} 0 1 0 ${-2 * R} 0z`;
      }
    });
    return { xs, ys, ok, failed };
  }, [rows, x0, x1, plotW, plotH, yMax]);

  /** The point under the pointer (within 8 px), failed ones first as they are drawn on top. */
  const pointAt = (e: React.MouseEvent<SVGSVGElement>): number | undefined => {
    const box = e.currentTarget.getBoundingClientRect();
    const mx = e.clientX - box.left;
    const my = e.clientY - box.top;
    let best: number | undefined;
    let bestD = 64;
    for (let i = 0; i < rows.length; i++) {
      const d = (points.xs[i] - mx) ** 2 + (points.ys[i] - my) ** 2;
      if (d < bestD || (d <= bestD && best !== undefined && rows[i].failed && !rows[best].failed)) {
        best = i;
        bestD = d;
      }
    }
    return best;
  };
  const found = hoveredId === undefined ? -1 : rows.findIndex((r) => r.trace.traceId === hoveredId);
  const hovered = found >= 0 ? found : undefined;
  const tip = hovered !== undefined ? rows[hovered] : undefined;
  const failedCount = useMemo(() => rows.filter((r) => r.failed).length, [rows]);

  return (
    <div ref={ref} className={styles.container} data-testid={ids.scatter}>
      <svg
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`Duration over start time of ${rows.length} traces, ${failedCount} failed`}
        className={cx(styles.svg, hovered !== undefined && styles.pointer)}
        onClick={(e) => {
          const i = pointAt(e);
          if (i !== undefined) {
            onOpen(rows[i].trace);
          }
        }}
        onMouseMove={(e) => {
          const i = pointAt(e);
          const id = i === undefined ? undefined : rows[i].trace.traceId;
          if (id !== hoveredId) {
            setHoveredId(id);
          }
        }}
        onMouseLeave={() => setHoveredId(undefined)}
      >
        {/* While the first results are awaited the frame stands empty, without a scale that would mean nothing. */}
        {rows.length > 0 &&
          yTicks.map((t) => (
            <g key={`y${t}`}>
              <line x1={MARGIN.left} x2={MARGIN.left + plotW} y1={y(t)} y2={y(t)} stroke={theme.colors.border.weak} />
              <text x={MARGIN.left - 6} y={y(t)} dy="0.32em" textAnchor="end" className={styles.label}>
                {t === 0 ? '0' : formatMs(t)}
              </text>
            </g>
          ))}
        {xTicks.map((t, i) => (
          <text
            key={`x${i}`}
            x={x(t)}
            y={HEIGHT - 6}
            textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}
            className={styles.label}
          >
            {dateTimeFormat(t, { format: timeFormat })}
          </text>
        ))}
        <path
          d={points.ok}
          fill={okColor}
          fillOpacity={0.7}
          stroke={okColor}
          data-testid={ids.scatterPoint}
          data-count={rows.length - failedCount}
        />
        {/* Failed points last, so that they stay visible above the others. */}
        <path
          d={points.failed}
          fill={errorColor}
          stroke={theme.colors.background.primary}
          data-testid={ids.scatterErrorPoint}
          data-count={failedCount}
        />
        {tip && (
          <circle
            cx={points.xs[hovered!]}
            cy={points.ys[hovered!]}
            r={7}
            fill="none"
            stroke={theme.colors.text.primary}
            strokeWidth={1.5}
            pointerEvents="none"
          />
        )}
      </svg>
      {tip && (
        <div
          className={styles.tooltip}
          style={{
            left: Math.min(points.xs[hovered!] + 12, Math.max(0, width - 270)),
            top: Math.max(0, points.ys[hovered!] - 54),
          }}
          role="tooltip"
          data-testid={ids.scatterTooltip}
        >
          <div>
            <DataText>{tip.trace.rootService ?? 'root not yet received'}</DataText>{' '}
            {tip.trace.rootName !== undefined && <DataText>{tip.trace.rootName}</DataText>}
          </div>
          <div>
            {formatMs(tip.trace.durationMs)} · {dateTimeFormat(tip.trace.startMs, { format: 'YYYY-MM-DD HH:mm:ss' })}
            {tip.failed && ' · failed'}
          </div>
          <div className={styles.hint}>Click to open the trace</div>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    position: 'relative',
    width: '100%',
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    overflow: 'hidden',
  }),
  svg: css({ display: 'block' }),
  label: css({ fill: theme.colors.text.secondary, fontSize: 11 }),
  pointer: css({ cursor: 'pointer' }),
  hint: css({ color: theme.colors.text.secondary }),
  tooltip: css({
    position: 'absolute',
    pointerEvents: 'none',
    maxWidth: 260,
    padding: theme.spacing(0.5, 1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
});
