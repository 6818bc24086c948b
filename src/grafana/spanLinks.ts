import { Trace } from '../trace';

/**
 * A link from one span to its logs or its metrics, as the Tempo data source's trace-to-logs and
 * trace-to-metrics settings define them (the same links Grafana's own trace view shows).
 */
export interface SpanLink {
  kind: 'logs' | 'metrics';
  /** what the link says, e.g. "Logs for this span" or a trace-to-metrics query's name */
  title: string;
  /** an app-relative Grafana URL (Explore) */
  href: string;
}

/** The links of one span of a trace (span = index into trace.spans). */
export type SpanLinkFactory = (trace: Trace, span: number) => SpanLink[];

// PLACEHOLDER (contract only): replaced by the span links' owner this session.
/** The span links of a Tempo data source, from its settings; undefined when it configures none. */
export function spanLinksFor(datasourceUid: string | undefined): SpanLinkFactory | undefined {
  return datasourceUid ? undefined : undefined;
}
