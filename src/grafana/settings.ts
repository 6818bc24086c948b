import { lastValueFrom } from 'rxjs';
import type { PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import type { AppJsonData } from '../types';

/** The Tempo data source UID when the app's settings name none: the one the compose stack provisions. */
export const DEFAULT_TEMPO_UID = 'tempo';

/** Every key of the app's jsonData, each a text setting. */
export const APP_SETTING_KEYS: ReadonlyArray<keyof AppJsonData> = [
  'tempoDatasourceUid',
  'prometheusDatasourceUid',
  'tempoUrl',
  'prometheusUrl',
  'collectorOtlpHttpUrl',
  'collectorHealthUrl',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a jsonData value is when it is not the text a setting needs, in words ("the number 3200", "an object
 * ({"url":"x"})"); undefined for text and for an unset value (undefined or null). Provisioning files are
 * YAML, where `tempoUrl: 3200` is a number: the type says string, the data need not.
 */
export function describeNonText(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'string') {
    return undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `the ${typeof value} ${String(value)}`;
  }
  if (typeof value === 'object') {
    let json: string;
    try {
      json = JSON.stringify(value) ?? '';
    } catch {
      json = '';
    }
    const shown = json.length > 40 ? json.slice(0, 39) + '…' : json;
    const what = Array.isArray(value) ? 'a list' : 'an object';
    return shown ? `${what} (${shown})` : what;
  }
  return `a ${typeof value}`;
}

/**
 * The app's settings with defaults filled in, as every page reads them: the known settings that are
 * non-empty text, trimmed. A value of another type (provisioned as a number, an object...) is ignored
 * as if unset; the configuration page says what it found.
 */
export function resolveSettings(jsonData: unknown): AppJsonData & { tempoDatasourceUid: string } {
  const source = isRecord(jsonData) ? jsonData : {};
  const settings: AppJsonData = {};
  for (const key of APP_SETTING_KEYS) {
    const value = source[key];
    if (typeof value === 'string' && value.trim() !== '') {
      settings[key] = value.trim();
    }
  }
  return { ...settings, tempoDatasourceUid: settings.tempoDatasourceUid ?? DEFAULT_TEMPO_UID };
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
