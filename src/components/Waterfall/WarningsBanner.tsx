import React, { useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2 } from '@grafana/ui';
import { TraceWarning } from '../../trace';
import { testIds } from '../testIds';
import { Notice } from './Notice';
import { DataText } from '../DataText/DataText';

const LABELS: Record<string, string> = {
  'bad-span': 'unreadable spans',
  orphan: 'orphan spans',
  cycle: 'parent cycles',
  'duplicate-span-id': 'duplicate span IDs',
  'clock-skew': 'clock skew',
  'negative-duration': 'negative durations',
  'source-warning': 'data source warnings',
};

/** The model's warnings in one line, expanding to each warning with its examples. */
export function WarningsBanner({ warnings, onDismiss }: { warnings: TraceWarning[]; onDismiss?: () => void }) {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  if (warnings.length === 0) {
    return null;
  }
  const summary = warnings.map((w) => `${LABELS[w.code] ?? w.code} (${w.count})`).join(', ');
  return (
    <Notice
      severity="warning"
      title={`This trace has problems: ${summary}`}
      testId={testIds.waterfall.warnings}
      onDismiss={onDismiss}
      actions={
        <Button size="sm" variant="secondary" fill="text" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? 'Hide details' : 'Show details'}
        </Button>
      }
    >
      {open && (
        <ul className={styles.list}>
          {warnings.map((w) => (
            <li key={w.code}>
              {w.message}
              {w.examples.length > 0 && (
                <div className={styles.examples}>
                  e.g.{' '}
                  {w.examples.map((example, i) => (
                    <React.Fragment key={i}>
                      {i > 0 && ', '}
                      <DataText>{example}</DataText>
                    </React.Fragment>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Notice>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ margin: 0, paddingLeft: theme.spacing(2) }),
  examples: css({ color: theme.colors.text.secondary, wordBreak: 'break-all' }),
});
