import React, { useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import {
  Alert,
  Button,
  Checkbox,
  ClipboardButton,
  Combobox,
  Field,
  FieldSet,
  Input,
  RadioButtonGroup,
  SecretInput,
  Stack,
  Text,
  TextLink,
  useStyles2,
} from '@grafana/ui';
import {
  PRESETS,
  PRESET_NAMES,
  ProvisioningFormError,
  appProvisioningYaml,
  collectorExporterYaml,
  tempoDataSourceYaml,
  type AppSettingsForm,
  type AuthForm,
  type CollectorForm,
  type PresetName,
  type TempoForm,
} from '../../setup';
import {
  DataSourceSaveError,
  dataSourceUpdate,
  fieldsOfDataSource,
  loadDataSource,
  reloadDataSources,
  saveTempoDataSource,
  tempoDataSourceBody,
  updateTempoDataSource,
  type DataSourceFields,
  type DataSourceSaved,
  type ExistingDataSource,
} from '../../grafana';
import { dataSourceEditUrl } from '../../routes';
import { APP_SECURE_KEYS } from '../../types';
import { saveBlob } from '../files';
import { testIds } from '../testIds';

const ids = testIds.appConfig;

type AuthChoice = 'none' | AuthForm['kind'];

/** The data source form as typed: the preset's TempoForm plus what the page adds (the secret, never saved here). */
export interface DataSourceDraft {
  preset: PresetName;
  name: string;
  uid: string;
  url: string;
  tenant: string;
  auth: AuthChoice;
  user: string;
  headerName: string;
  /** The environment variable the YAML refers to. */
  secretEnv: string;
  /** The secret itself, for "Create data source" only: sent once to Grafana, which encrypts it. */
  secret: string;
  serviceMapUid: string;
  logsUid: string;
  metricsUid: string;
  /** "Make it the default data source": the API's and the YAML's isDefault. */
  makeDefault: boolean;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The draft from a preset and the saved endpoints: the endpoints win where set. */
export function draftFrom(preset: PresetName, jsonData: Record<string, unknown>): DataSourceDraft {
  const ds = PRESETS[preset].dataSource;
  const auth = ds.auth;
  return {
    preset,
    name: ds.name,
    uid: ds.uid,
    url: str(jsonData.tempoUrl) || ds.url,
    tenant: str(jsonData.tenant) || (ds.tenant ?? ''),
    auth: auth?.kind ?? 'none',
    user: auth?.user ?? '',
    headerName: auth?.headerName ?? 'PRIVATE-TOKEN',
    secretEnv: auth?.secretEnv ?? 'TEMPO_TOKEN',
    secret: '',
    serviceMapUid: str(jsonData.prometheusDatasourceUid) || (ds.serviceMapUid ?? ''),
    logsUid: ds.tracesToLogs?.datasourceUid ?? '',
    metricsUid: ds.tracesToMetrics?.datasourceUid ?? '',
    makeDefault: false,
  };
}

/** The fields an update compares with the data source as loaded. */
const fieldsOf = (draft: DataSourceDraft): DataSourceFields => ({
  name: draft.name,
  url: draft.url,
  tenant: draft.tenant,
  auth: draft.auth,
  user: draft.user,
  headerName: draft.headerName,
  serviceMapUid: draft.serviceMapUid,
  logsUid: draft.logsUid,
  metricsUid: draft.metricsUid,
  makeDefault: draft.makeDefault,
});

/** The provisioning form of a draft: the preset's settings, with the draft's fields over them. */
export function tempoFormOf(draft: DataSourceDraft): TempoForm {
  const base = PRESETS[draft.preset].dataSource;
  const form: TempoForm = {
    ...base,
    name: draft.name.trim(),
    uid: draft.uid.trim(),
    isDefault: draft.makeDefault,
    url: draft.url.trim(),
    tenant: draft.tenant.trim() || undefined,
    auth:
      draft.auth === 'none'
        ? undefined
        : {
            kind: draft.auth,
            secretEnv: draft.secretEnv.trim(),
            ...(draft.auth === 'basic' ? { user: draft.user.trim() } : {}),
            ...(draft.auth === 'header' ? { headerName: draft.headerName.trim() } : {}),
          },
    serviceMapUid: draft.serviceMapUid || undefined,
    tracesToLogs: draft.logsUid
      ? { datasourceUid: draft.logsUid, tags: [{ key: 'service.name', value: 'service_name' }] }
      : undefined,
    tracesToMetrics:
      draft.metricsUid && base.tracesToMetrics
        ? { ...base.tracesToMetrics, datasourceUid: draft.metricsUid }
        : undefined,
  };
  return form;
}

/**
 * The exporter's endpoint: the preset's, on the host of the Tempo URL typed when the preset sends to the same host
 * as its own Tempo URL (single-binary Tempo takes OTLP on :4318 of the host its API is on); a preset that exports
 * elsewhere (tempo-distributed's distributor) keeps its own.
 */
export function exporterEndpoint(presetEndpoint: string, presetTempoUrl: string, tempoUrl: string): string {
  try {
    const endpoint = new URL(presetEndpoint);
    if (endpoint.hostname !== new URL(presetTempoUrl).hostname) {
      return presetEndpoint;
    }
    endpoint.hostname = new URL(tempoUrl).hostname;
    return endpoint.href.replace(/\/$/, '');
  } catch {
    return presetEndpoint;
  }
}

function tryYaml(write: () => string): { yaml?: string; error?: string } {
  try {
    return { yaml: write() };
  } catch (e) {
    return { error: e instanceof ProvisioningFormError || e instanceof Error ? e.message : String(e) };
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.canvas,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1.5),
    margin: 0,
    maxHeight: 420,
    overflow: 'auto',
    whiteSpace: 'pre',
    maxWidth: '100%',
  }),
  section: css({ maxWidth: 900 }),
});

function YamlBlock({
  kind,
  title,
  description,
  text,
  error,
  fileName,
}: {
  kind: string;
  title: string;
  description: string;
  text?: string;
  error?: string;
  fileName: string;
}) {
  const styles = useStyles2(getStyles);
  return (
    <section className={styles.section} aria-label={title}>
      <Stack direction="column" gap={1}>
        <Stack direction="row" gap={1} alignItems="center" justifyContent="space-between" wrap="wrap">
          <Text element="h4">{title}</Text>
          {text !== undefined && (
            <Stack direction="row" gap={1}>
              <ClipboardButton
                size="sm"
                variant="secondary"
                icon="copy"
                getText={() => text}
                data-testid={ids.copy(kind)}
              >
                Copy
              </ClipboardButton>
              <Button
                size="sm"
                variant="secondary"
                icon="download-alt"
                data-testid={ids.download(kind)}
                onClick={() => saveBlob(new Blob([text], { type: 'application/yaml' }), fileName)}
              >
                Download {fileName}
              </Button>
            </Stack>
          )}
        </Stack>
        <Text color="secondary">{description}</Text>
        {error ? (
          <Alert severity="warning" title="The YAML cannot be written from this form" data-testid={ids.yamlError(kind)}>
            {error}
          </Alert>
        ) : (
          <pre className={styles.code} data-testid={ids.yaml(kind)} tabIndex={0}>
            {text}
          </pre>
        )}
      </Stack>
    </section>
  );
}

/** The data sources the Tempo data source links to: its service map, trace to metrics, trace to logs. */
const LINKED_PICKERS: Array<{
  key: 'serviceMapUid' | 'metricsUid' | 'logsUid';
  inputId: string;
  pluginId: string;
  label: string;
  description: string;
}> = [
  {
    key: 'serviceMapUid',
    inputId: 'traceway-ds-servicemap',
    pluginId: 'prometheus',
    label: 'Service map',
    description: "Prometheus with Tempo's service-graph metrics.",
  },
  {
    key: 'metricsUid',
    inputId: 'traceway-ds-metrics',
    pluginId: 'prometheus',
    label: 'Trace to metrics',
    description: "Prometheus with Tempo's span metrics.",
  },
  {
    key: 'logsUid',
    inputId: 'traceway-ds-logs',
    pluginId: 'loki',
    label: 'Trace to logs',
    description: 'Loki, by service.name.',
  },
];

const AUTH_OPTIONS: Array<{ label: string; value: AuthChoice }> = [
  { label: 'None', value: 'none' },
  { label: 'Basic', value: 'basic' },
  { label: 'Bearer token', value: 'bearer' },
  { label: 'Custom header', value: 'header' },
];

interface Props {
  jsonData: Record<string, unknown>;
  secureJsonFields: Partial<Record<string, boolean>>;
  /** Makes the created data source the app's Tempo data source (when none is set). */
  onUseDataSource: (uid: string) => Promise<void>;
}

/** Step 3: the Tempo data source, created or updated through Grafana's API, or as YAML to provision it. */
export function DataSourceStep({ jsonData, secureJsonFields, onUseDataSource }: Props) {
  const [draft, setDraft] = useState(() => draftFrom('single-binary', jsonData));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<DataSourceSaved & { madeAppDefault: boolean }>();
  const [error, setError] = useState<string>();
  /** The data source the uid names, as Grafana has it: an update starts from it and sends only the changes. */
  const [loadedState, setLoaded] = useState<{
    existing: ExistingDataSource;
    fields: DataSourceFields;
    tenantStored: boolean;
  }>();
  const [reloads, setReloads] = useState(0);
  /** Fields typed while the data source was loading: its answer does not overwrite them. */
  const typedWhileLoading = useRef(new Set<string>());
  const set = (change: Partial<DataSourceDraft>) => {
    Object.keys(change).forEach((k) => typedWhileLoading.current.add(k));
    setDraft((d) => ({ ...d, ...change }));
    setSaved(undefined);
    setError(undefined);
  };
  const uid = draft.uid.trim();
  // What was loaded for another uid (typed since) is not this one's.
  const loaded = loadedState?.existing.uid === uid ? loadedState : undefined;
  useEffect(() => {
    let current = true;
    typedWhileLoading.current = new Set();
    if (!/^[a-zA-Z0-9_-]{1,40}$/.test(uid)) {
      return;
    }
    loadDataSource(uid)
      .then((existing) => {
        if (!current || !existing || existing.type !== 'tempo') {
          return;
        }
        const { tenantStored, ...fields } = fieldsOfDataSource(existing);
        setLoaded({ existing, fields, tenantStored });
        // The form shows the data source as it is; a tenant it lacks is proposed from the app's settings.
        const typed = typedWhileLoading.current;
        setDraft((d) => {
          const next: DataSourceDraft = { ...d, ...fields, tenant: tenantStored ? '' : d.tenant, secret: '' };
          for (const key of typed) {
            (next as unknown as Record<string, unknown>)[key] = (d as unknown as Record<string, unknown>)[key];
          }
          return next;
        });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [uid, reloads]);
  const form = useMemo(() => tempoFormOf(draft), [draft]);
  const dsYaml = useMemo(() => tryYaml(() => tempoDataSourceYaml(form)), [form]);
  const appYaml = useMemo(
    () =>
      tryYaml(() =>
        appProvisioningYaml({
          ...(jsonData as AppSettingsForm),
          tempoDatasourceUid: form.uid || undefined,
          requestIdKeys: Array.isArray(jsonData.requestIdKeys) ? (jsonData.requestIdKeys as string[]) : undefined,
          secretEnv: Object.fromEntries(
            APP_SECURE_KEYS.filter((key) => secureJsonFields[key]).map((key) => [
              key,
              key.replace(/([A-Z])/g, '_$1').toUpperCase(),
            ])
          ),
        })
      ),
    [form.uid, jsonData, secureJsonFields]
  );
  const collectorYaml = useMemo(() => {
    const preset = PRESETS[draft.preset].collector;
    const collector: CollectorForm = {
      ...preset,
      endpoint: exporterEndpoint(preset.endpoint, PRESETS[draft.preset].dataSource.url, form.url),
      tenant: form.tenant,
      // Basic auth needs the Collector's basicauth extension (said next to the YAML), not a header.
      auth: form.auth?.kind === 'basic' ? undefined : (form.auth ?? preset.auth),
    };
    return tryYaml(() => collectorExporterYaml(collector));
  }, [draft.preset, form]);

  const update = useMemo(
    () =>
      loaded &&
      dataSourceUpdate(
        loaded.existing,
        loaded.fields,
        fieldsOf(draft),
        draft.secret,
        PRESETS[draft.preset].dataSource.tracesToMetrics?.queries
      ),
    [loaded, draft]
  );
  /** Why Create cannot run: the API body's own problems (not the YAML's env var), or a missing secret. */
  const createError = useMemo(() => {
    if (loaded) {
      return undefined;
    }
    try {
      tempoDataSourceBody(form);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    if (draft.auth !== 'none' && draft.secret.trim() === '') {
      return `Type the ${draft.auth === 'basic' ? 'password' : draft.auth === 'bearer' ? 'token' : 'header value'}: Create sends it once to Grafana.`;
    }
    return undefined;
  }, [loaded, form, draft.auth, draft.secret]);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const result =
        loaded && update
          ? await updateTempoDataSource(loaded.existing, update.body)
          : await saveTempoDataSource(tempoDataSourceBody(form, draft.secret === '' ? undefined : draft.secret));
      await reloadDataSources().catch(() => undefined);
      const madeAppDefault = !str(jsonData.tempoDatasourceUid);
      if (madeAppDefault) {
        await onUseDataSource(result.uid);
      }
      setDraft((d) => ({ ...d, secret: '' }));
      setSaved({ ...result, madeAppDefault });
      setReloads((n) => n + 1);
    } catch (e) {
      setError(
        e instanceof DataSourceSaveError || e instanceof ProvisioningFormError || e instanceof Error
          ? e.message
          : String(e)
      );
      if (e instanceof DataSourceSaveError && e.status === 409) {
        // The uid exists after all (created elsewhere meanwhile): load it, so that the next click updates it.
        setReloads((n) => n + 1);
      }
    } finally {
      setBusy(false);
    }
  };

  const existing = loaded?.existing;
  const blocked = existing ? (update?.error ?? (update?.changes.length === 0 ? 'nothing' : undefined)) : createError;
  const secretLabel = draft.auth === 'basic' ? 'Password' : draft.auth === 'bearer' ? 'Token' : 'Header value';
  return (
    <Stack direction="column" gap={3}>
      <FieldSet label="Tempo data source">
        <Field label="Start from" description={PRESETS[draft.preset].description}>
          <Combobox<PresetName>
            id="traceway-ds-preset"
            width={40}
            options={PRESET_NAMES.map((name) => ({ label: name, value: name, description: PRESETS[name].description }))}
            value={draft.preset}
            onChange={(option) => option && setDraft({ ...draftFrom(option.value, jsonData), secret: '' })}
            data-testid={ids.dsPreset}
          />
        </Field>
        <Stack direction="row" gap={2} wrap="wrap">
          <Field label="Name" required description="As pickers show it.">
            <Input
              id="traceway-ds-name"
              width={30}
              value={draft.name}
              data-testid={ids.dsField('name')}
              onChange={(e) => set({ name: e.currentTarget.value })}
            />
          </Field>
          <Field label="UID" required description="Letters, digits, - and _.">
            <Input
              id="traceway-ds-uid"
              width={24}
              value={draft.uid}
              data-testid={ids.dsField('uid')}
              onChange={(e) => set({ uid: e.currentTarget.value })}
            />
          </Field>
        </Stack>
        <Field label="URL" description="Tempo's HTTP API as Grafana's server reaches it.">
          <Input
            id="traceway-ds-url"
            width={60}
            value={draft.url}
            data-testid={ids.dsField('url')}
            onChange={(e) => set({ url: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Tenant"
          description={
            loaded?.tenantStored
              ? 'The data source sends a stored X-Scope-OrgID (not shown: Grafana keeps it secret). Empty keeps it; type to replace it.'
              : 'Sent as X-Scope-OrgID; empty for a single-tenant Tempo.'
          }
        >
          <Input
            id="traceway-ds-tenant"
            width={30}
            value={draft.tenant}
            data-testid={ids.dsField('tenant')}
            onChange={(e) => set({ tenant: e.currentTarget.value })}
          />
        </Field>
        <Field label="Auth">
          <RadioButtonGroup<AuthChoice>
            size="sm"
            options={AUTH_OPTIONS}
            value={draft.auth}
            onChange={(auth) => set({ auth })}
          />
        </Field>
        {draft.auth !== 'none' && (
          <Stack direction="row" gap={2} wrap="wrap">
            {draft.auth === 'basic' && (
              <Field label="User">
                <Input
                  id="traceway-ds-user"
                  width={20}
                  value={draft.user}
                  onChange={(e) => set({ user: e.currentTarget.value })}
                />
              </Field>
            )}
            {draft.auth === 'header' && (
              <Field label="Header name">
                <Input
                  id="traceway-ds-header"
                  width={20}
                  value={draft.headerName}
                  onChange={(e) => set({ headerName: e.currentTarget.value })}
                />
              </Field>
            )}
            <Field label="Environment variable" description="What the YAML refers to; set it where Grafana runs.">
              <Input
                id="traceway-ds-env"
                width={24}
                value={draft.secretEnv}
                data-testid={ids.dsField('secretEnv')}
                onChange={(e) => set({ secretEnv: e.currentTarget.value })}
              />
            </Field>
            <Field
              label={secretLabel}
              description={
                existing && draft.auth === loaded?.fields.auth
                  ? 'Sent once to Grafana, which stores it encrypted. Empty keeps the stored one.'
                  : 'Sent once to Grafana, which stores it encrypted. Required: nothing is stored for this kind of auth.'
              }
            >
              <SecretInput
                id="traceway-ds-secret"
                width={30}
                value={draft.secret}
                isConfigured={false}
                data-testid={ids.dsField('secret')}
                onChange={(e) => set({ secret: e.currentTarget.value })}
                onReset={() => set({ secret: '' })}
              />
            </Field>
          </Stack>
        )}
        <Stack direction="row" gap={2} wrap="wrap">
          {LINKED_PICKERS.map(({ key, inputId, pluginId, label, description }) => (
            <Field key={key} label={label} description={description}>
              <DataSourcePicker
                inputId={inputId}
                pluginId={pluginId}
                noDefault
                width={30}
                current={draft[key] || null}
                onChange={(ds) => set({ [key]: ds.uid })}
                onClear={() => set({ [key]: '' })}
              />
            </Field>
          ))}
        </Stack>
        <Checkbox
          label="Make it the default data source"
          description="The org's default data source, through the API and in the YAML (isDefault). Off: the default stays as it is."
          value={draft.makeDefault}
          data-testid={ids.dsField('makeDefault')}
          onChange={(e) => set({ makeDefault: e.currentTarget.checked })}
        />
        <Stack direction="column" gap={1}>
          {existing && update && (
            <Alert
              severity={update.error ? 'warning' : 'info'}
              title={
                update.changes.length === 0
                  ? `Nothing to update: the form matches "${existing.name}" as Grafana has it`
                  : `Updating "${existing.name}" (uid ${existing.uid}) only:`
              }
              data-testid={ids.dsChanges}
            >
              {update.changes.length > 0 && (
                <ul>
                  {update.changes.map((c) => (
                    <li key={c}>{c}</li>
                  ))}
                </ul>
              )}
              {update.error ??
                'Everything else in the data source (TLS, headers, links, search settings) stays as it is.'}
            </Alert>
          )}
          {!existing && createError && <Text color="secondary">{createError}</Text>}
          {error && (
            <Alert severity="error" title="The data source was not saved" data-testid={ids.dsError}>
              {error}
            </Alert>
          )}
          {saved && (
            <Alert severity="success" title={`Data source ${saved.action}`} data-testid={ids.dsSaved}>
              <Stack direction="column" gap={0.5}>
                <span>
                  {saved.action === 'created' ? 'Created' : 'Updated'}{' '}
                  <TextLink href={dataSourceEditUrl(saved.uid)} inline>
                    {saved.name}
                  </TextLink>{' '}
                  (uid {saved.uid}).
                  {saved.madeAppDefault ? ' Traceway now reads it.' : ''}
                </span>
              </Stack>
            </Alert>
          )}
          <div>
            <Button
              icon={busy ? 'spinner' : 'plus'}
              disabled={busy || !!blocked}
              data-testid={ids.dsCreate}
              onClick={() => void create()}
            >
              {busy
                ? 'Saving…'
                : existing
                  ? `Update data source "${existing.name}" (uid ${existing.uid})`
                  : 'Create data source'}
            </Button>
          </div>
        </Stack>
      </FieldSet>
      <YamlBlock
        kind="datasource"
        title="Provision it instead"
        description="Put this in Grafana's provisioning/datasources/. Secrets are environment variable references, never the values."
        text={dsYaml.yaml}
        error={dsYaml.error}
        fileName="datasources.yaml"
      />
      <YamlBlock
        kind="app"
        title="Traceway's settings"
        description="The settings of step 1 for provisioning/plugins/. Secrets as environment variables."
        text={appYaml.yaml}
        error={appYaml.error}
        fileName="traceway.yaml"
      />
      <YamlBlock
        kind="collector"
        title="The Collector's exporter to Tempo"
        description="Add it to the OpenTelemetry Collector's configuration and to service.pipelines.traces.exporters."
        text={collectorYaml.yaml}
        error={collectorYaml.error}
        fileName="collector-exporter.yaml"
      />
      {draft.auth === 'basic' && (
        <Alert
          severity="warning"
          title="The exporter needs the Collector's basicauth extension"
          data-testid={ids.yamlError('collector-basic')}
        >
          This YAML sends no credentials: with basic auth, configure the basicauth extension (client_auth with the user
          and password) under extensions, add it to service.extensions, and set auth.authenticator on the exporter.
        </Alert>
      )}
    </Stack>
  );
}
