import React from 'react';
import { testIds } from '../testIds';
import { formatDuration } from '../TraceHeader/format';
import { Tick } from './model';
import { HEADER_HEIGHT, NAME_MIN_WIDTH, WaterfallStyles, nameColumnEdge } from './styles';

interface Props {
  styles: WaterfallStyles;
  /** percent of the width given to the name column */
  nameWidth: number;
  shownRows: number;
  spanCount: number;
  /** the visible window's length when zoomed in, else null */
  zoomWindowNs: number | null;
  ticks: Tick[];
  /** height of the list's viewport, for the grid lines that run down across the rows */
  viewportHeight: number;
  /** the name column's resize handle */
  children?: React.ReactNode;
}

/** The list's sticky header: how many rows show, the time axis, and grid lines down the rows. */
export function TimeAxis({
  styles,
  nameWidth,
  shownRows,
  spanCount,
  zoomWindowNs,
  ticks,
  viewportHeight,
  children,
}: Props) {
  return (
    <div className={styles.header} data-testid={testIds.waterfall.header}>
      <div className={styles.headerName} style={{ width: `${nameWidth}%`, minWidth: NAME_MIN_WIDTH }}>
        {shownRows.toLocaleString('en-US')} of {spanCount.toLocaleString('en-US')} spans
        {zoomWindowNs !== null && ` · window ${formatDuration(zoomWindowNs)}`}
      </div>
      <div className={styles.axis}>
        {ticks.map((t) => (
          <span key={t.ns} className={styles.tick} style={{ left: `${t.at * 100}%` }} data-testid={testIds.waterfall.tick}>
            {t.label}
          </span>
        ))}
      </div>
      <div
        className={styles.gridLines}
        style={{ left: nameColumnEdge(nameWidth), height: Math.max(0, viewportHeight - HEADER_HEIGHT) }}
      >
        {ticks.map((t) => (
          <span key={t.ns} className={styles.gridLine} style={{ left: `${t.at * 100}%` }} />
        ))}
      </div>
      {children}
    </div>
  );
}
