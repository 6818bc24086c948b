import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/** App routes, relative to PLUGIN_BASE_URL. */
export enum ROUTES {
  Search = 'search',
  Trace = 'trace',
  ServiceMap = 'service-map',
}

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}
