import { lastValueFrom } from 'rxjs';
import type { PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import type { AppJsonData } from '../types';

/** The Tempo data source UID when the app's settings name none: the one the compose stack provisions. */
export const DEFAULT_TEMPO_UID = 'tempo';

/** The app's settings with defaults filled in, as every page reads them. */
export function resolveSettings(jsonData: AppJsonData | undefined): AppJsonData & { tempoDatasourceUid: string } {
  return { ...jsonData, tempoDatasourceUid: jsonData?.tempoDatasourceUid?.trim() || DEFAULT_TEMPO_UID };
}

/** Saves the app's settings through Grafana's plugin settings API; only the secrets given are sent. */
export async function saveAppSettings(pluginId: string, data: Partial<PluginMeta<AppJsonData>>): Promise<void> {
  await lastValueFrom(
    getBackendSrv().fetch({
      url: `/api/plugins/${pluginId}/settings`,
      method: 'POST',
      data,
      showErrorAlert: false,
    })
  );
}

/** What went wrong with a call through backendSrv, in one sentence. */
export function describeBackendError(e: unknown, fallback: string): string {
  if (e && typeof e === 'object') {
    const err = e as { status?: number; data?: { message?: string }; message?: string };
    const message = err.data?.message ?? err.message;
    if (message) {
      return err.status ? `${message} (HTTP ${err.status})` : message;
    }
  }
  return fallback;
}
