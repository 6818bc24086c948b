import React from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

export const STEPS = ['Endpoints', 'Checks', 'Tempo data source', 'Done'] as const;

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    listStyle: 'none',
    margin: theme.spacing(0, 0, 3),
    padding: 0,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    paddingBottom: theme.spacing(2),
  }),
  step: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.75, 1.5, 0.75, 0.75),
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.pill,
    background: 'transparent',
    color: theme.colors.text.secondary,
    fontSize: theme.typography.body.fontSize,
    cursor: 'pointer',
    '&:hover': { color: theme.colors.text.primary, borderColor: theme.colors.border.strong },
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 2 },
  }),
  current: css({
    color: theme.colors.text.primary,
    borderColor: theme.colors.primary.border,
    background: theme.colors.primary.transparent,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  number: css({
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: 24,
    height: 24,
    borderRadius: '50%',
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.medium}`,
    fontVariantNumeric: 'tabular-nums',
  }),
  currentNumber: css({
    background: theme.colors.primary.main,
    borderColor: theme.colors.primary.main,
    color: theme.colors.primary.contrastText,
  }),
});

/** The wizard's steps, numbered; the open one is marked, and every step can be opened. */
export function StepList({ current, onSelect }: { current: number; onSelect: (step: number) => void }) {
  const styles = useStyles2(getStyles);
  return (
    <ol className={styles.list} aria-label="Setup steps" data-testid={testIds.appConfig.steps}>
      {STEPS.map((label, i) => (
        <li key={label}>
          <button
            type="button"
            className={cx(styles.step, i === current && styles.current)}
            aria-current={i === current ? 'step' : undefined}
            data-testid={testIds.appConfig.step(i + 1)}
            onClick={() => onSelect(i)}
          >
            <span className={cx(styles.number, i === current && styles.currentNumber)}>{i + 1}</span>
            {label}
          </button>
        </li>
      ))}
    </ol>
  );
}
