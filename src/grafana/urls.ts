import pluginJson from '../plugin.json';

/** Grafana's proxy to a data source, by UID: what the browser calls instead of Tempo or Prometheus. */
export function dataSourceProxyUrl(uid: string): string {
  return `/api/datasources/proxy/uid/${encodeURIComponent(uid)}`;
}

/** One of the app's own proxy routes (plugin.json `routes`), which add the secrets on Grafana's server. */
export function pluginProxyUrl(route: string): string {
  return `/api/plugin-proxy/${pluginJson.id}/${route.replace(/^\/+/, '')}`;
}
