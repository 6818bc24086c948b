import React, { memo } from 'react';
import { cx } from '@emotion/css';
import { Tooltip } from '@grafana/ui';
import { CriticalSection, FILTER_ANCESTOR, StatusCode, Trace } from '../../trace';
import { formatDuration } from '../TraceHeader/format';
import { testIds } from '../testIds';
import { BarColors } from './colors';
import { skewDescription } from './skew';
import { NAME_MIN_WIDTH, WaterfallStyles } from './styles';
import { DataText, isolate } from '../DataText/DataText';

/** Everything rows share; one object per render of the waterfall, so rows compare it by identity. */
export interface RowContext {
  trace: Trace;
  styles: WaterfallStyles;
  colors: BarColors;
  viewStart: number;
  viewEnd: number;
  rowHeight: number;
  nameWidth: number;
  indent: number;
  collapsed: Uint8Array;
  /** the critical sections of each span on the critical path */
  critical: Map<number, CriticalSection[]> | null;
  /** a timeline filter's `filterMarks`: rows only on the way to its spans are dimmed */
  filter: Uint8Array | null;
  /** under a filter, 1 at each row with a child on screen; null without a filter (a row's children are its own) */
  shownChildren: Uint8Array | null;
  onRowClick: (span: number) => void;
  onToggle: (span: number) => void;
}

interface Props {
  ctx: RowContext;
  span: number;
  top: number;
  selected: boolean;
  match: boolean;
}

/** One span's row. O(1) in the trace's size: a few typed-array reads, no walks over the tree. */
export const WaterfallRow = memo(function WaterfallRow({ ctx, span, top, selected, match }: Props) {
  const { trace, styles, colors, viewStart, viewEnd, rowHeight } = ctx;
  const s = trace.spans[span];
  const depth = trace.depth[span];
  // Under a filter a row whose children it hides has nothing to expand: no arrow.
  const hasChildren = ctx.shownChildren ? ctx.shownChildren[span] === 1 : trace.subtreeSize[span] > 1;
  const collapsed = hasChildren && ctx.collapsed[span] === 1;
  const isError = trace.statusCode[span] === StatusCode.Error;
  const start = trace.start[span];
  const end = Math.max(start, trace.end[span]);
  const windowNs = viewEnd - viewStart;
  const left = ((start - viewStart) / windowNs) * 100;
  const width = ((end - start) / windowNs) * 100;
  const color = colors.colors[colors.key[span]];
  const sections = ctx.critical?.get(span);
  const skew = skewDescription(trace, span);
  const service = trace.services[trace.serviceIndex[span]];
  const label = s.name || '(no name)';
  const dimmed = ctx.filter?.[span] === FILTER_ANCESTOR;
  return (
    <div
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={hasChildren ? !collapsed : undefined}
      aria-selected={selected}
      data-testid={testIds.waterfall.row(s.spanId)}
      data-dimmed={dimmed || undefined}
      className={cx(styles.row, selected && styles.rowSelected, match && styles.rowMatch, dimmed && styles.rowDimmed)}
      style={{ height: rowHeight, transform: `translateY(${top}px)` }}
      onClick={() => ctx.onRowClick(span)}
    >
      <div className={styles.nameCell} style={{ width: `${ctx.nameWidth}%`, minWidth: NAME_MIN_WIDTH }}>
        {/* One element draws every indentation guide: its background repeats a line per level. */}
        <span className={styles.indent} style={{ width: depth * ctx.indent }} />
        {hasChildren ? (
          <button
            type="button"
            className={styles.toggle}
            aria-label={collapsed ? `Expand ${label}` : `Collapse ${label}`}
            data-testid={testIds.waterfall.toggle(s.spanId)}
            tabIndex={-1}
            onClick={(e) => {
              e.stopPropagation();
              ctx.onToggle(span);
            }}
          >
            {collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className={styles.toggleSpacer} />
        )}
        <span className={styles.swatch} style={{ background: color }} />
        {/* The span name first: when the column is narrow the service name gives way first. */}
        <DataText
          className={cx(styles.spanName, !s.name && styles.noName)}
          title={`${isolate(label)} (${isolate(service)})`}
        >
          {label}
        </DataText>
        <DataText className={styles.service} title={isolate(service)}>
          {service}
        </DataText>
        {collapsed && <span className={styles.hiddenCount}>+{trace.subtreeSize[span] - 1}</span>}
        {skew && (
          <Tooltip content={`Clock skew: this span ${skew}`}>
            <span
              className={styles.skewMark}
              data-testid={testIds.waterfall.skewMark}
              aria-label={`Clock skew: ${skew}`}
            >
              skew
            </span>
          </Tooltip>
        )}
        {isError && (
          <span className={styles.errorMark} data-testid={testIds.waterfall.errorMark} title="Error" aria-label="Error">
            !
          </span>
        )}
      </div>
      <div className={styles.barCell}>
        <div
          className={cx(styles.bar, isError && styles.barError)}
          data-testid={testIds.waterfall.bar}
          style={{ left: `${left}%`, width: `${width}%`, background: color }}
        >
          {sections?.map((sec, i) => (
            <span
              key={i}
              className={styles.criticalSection}
              style={{
                left: `${((sec.startNs - start) / Math.max(1, end - start)) * 100}%`,
                width: `${((sec.endNs - sec.startNs) / Math.max(1, end - start)) * 100}%`,
              }}
            />
          ))}
        </div>
        {/* After the bar, before it when the bar reaches the right edge, or over its start; an
            arrow points to a bar outside the zoomed window. */}
        {left + width < 0 ? (
          <span className={styles.duration} style={{ left: 0 }}>
            ◂ {formatDuration(end - start)}
          </span>
        ) : left > 100 ? (
          <span className={styles.duration} style={{ right: 0 }}>
            {formatDuration(end - start)} ▸
          </span>
        ) : left + width < 80 ? (
          <span className={styles.duration} style={{ left: `${Math.max(0, left + width)}%` }}>
            {formatDuration(end - start)}
          </span>
        ) : left > 20 ? (
          <span className={styles.duration} style={{ right: `${100 - left}%` }}>
            {formatDuration(end - start)}
          </span>
        ) : (
          <span className={cx(styles.duration, styles.durationOver)} style={{ left: `${Math.max(0, left)}%` }}>
            <span>{formatDuration(end - start)}</span>
          </span>
        )}
      </div>
    </div>
  );
});
