import { TempoClient } from '../tempo';
import { dataSourceProxyUrl } from './urls';
import { grafanaTransport } from './transport';

/** A Tempo client over Grafana's proxy for this data source, as the Search page and the Trace page use it. */
export function tempoClientFor(datasourceUid: string): TempoClient {
  return new TempoClient(dataSourceProxyUrl(datasourceUid), grafanaTransport());
}

const REMEMBERED = 'traceway.search.datasource';

/** The Tempo data source the user last searched, remembered in this browser. */
export function rememberedDataSource(): string | undefined {
  try {
    return window.localStorage.getItem(REMEMBERED) ?? undefined;
  } catch {
    // Storage can be disabled (privacy settings): then nothing is remembered.
    return undefined;
  }
}

export function rememberDataSource(uid: string): void {
  try {
    window.localStorage.setItem(REMEMBERED, uid);
  } catch {
    // See rememberedDataSource.
  }
}
