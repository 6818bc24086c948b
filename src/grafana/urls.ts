import pluginJson from '../plugin.json';

interface BootData {
  settings?: { appSubUrl?: unknown };
}

/**
 * The path Grafana is served under (`root_url` …/grafana/ with serve_from_sub_path): `config.appSubUrl`, read from
 * the same boot data `config` is built from ('' at the root). Every URL the app fetches from Grafana starts with it.
 */
export function appSubUrl(): string {
  const boot = (globalThis as unknown as { grafanaBootData?: BootData }).grafanaBootData;
  const sub = boot?.settings?.appSubUrl;
  return typeof sub === 'string' ? sub.replace(/\/+$/, '') : '';
}

/** A path of Grafana's own HTTP API (`/api/…`) as this page must fetch it: under Grafana's sub-path, if any. */
export function grafanaApiUrl(path: string): string {
  return `${appSubUrl()}/${path.replace(/^\/+/, '')}`;
}

/** Grafana's proxy to a data source, by UID: what the browser calls instead of Tempo or Prometheus. */
export function dataSourceProxyUrl(uid: string): string {
  return grafanaApiUrl(`/api/datasources/proxy/uid/${encodeURIComponent(uid)}`);
}

/** One of the app's own proxy routes (plugin.json `routes`), which add the secrets on Grafana's server. */
export function pluginProxyUrl(route: string): string {
  return grafanaApiUrl(`/api/plugin-proxy/${pluginJson.id}/${route.replace(/^\/+/, '')}`);
}
