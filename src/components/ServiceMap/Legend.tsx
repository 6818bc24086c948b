import React from 'react';
import { Button, Toggletip, useTheme2 } from '@grafana/ui';
import { testIds } from '../testIds';
import { MapColors } from './draw';
import { MapUnit } from './format';
import { ServiceMapStyles } from './styles';

interface Props {
  styles: ServiceMapStyles;
  colors: MapColors;
  unit: MapUnit;
  /** a small map keeps the legend behind a button, or it would cover the map */
  compact?: boolean;
}

/** What the shapes and colours mean, drawn with the same colours as the canvas. */
export function Legend({ compact, ...props }: Props) {
  if (!compact) {
    return <LegendItems {...props} />;
  }
  return (
    <div className={props.styles.legendButton}>
      <Toggletip content={<LegendItems {...props} inline />} placement="top-start" closeButton={false}>
        <Button size="sm" variant="secondary" icon="info-circle" data-testid={testIds.serviceMap.legendButton}>
          Legend
        </Button>
      </Toggletip>
    </div>
  );
}

function LegendItems({ styles, colors: c, unit, inline }: Omit<Props, 'compact'> & { inline?: boolean }) {
  const theme = useTheme2();
  const stroke = c.nodeStroke;
  return (
    <div
      className={inline ? styles.legendInline : styles.legend}
      data-testid={testIds.serviceMap.legend}
      role="group"
      aria-label="Legend"
    >
      <span className={styles.legendItem}>
        <svg width="16" height="16" aria-hidden>
          <circle cx="8" cy="8" r="6.5" fill={c.nodeFill} stroke={stroke} />
        </svg>
        service
      </span>
      <span className={styles.legendItem}>
        <svg width="16" height="16" aria-hidden>
          <rect x="1.5" y="1.5" width="13" height="13" rx="3" fill={c.nodeFill} stroke={stroke} strokeDasharray="3 2" />
        </svg>
        virtual node (database, peer, user)
      </span>
      <span className={styles.legendItem}>
        <svg width="16" height="16" aria-hidden>
          {/* a quarter of the ring red from 12 o'clock: 25 % errors */}
          <circle cx="8" cy="8" r="6" fill="none" stroke={c.success} strokeWidth="2.5" />
          <path d="M 8 2 A 6 6 0 0 1 14 8" fill="none" stroke={c.error} strokeWidth="2.5" />
        </svg>
        error share
      </span>
      <span className={styles.legendItem}>
        <svg width="28" height="12" aria-hidden>
          <line x1="1" y1="3" x2="27" y2="3" stroke={c.edge} strokeWidth="1" />
          <line x1="1" y1="9" x2="27" y2="9" stroke={c.edge} strokeWidth="5" />
        </svg>
        {unit === 'calls' ? 'calls in the sample (log scale)' : 'requests/s (log scale)'}
      </span>
      <span className={styles.legendItem}>
        <svg width="28" height="8" aria-hidden>
          <line x1="1" y1="4" x2="27" y2="4" stroke={c.edgeHigh} strokeWidth="3" />
        </svg>
        <span style={{ color: theme.colors.text.secondary }}>10%+ errors</span>
      </span>
    </div>
  );
}
