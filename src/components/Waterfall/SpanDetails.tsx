import React from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2, locationUtil } from '@grafana/data';
import { Button, ClipboardButton, Icon, useStyles2 } from '@grafana/ui';
import {
  Attribute,
  SPAN_KIND_NAMES,
  STATUS_NAMES,
  SpanFlag,
  StatusCode,
  Trace,
  spanIndexById,
  valueToString,
} from '../../trace';
import { formatDuration } from '../TraceHeader/format';
import { testIds } from '../testIds';
import { tracePagePath } from '../../routes';
import { skewDescription } from './skew';
import { AttributeList, Attributes } from './SpanAttributes';
import { DataText } from '../DataText/DataText';
import type { SpanLinks } from '../../grafana/spanLinks';

interface Props {
  trace: Trace;
  span: number;
  selfTimeNs: number;
  onClose: () => void;
  /** select a span of this trace (a link to the same trace) */
  onSelectSpan: (span: number) => void;
  /** open another trace; without it, links are plain hrefs to the app's trace page */
  onOpenTrace?: (traceId: string, spanId: string) => void;
  /** links to this span's logs and metrics, and why a configured one is missing (`problems`) */
  links?: SpanLinks;
}

/**
 * What the model noticed about a span, one whole sentence each. Clock skew is not among them: it
 * has its own line in the facts, with its size.
 */
export function flagNotes(trace: Trace, span: number): string[] {
  const flags = trace.spanFlags[span];
  const parentId = trace.spans[span].parentSpanId;
  const notes: string[] = [];
  if (flags & SpanFlag.Orphan) {
    notes.push(
      parentId
        ? `Its parent span ${parentId} is not in this trace, so it is shown as a root.`
        : 'Its parent span is not in this trace, so it is shown as a root.'
    );
  }
  if (flags & SpanFlag.Cycle) {
    notes.push('Its chain of parents loops back to it, so the link to its parent was cut.');
  }
  if (flags & SpanFlag.DuplicateId) {
    notes.push('Another span in this trace has the same span ID.');
  }
  if (flags & SpanFlag.NegativeDuration) {
    notes.push('It ends before it starts, so its duration counts as 0.');
  }
  return notes;
}

/**
 * One span in full. Every value from the trace is rendered as a React text node, so markup in
 * span names, attributes or events stays text; only http(s) URLs become links.
 */
export function SpanDetails({ trace, span, selfTimeNs, onClose, onSelectSpan, onOpenTrace, links }: Props) {
  const styles = useStyles2(getStyles);
  const s = trace.spans[span];
  const start = trace.start[span];
  const end = trace.end[span];
  const startMs = trace.epochMs + start / 1e6;
  const status = trace.statusCode[span];
  const notes = flagNotes(trace, span);
  const skew = skewDescription(trace, span);
  const scopeAttrs: Attribute[] = [
    ...(s.scope.name ? [{ key: 'name', type: 'string' as const, value: s.scope.name }] : []),
    ...(s.scope.version ? [{ key: 'version', type: 'string' as const, value: s.scope.version }] : []),
    ...s.scope.attributes,
  ];
  return (
    <section className={styles.root} data-testid={testIds.waterfall.details} aria-label="Span details">
      <div className={styles.titleRow}>
        <h4 className={cx(styles.title, !s.name && styles.noName)}>
          <DataText>{s.name || '(no name)'}</DataText>
        </h4>
        <Button
          size="sm"
          variant="secondary"
          fill="text"
          aria-label="Close details"
          tooltip="Close (Escape)"
          onClick={onClose}
          data-testid={testIds.waterfall.detailsClose}
        >
          Close
        </Button>
      </div>
      {links && (links.length > 0 || (links.problems?.length ?? 0) > 0) && <LogsAndMetricsLinks links={links} />}
      <dl className={styles.facts}>
        <Fact label="Service">
          <DataText>{s.resource.serviceName}</DataText>
        </Fact>
        <Fact label="Kind">{SPAN_KIND_NAMES[trace.kind[span]] ?? 'unspecified'}</Fact>
        <Fact label="Status">
          <span className={status === StatusCode.Error ? styles.error : undefined}>{STATUS_NAMES[status]}</span>
          {s.statusMessage && <DataText className={styles.statusMessage}>{s.statusMessage}</DataText>}
        </Fact>
        <Fact label="Start">
          {dateTimeFormat(startMs, { format: 'YYYY-MM-DD HH:mm:ss.SSS' })}{' '}
          <span className={styles.secondary}>
            {start > trace.startNs
              ? `(+${formatDuration(start - trace.startNs)} into the trace)`
              : "(the trace's start)"}
          </span>
        </Fact>
        <Fact label="Duration">{formatDuration(end - start)}</Fact>
        {skew && (
          <Fact label="Clock skew">
            <span className={styles.warning} data-testid={testIds.waterfall.detailsSkew}>
              {skew[0].toUpperCase() + skew.slice(1)}
            </span>{' '}
            <span className={styles.secondary}>(the clocks of the two hosts disagree)</span>
          </Fact>
        )}
        <Fact label="Self time">{formatDuration(selfTimeNs)}</Fact>
        <Fact label="Span ID">
          <IdWithCopy id={s.spanId} what="span ID" />
        </Fact>
        {s.parentSpanId && (
          <Fact label="Parent ID">
            <DataText>{s.parentSpanId}</DataText>
          </Fact>
        )}
        <Fact label="Trace ID">
          <IdWithCopy id={trace.traceId} what="trace ID" />
        </Fact>
      </dl>
      {notes.length > 0 && (
        <ul className={styles.notes} data-testid={testIds.waterfall.detailsNotes}>
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <Attributes title="Span attributes" scope="span" attributes={s.attributes} />
      <Attributes
        title={
          <>
            Resource (<DataText>{s.resource.serviceName}</DataText>)
          </>
        }
        scope="resource"
        attributes={s.resource.attributes}
      />
      {scopeAttrs.length > 0 && <Attributes title="Instrumentation scope" scope="scope" attributes={scopeAttrs} />}
      {s.events.length > 0 && (
        <>
          <h5 className={styles.section}>Events ({s.events.length})</h5>
          {s.events.map((e, i) => (
            <div key={i} className={styles.event} data-testid={testIds.waterfall.event}>
              <div>
                <strong>
                  <DataText>{e.name || '(no name)'}</DataText>
                </strong>{' '}
                <span className={styles.secondary}>at +{formatDuration(e.timeNs - start)}</span>
              </div>
              <AttributeList
                scope={`event${i}`}
                attributes={e.attributes.filter((a) => a.key !== 'exception.stacktrace')}
              />
              {e.attributes
                .filter((a) => a.key === 'exception.stacktrace')
                .map((a) => (
                  <pre key={a.key} className={styles.stack}>
                    <DataText>{valueToString(a)}</DataText>
                  </pre>
                ))}
            </div>
          ))}
        </>
      )}
      {s.links.length > 0 && (
        <>
          <h5 className={styles.section}>Links ({s.links.length})</h5>
          {s.links.map((l, i) => {
            const here = l.traceId === trace.traceId ? spanIndexById(trace, l.spanId) : -1;
            // Grafana may be served under a sub-path; the router adds it on click, the href needs it too.
            const href = locationUtil.assureBaseUrl(tracePagePath(l.traceId, l.spanId));
            return (
              <div key={i} className={styles.event}>
                <a
                  href={href}
                  className={styles.link}
                  data-testid={testIds.waterfall.link}
                  onClick={(ev) => {
                    if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) {
                      return;
                    }
                    if (here >= 0) {
                      ev.preventDefault();
                      onSelectSpan(here);
                    } else if (onOpenTrace) {
                      ev.preventDefault();
                      onOpenTrace(l.traceId, l.spanId);
                    }
                  }}
                >
                  {here >= 0 ? (
                    <>
                      Span <DataText>{l.spanId}</DataText> in this trace
                    </>
                  ) : (
                    <>
                      Trace <DataText>{l.traceId}</DataText>, span <DataText>{l.spanId}</DataText>
                    </>
                  )}
                </a>
                <AttributeList scope={`link${i}`} attributes={l.attributes} />
              </div>
            );
          })}
        </>
      )}
    </section>
  );
}

/**
 * The span's links to its logs and metrics in Explore, as the Tempo data source configures them. The
 * hrefs are built by src/grafana from the settings (never from span text alone); Grafana's sub-path is added.
 * Why a configured link is missing follows, muted, once: otherwise a user has no way to learn it.
 */
function LogsAndMetricsLinks({ links }: { links: SpanLinks }) {
  const styles = useStyles2(getStyles);
  let logs = 0;
  let metrics = 0;
  const problems = [...new Set(links.problems ?? [])];
  return (
    <>
      {links.length > 0 && (
        <ul className={styles.spanLinks} aria-label="Logs and metrics" data-testid={testIds.spanLinks.container}>
          {links.map((l) => {
            const i = l.kind === 'logs' ? logs++ : metrics++;
            return (
              <li key={`${l.kind}-${i}`}>
                <a
                  href={locationUtil.assureBaseUrl(l.href)}
                  className={styles.spanLink}
                  title={l.kind === 'logs' ? 'Open these logs in Explore' : 'Open this query in Explore'}
                  data-testid={testIds.spanLinks.link(l.kind, i)}
                >
                  <Icon name={l.kind === 'logs' ? 'gf-logs' : 'chart-line'} size="sm" />
                  <DataText>{l.title}</DataText>
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {problems.length > 0 && (
        <ul
          className={styles.linkProblems}
          aria-label="Missing logs and metrics links"
          data-testid={testIds.spanLinks.problems}
        >
          {problems.map((p) => (
            <li key={p}>
              <Icon name="info-circle" size="sm" /> <DataText>{p}</DataText>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function IdWithCopy({ id, what }: { id: string; what: string }) {
  const styles = useStyles2(getStyles);
  return (
    <span className={styles.id}>
      <code>
        <DataText>{id}</DataText>
      </code>
      <ClipboardButton
        size="sm"
        fill="text"
        variant="secondary"
        icon="copy"
        getText={() => id}
        aria-label={`Copy ${what}`}
      />
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  titleRow: css({ display: 'flex', alignItems: 'flex-start', justifyContent: 'space-between', gap: theme.spacing(1) }),
  title: css({ margin: 0, wordBreak: 'break-word' }),
  facts: css({
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.25),
    margin: theme.spacing(1, 0),
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0, wordBreak: 'break-word' },
  }),
  secondary: css({ color: theme.colors.text.secondary }),
  error: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  warning: css({ color: theme.colors.warning.text, fontWeight: theme.typography.fontWeightMedium }),
  noName: css({ color: theme.colors.text.disabled, fontStyle: 'italic' }),
  statusMessage: css({ marginLeft: theme.spacing(1), wordBreak: 'break-word' }),
  notes: css({ color: theme.colors.warning.text, margin: 0, paddingLeft: theme.spacing(2) }),
  section: css({ margin: theme.spacing(1.5, 0, 0.5), fontSize: theme.typography.h6.fontSize }),
  id: css({
    display: 'inline-flex',
    alignItems: 'center',
    maxWidth: '100%',
    gap: theme.spacing(0.5),
    code: { minWidth: 0, wordBreak: 'break-all', whiteSpace: 'normal' },
  }),
  spanLinks: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 2),
    listStyle: 'none',
    margin: theme.spacing(0.5, 0, 0),
    padding: 0,
  }),
  linkProblems: css({
    listStyle: 'none',
    margin: theme.spacing(0.5, 0, 0),
    padding: 0,
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    wordBreak: 'break-word',
  }),
  spanLink: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.colors.text.link,
    '&:hover': { textDecoration: 'underline' },
  }),
  link: css({ color: theme.colors.text.link, wordBreak: 'break-all', '&:hover': { textDecoration: 'underline' } }),
  event: css({
    padding: theme.spacing(0.5, 1),
    marginBottom: theme.spacing(0.5),
    borderLeft: `2px solid ${theme.colors.border.medium}`,
    background: theme.colors.background.secondary,
  }),
  stack: css({
    margin: theme.spacing(0.5, 0, 0),
    maxHeight: 320,
    overflow: 'auto',
    whiteSpace: 'pre',
    fontSize: theme.typography.bodySmall.fontSize,
    fontFamily: theme.typography.fontFamilyMonospace,
    background: theme.colors.background.canvas,
    color: theme.colors.text.primary,
    padding: theme.spacing(1),
  }),
});
