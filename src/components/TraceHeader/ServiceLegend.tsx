import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, useStyles2, useTheme2 } from '@grafana/ui';
import type { Trace } from '../../trace';
import { testIds } from '../testIds';
import { serviceLegend } from '../Waterfall/colors';
import { DataText, isolate } from '../DataText/DataText';

/** Beyond this many services the legend shows the first ones and a button for the rest. */
const SHOWN = 16;

/**
 * The trace's services with the colour of their bars and their span counts (and errors), in the
 * order they first appear in the waterfall, which is also the order their colours are given in.
 */
export function ServiceLegend({ trace }: { trace: Trace }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const entries = useMemo(() => serviceLegend(theme, trace), [theme, trace]);
  const [all, setAll] = useState(false);
  const shown = all ? entries : entries.slice(0, SHOWN);
  return (
    <ul className={styles.legend} aria-label="Services" data-testid={testIds.tracePage.services}>
      {shown.map((e) => (
        <li
          key={e.service}
          className={styles.item}
          data-testid={testIds.tracePage.service(e.service)}
          title={`${isolate(e.service)}: ${spans(e.spans)}${e.errors > 0 ? `, ${e.errors} with errors` : ''}`}
        >
          <span className={styles.swatch} style={{ background: e.color }} />
          <DataText className={styles.name}>{e.service}</DataText>
          <span className={styles.count}>{e.spans.toLocaleString('en-US')}</span>
          {e.errors > 0 && (
            <span className={styles.errors}>
              {e.errors.toLocaleString('en-US')} {e.errors === 1 ? 'error' : 'errors'}
            </span>
          )}
        </li>
      ))}
      {entries.length > SHOWN && (
        <li>
          <Button size="sm" variant="secondary" fill="text" onClick={() => setAll(!all)}>
            {all ? 'Fewer' : `${entries.length - SHOWN} more`}
          </Button>
        </li>
      )}
    </ul>
  );
}

const spans = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'span' : 'spans'}`;

const getStyles = (theme: GrafanaTheme2) => ({
  legend: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5, 2),
    listStyle: 'none',
    margin: theme.spacing(1.5, 0, 0),
    padding: 0,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.75), maxWidth: 320 }),
  swatch: css({ flexShrink: 0, width: 12, height: 12, borderRadius: 2 }),
  name: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  count: css({ color: theme.colors.text.secondary, fontVariantNumeric: 'tabular-nums' }),
  errors: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
});
