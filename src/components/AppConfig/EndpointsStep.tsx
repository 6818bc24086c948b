import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';
import {
  Alert,
  Button,
  Field,
  FieldSet,
  Input,
  RadioButtonGroup,
  SecretInput,
  Stack,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import type { AuthState, SecretEndpoint } from '../../grafana';
import { testIds } from '../testIds';
import { DEFAULT_KEYS_TEXT, type EndpointsForm, type TextKey, type UrlKey } from './endpointsForm';

const ids = testIds.appConfig;

interface UrlSpec {
  key: UrlKey;
  label: string;
  description: string;
  placeholder: string;
}

const URL_FIELDS: Record<UrlKey, UrlSpec> = {
  tempoUrl: {
    key: 'tempoUrl',
    label: 'Tempo URL',
    description: "Tempo's HTTP API as Grafana's server reaches it (port 3200 by default).",
    placeholder: 'http://tempo:3200',
  },
  collectorOtlpHttpUrl: {
    key: 'collectorOtlpHttpUrl',
    label: 'Collector OTLP/HTTP URL',
    description:
      "The Collector's OTLP/HTTP receiver (port 4318 by default), without /v1/traces: the checks add it, and a trailing /v1/traces is removed on save.",
    placeholder: 'http://otel-collector:4318',
  },
  collectorHealthUrl: {
    key: 'collectorHealthUrl',
    label: 'Collector health check URL',
    description: "The Collector's health_check extension (port 13133 by default).",
    placeholder: 'http://otel-collector:13133',
  },
  prometheusUrl: {
    key: 'prometheusUrl',
    label: 'Prometheus URL',
    description: "Where Tempo's metrics-generator writes service-graph metrics, for the service-graph check.",
    placeholder: 'http://prometheus:9090',
  },
};

type PickerKey = 'tempoDatasourceUid' | 'prometheusDatasourceUid';

interface PickerSpec {
  pluginId: string;
  label: string;
  description: string;
  placeholder: string;
}

/** The data sources the pages read: a picker of one plugin type each. */
const PICKER_FIELDS: Record<PickerKey, PickerSpec> = {
  tempoDatasourceUid: {
    pluginId: 'tempo',
    label: 'Tempo data source',
    description: 'What Search and the Trace page query. Step 3 creates one if there is none.',
    placeholder: 'The one with uid tempo',
  },
  prometheusDatasourceUid: {
    pluginId: 'prometheus',
    label: 'Prometheus data source',
    description:
      "Where the service map reads service-graph metrics. Unset: the one in the Tempo data source's service map settings.",
    placeholder: "The Tempo data source's",
  },
};

const AUTH_LABELS: Record<AuthState, string> = {
  provisioned: 'Authorization header (provisioned)',
  none: 'None',
  basic: 'Basic',
  bearer: 'Bearer token',
  privateToken: 'PRIVATE-TOKEN header',
};

const ENDPOINT_NAMES: Record<SecretEndpoint, string> = {
  tempo: 'Tempo',
  collector: 'Collector',
  prometheus: 'Prometheus',
};

const getStyles = (theme: GrafanaTheme2) => ({
  keys: css({ maxWidth: 480, fontFamily: theme.typography.fontFamilyMonospace }),
  auth: css({
    borderLeft: `2px solid ${theme.colors.border.medium}`,
    paddingLeft: theme.spacing(2),
    marginBottom: theme.spacing(2),
  }),
});

interface Props {
  form: EndpointsForm;
}

/** Step 1: where Tempo, the Collector and Prometheus are, how to authenticate to them, and the data sources. */
export function EndpointsStep({ form }: Props) {
  const styles = useStyles2(getStyles);
  const text = (key: TextKey) => (typeof form.settings[key] === 'string' ? (form.settings[key] as string) : '');

  const urlField = (key: UrlKey) => {
    const spec = URL_FIELDS[key];
    const error = form.errors[key];
    return (
      <Field key={key} label={spec.label} description={spec.description} invalid={!!error} error={error}>
        <Input
          id={`traceway-${key}`}
          width={60}
          value={text(key)}
          placeholder={spec.placeholder}
          data-testid={ids.field(key)}
          onChange={(e) => form.setSetting(key, e.currentTarget.value)}
        />
      </Field>
    );
  };

  const pickerField = (key: PickerKey) => {
    const spec = PICKER_FIELDS[key];
    return (
      <div data-testid={ids.field(key)}>
        <Field label={spec.label} description={spec.description} invalid={!!form.errors[key]} error={form.errors[key]}>
          <DataSourcePicker
            inputId={`traceway-${key}`}
            pluginId={spec.pluginId}
            noDefault
            width={60}
            current={text(key) || null}
            placeholder={spec.placeholder}
            onChange={(ds) => form.setSetting(key, ds.uid)}
            onClear={() => form.setSetting(key, '')}
          />
        </Field>
      </div>
    );
  };

  const authFields = (ep: SecretEndpoint) => {
    const auth = form.auth[ep];
    const error = form.authErrors[ep];
    const name = ENDPOINT_NAMES[ep];
    const secretLabel =
      auth.kind === 'basic'
        ? 'Password'
        : auth.kind === 'bearer'
          ? 'Token'
          : auth.kind === 'provisioned'
            ? 'Authorization header value'
            : 'PRIVATE-TOKEN value';
    const secretDescription =
      auth.kind === 'provisioned'
        ? 'Provisioned without a kind of auth, so this page cannot tell basic from bearer: it is kept as it is. To replace it, choose a kind and type its secret; Reset removes it.'
        : auth.kind === 'basic'
          ? `Sent as Authorization: Basic base64(user:password). Stored encrypted; leave empty to keep the stored one.`
          : auth.kind === 'bearer'
            ? 'Sent as Authorization: Bearer <token>. Stored encrypted; leave empty to keep the stored one.'
            : "Sent as the PRIVATE-TOKEN header (GitLab-style). Grafana fixes a proxy route's header names, so the custom header is PRIVATE-TOKEN. Stored encrypted.";
    return (
      <div className={styles.auth} key={ep}>
        <Field
          label={`${name} auth`}
          description={`What Grafana's server sends to ${ep === 'collector' ? 'the Collector' : name} through the app's proxy route.`}
        >
          <div data-testid={ids.authKind(ep)}>
            <RadioButtonGroup<AuthState>
              size="sm"
              options={form.authKinds(ep).map((kind) => ({ label: AUTH_LABELS[kind], value: kind }))}
              value={auth.kind}
              onChange={(kind) => form.setAuth(ep, { kind, secret: '' })}
            />
          </div>
        </Field>
        {auth.kind === 'basic' && (
          <Field label="User">
            <Input
              id={`traceway-${ep}User`}
              width={40}
              value={auth.user}
              data-testid={ids.field(`${ep}User`)}
              onChange={(e) => form.setAuth(ep, { user: e.currentTarget.value })}
            />
          </Field>
        )}
        {auth.kind !== 'none' && (
          <Field label={secretLabel} description={secretDescription} invalid={!!error} error={error}>
            <SecretInput
              id={`traceway-${ep}Secret`}
              width={60}
              value={auth.secret}
              isConfigured={form.secretConfigured(ep)}
              placeholder={auth.kind === 'basic' ? 'password' : 'token'}
              data-testid={ids.secret(ep)}
              onChange={(e) => form.setAuth(ep, { secret: e.currentTarget.value })}
              onReset={() => form.setAuth(ep, { secret: '', reset: true })}
            />
          </Field>
        )}
        {auth.kind === 'none' && error && <Alert severity="error" title={error} />}
      </div>
    );
  };

  return (
    <Stack direction="column" gap={1}>
      <FieldSet label="Tempo">
        {urlField('tempoUrl')}
        <Field
          label="Tenant"
          description="A multi-tenant Tempo's tenant ID, sent as X-Scope-OrgID to Tempo and with the checks' test span. The Collector does not pass an inbound header on: its exporter to Tempo must set X-Scope-OrgID itself (step 3 has its YAML). Leave empty for a single-tenant Tempo."
          invalid={!!form.errors.tenant}
          error={form.errors.tenant}
        >
          <Input
            id="traceway-tenant"
            width={40}
            value={text('tenant')}
            placeholder="single-tenant"
            data-testid={ids.field('tenant')}
            onChange={(e) => form.setSetting('tenant', e.currentTarget.value)}
          />
        </Field>
        {authFields('tempo')}
      </FieldSet>
      <FieldSet label="OpenTelemetry Collector">
        {urlField('collectorOtlpHttpUrl')}
        {urlField('collectorHealthUrl')}
        {authFields('collector')}
      </FieldSet>
      <FieldSet label="Prometheus">
        {urlField('prometheusUrl')}
        {authFields('prometheus')}
      </FieldSet>
      <FieldSet label="Data sources the pages read">
        {pickerField('tempoDatasourceUid')}
        {pickerField('prometheusDatasourceUid')}
      </FieldSet>
      <FieldSet label="Search">
        <Field
          label="Request ID attribute keys"
          description="One attribute key per line. A request ID search looks for the ID in every key, at span and resource scope, in one TraceQL query."
          invalid={!!form.keysError}
          error={form.keysError}
        >
          <TextArea
            id="traceway-requestIdKeys"
            className={styles.keys}
            cols={60}
            rows={Math.min(12, Math.max(5, form.keys.text.split('\n').length + 1))}
            value={form.keys.text}
            placeholder={DEFAULT_KEYS_TEXT}
            spellCheck={false}
            data-testid={ids.field('requestIdKeys')}
            onChange={(e) => form.setKeysText(e.currentTarget.value)}
          />
        </Field>
        <Button
          type="button"
          variant="secondary"
          size="sm"
          icon="history"
          disabled={!form.keysError && form.keys.text === DEFAULT_KEYS_TEXT}
          data-testid={ids.requestIdKeysReset}
          onClick={form.resetKeys}
        >
          Reset to defaults
        </Button>
      </FieldSet>
    </Stack>
  );
}

/** The save button and what the last save did: shown under the form, and on the checks step when it is dirty. */
export function SaveBar({ form, onSaved }: { form: EndpointsForm; onSaved?: () => void }) {
  const outcome = form.outcome;
  return (
    <Stack direction="column" gap={1}>
      {outcome && !outcome.ok && (
        <Alert title="Settings were not saved" severity="error" data-testid={ids.error}>
          {outcome.error}
        </Alert>
      )}
      {outcome?.ok && !form.dirty && (
        <Alert title="Settings saved" severity="success" data-testid={ids.saved}>
          {outcome.notes.length > 0 ? outcome.notes.join(' ') : 'The checks in the next step use them.'}
        </Alert>
      )}
      {form.wipes.length > 0 && (
        <Alert title="Saving removes stored secrets" severity="warning" data-testid={ids.wipes}>
          {`Removed because the kind of auth changed or Reset was clicked: ${form.wipes.join(', ')}.`}
        </Alert>
      )}
      <Stack direction="row" gap={1} alignItems="center">
        <Button
          type="button"
          icon={form.saving ? 'spinner' : 'save'}
          disabled={form.hasErrors || form.saving || !form.dirty}
          data-testid={ids.submit}
          onClick={async () => {
            if ((await form.save()) && onSaved) {
              onSaved();
            }
          }}
        >
          {form.saving ? 'Saving…' : 'Save settings'}
        </Button>
        {!form.dirty && !form.saving && <span>No unsaved changes.</span>}
      </Stack>
    </Stack>
  );
}
