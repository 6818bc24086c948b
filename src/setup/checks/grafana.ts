import { isObject, joinUrl, type HttpTransport } from '../../http';
import { unreachableHint } from './collector';
import { checkResult, errorText, probe, words, type ProbeResult } from './probe';
import type { Check, CheckOptions } from './types';

export const GRAFANA_DOCS = {
  dataSourceApi: 'https://grafana.com/docs/grafana/latest/developers/http_api/data_source/',
  serviceAccounts: 'https://grafana.com/docs/grafana/latest/administration/service-accounts/',
  tempoDataSource: 'https://grafana.com/docs/grafana/latest/datasources/tempo/configure-tempo-data-source/',
  serviceGraphs: 'https://grafana.com/docs/tempo/latest/metrics-from-traces/service_graphs/enable-service-graphs/',
};

/** The metric Tempo's metrics-generator (service-graphs processor) writes, which the service map reads. */
export const SERVICE_GRAPH_METRIC = 'traces_service_graph_request_total';

/** A Tempo data source as Grafana's `/api/datasources` lists it (only what the checks read). */
export interface TempoDataSource {
  uid: string;
  name: string;
  isDefault: boolean;
  /** `jsonData.serviceMap.datasourceUid`: the Prometheus data source of the service map, when set. */
  serviceMapUid?: string;
  /** The data source's URL: what Grafana's server asks (Search reads through it). */
  url?: string;
  /** Its custom headers' names (`jsonData.httpHeaderNameN`), e.g. X-Scope-OrgID. */
  headerNames: string[];
}

/** The Tempo data source check, and the data source it found for the checks that follow. */
export interface DataSourceCheck extends Check {
  dataSource?: TempoDataSource;
}

export interface GrafanaCheckOptions extends CheckOptions {
  /** The Tempo data source to check; else the default Tempo data source, or the first. */
  tempoDatasourceUid?: string;
  /**
   * What the other checks use: the data source found is compared with it (Search reads through the data source, so
   * a tenant the data source does not send, or another Tempo, means Search fails while the Tempo checks pass).
   */
  expected?: { tempoUrl?: string; tenant?: string };
}

type Base = { id: string; title: string; method: 'GET'; url: string; started: number };

const start = (id: string, title: string, url: string): Base => ({
  id,
  title,
  method: 'GET',
  url,
  started: Date.now(),
});

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

const short = (s: string) => s.slice(0, 100);

function asTempo(value: unknown): TempoDataSource | undefined {
  if (!isObject(value) || value.type !== 'tempo' || typeof value.uid !== 'string') {
    return undefined;
  }
  const serviceMap = isObject(value.jsonData) && isObject(value.jsonData.serviceMap) ? value.jsonData.serviceMap : {};
  const serviceMapUid = typeof serviceMap.datasourceUid === 'string' ? serviceMap.datasourceUid.trim() : '';
  const jsonData = isObject(value.jsonData) ? value.jsonData : {};
  const headerNames = Object.keys(jsonData)
    .filter((k) => /^httpHeaderName\d+$/.test(k) && typeof jsonData[k] === 'string')
    .map((k) => String(jsonData[k]).trim());
  return {
    uid: value.uid,
    name: typeof value.name === 'string' ? value.name : value.uid,
    isDefault: value.isDefault === true,
    ...(serviceMapUid ? { serviceMapUid } : {}),
    ...(typeof value.url === 'string' ? { url: value.url.trim() } : {}),
    headerNames,
  };
}

const sameUrl = (a: string, b: string) => a.trim().replace(/\/+$/, '') === b.trim().replace(/\/+$/, '');

/**
 * The data source found, checked against what the other checks use: a pass, or a warn naming what differs (the
 * tenant it does not send, another URL). Keeps the data source for the rows that follow.
 */
function comparedWithPlan(
  base: Base,
  found: TempoDataSource,
  said: string,
  expected: GrafanaCheckOptions['expected']
): DataSourceCheck {
  const problems: string[] = [];
  const hints: string[] = [];
  const tenant = expected?.tenant?.trim();
  if (tenant && !found.headerNames.some((n) => n.toLowerCase() === 'x-scope-orgid')) {
    problems.push(
      `it sends no X-Scope-OrgID header, but the tenant is "${short(tenant)}": Search reads through the data source and would get 401 "no org id" while the Tempo checks pass`
    );
    hints.push(`In the data source settings add the HTTP header X-Scope-OrgID with the value ${short(tenant)}.`);
  }
  const tempoUrl = expected?.tempoUrl?.trim();
  // Only an absolute URL can be compared (a proxy route's path stands for one only when the plan maps it).
  if (tempoUrl && /^https?:\/\//i.test(tempoUrl) && found.url !== undefined && !sameUrl(found.url, tempoUrl)) {
    problems.push(
      `its URL is ${short(found.url) || '(empty)'}, but the Tempo checks asked ${short(tempoUrl)}: Search reads the data source's Tempo`
    );
    hints.push(
      "Make the data source's URL and the Tempo URL the same Tempo (the data source's is the one Grafana's server uses)."
    );
  }
  if (problems.length === 0) {
    return { ...checkResult(base, 'pass', said), dataSource: found };
  }
  return {
    ...checkResult(
      base,
      'warn',
      `${said.replace(/\.$/, '')}; ${problems.join('; and ')}.`,
      hints.join(' '),
      GRAFANA_DOCS.tempoDataSource
    ),
    dataSource: found,
  };
}

/**
 * Grafana's answer when it is not the one hoped for: no answer, 401/403 (the token, or a user who is not an
 * admin), 404, others. Grafana's errors are JSON `{"message": ...}`.
 */
function grafanaTrouble(base: Base, answer: ProbeResult, what: string): Check {
  if (!answer.ok) {
    return checkResult(
      base,
      'fail',
      `Grafana did not answer: ${answer.detail}.`,
      unreachableHint(answer.kind, "Grafana's server (port 3000)", false),
      GRAFANA_DOCS.dataSourceApi
    );
  }
  const said = words(errorText(answer.body));
  if (answer.status === 401) {
    return checkResult(
      base,
      'fail',
      `Grafana refused the request (HTTP 401${said}): the token is missing, wrong or expired.`,
      'Pass a service account token with the Admin role (traceway doctor --token), or sign in again.',
      GRAFANA_DOCS.serviceAccounts
    );
  }
  if (answer.status === 403) {
    return checkResult(
      base,
      'fail',
      `Grafana denied ${what} (HTTP 403${said}): the token or user may not read data sources.`,
      'Use a service account token (or a user) with the Admin role in this organization.',
      GRAFANA_DOCS.serviceAccounts
    );
  }
  if (answer.status === 404) {
    return checkResult(
      base,
      'fail',
      `Nothing at ${base.url} (HTTP 404${said}).`,
      "Point the Grafana URL at Grafana's server itself (e.g. http://grafana:3000, with its sub-path if it is served under one).",
      GRAFANA_DOCS.dataSourceApi
    );
  }
  return checkResult(
    base,
    'fail',
    `Grafana answered HTTP ${answer.status} to ${what}${said}.`,
    answer.status >= 500 ? "Read Grafana's server log." : undefined,
    GRAFANA_DOCS.dataSourceApi
  );
}

/**
 * A Tempo data source exists: the one named by `tempoDatasourceUid` (`GET /api/datasources/uid/<uid>`), else from
 * `GET /api/datasources` the default Tempo data source, or the first. Says which, and how many there are.
 */
export async function grafanaTempoDataSource(
  transport: HttpTransport,
  grafanaUrl: string,
  options: GrafanaCheckOptions = {}
): Promise<DataSourceCheck> {
  const uid = options.tempoDatasourceUid?.trim();
  const base = start(
    'grafana-datasource',
    'Tempo data source',
    joinUrl(grafanaUrl.trim(), uid ? `api/datasources/uid/${encodeURIComponent(uid)}` : 'api/datasources')
  );
  const answer = await probe(transport, 'GET', base.url, options);
  if (uid && answer.ok && answer.status === 404) {
    return checkResult(
      base,
      'fail',
      `Grafana has no data source with the uid "${short(uid)}".`,
      'Create the Tempo data source (the wizard can, or provision it with traceway provision tempo), or pick an existing one.',
      GRAFANA_DOCS.tempoDataSource
    );
  }
  if (!answer.ok || answer.status !== 200) {
    return grafanaTrouble(base, answer, 'the data source list');
  }
  const body = parse(answer.body);
  if (uid) {
    const found = asTempo(body);
    if (!found) {
      const type = isObject(body) && typeof body.type === 'string' ? short(body.type) : undefined;
      return checkResult(
        base,
        'fail',
        type
          ? `The data source "${short(uid)}" is a ${type} data source, not Tempo.`
          : `${base.url} answered 200, but not with a data source${words(answer.body)}.`,
        'Pick a Tempo data source.',
        GRAFANA_DOCS.tempoDataSource
      );
    }
    return comparedWithPlan(
      base,
      found,
      `The Tempo data source "${short(found.name)}" (uid ${short(found.uid)}).`,
      options.expected
    );
  }
  if (!Array.isArray(body)) {
    return checkResult(
      base,
      'fail',
      `${base.url} answered 200, but not with Grafana's list of data sources${words(answer.body)}.`,
      "Point the Grafana URL at Grafana's server itself.",
      GRAFANA_DOCS.dataSourceApi
    );
  }
  const tempos = body.map(asTempo).filter((d): d is TempoDataSource => d !== undefined);
  if (tempos.length === 0) {
    return checkResult(
      base,
      'fail',
      `Grafana has no Tempo data source (${body.length} data source${body.length === 1 ? '' : 's'} of other types).`,
      'Create one: the wizard can, or provision it with the YAML of traceway provision tempo.',
      GRAFANA_DOCS.tempoDataSource
    );
  }
  const chosen = tempos.find((d) => d.isDefault) ?? tempos[0];
  const why = chosen.isDefault ? 'the default data source' : tempos.length > 1 ? 'the first' : 'the only one';
  const count = tempos.length === 1 ? '1 Tempo data source' : `${tempos.length} Tempo data sources`;
  return comparedWithPlan(
    base,
    chosen,
    `${count}; checking "${short(chosen.name)}" (uid ${short(chosen.uid)}), ${why}.`,
    options.expected
  );
}

/**
 * Grafana's own health check of the data source (`GET /api/datasources/uid/<uid>/health`). What Grafana answers
 * (pkg/api/datasources.go `checkDatasourceHealth`): 200 `{"status":"OK","message":...}` when the plugin's CheckHealth
 * says OK, 400 `{"status":"ERROR","message":...}` otherwise. Tempo's backend (pkg/tsdb/tempo) implements no
 * CheckHealth, so the plugin client returns `ErrMethodNotImplemented`, which Grafana words through
 * `translatePluginRequestErrorToAPIError` (pkg/api/plugins.go): in older Grafana 404
 * `{"message":"Not found"}`; since, `response.ErrOrFallback` of `errutil.NotImplemented("plugin.notImplemented")`,
 * 501 `{"message":"Not implemented","messageId":"plugin.notImplemented","statusCode":501}` (current
 * Grafana's source; the release that switched was not pinned down, and no running Grafana 12/13 was recorded yet).
 * Then the check does what Tempo's own "Save & test" does: `GET /api/datasources/proxy/uid/<uid>/api/echo`.
 */
export async function grafanaDataSourceHealth(
  transport: HttpTransport,
  grafanaUrl: string,
  uid: string,
  options: CheckOptions = {}
): Promise<Check> {
  const base = start(
    'grafana-datasource-health',
    'Tempo data source health',
    joinUrl(grafanaUrl.trim(), `api/datasources/uid/${encodeURIComponent(uid)}/health`)
  );
  const answer = await probe(transport, 'GET', base.url, options);
  const body = answer.ok ? parse(answer.body) : undefined;
  const status = isObject(body) && typeof body.status === 'string' ? body.status : undefined;
  const message = isObject(body) && typeof body.message === 'string' ? words(body.message) : '';
  if (answer.ok && (answer.status === 200 || answer.status === 400) && status) {
    if (answer.status === 200 && status === 'OK') {
      return checkResult(base, 'pass', `Grafana's health check of the data source passes${message}.`);
    }
    return checkResult(
      base,
      'fail',
      `Grafana's health check of the data source fails (${short(status)}${message}).`,
      "Grafana's server reaches Tempo at the data source's URL, which may differ from the one the browser or the CLI uses: check that URL, its headers (X-Scope-OrgID) and auth in the data source settings.",
      GRAFANA_DOCS.tempoDataSource
    );
  }
  if (answer.ok && (answer.status === 501 || answer.status === 404)) {
    return echoThroughDataSource(transport, grafanaUrl, uid, options);
  }
  return grafanaTrouble(base, answer, "the data source's health check");
}

/** Tempo's "Save & test": `/api/echo` through Grafana's data source proxy, with the data source's URL and auth. */
async function echoThroughDataSource(
  transport: HttpTransport,
  grafanaUrl: string,
  uid: string,
  options: CheckOptions
): Promise<Check> {
  const base = start(
    'grafana-datasource-health',
    'Tempo data source health',
    joinUrl(grafanaUrl.trim(), `api/datasources/proxy/uid/${encodeURIComponent(uid)}/api/echo`)
  );
  const answer = await probe(transport, 'GET', base.url, options);
  if (!answer.ok) {
    return grafanaTrouble(base, answer, "the data source's /api/echo");
  }
  const said = words(errorText(answer.body));
  const settings = 'Check the URL, auth and headers in the Tempo data source settings.';
  if (answer.status === 200 && answer.body.trim() === 'echo') {
    return checkResult(base, 'pass', 'Grafana reaches Tempo through the data source: /api/echo answered.');
  }
  if (answer.status === 200) {
    return checkResult(
      base,
      'fail',
      `Through the data source, /api/echo answered 200 but not Tempo's "echo"${words(answer.body)}: the data source's URL does not lead to Tempo's API.`,
      settings,
      GRAFANA_DOCS.tempoDataSource
    );
  }
  if (answer.status === 400 && /authentication to data source failed/i.test(answer.body)) {
    // Grafana's data source proxy (pkg/api/pluginproxy/ds_proxy.go) turns the upstream's 401 into this 400.
    return checkResult(
      base,
      'fail',
      'Through the data source, Grafana answered HTTP 400 "Authentication to data source failed": Tempo, or a proxy in front of it, answered 401 to the data source\'s credentials (Grafana turns an upstream 401 into this 400).',
      "Check the data source's auth (basic auth or its Authorization header) in the Tempo data source settings; Grafana's log has the upstream's answer.",
      GRAFANA_DOCS.tempoDataSource
    );
  }
  if (answer.status === 401 || answer.status === 403) {
    return grafanaTrouble(base, answer, "the data source's /api/echo");
  }
  if (answer.status === 502 || answer.status === 504) {
    return checkResult(
      base,
      'fail',
      `Through the data source, Grafana answered HTTP ${answer.status}${said}: its server ${answer.status === 502 ? 'could not connect to' : 'got no answer in time from'} Tempo at the data source's URL.`,
      `${settings} Grafana's server log names the reason; the URL must resolve from Grafana's server (in Docker, the service name, not localhost).`,
      GRAFANA_DOCS.tempoDataSource
    );
  }
  return checkResult(
    base,
    'fail',
    `Through the data source, /api/echo answered HTTP ${answer.status}${said}.`,
    answer.status === 404 ? `${settings} The URL must be Tempo's HTTP API (e.g. http://tempo:3200).` : settings,
    GRAFANA_DOCS.tempoDataSource
  );
}

/**
 * The service map is configured: the Tempo data source names a data source (`serviceMap.datasourceUid`), and
 * Grafana has it as a Prometheus data source (`GET /api/datasources/uid/<uid>`).
 */
export async function grafanaServiceMap(
  transport: HttpTransport,
  grafanaUrl: string,
  dataSourceCheck: DataSourceCheck,
  options: CheckOptions = {}
): Promise<Check> {
  const ds = dataSourceCheck.dataSource;
  if (!ds) {
    return checkResult(
      { ...start('grafana-service-map', 'Service map data source', dataSourceCheck.request.url) },
      'warn',
      'Not checked: no Tempo data source was found.'
    );
  }
  if (!ds.serviceMapUid) {
    return checkResult(
      start('grafana-service-map', 'Service map data source', dataSourceCheck.request.url),
      'warn',
      `The Tempo data source "${short(ds.name)}" has no service map data source (jsonData.serviceMap.datasourceUid).`,
      "In the Tempo data source settings, under Service graph, pick the Prometheus data source that receives the metrics-generator's metrics.",
      GRAFANA_DOCS.tempoDataSource
    );
  }
  const uid = ds.serviceMapUid;
  const base = start(
    'grafana-service-map',
    'Service map data source',
    joinUrl(grafanaUrl.trim(), `api/datasources/uid/${encodeURIComponent(uid)}`)
  );
  const answer = await probe(transport, 'GET', base.url, options);
  const pick = `In the Tempo data source "${short(ds.name)}" settings, under Service graph, pick the Prometheus data source that receives the metrics-generator's metrics.`;
  if (answer.ok && answer.status === 404) {
    return checkResult(
      base,
      'fail',
      `The Tempo data source's service map names the data source "${short(uid)}", but Grafana has no data source with uid "${short(uid)}".`,
      pick,
      GRAFANA_DOCS.tempoDataSource
    );
  }
  if (!answer.ok || answer.status !== 200) {
    return grafanaTrouble(base, answer, 'the service map data source');
  }
  const body = parse(answer.body);
  const type = isObject(body) && typeof body.type === 'string' ? body.type : undefined;
  const name = isObject(body) && typeof body.name === 'string' ? body.name : uid;
  if (type !== 'prometheus') {
    return checkResult(
      base,
      'fail',
      type
        ? `The service map names "${short(name)}" (uid ${short(uid)}), a ${short(type)} data source, not Prometheus.`
        : `${base.url} answered 200, but not with a data source${words(answer.body)}.`,
      pick,
      GRAFANA_DOCS.tempoDataSource
    );
  }
  return checkResult(
    base,
    'pass',
    `The service map reads the Prometheus data source "${short(name)}" (uid ${short(uid)}).`
  );
}

/**
 * Prometheus holds `traces_service_graph_request_total` (the service map's metric): asked directly when a
 * Prometheus URL is given, else through Grafana's data source proxy for the service map's data source. No series
 * warns: the metrics-generator's service-graphs processor is off, or its remote-write is not set.
 */
export async function prometheusServiceGraph(
  transport: HttpTransport,
  target: { prometheusUrl: string } | { grafanaUrl: string; datasourceUid: string },
  options: CheckOptions = {}
): Promise<Check> {
  const root =
    'prometheusUrl' in target
      ? target.prometheusUrl.trim()
      : joinUrl(target.grafanaUrl.trim(), `api/datasources/proxy/uid/${encodeURIComponent(target.datasourceUid)}`);
  const base = start(
    'prometheus-service-graph',
    'Service graph metrics',
    joinUrl(root, 'api/v1/query', { query: `count(${SERVICE_GRAPH_METRIC})` })
  );
  const answer = await probe(transport, 'GET', base.url, options);
  const body = answer.ok ? parse(answer.body) : undefined;
  const data = isObject(body) && body.status === 'success' && isObject(body.data) ? body.data : undefined;
  if (answer.ok && answer.status === 200 && data && Array.isArray(data.result)) {
    const first = data.result[0];
    const value = isObject(first) && Array.isArray(first.value) ? Number(first.value[1]) : 0;
    if (value > 0) {
      return checkResult(base, 'pass', `Prometheus holds ${value} ${SERVICE_GRAPH_METRIC} series.`);
    }
    return checkResult(
      base,
      'warn',
      `Prometheus has no ${SERVICE_GRAPH_METRIC} series: the service map will be empty.`,
      "Turn on the metrics-generator's service-graphs processor (metrics_generator.processors in the overrides) and " +
        'set its storage.remote_write to this Prometheus (which must accept remote write: --web.enable-remote-write-receiver).',
      GRAFANA_DOCS.serviceGraphs
    );
  }
  if (answer.ok && answer.status === 200) {
    return checkResult(
      base,
      'fail',
      `${base.url} answered 200, but not with a Prometheus query result${words(answer.body)}.`,
      "Point the URL at Prometheus's HTTP API (e.g. http://prometheus:9090).",
      GRAFANA_DOCS.serviceGraphs
    );
  }
  if ('grafanaUrl' in target) {
    if (answer.ok && answer.status === 404) {
      return checkResult(
        base,
        'fail',
        `Grafana has no data source with uid "${short(target.datasourceUid)}" (HTTP 404${words(errorText(answer.body))}), or it has no Prometheus API at its URL.`,
        "In the Tempo data source settings, under Service graph, pick the Prometheus data source that receives the metrics-generator's metrics.",
        GRAFANA_DOCS.serviceGraphs
      );
    }
    return grafanaTrouble(base, answer, 'the query through the Prometheus data source');
  }
  if (!answer.ok) {
    return checkResult(
      base,
      'fail',
      `Prometheus did not answer: ${answer.detail}.`,
      unreachableHint(answer.kind, "Prometheus's HTTP API (port 9090)", false),
      GRAFANA_DOCS.serviceGraphs
    );
  }
  const error = isObject(body) && typeof body.error === 'string' ? words(body.error) : words(answer.body);
  return checkResult(
    base,
    'fail',
    `Prometheus answered HTTP ${answer.status}${error}.`,
    answer.status === 401 || answer.status === 403
      ? 'Check the authentication the proxy in front of Prometheus expects.'
      : "Point the URL at Prometheus's HTTP API (e.g. http://prometheus:9090).",
    GRAFANA_DOCS.serviceGraphs
  );
}
