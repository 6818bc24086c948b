import { lastValueFrom } from 'rxjs';
import type { PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { isObject } from '../http';
import type { AppJsonData, AppTextSettingKey } from '../types';
import { DEFAULT_REQUEST_ID_KEYS } from '../tempo/traceql';

/** The Tempo data source UID when the app's settings name none: the one the compose stack provisions. */
export const DEFAULT_TEMPO_UID = 'tempo';

/** The app's text settings in jsonData; `requestIdKeys`, a list, is read by `readRequestIdKeys`. */
export const APP_SETTING_KEYS: readonly AppTextSettingKey[] = [
  'tempoDatasourceUid',
  'prometheusDatasourceUid',
  'tempoUrl',
  'prometheusUrl',
  'collectorOtlpHttpUrl',
  'collectorHealthUrl',
];

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
 * The request ID keys in a jsonData value: `keys` (trimmed, without repeats) for a list of non-empty
 * strings; `problem` saying what was found for anything else, in words for the configuration page;
 * neither when unset (undefined or null). An empty list is a problem too: it would search no key at all.
 */
export function readRequestIdKeys(value: unknown): { keys?: string[]; problem?: string } {
  if (value === undefined || value === null) {
    return {};
  }
  if (!Array.isArray(value)) {
    const found = typeof value === 'string' ? `the text ${JSON.stringify(shorten(value))}` : describeNonText(value);
    return { problem: `jsonData.requestIdKeys is ${found}, not a list of attribute keys` };
  }
  if (value.length === 0) {
    return { problem: 'jsonData.requestIdKeys is an empty list' };
  }
  const keys: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string' || item.trim() === '') {
      const found = typeof item === 'string' ? 'empty text' : item === null ? 'null' : describeNonText(item);
      return { problem: `jsonData.requestIdKeys[${i}] is ${found}, not an attribute key` };
    }
    if (!keys.includes(item.trim())) {
      keys.push(item.trim());
    }
  }
  return { keys };
}

function shorten(text: string): string {
  return text.length > 40 ? text.slice(0, 39) + '…' : text;
}

/** The app's settings as every page reads them, defaults filled in. */
export type ResolvedSettings = Omit<AppJsonData, 'tempoDatasourceUid' | 'requestIdKeys'> & {
  tempoDatasourceUid: string;
  requestIdKeys: string[];
};

/**
 * The app's settings with defaults filled in, as every page reads them: the known text settings that are
 * non-empty, trimmed, and the request ID keys. A value of another type (provisioned as a number, an
 * object...) is ignored as if unset; the configuration page says what it found.
 */
export function resolveSettings(jsonData: unknown): ResolvedSettings {
  const source = isObject(jsonData) ? jsonData : {};
  const settings: Omit<AppJsonData, 'requestIdKeys'> = {};
  for (const key of APP_SETTING_KEYS) {
    const value = source[key];
    if (typeof value === 'string' && value.trim() !== '') {
      settings[key] = value.trim();
    }
  }
  return {
    ...settings,
    tempoDatasourceUid: settings.tempoDatasourceUid ?? DEFAULT_TEMPO_UID,
    requestIdKeys: readRequestIdKeys(source.requestIdKeys).keys ?? [...DEFAULT_REQUEST_ID_KEYS],
  };
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
