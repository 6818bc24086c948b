import { DataQueryRequest, ScopedVars } from '@grafana/data';
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

/**
 * The links of one span, and in `problems` why a configured link is missing (a setting that cannot be
 * used, or a query naming what this span lacks), in words, for the span details to show.
 */
export type SpanLinks = SpanLink[] & { problems?: readonly string[] };

/** The links of one span of a trace (span = index into trace.spans). */
export type SpanLinkFactory = (trace: Trace, span: number) => SpanLinks;

/** `$ds`, `${ds}`, `${ds:text}` or `[[ds]]`: a dashboard's template variable, not a UID. */
const isTemplateVariable = (ref: string) => /^\$(?:\{\w+(?::\w+)?\}|\w+)$|^\[\[\w+\]\]$/.test(ref);

/**
 * The data source a panel's trace came from: the first of its queries that names one (a UID or a
 * template variable such as `${datasource}`), else Grafana's default data source, which a query without
 * a data source runs on; undefined before the panel has run a query.
 */
export function panelDatasource(targets: DataQueryRequest['targets'] | undefined): string | undefined {
  if (!targets) {
    return undefined;
  }
  const named = targets.find((t) => t.datasource?.uid)?.datasource?.uid;
  return named ?? getDataSourceSrv().getInstanceSettings(null)?.uid;
}

/**
 * The span links of a Tempo data source, from its trace-to-logs and trace-to-metrics settings, as
 * Grafana's own trace view builds them (rules in traceToLinks.ts); undefined when it configures none or
 * no setting could be used, and says so. `datasource` is a UID or, in a dashboard, a template variable
 * resolved with the panel's `scopedVars` (a repeated panel's value first). Settings are read once here;
 * the factory runs per span.
 */
export function spanLinksFor(datasource: string | undefined, scopedVars?: ScopedVars): SpanLinkFactory | undefined {
  if (!datasource) {
    return undefined;
  }
  const tempo = getDataSourceSrv().getInstanceSettings(datasource, scopedVars);
  // getInstanceSettings also answers to names; a UID must match exactly, a variable is what it resolves to.
  if (!tempo || (tempo.uid !== datasource && !isTemplateVariable(datasource))) {
    return undefined;
  }
  const plan = planSpanLinks(tempo.jsonData, (uid) => {
    const ds = getDataSourceSrv().getInstanceSettings(uid);
    // getInstanceSettings also answers to names; only an exact UID counts, as in Grafana's settings.
    return ds && ds.uid === uid ? { uid: ds.uid, type: ds.type, name: ds.name } : undefined;
  });
  if (plan.logs.length === 0 && plan.metrics.length === 0 && plan.problems.length === 0) {
    return undefined;
  }
  return (trace, span) => {
    const problems = [...plan.problems];
    let links: SpanLink[] = [];
    try {
      links = buildSpanLinks(plan, trace, span, problems);
    } catch (e) {
      // Links are an extra: a span they cannot be built for (hostile values) still shows its details.
      problems.push(`No links for this span: ${e instanceof Error ? e.message : String(e)}`);
    }
    return problems.length > 0 ? Object.assign(links, { problems }) : links;
  };
}
