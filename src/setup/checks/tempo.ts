import { joinUrl, type HttpTransport } from '../../http';
import { unreachableHint } from './collector';
import { checkResult, errorText, probe, words, type ProbeResult } from './probe';
import type { Check, CheckOptions, CheckStatus } from './types';

/** The canary's service.name (canary.ts imports this module, so the name lives here). */
export const CANARY_SERVICE = 'traceway-canary';

export const TEMPO_DOCS = {
  api: 'https://grafana.com/docs/tempo/latest/api_docs/',
  multitenancy: 'https://grafana.com/docs/tempo/latest/operations/manage-advanced-systems/multitenancy/',
  traceqlMetrics:
    'https://grafana.com/docs/tempo/latest/metrics-from-traces/metrics-queries/configure-traceql-metrics/',
  migrateTo3: 'https://grafana.com/docs/tempo/latest/set-up-for-tracing/setup-tempo/migrate-to-3/',
};

/** Tempo checks also take the tenant, sent as `X-Scope-OrgID` to a multi-tenant Tempo. */
export interface TempoCheckOptions extends CheckOptions {
  tenant?: string;
}

/** `/api/v2/traces` (the trace page's endpoint) arrived in Tempo 2.5; older Tempo is read through `/api/traces`. */
export const V2_TRACES_SINCE: Version = [2, 5, 0];

export type Version = [number, number, number];

/** "v2.7.2", "2.10.0-rc.1" → [2, 7, 2]; undefined for a build that is not a release ("main-1a2b3c"). */
export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function olderThan(a: Version, b: Version): boolean {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) {
      return a[i] < b[i];
    }
  }
  return false;
}

type Base = { id: string; title: string; method: 'GET'; url: string; started: number };

function start(
  id: string,
  title: string,
  tempoUrl: string,
  path: string,
  query?: Record<string, string | number>
): Base {
  return { id, title, method: 'GET', url: joinUrl(tempoUrl.trim(), path, query), started: Date.now() };
}

const isTenantHeader = (name: string) => name.trim().toLowerCase() === 'x-scope-orgid';

/**
 * The tenant: `tenant`, else an `X-Scope-OrgID` header in any letter case (how `traceway trace --header` users pass
 * it). The checks send it themselves, and tempoTenant must ask without it.
 */
export function tempoTenantOf(options: { tenant?: string; headers?: Record<string, string> }): string | undefined {
  const given = options.tenant?.trim();
  if (given) {
    return given;
  }
  const header = Object.entries(options.headers ?? {}).find(([name]) => isTenantHeader(name));
  return header?.[1].trim() || undefined;
}

/** The headers without any X-Scope-OrgID (the tenant is sent from `tenant` only). */
export function withoutTenantHeader(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !isTenantHeader(name)));
}

/** The options with the tenant read once (from `tenant` or a header) and no X-Scope-OrgID left among the headers. */
function normalized(options: TempoCheckOptions): TempoCheckOptions {
  return { ...options, tenant: tempoTenantOf(options), headers: withoutTenantHeader(options.headers) };
}

function get(transport: HttpTransport, base: Base, options: TempoCheckOptions): Promise<ProbeResult> {
  const tenant = options.tenant?.trim();
  const headers = { ...withoutTenantHeader(options.headers), ...(tenant ? { 'X-Scope-OrgID': tenant } : {}) };
  return probe(transport, 'GET', base.url, { ...options, headers });
}

/**
 * The result for anything but the answer a check hopes for: no answer, a tenant required, auth, 404, 5xx.
 * Checks handle their own special statuses first.
 */
function trouble(base: Base, answer: ProbeResult, options: TempoCheckOptions, docsUrl = TEMPO_DOCS.api): Check {
  if (!answer.ok) {
    return checkResult(
      base,
      'fail',
      `Tempo did not answer: ${answer.detail}.`,
      unreachableHint(answer.kind, "Tempo's HTTP API (port 3200)", false),
      docsUrl
    );
  }
  const said = errorText(answer.body);
  const { status } = answer;
  if (status === 401 && /no org id/i.test(said)) {
    const tenant = options.tenant?.trim();
    return tenant
      ? checkResult(
          base,
          'fail',
          `Tempo answered 401 "no org id" although the tenant "${tenant.slice(0, 150)}" was sent as X-Scope-OrgID.`,
          'A proxy between Grafana and Tempo drops the X-Scope-OrgID header: let it through.',
          TEMPO_DOCS.multitenancy
        )
      : checkResult(
          base,
          'fail',
          'Tempo requires a tenant (HTTP 401 "no org id"): it runs with multi-tenancy.',
          'Set the tenant: it is sent as the X-Scope-OrgID header (in the Tempo data source: an HTTP header X-Scope-OrgID).',
          TEMPO_DOCS.multitenancy
        );
  }
  if (status === 401 || status === 403) {
    return checkResult(
      base,
      'fail',
      `Tempo or a proxy in front of it refused access (HTTP ${status}${words(said)}).`,
      'Check the authentication header (basic, bearer or a custom header) the proxy in front of Tempo expects.',
      docsUrl
    );
  }
  if (status === 404) {
    return checkResult(
      base,
      'fail',
      `Nothing at ${base.url} (HTTP 404${words(said)}).`,
      "Point the URL at Tempo's HTTP API (e.g. http://tempo:3200, or a gateway's URL with its path prefix), not at Grafana or the Collector.",
      docsUrl
    );
  }
  if (status === 429) {
    const retry = answer.headers.get('retry-after');
    return checkResult(
      base,
      'fail',
      `Tempo is rate-limiting (HTTP 429${retry ? `, Retry-After: ${retry.slice(0, 40)}` : ''}${words(said)}).`,
      'Try again later, or raise the query limits for this tenant.',
      docsUrl
    );
  }
  return checkResult(
    base,
    'fail',
    `Tempo answered HTTP ${status}${words(said)}.`,
    status >= 500 ? "Read Tempo's log: a component behind the query frontend failed." : undefined,
    docsUrl
  );
}

/** `/ready`: 200 "ready" when Tempo serves; 503 with its reason ("Ingester not ready: ... empty ring") while starting. */
/** tempoReady's result; `unanswered` when no HTTP answer came (not a cancel): the other Tempo rows are then not checked. */
export interface ReadyCheck extends Check {
  unanswered?: boolean;
}

export async function tempoReady(
  transport: HttpTransport,
  tempoUrl: string,
  options: TempoCheckOptions = {}
): Promise<ReadyCheck> {
  options = normalized(options);
  const base = start('tempo-ready', 'Tempo ready', tempoUrl, 'ready');
  const answer = await get(transport, base, options);
  if (!answer.ok && answer.kind !== 'aborted') {
    return { ...trouble(base, answer, options), unanswered: true };
  }
  if (answer.ok && answer.status === 200 && answer.body.trim() === 'ready') {
    return checkResult(base, 'pass', 'Tempo is ready.');
  }
  if (answer.ok && answer.status === 503) {
    const ring = /empty ring/i.test(answer.body);
    return checkResult(
      base,
      'fail',
      `Tempo is not ready (HTTP 503${words(answer.body)}).`,
      ring
        ? 'Its ring has no healthy members yet: wait for Tempo to finish starting (about 15 s); if it persists, check memberlist and that its components joined the ring.'
        : 'Wait for Tempo to finish starting, then run the checks again; if it persists, read its log.',
      TEMPO_DOCS.api
    );
  }
  if (answer.ok && answer.status === 200) {
    return checkResult(
      base,
      'fail',
      `${base.url} answered 200, but not Tempo's "ready"${words(answer.body)}.`,
      "Point the URL at Tempo's HTTP API (port 3200).",
      TEMPO_DOCS.api
    );
  }
  return trouble(base, answer, options);
}

/**
 * `/api/echo`: proves the URL reaches Tempo's API. It answers 200 "echo" even when Tempo requires a tenant,
 * so it cannot tell whether one is needed (see tempoTenant).
 */
export async function tempoEcho(
  transport: HttpTransport,
  tempoUrl: string,
  options: TempoCheckOptions = {}
): Promise<Check> {
  options = normalized(options);
  const base = start('tempo-echo', 'Tempo API reachable', tempoUrl, 'api/echo');
  const answer = await get(transport, base, options);
  if (answer.ok && answer.status === 200) {
    return answer.body.trim() === 'echo'
      ? checkResult(base, 'pass', "Tempo's API answers.")
      : checkResult(
          base,
          'fail',
          `${base.url} answered 200, but not Tempo's "echo"${words(answer.body)}.`,
          "Point the URL at Tempo's HTTP API (e.g. http://tempo:3200), not at Grafana or a proxy's page.",
          TEMPO_DOCS.api
        );
  }
  return trouble(base, answer, options);
}

/** What tempoBuildInfo found, for checks that depend on the version. */
export interface BuildInfoCheck extends Check {
  version?: string;
}

/**
 * `/api/status/buildinfo`: Tempo's version; warns when it is older than the trace page's `/api/v2/traces` needs or
 * is not a release number. An empty version passes: builds that do not stamp one are ordinary installs.
 */
export async function tempoBuildInfo(
  transport: HttpTransport,
  tempoUrl: string,
  options: TempoCheckOptions = {}
): Promise<BuildInfoCheck> {
  options = normalized(options);
  const base = start('tempo-version', 'Tempo version', tempoUrl, 'api/status/buildinfo');
  const answer = await get(transport, base, options);
  if (!answer.ok || answer.status !== 200) {
    return trouble(base, answer, options);
  }
  let version: unknown;
  try {
    version = (JSON.parse(answer.body) as { version?: unknown })?.version;
  } catch {
    version = undefined;
  }
  if (typeof version !== 'string') {
    return checkResult(
      base,
      'fail',
      `${base.url} answered 200, but not with Tempo's build information ({"version": ...})${words(answer.body)}.`,
      "Point the URL at Tempo's HTTP API.",
      TEMPO_DOCS.api
    );
  }
  const shown = version.slice(0, 40);
  const parsed = parseVersion(version);
  const result = (status: CheckStatus, message: string, hint?: string) => ({
    ...checkResult(base, status, message, hint, hint ? TEMPO_DOCS.api : undefined),
    version: shown,
  });
  // A build that did not stamp its version answers "" (recorded: one Tempo 2.7.2 answers version, revision and
  // branch "", another "v2.7.2"). That is an ordinary install, not a problem: the canary and the TraceQL metrics
  // hint then take a current Tempo (2.5+, not 3).
  if (!version.trim()) {
    return result(
      'pass',
      'Tempo answered its build information without a version number (its build did not stamp one, as some Tempo 2.7 installs do); version-dependent hints assume a current Tempo (2.5 or newer).'
    );
  }
  if (!parsed) {
    return result(
      'warn',
      `Tempo reports version "${shown}", which is not a release number: which features it has cannot be told.`,
      'Run a released Tempo (2.5 or newer) to be sure of the features Traceway uses.'
    );
  }
  if (olderThan(parsed, V2_TRACES_SINCE)) {
    return result(
      'warn',
      `Tempo ${shown} is older than 2.5: traces are read through /api/traces, without /api/v2/traces' details.`,
      'Upgrade Tempo to 2.5 or newer.'
    );
  }
  return result('pass', `Tempo ${shown}.`);
}

/** `/api/search?limit=1`: search works (with the tenant, when one is set). */
export async function tempoSearch(
  transport: HttpTransport,
  tempoUrl: string,
  options: TempoCheckOptions = {}
): Promise<Check> {
  options = normalized(options);
  // The canary's own traces do not count: a Tempo holding only those has had nothing from the services.
  const base = start('tempo-search', 'Tempo search', tempoUrl, 'api/search', {
    q: `{ resource.service.name != "${CANARY_SERVICE}" }`,
    limit: 1,
  });
  const answer = await get(transport, base, options);
  if (!answer.ok || answer.status !== 200) {
    return trouble(base, answer, options);
  }
  const traces = jsonField(answer.body, 'traces');
  if (traces === undefined) {
    return checkResult(
      base,
      'fail',
      `${base.url} answered 200, but not with search results ({"traces": [...]})${words(answer.body)}.`,
      "Point the URL at Tempo's HTTP API.",
      TEMPO_DOCS.api
    );
  }
  return Array.isArray(traces) && traces.length > 0
    ? checkResult(base, 'pass', 'Search works and finds traces.')
    : checkResult(
        base,
        'warn',
        `Search works, but found no traces recently (the canary's own, service ${CANARY_SERVICE}, do not count).`,
        'Nothing has arrived recently: check that services send traces to the Collector and that it exports them to Tempo.',
        TEMPO_DOCS.api
      );
}

/** `/api/v2/search/tags`: the tag names Search offers. */
export async function tempoTags(
  transport: HttpTransport,
  tempoUrl: string,
  options: TempoCheckOptions = {}
): Promise<Check> {
  options = normalized(options);
  const base = start('tempo-tags', 'Tempo tags', tempoUrl, 'api/v2/search/tags');
  const answer = await get(transport, base, options);
  if (!answer.ok || answer.status !== 200) {
    return trouble(base, answer, options);
  }
  const scopes = jsonField(answer.body, 'scopes');
  if (!Array.isArray(scopes)) {
    return checkResult(
      base,
      'fail',
      `${base.url} answered 200, but not with tag names ({"scopes": [...]})${words(answer.body)}.`,
      "Point the URL at Tempo's HTTP API.",
      TEMPO_DOCS.api
    );
  }
  const count = scopes.reduce(
    (n: number, s: unknown) =>
      n + (Array.isArray((s as { tags?: unknown })?.tags) ? (s as { tags: unknown[] }).tags.length : 0),
    0
  );
  return count > 0
    ? checkResult(base, 'pass', `Tempo knows ${count} tag name${count === 1 ? '' : 's'}.`)
    : checkResult(
        base,
        'warn',
        'Tempo knows no tag names yet: it has no recent traces.',
        'Send traces through the Collector, then run the checks again.',
        TEMPO_DOCS.api
      );
}

/**
 * `/api/metrics/query_range` with `{} | rate()` over the last 5 minutes. On Tempo 2, "localblocks processor not
 * found" and "empty ring" mean the metrics-generator's `local-blocks` processor is off (or no generator runs);
 * Tempo 3 serves recent data from its live-stores instead, so the hint depends on `version`. A warning, not a
 * failure: Search and traces work without TraceQL metrics.
 */
export async function tempoMetrics(
  transport: HttpTransport,
  tempoUrl: string,
  options: TempoCheckOptions & {
    /** Tempo's version, or the version check still running: the request starts at once, the hint waits for it. */
    version?: string | Promise<string | undefined>;
    now?: number;
  } = {}
): Promise<Check> {
  options = { ...options, ...normalized(options) };
  const end = Math.floor((options.now ?? Date.now()) / 1000);
  const base = start('tempo-metrics', 'TraceQL metrics', tempoUrl, 'api/metrics/query_range', {
    q: '{} | rate()',
    start: end - 300,
    end,
    step: '60s',
  });
  const answer = await get(transport, base, options);
  if (answer.ok && answer.status === 200) {
    return Array.isArray(jsonField(answer.body, 'series'))
      ? checkResult(base, 'pass', 'TraceQL metrics answer.')
      : checkResult(
          base,
          'fail',
          `${base.url} answered 200, but not with metrics ({"series": [...]})${words(answer.body)}.`,
          "Point the URL at Tempo's HTTP API.",
          TEMPO_DOCS.traceqlMetrics
        );
  }
  const said = answer.ok ? errorText(answer.body) : '';
  const noLocalBlocks = /localblocks processor not found/i.test(said);
  if (answer.ok && (noLocalBlocks || /empty ring/i.test(said))) {
    const version = await options.version;
    const major = version ? parseVersion(version)?.[0] : undefined;
    if (major !== undefined && major >= 3) {
      return checkResult(
        base,
        'warn',
        `TraceQL metrics are not available (HTTP ${answer.status}${words(said)}).`,
        'Tempo 3 has no local-blocks processor: recent data for TraceQL metrics comes from its live-stores. Check that the live-store runs and that the configuration was migrated to Tempo 3.',
        TEMPO_DOCS.migrateTo3
      );
    }
    return checkResult(
      base,
      'warn',
      `TraceQL metrics are not available (HTTP ${answer.status}${words(said)}).`,
      noLocalBlocks
        ? "The metrics-generator's local-blocks processor is off: add local-blocks to its processors (in the overrides, per tenant or for all)."
        : 'No metrics-generator answered (an empty ring): run the metrics-generator with the local-blocks processor.',
      TEMPO_DOCS.traceqlMetrics
    );
  }
  return trouble(base, answer, options, TEMPO_DOCS.traceqlMetrics);
}

/**
 * Whether Tempo requires a tenant: `/api/search?limit=1` WITHOUT `X-Scope-OrgID` (echo cannot tell: it
 * answers 200 either way). 401 "no org id" means multi-tenant: a pass when a tenant is set, a fail when not.
 */
export async function tempoTenant(
  transport: HttpTransport,
  tempoUrl: string,
  options: TempoCheckOptions = {}
): Promise<Check> {
  options = normalized(options);
  const base = start('tempo-tenant', 'Tempo tenant', tempoUrl, 'api/search', { limit: 1 });
  const tenant = options.tenant?.trim();
  const answer = await get(transport, base, { ...options, tenant: undefined });
  if (answer.ok && answer.status === 401 && /no org id/i.test(answer.body)) {
    return tenant
      ? checkResult(
          base,
          'pass',
          `Tempo is multi-tenant; the tenant "${tenant.slice(0, 150)}" is sent as X-Scope-OrgID.`
        )
      : checkResult(
          base,
          'fail',
          'Tempo is multi-tenant and requires a tenant (HTTP 401 "no org id"), but none is set.',
          "Set the tenant: it is sent as the X-Scope-OrgID header, and the Collector's exporter must send the same one.",
          TEMPO_DOCS.multitenancy
        );
  }
  if (answer.ok && answer.status === 200) {
    return tenant
      ? checkResult(
          base,
          'warn',
          `Tempo answers without a tenant: it is not multi-tenant, so the tenant "${tenant.slice(0, 150)}" has no effect.`,
          'Leave the tenant empty, unless a gateway in front of Tempo uses it.',
          TEMPO_DOCS.multitenancy
        )
      : checkResult(base, 'pass', 'Tempo does not require a tenant.');
  }
  return trouble(base, answer, { ...options, tenant: undefined });
}

function jsonField(body: string, field: string): unknown {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed[field] : undefined;
  } catch {
    return undefined;
  }
}
