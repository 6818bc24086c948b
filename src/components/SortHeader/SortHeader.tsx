import React from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

export interface SortHeaderCellProps {
  /** the column's name: plain text, or trace data already wrapped in `DataText` */
  label: React.ReactNode;
  /** the table's order by this column, undefined when it is sorted by another one (or not at all) */
  direction?: 'ascending' | 'descending';
  /** numbers: the label sits at the cell's right, over its right-aligned figures */
  numeric?: boolean;
  onSort: () => void;
  /** the button's tooltip (isolate() trace data in it) */
  title?: string;
  /** the cell's own layout class (its grid placement, padding, borders) */
  className?: string;
  /** data-testid of the cell (the columnheader, which carries aria-sort) */
  testId?: string;
  /** data-testid of its sort button */
  buttonTestId?: string;
  /** more controls after the sort button, e.g. a column's remove button */
  children?: React.ReactNode;
}

/**
 * One sortable column header of a grid or table: a `columnheader` with `aria-sort`, holding a real button
 * (Tab, Enter and Space sort) with the label and an arrow for the current direction. Shared by the tables
 * of the trace views so that they look, read and behave the same; the table decides what a click does.
 */
export function SortHeaderCell({
  label,
  direction,
  numeric,
  onSort,
  title,
  className,
  testId,
  buttonTestId,
  children,
}: SortHeaderCellProps) {
  const styles = useStyles2(getStyles);
  return (
    <div
      role="columnheader"
      aria-sort={direction ?? 'none'}
      className={cx(styles.cell, className)}
      data-testid={testId}
    >
      <button
        type="button"
        className={cx(styles.button, numeric && styles.numeric)}
        onClick={onSort}
        title={title}
        data-testid={buttonTestId}
      >
        <span className={styles.label}>{label}</span>
        {direction && (
          <span className={styles.arrow} aria-hidden>
            {direction === 'descending' ? '↓' : '↑'}
          </span>
        )}
      </button>
      {children}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  cell: css({ display: 'flex', alignItems: 'center', minWidth: 0, overflow: 'hidden' }),
  button: css({
    all: 'unset',
    boxSizing: 'border-box',
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    flex: 1,
    minWidth: 0,
    height: '100%',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    cursor: 'pointer',
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightMedium,
    '&:hover': { color: theme.colors.text.primary },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
  }),
  numeric: css({ justifyContent: 'flex-end' }),
  // The label shrinks and ends in an ellipsis (a right-aligned one would lose its start); the arrow stays.
  label: css({ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }),
  arrow: css({ flexShrink: 0 }),
});
