import type { HttpTransport } from '../../http';
import { canary } from './canary';
import { collectorHealth, collectorOtlpAccepts } from './collector';
import {
  grafanaDataSourceHealth,
  grafanaServiceMap,
  grafanaTempoDataSource,
  prometheusServiceGraph,
  type DataSourceCheck,
} from './grafana';
import { checkResult } from './probe';
import { proxiedTransport, shownThroughProxy, upstreamUrl } from './proxy';
import {
  V2_TRACES_SINCE,
  olderThan,
  parseVersion,
  tempoBuildInfo,
  tempoEcho,
  tempoMetrics,
  tempoReady,
  tempoSearch,
  tempoTags,
  tempoTenant,
  tempoTenantOf,
  type BuildInfoCheck,
  type ReadyCheck,
} from './tempo';
import type { Check } from './types';

/** What to check: every part is optional, and only the endpoints given are checked. */
export interface CheckPlan {
  transport: HttpTransport;
  /** Each check's own limit (default DEFAULT_CHECK_TIMEOUT_MS). */
  timeoutMs?: number;
  /**
   * Requests go through Grafana's app proxy: each request-URL prefix mapped to the upstream URL it stands for,
   * e.g. { '/api/plugin-proxy/traceway-explorer-app/tempo': 'http://tempo:3200' }. Results then show the upstream
   * (request.url and messages) with `request.via = 'grafana'`, and a bodiless 502/504 reads as Grafana's server
   * failing to connect to / getting no answer from the upstream.
   */
  proxied?: Record<string, string>;
  collector?: { otlpHttpUrl?: string; healthUrl?: string; headers?: Record<string, string> };
  tempo?: {
    url: string;
    tenant?: string;
    headers?: Record<string, string>;
    /** Where to ask without the tenant (through Grafana: the tenantless-tempo route); default `url` without X-Scope-OrgID. */
    tenantlessUrl?: string;
  };
  /** Grafana's API: '' = the page's own origin (the browser's session), or http://grafana:3000 with a token header. */
  grafana?: { url: string; headers?: Record<string, string>; tempoDatasourceUid?: string };
  /** Prometheus directly; without it the service-graph check asks through Grafana's data source proxy. */
  prometheus?: { url: string; headers?: Record<string, string> };
  /** Send a canary span through collector.otlpHttpUrl and poll tempo.url's trace-by-ID (needs both). */
  canary?: { timeoutMs?: number; pollIntervalMs?: number };
}

export interface RunOptions {
  /** Cancels every check still running: they end as `fail`, "the check was cancelled". */
  signal?: AbortSignal;
  /** Called as each check ends, in the order they end. */
  onProgress?: (check: Check, done: number, total: number) => void;
}

const given = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/** The checks a plan runs, in the order runChecks returns them: rows to show before any has ended. */
export function plannedChecks(plan: Omit<CheckPlan, 'transport'>): Array<{ id: string; title: string }> {
  const rows: Array<{ id: string; title: string }> = [];
  if (given(plan.collector?.healthUrl)) {
    rows.push({ id: 'collector-health', title: 'Collector health' });
  }
  if (given(plan.collector?.otlpHttpUrl)) {
    rows.push({ id: 'collector-otlp', title: 'Collector OTLP/HTTP receiver' });
  }
  if (given(plan.tempo?.url)) {
    rows.push(
      { id: 'tempo-ready', title: 'Tempo ready' },
      { id: 'tempo-echo', title: 'Tempo API reachable' },
      { id: 'tempo-version', title: 'Tempo version' },
      { id: 'tempo-tenant', title: 'Tempo tenant' },
      { id: 'tempo-search', title: 'Tempo search' },
      { id: 'tempo-tags', title: 'Tempo tags' },
      { id: 'tempo-metrics', title: 'TraceQL metrics' }
    );
  }
  // Grafana's url may be '' (the page's own origin): present is enough.
  if (plan.grafana) {
    rows.push(
      { id: 'grafana-datasource', title: 'Tempo data source' },
      { id: 'grafana-datasource-health', title: 'Tempo data source health' },
      { id: 'grafana-service-map', title: 'Service map data source' }
    );
  }
  if (plan.grafana || given(plan.prometheus?.url)) {
    rows.push({ id: 'prometheus-service-graph', title: 'Service graph metrics' });
  }
  if (plan.canary && given(plan.collector?.otlpHttpUrl) && given(plan.tempo?.url)) {
    rows.push({ id: 'canary', title: 'Canary span' });
  }
  return rows;
}

/** A row that depends on one that failed: not run, and says so. */
function notChecked(id: string, title: string, url: string, why: string): Check {
  return checkResult({ id, title, method: 'GET', url, started: Date.now() }, 'warn', `Not checked: ${why}.`);
}

/**
 * Runs the plan's checks in parallel, each with its own timeout; TraceQL metrics' hint waits for the version (its
 * request does not), the Grafana checks after the first for the data source it found, the canary for the version
 * (v1 or v2 trace-by-ID). Resolves with every check
 * in plannedChecks' order; never rejects.
 */
export async function runChecks(plan: CheckPlan, options: RunOptions = {}): Promise<Check[]> {
  const { timeoutMs, proxied } = plan;
  const transport = proxied ? proxiedTransport(plan.transport, proxied) : plan.transport;
  const { signal, onProgress } = options;
  const rows = plannedChecks(plan);
  let done = 0;
  const report = <T extends Check>(work: Promise<T>): Promise<T> =>
    work.then((raw) => {
      const check = proxied ? shownThroughProxy(raw, proxied) : raw;
      done += 1;
      onProgress?.(check, done, rows.length);
      return check;
    });
  const work: Array<Promise<Check>> = [];
  const collector = plan.collector;
  if (given(collector?.healthUrl)) {
    work.push(
      report(collectorHealth(transport, collector.healthUrl, { signal, timeoutMs, headers: collector.headers }))
    );
  }
  let receiver: Promise<Check & { unanswered?: boolean }> | undefined;
  if (given(collector?.otlpHttpUrl)) {
    receiver = collectorOtlpAccepts(transport, collector.otlpHttpUrl, {
      signal,
      timeoutMs,
      headers: collector.headers,
    });
    work.push(report(receiver));
  }
  const tempo = plan.tempo;
  let versionCheck: Promise<BuildInfoCheck> | undefined;
  let ready: Promise<ReadyCheck> | undefined;
  if (given(tempo?.url)) {
    const opts = { signal, timeoutMs, headers: tempo.headers, tenant: tempo.tenant };
    const rawVersion = tempoBuildInfo(transport, tempo.url, opts);
    versionCheck = rawVersion;
    ready = tempoReady(transport, tempo.url, opts);
    // Every row asks at once (a dead Tempo fails within one timeout); when /ready got no answer, the others say
    // so once instead of repeating its failure.
    const unlessReadyUnanswered = <T extends Check>(row: Promise<T>): Promise<Check> =>
      Promise.all([ready as Promise<ReadyCheck>, row]).then(([r, c]) =>
        r.unanswered ? notChecked(c.id, c.title, c.request.url, 'Tempo did not answer (see Tempo ready)') : c
      );
    work.push(
      report(ready),
      report(unlessReadyUnanswered(tempoEcho(transport, tempo.url, opts))),
      report(unlessReadyUnanswered(rawVersion)),
      report(
        unlessReadyUnanswered(
          tempoTenant(transport, given(tempo.tenantlessUrl) ? tempo.tenantlessUrl : tempo.url, opts)
        )
      ),
      report(unlessReadyUnanswered(tempoSearch(transport, tempo.url, opts))),
      report(unlessReadyUnanswered(tempoTags(transport, tempo.url, opts))),
      report(
        unlessReadyUnanswered(
          tempoMetrics(transport, tempo.url, { ...opts, version: rawVersion.then((v) => v.version) })
        )
      )
    );
  }
  const grafana = plan.grafana;
  const prometheus = plan.prometheus;
  const serviceGraph = (dsCheck?: DataSourceCheck): Promise<Check> => {
    if (given(prometheus?.url)) {
      return prometheusServiceGraph(
        transport,
        { prometheusUrl: prometheus.url },
        {
          signal,
          timeoutMs,
          headers: prometheus.headers,
        }
      );
    }
    const promUid = dsCheck?.dataSource?.serviceMapUid;
    if (!grafana || !promUid) {
      return Promise.resolve(
        notChecked(
          'prometheus-service-graph',
          'Service graph metrics',
          dsCheck?.request.url ?? '',
          dsCheck?.dataSource
            ? 'the Tempo data source names no service map Prometheus data source, and no Prometheus URL is given'
            : 'no Tempo data source, and no Prometheus URL is given'
        )
      );
    }
    return prometheusServiceGraph(
      transport,
      { grafanaUrl: grafana.url, datasourceUid: promUid },
      {
        signal,
        timeoutMs,
        headers: grafana.headers,
      }
    );
  };
  if (grafana) {
    const plannedTempo = given(tempo?.url) ? (proxied ? upstreamUrl(tempo.url, proxied) : tempo.url) : undefined;
    const gopts = {
      signal,
      timeoutMs,
      headers: grafana.headers,
      tempoDatasourceUid: grafana.tempoDatasourceUid,
      expected: tempo ? { tempoUrl: plannedTempo, tenant: tempoTenantOf(tempo) } : undefined,
    };
    const found = grafanaTempoDataSource(transport, grafana.url, gopts);
    work.push(
      report(found),
      report(
        found.then((ds) =>
          ds.dataSource
            ? grafanaDataSourceHealth(transport, grafana.url, ds.dataSource.uid, gopts)
            : notChecked(
                'grafana-datasource-health',
                'Tempo data source health',
                ds.request.url,
                'no Tempo data source'
              )
        )
      ),
      report(found.then((ds) => grafanaServiceMap(transport, grafana.url, ds, gopts))),
      report(found.then(serviceGraph))
    );
  } else if (given(prometheus?.url)) {
    work.push(report(serviceGraph()));
  }
  if (plan.canary && given(collector?.otlpHttpUrl) && given(tempo?.url)) {
    // Tempo before 2.5 has no /api/v2/traces: the canary then asks /api/traces (the version check is quick).
    const v1 = versionCheck?.then((v) => {
      const parsed = v.version ? parseVersion(v.version) : undefined;
      return parsed !== undefined && olderThan(parsed, V2_TRACES_SINCE);
    });
    // Not sent when Tempo's /ready or the receiver got no answer: their rows already say so.
    const unanswered = Promise.all([ready, receiver]).then(([r, c]) =>
      r?.unanswered
        ? 'Tempo did not answer (see Tempo ready)'
        : c?.unanswered
          ? 'the Collector did not answer (see Collector OTLP/HTTP receiver)'
          : undefined
    );
    work.push(
      report(
        Promise.all([v1 ?? Promise.resolve(false), unanswered]).then(([old, why]) =>
          why
            ? notChecked('canary', 'Canary span', tempo.url, why)
            : canary(transport, collector.otlpHttpUrl as string, tempo.url, {
                v1: old,
                signal,
                tenant: tempoTenantOf(tempo),
                collectorHeaders: collector.headers,
                tempoHeaders: tempo.headers,
                timeoutMs: plan.canary?.timeoutMs,
                pollIntervalMs: plan.canary?.pollIntervalMs,
              })
        )
      )
    );
  }
  return Promise.all(work);
}
