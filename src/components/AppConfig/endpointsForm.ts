import { useCallback, useMemo, useState } from 'react';
import {
  AUTH_KINDS,
  collectorBaseUrl,
  routeBaseUrl,
  describeBackendError,
  endpointAuthToSave,
  saveAppSettings,
  savedAuthKind,
  secretKeyOf,
  type AuthState,
  type EndpointAuthForm,
  type SecretEndpoint,
} from '../../grafana';
import { describeNonText, readRequestIdKeys } from '../../grafana/settings';
import { urlProblem } from '../../setup';
import { DEFAULT_REQUEST_ID_KEYS } from '../../tempo/traceql';
import type { AppJsonData, AppSecureKey } from '../../types';

/** What Grafana holds: the saved jsonData (any JSON, as provisioned) and which secrets are set. */
export interface SavedSettings {
  jsonData: Record<string, unknown>;
  secureJsonFields: Partial<Record<string, boolean>>;
}

export type UrlKey = 'tempoUrl' | 'collectorOtlpHttpUrl' | 'collectorHealthUrl' | 'prometheusUrl';
export type TextKey = UrlKey | 'tenant' | 'tempoDatasourceUid' | 'prometheusDatasourceUid';

export const URL_KEYS: readonly UrlKey[] = ['tempoUrl', 'collectorOtlpHttpUrl', 'collectorHealthUrl', 'prometheusUrl'];
export const TEXT_KEYS: readonly TextKey[] = [...URL_KEYS, 'tenant', 'tempoDatasourceUid', 'prometheusDatasourceUid'];
export const SECRET_ENDPOINTS: readonly SecretEndpoint[] = ['tempo', 'collector', 'prometheus'];

/**
 * Why a URL as typed cannot be used, or undefined (empty is allowed: the endpoint is not checked). src/setup's
 * urlProblem decides (the same kinds the checks, traceway doctor and the provisioning YAML use); this words it for
 * the form.
 */
export function validateUrl(value: string): string | undefined {
  const v = value.trim();
  if (v === '') {
    return undefined;
  }
  const problem = urlProblem(v);
  switch (problem?.kind) {
    case undefined:
      return undefined;
    case 'whitespace':
      return 'A URL has no spaces: remove them.';
    case 'host-port':
      return `Start with http:// or https://, e.g. ${problem.suggestion}`;
    case 'no-slashes':
      return `Write the scheme with two slashes: ${problem.suggestion}`;
    case 'not-url':
      return /^[a-z][a-z0-9+.-]*:\/\//i.test(v)
        ? `"${v}" is not a URL: check the host name and port, e.g. http://tempo:3200`
        : `Start with http:// or https://, e.g. http://${v}`;
    case 'scheme':
      return `Only http:// and https:// URLs are allowed, not ${problem.scheme}`;
    case 'credentials':
      return 'Remove the user and password from the URL and choose basic auth below: a URL is shown, a secret is not.';
    case 'query':
      return 'Remove the query (?…) or fragment (#…): the checks add their own paths to this URL.';
  }
}

/** The error of a text setting as provisioned or typed: text is required; URLs must be http(s). */
export function validateSetting(key: TextKey, value: unknown): string | undefined {
  const found = describeNonText(value);
  if (found) {
    return `jsonData.${key} is ${found}, not text. Type the value to replace it.`;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  if (key === 'tenant' && /[\r\n$]/.test(value)) {
    return 'A tenant ID is one line without $: give it as Tempo knows it.';
  }
  return (URL_KEYS as readonly string[]).includes(key) ? validateUrl(value) : undefined;
}

/** The request ID keys as typed, one a line: trimmed, blank lines and repeats dropped. */
export function parseKeyLines(text: string): string[] {
  const keys: string[] = [];
  for (const line of text.split('\n')) {
    const key = line.trim();
    if (key !== '' && !keys.includes(key)) {
      keys.push(key);
    }
  }
  return keys;
}

export const DEFAULT_KEYS_TEXT = DEFAULT_REQUEST_ID_KEYS.join('\n');
const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

function initialKeys(value: unknown): { text: string; problem?: string } {
  const { keys, problem } = readRequestIdKeys(value);
  if (problem) {
    return { text: '', problem };
  }
  return { text: keys ? keys.join('\n') : DEFAULT_KEYS_TEXT };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function initialAuth(saved: SavedSettings): Record<SecretEndpoint, EndpointAuthForm> {
  const out = {} as Record<SecretEndpoint, EndpointAuthForm>;
  for (const ep of SECRET_ENDPOINTS) {
    out[ep] = {
      kind: savedAuthKind(ep, saved.jsonData, saved.secureJsonFields),
      user: str(saved.jsonData[`${ep}User`]),
      secret: '',
      reset: false,
    };
  }
  return out;
}

/** The settings to save: text trimmed and empty text dropped; keys this page does not edit are kept as they are. */
function trimSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (typeof value !== 'string') {
      if (value !== undefined && value !== null) {
        out[key] = value;
      }
      continue;
    }
    const trimmed = value.trim();
    if (trimmed) {
      out[key] = trimmed;
    }
  }
  return out;
}

/** JSON with object keys sorted: the same settings in another key order are the same. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v
  );
}

export type SaveOutcome = { ok: true; notes: string[] } | { ok: false; error: string };

/** The endpoints form: its values, their errors, whether it differs from what is saved, and save(). */
export function useEndpointsForm(
  pluginId: string,
  meta: { enabled?: boolean; pinned?: boolean },
  saved: SavedSettings,
  onSaved: (s: SavedSettings) => void
) {
  const [settings, setSettings] = useState<Record<string, unknown>>(() => ({ ...saved.jsonData }));
  const [auth, setAuth] = useState(() => initialAuth(saved));
  const [keys, setKeys] = useState(() => ({ ...initialKeys(saved.jsonData.requestIdKeys), touched: false }));
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<SaveOutcome>();

  const errors: Partial<Record<TextKey, string>> = {};
  for (const key of TEXT_KEYS) {
    errors[key] = validateSetting(key, settings[key]);
  }
  const typedKeys = parseKeyLines(keys.text);
  const keysError =
    keys.problem && !keys.touched
      ? `${keys.problem}: the default keys are in use. Type the keys, one per line, or reset to the defaults.`
      : typedKeys.length === 0
        ? 'Type at least one attribute key, or reset to the defaults.'
        : undefined;

  const authSaves = useMemo(() => {
    const out = {} as Record<SecretEndpoint, ReturnType<typeof endpointAuthToSave>>;
    for (const ep of SECRET_ENDPOINTS) {
      const savedKind = savedAuthKind(ep, saved.jsonData, saved.secureJsonFields);
      out[ep] = endpointAuthToSave(
        ep,
        auth[ep],
        { kind: savedKind, user: str(saved.jsonData[`${ep}User`]) },
        saved.secureJsonFields
      );
    }
    return out;
  }, [auth, saved]);
  const authErrors = {} as Record<SecretEndpoint, string | undefined>;
  for (const ep of SECRET_ENDPOINTS) {
    authErrors[ep] = authSaves[ep].error;
  }
  /** Stored secrets a save would remove, to say before the click. */
  const wipes = SECRET_ENDPOINTS.flatMap((ep) => authSaves[ep].wipes);

  /** jsonData and secureJsonData as a save would send them. */
  const toSave = useMemo(() => {
    const jsonData: Record<string, unknown> = { ...settings };
    const secureJsonData: Partial<Record<AppSecureKey, string>> = {};
    for (const ep of SECRET_ENDPOINTS) {
      delete jsonData[`${ep}Auth`];
      delete jsonData[`${ep}User`];
      Object.assign(jsonData, authSaves[ep].jsonData);
      // A kind read from the stored secrets (provisioned before the wizard) is not a change worth saving.
      const savedKind = savedAuthKind(ep, saved.jsonData, saved.secureJsonFields);
      if (saved.jsonData[`${ep}Auth`] === undefined && auth[ep].kind === savedKind) {
        delete jsonData[`${ep}Auth`];
      }
      Object.assign(secureJsonData, authSaves[ep].secureJsonData);
      // "No auth" after a wipe is saved as such: Grafana keeps the wiped key (an encrypted ''), which would
      // otherwise read back as a provisioned Authorization.
      if (auth[ep].kind === 'none' && (authSaves[ep].wipes.length > 0 || saved.jsonData[`${ep}Auth`] === 'none')) {
        jsonData[`${ep}Auth`] = 'none';
      }
    }
    for (const key of ['tempoUrl', 'prometheusUrl'] as const) {
      if (typeof jsonData[key] === 'string') {
        jsonData[key] = routeBaseUrl(jsonData[key] as string);
      }
    }
    const otlp = str(jsonData.collectorOtlpHttpUrl);
    const base = collectorBaseUrl(otlp);
    jsonData.collectorOtlpHttpUrl = base.url;
    // The defaults are saved as unset, so a later release's defaults reach this install too.
    jsonData.requestIdKeys =
      keys.problem && !keys.touched
        ? saved.jsonData.requestIdKeys
        : sameKeys(typedKeys, DEFAULT_REQUEST_ID_KEYS)
          ? undefined
          : typedKeys;
    return { jsonData: trimSettings(jsonData), secureJsonData, stripped: base.stripped };
    // typedKeys is derived from keys.text
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings, authSaves, auth, keys, saved]);

  const dirty =
    stableJson(toSave.jsonData) !== stableJson(trimSettings(saved.jsonData)) ||
    Object.keys(toSave.secureJsonData).length > 0;
  const hasErrors =
    Object.values(errors).some(Boolean) || Boolean(keysError) || SECRET_ENDPOINTS.some((ep) => authErrors[ep]);

  const save = useCallback(async (): Promise<boolean> => {
    if (hasErrors) {
      setOutcome({ ok: false, error: 'Fix the fields marked in red first.' });
      return false;
    }
    setSaving(true);
    setOutcome(undefined);
    try {
      await saveAppSettings(pluginId, {
        enabled: meta.enabled,
        pinned: meta.pinned,
        jsonData: toSave.jsonData as AppJsonData,
        secureJsonData: toSave.secureJsonData,
      });
    } catch (e) {
      setOutcome({ ok: false, error: describeBackendError(e, 'Unknown error while saving the plugin settings.') });
      setSaving(false);
      return false;
    }
    const secureJsonFields = { ...saved.secureJsonFields };
    for (const [key, value] of Object.entries(toSave.secureJsonData)) {
      secureJsonFields[key] = value !== '';
    }
    const notes: string[] = [];
    if (toSave.stripped) {
      notes.push(
        `The Collector's OTLP/HTTP URL is saved without /v1/traces (${str(toSave.jsonData.collectorOtlpHttpUrl)}): the checks add it.`
      );
    }
    const next = { jsonData: toSave.jsonData, secureJsonFields };
    // The form shows what was saved: typed secrets become "configured", the stripped URL its base.
    setSettings({ ...toSave.jsonData });
    setAuth((a) => {
      const out = { ...a };
      for (const ep of SECRET_ENDPOINTS) {
        out[ep] = { ...a[ep], secret: '', reset: false };
      }
      return out;
    });
    setKeys((k) => ({ ...k, touched: false, problem: undefined }));
    setSaving(false);
    setOutcome({ ok: true, notes });
    onSaved(next);
    return true;
  }, [hasErrors, meta.enabled, meta.pinned, onSaved, pluginId, saved.secureJsonFields, toSave]);

  /** Whether the secret for the endpoint's chosen auth is stored (and not reset): SecretInput's "configured". */
  const secretConfigured = (ep: SecretEndpoint) => {
    const key = secretKeyOf(ep, auth[ep].kind);
    const savedKind = savedAuthKind(ep, saved.jsonData, saved.secureJsonFields);
    return Boolean(key && saved.secureJsonFields[key]) && auth[ep].kind === savedKind && !auth[ep].reset;
  };

  return {
    settings,
    setSetting: (key: TextKey, value: string) => setSettings((s) => ({ ...s, [key]: value })),
    errors,
    auth,
    setAuth: (ep: SecretEndpoint, change: Partial<EndpointAuthForm>) =>
      setAuth((a) => ({ ...a, [ep]: { ...a[ep], ...change } })),
    authErrors,
    /** The kinds to choose from; a provisioned Authorization value is its own choice, kept as it is. */
    authKinds: (ep: SecretEndpoint): readonly AuthState[] =>
      savedAuthKind(ep, saved.jsonData, saved.secureJsonFields) === 'provisioned'
        ? ['provisioned', ...AUTH_KINDS[ep]]
        : AUTH_KINDS[ep],
    secretConfigured,
    keys,
    setKeysText: (text: string) => setKeys((k) => ({ ...k, text, touched: true })),
    resetKeys: () => setKeys({ text: DEFAULT_KEYS_TEXT, touched: true }),
    keysError,
    dirty,
    wipes,
    hasErrors,
    saving,
    outcome,
    save,
  };
}

export type EndpointsForm = ReturnType<typeof useEndpointsForm>;
