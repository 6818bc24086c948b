import React, { useState } from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

interface Props {
  label: string;
  /** the size this handle sets, for assistive technology */
  value: number;
  min: number;
  max: number;
  /** a pointer drag: the pointer's clientX */
  onDrag: (clientX: number) => void;
  /** a key press: the handle moves left (-1) or right (+1), by a bigger step with Shift */
  onStep: (direction: -1 | 1, big: boolean) => void;
  className?: string;
  style?: React.CSSProperties;
  testId?: string;
}

/**
 * A vertical drag handle between two panes: drag it, or focus it and use the arrow keys
 * (Shift for bigger steps). Its keys stay with it, so the tree's arrow keys don't also move.
 */
export function ResizeHandle({ label, value, min, max, onDrag, onStep, className, style, testId }: Props) {
  const styles = useStyles2(getStyles);
  const [dragging, setDragging] = useState(false);
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={Math.round(value)}
      aria-valuemin={Math.round(min)}
      aria-valuemax={Math.round(max)}
      tabIndex={0}
      title={`${label} (drag, or arrow keys)`}
      className={cx(styles.handle, dragging && styles.dragging, className)}
      style={style}
      data-testid={testId}
      onClick={(e) => e.stopPropagation()}
      onPointerDown={(e) => {
        if (e.button !== 0) {
          return;
        }
        e.preventDefault();
        e.stopPropagation();
        e.currentTarget.setPointerCapture?.(e.pointerId);
        setDragging(true);
      }}
      onPointerMove={(e) => dragging && onDrag(e.clientX)}
      onPointerUp={() => setDragging(false)}
      onPointerCancel={() => setDragging(false)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          e.preventDefault();
          e.stopPropagation();
          onStep(e.key === 'ArrowLeft' ? -1 : 1, e.shiftKey);
        }
      }}
    />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  handle: css({
    position: 'absolute',
    top: 0,
    bottom: 0,
    width: 9,
    marginLeft: -4,
    zIndex: 3,
    cursor: 'col-resize',
    touchAction: 'none',
    outline: 'none',
    // the visible line, drawn in the middle of a wider hit area
    '&::after': {
      content: '""',
      position: 'absolute',
      top: 0,
      bottom: 0,
      left: 4,
      width: 1,
      background: 'transparent',
    },
    '&:hover::after, &:focus-visible::after': { width: 3, left: 3, background: theme.colors.primary.border },
  }),
  dragging: css({ '&::after': { width: 3, left: 3, background: theme.colors.primary.main } }),
});
