import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { SearchTrace } from '../../tempo';
import { ResultRow, formatMs } from './results';

const ids = testIds.searchPage;
const HEIGHT = 180;
const MARGIN = { top: 10, right: 16, bottom: 24, left: 64 };

export interface ScatterPlotProps {
  rows: ResultRow[];
  /** the searched range, epoch milliseconds: the x axis spans it so that gaps in time show */
  fromMs: number;
  toMs: number;
  onOpen: (trace: SearchTrace) => void;
}

/** The element's width, following resizes (800 where there is no layout, as in jsdom). */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry.contentRect.width);
      if (w > 0) {
        setWidth(w);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
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
 * the theme's blue. Clicking a point opens its trace. SVG: 1,000 points are 1,000 light elements.
 */
export function ScatterPlot({ rows, fromMs, toMs, onOpen }: ScatterPlotProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
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
  // Failed points are drawn last, so that they stay visible above the others.
  const ordered = useMemo(() => [...rows].sort((a, b) => Number(a.failed) - Number(b.failed)), [rows]);

  return (
    <div ref={ref} className={styles.container} data-testid={ids.scatter}>
      <svg
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`Duration over start time of ${rows.length} traces`}
        className={styles.svg}
      >
        {yTicks.map((t) => (
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
        {ordered.map(({ trace, failed }) => {
          const cx = x(trace.startMs);
          const cy = y(trace.durationMs ?? 0);
          const title = `${trace.rootService ?? 'root not yet received'} ${trace.rootName ?? ''} · ${formatMs(
            trace.durationMs
          )} · ${dateTimeFormat(trace.startMs, { format: 'YYYY-MM-DD HH:mm:ss' })}${failed ? ' · failed' : ''}`;
          const common = {
            className: styles.point,
            onClick: () => onOpen(trace),
            'data-testid': failed ? ids.scatterErrorPoint : ids.scatterPoint,
            'data-trace-id': trace.traceId,
          };
          return failed ? (
            <path
              key={trace.traceId}
              d={`M${cx} ${cy - 5}L${cx + 5} ${cy}L${cx} ${cy + 5}L${cx - 5} ${cy}Z`}
              fill={errorColor}
              stroke={theme.colors.background.primary}
              {...common}
            >
              <title>{title}</title>
            </path>
          ) : (
            <circle
              key={trace.traceId}
              cx={cx}
              cy={cy}
              r={3.5}
              fill={okColor}
              fillOpacity={0.75}
              stroke={okColor}
              {...common}
            >
              <title>{title}</title>
            </circle>
          );
        })}
      </svg>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({
    width: '100%',
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
    overflow: 'hidden',
  }),
  svg: css({ display: 'block' }),
  label: css({ fill: theme.colors.text.secondary, fontSize: 11 }),
  point: css({ cursor: 'pointer', '&:hover': { strokeWidth: 2, fillOpacity: 1 } }),
});
