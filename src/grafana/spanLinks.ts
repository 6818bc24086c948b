import { getDataSourceSrv } from '@grafana/runtime';
import { Trace } from '../trace';
import { buildSpanLinks, planSpanLinks } from './traceToLinks';

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

/**
 * The span links of a Tempo data source, from its trace-to-logs and trace-to-metrics settings, as
 * Grafana's own trace view builds them (rules in traceToLinks.ts); undefined when it configures none or
 * no configured target data source exists. Settings are read once here; the factory runs per span.
 */
export function spanLinksFor(datasourceUid: string | undefined): SpanLinkFactory | undefined {
  if (!datasourceUid) {
    return undefined;
  }
  const tempo = getDataSourceSrv().getInstanceSettings(datasourceUid);
  if (!tempo || tempo.uid !== datasourceUid) {
    return undefined;
  }
  const plan = planSpanLinks(tempo.jsonData, (uid) => {
    const ds = getDataSourceSrv().getInstanceSettings(uid);
    // getInstanceSettings also answers to names; only an exact UID counts, as in Grafana's settings.
    return ds && ds.uid === uid ? { uid: ds.uid, type: ds.type, name: ds.name } : undefined;
  });
  if (plan.logs.length === 0 && plan.metrics.length === 0) {
    return undefined;
  }
  return (trace, span) => {
    try {
      return buildSpanLinks(plan, trace, span);
    } catch {
      // Links are an extra: a span they cannot be built for (hostile values) still shows its details.
      return [];
    }
  };
}
