import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, dateTimeFormat, urlUtil } from '@grafana/data';
import { LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';
import type { TraceSummary } from '../../trace';
import { testIds } from '../testIds';
import { formatDuration } from './format';

interface Props {
  summary: TraceSummary;
  datasourceUid: string;
}

/** Grafana Explore with the same data source and this trace ID as a TraceQL query. */
export function exploreUrl(datasourceUid: string, traceId: string): string {
  const pane = {
    datasource: datasourceUid,
    queries: [{ refId: 'A', datasource: { type: 'tempo', uid: datasourceUid }, queryType: 'traceql', query: traceId }],
    range: { from: 'now-1h', to: 'now' },
  };
  return urlUtil.renderUrl('/explore', { schemaVersion: 1, panes: JSON.stringify({ trace: pane }) });
}

export function TraceHeader({ summary, datasourceUid }: Props) {
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
            <span className={styles.service}>{summary.rootServiceName || 'unknown service'}</span>{' '}
            {summary.rootName || '(no root span)'}
          </Text>
          <Text color="secondary" variant="bodySmall">
            Trace <span data-testid={testIds.tracePage.traceId}>{summary.traceId}</span>
          </Text>
        </div>
        <LinkButton
          icon="compass"
          variant="secondary"
          size="sm"
          href={exploreUrl(datasourceUid, summary.traceId)}
          data-testid={testIds.tracePage.explore}
        >
          Open in Explore
        </LinkButton>
      </Stack>
      <dl className={styles.facts}>
        {facts.map(([label, value]) => (
          <div key={label} className={styles.fact}>
            <dt>{label}</dt>
            <dd data-testid={testIds.tracePage.fact(label)}>{value}</dd>
          </div>
        ))}
      </dl>
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
