import type { HttpTransport } from '../../http';
import { collectorHealth, collectorOtlpAccepts } from './collector';
import { tempoBuildInfo, tempoEcho, tempoMetrics, tempoReady, tempoSearch, tempoTags, tempoTenant } from './tempo';
import type { Check } from './types';

/** What to check: every part is optional, and only the endpoints given are checked. */
export interface CheckPlan {
  transport: HttpTransport;
  /** Each check's own limit (default DEFAULT_CHECK_TIMEOUT_MS). */
  timeoutMs?: number;
  collector?: { otlpHttpUrl?: string; healthUrl?: string; headers?: Record<string, string> };
  tempo?: { url: string; tenant?: string; headers?: Record<string, string> };
}

export interface RunOptions {
  /** Cancels every check still running: they end as `fail`, "the check was cancelled". */
  signal?: AbortSignal;
  /** Called as each check ends, in the order they end. */
  onProgress?: (check: Check, done: number, total: number) => void;
}

/** The checks a plan runs, in the order runChecks returns them: rows to show before any has ended. */
export function plannedChecks(plan: Omit<CheckPlan, 'transport'>): Array<{ id: string; title: string }> {
  const rows: Array<{ id: string; title: string }> = [];
  if (plan.collector?.healthUrl?.trim()) {
    rows.push({ id: 'collector-health', title: 'Collector health' });
  }
  if (plan.collector?.otlpHttpUrl?.trim()) {
    rows.push({ id: 'collector-otlp', title: 'Collector OTLP/HTTP receiver' });
  }
  if (plan.tempo?.url.trim()) {
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
  return rows;
}

/**
 * Runs the plan's checks in parallel, each with its own timeout; only TraceQL metrics waits, for the version
 * (its hint depends on it). Resolves with every check in plannedChecks' order; never rejects.
 */
export async function runChecks(plan: CheckPlan, options: RunOptions = {}): Promise<Check[]> {
  const { transport, timeoutMs } = plan;
  const { signal, onProgress } = options;
  const rows = plannedChecks(plan);
  let done = 0;
  const report = <T extends Check>(work: Promise<T>): Promise<T> =>
    work.then((check) => {
      done += 1;
      onProgress?.(check, done, rows.length);
      return check;
    });
  const work: Array<Promise<Check>> = [];
  const collector = plan.collector;
  if (collector?.healthUrl?.trim()) {
    work.push(
      report(collectorHealth(transport, collector.healthUrl, { signal, timeoutMs, headers: collector.headers }))
    );
  }
  if (collector?.otlpHttpUrl?.trim()) {
    work.push(
      report(collectorOtlpAccepts(transport, collector.otlpHttpUrl, { signal, timeoutMs, headers: collector.headers }))
    );
  }
  const tempo = plan.tempo;
  if (tempo?.url.trim()) {
    const opts = { signal, timeoutMs, headers: tempo.headers, tenant: tempo.tenant };
    const version = report(tempoBuildInfo(transport, tempo.url, opts));
    work.push(
      report(tempoReady(transport, tempo.url, opts)),
      report(tempoEcho(transport, tempo.url, opts)),
      version,
      report(tempoTenant(transport, tempo.url, opts)),
      report(tempoSearch(transport, tempo.url, opts)),
      report(tempoTags(transport, tempo.url, opts)),
      report(version.then((v) => tempoMetrics(transport, tempo.url, { ...opts, version: v.version })))
    );
  }
  return Promise.all(work);
}
