import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';
import type { Trace, TraceSummary } from '../../trace';
import { testIds } from '../testIds';
import { formatDuration } from './format';
import { ServiceLegend } from './ServiceLegend';
import { DataText } from '../DataText/DataText';

interface Props {
  summary: TraceSummary;
  /** "Open in Explore" for this trace (from src/routes.ts); none for a trace opened from a file */
  exploreHref?: string;
  /** the file the trace was opened from, when it has no data source */
  fileName?: string;
  /** the trace itself, for the legend of its services (colours and span counts) */
  trace?: Trace;
}

export function TraceHeader({ summary, exploreHref, fileName, trace }: Props) {
  const styles = useStyles2(getStyles);
  const facts: Array<[string, string]> = [
    ['Start', dateTimeFormat(summary.startEpochMs, { format: 'YYYY-MM-DD HH:mm:ss.SSS' })],
    ['Duration', formatDuration(summary.durationNs)],
    ['Spans', summary.spanCount.toLocaleString('en-US')],
    ['Services', String(summary.services.length)],
    ['Depth', String(summary.maxDepth)],
    ['Errors', String(summary.errorCount)],
  ];
  return (
    <div className={styles.header} data-testid={testIds.tracePage.header}>
      <Stack direction="row" justifyContent="space-between" alignItems="flex-start" wrap="wrap">
        <div>
          <Text element="h2" variant="h4">
            <DataText className={styles.service}>{summary.rootServiceName || 'unknown service'}</DataText>{' '}
            <DataText>{summary.rootName || '(no root span)'}</DataText>
          </Text>
          <Text color="secondary" variant="bodySmall">
            Trace <DataText data-testid={testIds.tracePage.traceId}>{summary.traceId}</DataText>
            {fileName !== undefined && (
              <>
                {' '}
                from the file <DataText data-testid={testIds.fileTracePage.fileName}>{fileName}</DataText>
              </>
            )}
          </Text>
        </div>
        {exploreHref && (
          <LinkButton
            icon="compass"
            variant="secondary"
            size="sm"
            href={exploreHref}
            data-testid={testIds.tracePage.explore}
          >
            Open in Explore
          </LinkButton>
        )}
      </Stack>
      <dl className={styles.facts}>
        {facts.map(([label, value]) => (
          <div key={label} className={styles.fact}>
            <dt>{label}</dt>
            <dd data-testid={testIds.tracePage.fact(label)}>{value}</dd>
          </div>
        ))}
      </dl>
      {trace && <ServiceLegend trace={trace} />}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  service: css({ color: theme.colors.text.secondary }),
  facts: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(3),
    margin: theme.spacing(2, 0, 0),
    dt: { color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize },
    dd: { margin: 0, fontWeight: theme.typography.fontWeightMedium },
  }),
  fact: css({ minWidth: 80 }),
});
