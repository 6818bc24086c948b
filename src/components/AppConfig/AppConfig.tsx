import React, { FormEvent, useState } from 'react';
import { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { css } from '@emotion/css';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, TextArea } from '@grafana/ui';
import { testIds } from '../testIds';
import { APP_SECURE_KEYS, AppJsonData, AppSecureKey } from '../../types';
import { describeBackendError, saveAppSettings } from '../../grafana';
import { describeNonText, readRequestIdKeys } from '../../grafana/settings';
import { DEFAULT_REQUEST_ID_KEYS } from '../../tempo/traceql';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppJsonData>> {}

type UrlKey = 'tempoUrl' | 'prometheusUrl' | 'collectorOtlpHttpUrl' | 'collectorHealthUrl';
type UidKey = 'tempoDatasourceUid' | 'prometheusDatasourceUid';

interface TextFieldSpec<K> {
  key: K;
  label: string;
  description: string;
  placeholder: string;
}

const UID_FIELDS: Array<TextFieldSpec<UidKey>> = [
  {
    key: 'tempoDatasourceUid',
    label: 'Tempo data source UID',
    description: 'The data source that search and the trace page query.',
    placeholder: 'tempo',
  },
  {
    key: 'prometheusDatasourceUid',
    label: 'Prometheus data source UID',
    description: "Where Tempo's metrics-generator writes service-graph metrics.",
    placeholder: 'prometheus',
  },
];

const URL_FIELDS: Array<TextFieldSpec<UrlKey>> = [
  {
    key: 'tempoUrl',
    label: 'Tempo URL',
    description: "Tempo's HTTP API as Grafana's server reaches it (port 3200 by default).",
    placeholder: 'http://tempo:3200',
  },
  {
    key: 'prometheusUrl',
    label: 'Prometheus URL',
    description: 'For checking that service-graph metrics arrive.',
    placeholder: 'http://prometheus:9090',
  },
  {
    key: 'collectorOtlpHttpUrl',
    label: 'Collector OTLP/HTTP URL',
    description: 'Where the setup check sends its canary span (port 4318 by default).',
    placeholder: 'http://otel-collector:4318',
  },
  {
    key: 'collectorHealthUrl',
    label: 'Collector health check URL',
    description: "The Collector's health_check extension (port 13133 by default).",
    placeholder: 'http://otel-collector:13133',
  },
];

const SECRET_LABELS: Record<AppSecureKey, string> = {
  tempoAuthorization: 'Tempo Authorization header',
  prometheusAuthorization: 'Prometheus Authorization header',
  collectorAuthorization: 'Collector Authorization header',
  tempoPrivateToken: 'Tempo PRIVATE-TOKEN header',
  collectorPrivateToken: 'Collector PRIVATE-TOKEN header',
};

/** Returns an error message for a URL field, or undefined when it is empty or a valid http(s) URL. */
export function validateUrl(value: string): string | undefined {
  if (value === '') {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL. Write it in full, e.g. http://tempo:3200`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Only http and https URLs are allowed, not ${url.protocol}`;
  }
  return undefined;
}

/**
 * The error of a text setting as provisioned or typed: a value that is not text (YAML's `tempoUrl: 3200` is a
 * number) names the key and what was found; a URL field must hold an http(s) URL.
 */
export function validateSetting(key: keyof AppJsonData, value: unknown, isUrl: boolean): string | undefined {
  const found = describeNonText(value);
  if (found) {
    return `jsonData.${key} is ${found}, not text. Type the value to replace it.`;
  }
  return isUrl && typeof value === 'string' ? validateUrl(value.trim()) : undefined;
}

/** The error of a secret as typed: only spaces would be saved as a configured, empty header. */
export function validateSecret(value: string): string | undefined {
  return value !== '' && value.trim() === ''
    ? 'Only spaces: type the header value, e.g. Bearer <token>, or clear the field.'
    : undefined;
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

// As wide as the other fields (Input width={60}: 60 grid units of 8 px).
const KEYS_WIDTH = css({ maxWidth: 480 });

const DEFAULT_KEYS_TEXT = DEFAULT_REQUEST_ID_KEYS.join('\n');

const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

/** The request ID keys field's starting text and, for a provisioned value that cannot be used, what was found. */
function initialKeys(value: unknown): { text: string; problem?: string } {
  const { keys, problem } = readRequestIdKeys(value);
  if (problem) {
    return { text: '', problem };
  }
  return { text: keys ? keys.join('\n') : DEFAULT_KEYS_TEXT };
}

type SecretState = Record<AppSecureKey, { configured: boolean; value: string; reset: boolean }>;

const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  // jsonData as provisioned: any JSON, whatever AppJsonData says.
  const [settings, setSettings] = useState<Record<string, unknown>>(() =>
    jsonData && typeof jsonData === 'object' && !Array.isArray(jsonData) ? { ...jsonData } : {}
  );
  const [secrets, setSecrets] = useState<SecretState>(() =>
    APP_SECURE_KEYS.reduce((acc, key) => {
      acc[key] = { configured: Boolean(secureJsonFields?.[key]), value: '', reset: false };
      return acc;
    }, {} as SecretState)
  );
  const [keys, setKeys] = useState(() => ({ ...initialKeys(settings.requestIdKeys), touched: false }));
  const [saveError, setSaveError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const uidErrors = UID_FIELDS.map(({ key }) => validateSetting(key, settings[key], false));
  const urlErrors = URL_FIELDS.map(({ key }) => validateSetting(key, settings[key], true));
  const secretErrors = APP_SECURE_KEYS.map((key) => validateSecret(secrets[key].value));
  const typedKeys = parseKeyLines(keys.text);
  const keysError =
    keys.problem && !keys.touched
      ? `${keys.problem}: the default keys are in use. Type the keys, one per line, or reset to the defaults.`
      : typedKeys.length === 0
        ? 'Type at least one attribute key, or reset to the defaults.'
        : undefined;
  const hasErrors = [...uidErrors, ...urlErrors, ...secretErrors, keysError].some(Boolean);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (hasErrors) {
      return;
    }
    // Only secrets the user typed or reset are sent: the stored ones are never read back.
    const secureJsonData: Partial<Record<AppSecureKey, string>> = {};
    for (const key of APP_SECURE_KEYS) {
      const value = secrets[key].value.trim();
      if (value !== '' || secrets[key].reset) {
        secureJsonData[key] = value;
      }
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      // The defaults are saved as unset, so a later release's defaults reach this install too.
      const toSave = {
        ...settings,
        requestIdKeys: sameKeys(typedKeys, DEFAULT_REQUEST_ID_KEYS) ? undefined : typedKeys,
      };
      await saveAppSettings(plugin.meta.id, { enabled, pinned, jsonData: trimSettings(toSave), secureJsonData });
      // Grafana hands plugin settings to the app only on load.
      window.location.reload();
    } catch (e) {
      setSaveError(describeBackendError(e, 'Unknown error while saving the plugin settings.'));
      setSaving(false);
    }
  };

  const renderTextField = (
    {
      key,
      label,
      description,
      placeholder,
    }: { key: UidKey | UrlKey; label: string; description: string; placeholder: string },
    error?: string
  ) => (
    <Field key={key} label={label} description={description} invalid={!!error} error={error}>
      <Input
        id={`traceway-${key}`}
        width={60}
        value={typeof settings[key] === 'string' ? settings[key] : ''}
        placeholder={placeholder}
        data-testid={testIds.appConfig.field(key)}
        onChange={(e) => setSettings({ ...settings, [key]: e.currentTarget.value })}
      />
    </Field>
  );

  return (
    <form onSubmit={onSubmit} data-testid={testIds.appConfig.container}>
      <FieldSet label="Data sources">{UID_FIELDS.map((field, i) => renderTextField(field, uidErrors[i]))}</FieldSet>
      <FieldSet label="Search">
        <Field
          label="Request ID attribute keys"
          description="One attribute key per line. A request ID search looks for the ID in every key, at span and resource scope, in one TraceQL query."
          invalid={!!keysError}
          error={keysError}
        >
          <TextArea
            id="traceway-requestIdKeys"
            className={KEYS_WIDTH}
            cols={60}
            rows={Math.min(12, Math.max(5, keys.text.split('\n').length + 1))}
            value={keys.text}
            placeholder={DEFAULT_KEYS_TEXT}
            spellCheck={false}
            data-testid={testIds.appConfig.field('requestIdKeys')}
            onChange={(e) => setKeys({ ...keys, text: e.currentTarget.value, touched: true })}
          />
        </Field>
        <Button
          type="button"
          variant="secondary"
          size="sm"
          icon="history"
          disabled={!keysError && keys.text === DEFAULT_KEYS_TEXT}
          data-testid={testIds.appConfig.requestIdKeysReset}
          onClick={() => setKeys({ text: DEFAULT_KEYS_TEXT, touched: true })}
        >
          Reset to defaults
        </Button>
      </FieldSet>
      <FieldSet label="Endpoints for the setup checks">
        {URL_FIELDS.map((field, i) => renderTextField(field, urlErrors[i]))}
        {APP_SECURE_KEYS.map((key, i) => (
          <Field
            key={key}
            label={SECRET_LABELS[key]}
            description="Optional, e.g. Bearer <token>. Stored encrypted."
            invalid={!!secretErrors[i]}
            error={secretErrors[i]}
          >
            <SecretInput
              id={`traceway-${key}`}
              width={60}
              value={secrets[key].value}
              isConfigured={secrets[key].configured}
              placeholder="Not set"
              data-testid={testIds.appConfig.field(key)}
              onChange={(e) => setSecrets({ ...secrets, [key]: { ...secrets[key], value: e.currentTarget.value } })}
              onReset={() => setSecrets({ ...secrets, [key]: { configured: false, value: '', reset: true } })}
            />
          </Field>
        ))}
      </FieldSet>
      <Stack direction="column" gap={2}>
        {saveError && (
          <Alert title="Settings were not saved" severity="error" data-testid={testIds.appConfig.error}>
            {saveError}
          </Alert>
        )}
        <div>
          <Button type="submit" disabled={hasErrors || saving} data-testid={testIds.appConfig.submit}>
            {saving ? 'Saving…' : 'Save settings'}
          </Button>
        </div>
      </Stack>
    </form>
  );
};

export default AppConfig;

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
