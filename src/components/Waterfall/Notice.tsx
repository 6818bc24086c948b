import React from 'react';
import { css, cx } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

interface Props {
  severity: 'info' | 'warning' | 'error';
  /** the line; may hold trace data as DataText, with `label` then its plain text for the tooltip */
  title: React.ReactNode;
  label?: string;
  /** more words after the title, muted, on the same line */
  detail?: string;
  testId?: string;
  /** buttons after the text */
  actions?: React.ReactNode;
  onDismiss?: () => void;
  /** shown below the line, in a box of bounded height that scrolls */
  children?: React.ReactNode;
}

/**
 * A one-line notice above the waterfall. Unlike an Alert it keeps a fixed small height (the text is
 * cut with an ellipsis, whole in its tooltip), so a notice never takes the rows' space; expanded
 * content scrolls within a bounded box.
 */
export function Notice({ severity, title, label, detail, testId, actions, onDismiss, children }: Props) {
  const styles = useStyles2(getStyles);
  const text = label ?? (typeof title === 'string' ? title : '');
  const full = detail ? `${text}. ${detail}` : text;
  return (
    <div
      className={cx(styles.notice, styles[severity])}
      role={severity === 'info' ? 'status' : 'alert'}
      data-testid={testId}
    >
      <div className={styles.line}>
        <span className={styles.badge} aria-hidden>
          {severity === 'info' ? 'i' : '!'}
        </span>
        <span className={styles.text} title={full}>
          <span className={styles.title}>{title}</span>
          {detail && <span className={styles.detail}>{detail}</span>}
        </span>
        {actions}
        {onDismiss && (
          <button type="button" className={styles.dismiss} aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
            ×
          </button>
        )}
      </div>
      {children && <div className={styles.more}>{children}</div>}
    </div>
  );
}

export const NOTICE_HEIGHT = 28;

const getStyles = (theme: GrafanaTheme2) => {
  const tone = (c: { main: string; transparent: string; text: string }) =>
    css({ borderLeftColor: c.main, background: c.transparent, '& > div > span:first-child': { background: c.main } });
  return {
    notice: css({
      flexShrink: 0,
      marginBottom: theme.spacing(0.5),
      borderLeft: '3px solid',
      borderRadius: theme.shape.radius.default,
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    info: tone(theme.colors.info),
    warning: tone(theme.colors.warning),
    error: tone(theme.colors.error),
    line: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      height: NOTICE_HEIGHT,
      padding: theme.spacing(0, 0.5, 0, 1),
      whiteSpace: 'nowrap',
    }),
    badge: css({
      flexShrink: 0,
      width: 16,
      height: 16,
      lineHeight: '16px',
      borderRadius: '50%',
      textAlign: 'center',
      fontWeight: theme.typography.fontWeightBold,
      color: theme.colors.background.primary,
    }),
    text: css({ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }),
    title: css({ fontWeight: theme.typography.fontWeightMedium, color: theme.colors.text.primary }),
    detail: css({ marginLeft: theme.spacing(1), color: theme.colors.text.secondary }),
    dismiss: css({
      flexShrink: 0,
      width: 24,
      height: 24,
      padding: 0,
      border: 'none',
      borderRadius: theme.shape.radius.default,
      background: 'none',
      color: theme.colors.text.secondary,
      fontSize: 16,
      lineHeight: 1,
      cursor: 'pointer',
      '&:hover': { color: theme.colors.text.primary, background: theme.colors.action.hover },
    }),
    more: css({
      maxHeight: 120,
      overflow: 'auto',
      padding: theme.spacing(0, 1, 0.5, 4),
      color: theme.colors.text.primary,
    }),
  };
};
