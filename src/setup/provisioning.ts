/**
 * Provisioning YAML from the setup form: Grafana's Tempo data source, the Traceway app, and an OpenTelemetry
 * Collector exporter for Tempo. Secrets never appear in the output: only the names of environment variables,
 * which Grafana (`$VAR`) and the Collector (`${env:VAR}`) expand when they load the file.
 */
import { Document, isMap, isSeq, parseDocument } from 'yaml';
import type { AppJsonData, AppSecureKey } from '../types';
import { urlProblem } from './url';

export type AuthKind = 'bearer' | 'basic' | 'header';

export interface AuthForm {
  kind: AuthKind;
  /** The environment variable holding the token, password or header value, e.g. TEMPO_TOKEN. Never the secret. */
  secretEnv: string;
  /** basic: the user name (not a secret). */
  user?: string;
  /** header: the header's name, e.g. PRIVATE-TOKEN. */
  headerName?: string;
}

export interface TempoForm {
  name: string;
  uid: string;
  url: string;
  isDefault?: boolean;
  editable?: boolean;
  /** A multi-tenant Tempo's tenant, sent as X-Scope-OrgID (not a secret). */
  tenant?: string;
  auth?: AuthForm;
  tracesToLogs?: { datasourceUid: string; tags?: Array<{ key: string; value?: string }> };
  tracesToMetrics?: {
    datasourceUid: string;
    tags?: Array<{ key: string; value?: string }>;
    queries?: Array<{ name: string; query: string }>;
    spanStartTimeShift?: string;
    spanEndTimeShift?: string;
  };
  /** The Prometheus data source holding Tempo's service-graph metrics. */
  serviceMapUid?: string;
  nodeGraph?: boolean;
  search?: { hide?: boolean; filters?: Array<{ id: string; tag: string; operator: string; scope: string }> };
  streaming?: { search: boolean; metrics: boolean };
  spanBar?: { type: 'None' | 'Duration' | 'Tag'; tag?: string };
  timeShift?: { start: string; end: string };
}

/** Thrown for a form that cannot be written safely; `field` is the form's path, e.g. `auth.secretEnv`. */
export class ProvisioningFormError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string
  ) {
    super(`${field}: ${problem}`);
    this.name = 'ProvisioningFormError';
  }
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const TENANT_HEADER = 'X-Scope-OrgID';

/** The env var name, or an error that never repeats the value (it may be the secret pasted by mistake). */
function envName(field: string, value: string | undefined): string {
  const v = (value ?? '').replace(/^\$\{?([^}]*)\}?$/, '$1');
  if (!v) {
    throw new ProvisioningFormError(
      field,
      'the name of the environment variable holding the secret is required, e.g. TEMPO_TOKEN'
    );
  }
  if (!ENV_NAME.test(v)) {
    throw new ProvisioningFormError(
      field,
      `expected the name of an environment variable (letters, digits and _, such as TEMPO_TOKEN), got ${value!.length} characters that are not one; ` +
        'never put the secret itself in provisioning: export it in the environment Grafana runs in'
    );
  }
  return v;
}

function checkUrl(field: string, value: string): void {
  const problem = urlProblem(value);
  switch (problem?.kind) {
    case undefined:
      return;
    case 'whitespace':
      throw new ProvisioningFormError(field, 'holds a space or another blank: remove it');
    case 'host-port':
      throw new ProvisioningFormError(
        field,
        `is a host and port without a scheme: write ${problem.suggestion.slice(0, 200)}`
      );
    case 'no-slashes':
    case 'scheme':
      throw new ProvisioningFormError(field, 'expected an http:// or https:// URL such as http://tempo:3200');
    case 'not-url':
      throw new ProvisioningFormError(field, `is not a URL: give an address such as http://tempo:3200`);
    case 'credentials':
      throw new ProvisioningFormError(field, "holds credentials: remove them and use the form's auth instead");
    case 'query':
      throw new ProvisioningFormError(
        field,
        'has a query or fragment: give the base URL (Grafana adds its paths to it)'
      );
  }
}

/** `$` is Grafana provisioning's env-var marker; `$$` keeps a literal one (e.g. `$__tags` in a query). */
const escapeDollar = (s: string) => s.replace(/\$/g, '$$$$');
export const unescapeDollar = (s: string) => s.replace(/\$\$/g, '$');

interface Headers {
  jsonData: Record<string, unknown>;
  secure: Record<string, string>;
}

/** Tenant and auth as Grafana's custom headers (httpHeaderNameN / secureJsonData.httpHeaderValueN) or basic auth. */
function headersOf(form: TempoForm, ds: Record<string, unknown>): Headers {
  const jsonData: Record<string, unknown> = {};
  const secure: Record<string, string> = {};
  let n = 0;
  const add = (name: string, value: string) => {
    n++;
    jsonData[`httpHeaderName${n}`] = name;
    secure[`httpHeaderValue${n}`] = value;
  };
  if (form.tenant !== undefined && form.tenant !== '') {
    if (/[\r\n\0$]/.test(form.tenant)) {
      throw new ProvisioningFormError('tenant', 'holds a line break or a $: give the tenant ID as Tempo knows it');
    }
    add(TENANT_HEADER, form.tenant);
  }
  const auth = form.auth;
  if (auth) {
    const env = envName('auth.secretEnv', auth.secretEnv);
    if (auth.kind === 'bearer') {
      add('Authorization', `Bearer \${${env}}`);
    } else if (auth.kind === 'header') {
      const name = auth.headerName ?? '';
      if (!HEADER_NAME.test(name)) {
        throw new ProvisioningFormError(
          'auth.headerName',
          'expected a header name such as PRIVATE-TOKEN (letters, digits, -)'
        );
      }
      add(name, `\${${env}}`);
    } else if (auth.kind === 'basic') {
      if (!auth.user) {
        throw new ProvisioningFormError('auth.user', 'is required for basic auth: the user name (not a secret)');
      }
      ds.basicAuth = true;
      ds.basicAuthUser = auth.user;
      secure.basicAuthPassword = `\${${env}}`;
    } else {
      throw new ProvisioningFormError('auth.kind', `expected bearer, basic or header`);
    }
  }
  return { jsonData, secure };
}

/** The data source entry (a plain object in the key order Grafana's docs use). */
export function tempoDataSource(form: TempoForm): Record<string, unknown> {
  if (!form.name?.trim()) {
    throw new ProvisioningFormError('name', 'the data source needs a name, e.g. Tempo');
  }
  if (!/^[a-zA-Z0-9_-]{1,40}$/.test(form.uid ?? '')) {
    throw new ProvisioningFormError('uid', 'expected 1 to 40 letters, digits, - or _, e.g. tempo');
  }
  checkUrl('url', form.url);
  const ds: Record<string, unknown> = {
    name: form.name,
    type: 'tempo',
    uid: form.uid,
    access: 'proxy',
    url: form.url,
  };
  if (form.isDefault !== undefined) {
    ds.isDefault = form.isDefault;
  }
  if (form.editable !== undefined) {
    ds.editable = form.editable;
  }
  const { jsonData: headerData, secure } = headersOf(form, ds);
  const jsonData: Record<string, unknown> = { ...headerData };
  if (form.tracesToLogs) {
    jsonData.tracesToLogsV2 = {
      datasourceUid: form.tracesToLogs.datasourceUid,
      ...(form.tracesToLogs.tags ? { tags: form.tracesToLogs.tags } : {}),
    };
  }
  if (form.serviceMapUid) {
    jsonData.serviceMap = { datasourceUid: form.serviceMapUid };
  }
  if (form.nodeGraph !== undefined) {
    jsonData.nodeGraph = { enabled: form.nodeGraph };
  }
  if (form.search) {
    jsonData.search = { ...form.search };
  }
  if (form.streaming) {
    jsonData.streamingEnabled = { search: form.streaming.search, metrics: form.streaming.metrics };
  }
  if (form.spanBar) {
    jsonData.spanBar = { type: form.spanBar.type, ...(form.spanBar.tag ? { tag: form.spanBar.tag } : {}) };
  }
  if (form.timeShift) {
    jsonData.traceQuery = {
      timeShiftEnabled: true,
      spanStartTimeShift: form.timeShift.start,
      spanEndTimeShift: form.timeShift.end,
    };
  }
  const ttm = form.tracesToMetrics;
  if (ttm) {
    jsonData.tracesToMetrics = {
      datasourceUid: ttm.datasourceUid,
      ...(ttm.spanStartTimeShift ? { spanStartTimeShift: ttm.spanStartTimeShift } : {}),
      ...(ttm.spanEndTimeShift ? { spanEndTimeShift: ttm.spanEndTimeShift } : {}),
      ...(ttm.tags ? { tags: ttm.tags } : {}),
      ...(ttm.queries ? { queries: ttm.queries.map((q) => ({ name: q.name, query: escapeDollar(q.query) })) } : {}),
    };
  }
  if (Object.keys(jsonData).length > 0) {
    ds.jsonData = jsonData;
  }
  if (Object.keys(secure).length > 0) {
    ds.secureJsonData = secure;
  }
  return ds;
}

function stringify(doc: Document): string {
  // Quote strings that YAML would otherwise read as numbers or booleans, and never fold long lines.
  return doc.toString({ lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
}

/** Grafana data source provisioning YAML (provisioning/datasources/*.yaml) for one Tempo data source. */
export function tempoDataSourceYaml(form: TempoForm): string {
  const doc = new Document({ apiVersion: 1, datasources: [tempoDataSource(form)] });
  doc.commentBefore =
    ' Tempo data source for Grafana, written by traceway. Secrets are environment variable references:' +
    '\n set them where Grafana runs.';
  return stringify(doc);
}

/** The app's settings as provisioned (provisioning/plugins/*.yaml). */
export interface AppSettingsForm extends AppJsonData {
  orgId?: number;
  /** Env var names for the optional Authorization header values of the proxy routes. */
  secretEnv?: Partial<Record<AppSecureKey, string>>;
}

export const APP_ID = 'traceway-explorer-app';

export function appProvisioningYaml(settings: AppSettingsForm): string {
  const jsonData: Record<string, unknown> = {};
  for (const key of ['tempoDatasourceUid', 'prometheusDatasourceUid'] as const) {
    if (settings[key]) {
      jsonData[key] = settings[key];
    }
  }
  for (const key of ['tempoUrl', 'prometheusUrl', 'collectorOtlpHttpUrl', 'collectorHealthUrl'] as const) {
    const v = settings[key];
    if (v) {
      checkUrl(key, v);
      jsonData[key] = v;
    }
  }
  // The tenant and how each proxy route authenticates (the wizard's settings; the secrets are below).
  for (const key of [
    'tenant',
    'tempoAuth',
    'tempoUser',
    'collectorAuth',
    'collectorUser',
    'prometheusAuth',
    'prometheusUser',
  ] as const) {
    if (settings[key]) {
      jsonData[key] = settings[key];
    }
  }
  if (settings.requestIdKeys?.length) {
    jsonData.requestIdKeys = settings.requestIdKeys;
  }
  const app: Record<string, unknown> = { type: APP_ID, org_id: settings.orgId ?? 1, disabled: false, jsonData };
  const secure: Record<string, string> = {};
  for (const [key, env] of Object.entries(settings.secretEnv ?? {})) {
    if (env !== undefined) {
      secure[key] = `\${${envName(`secretEnv.${key}`, env)}}`;
    }
  }
  if (Object.keys(secure).length > 0) {
    app.secureJsonData = secure;
  }
  const doc = new Document({ apiVersion: 1, apps: [app] });
  doc.commentBefore = ' Traceway app settings for Grafana, written by traceway.';
  return stringify(doc);
}

export interface CollectorForm {
  /** Tempo's OTLP receiver: http(s)://host:4318 for OTLP/HTTP, host:4317 (or http(s)://host:4317) for gRPC. */
  endpoint: string;
  protocol: 'http' | 'grpc';
  tenant?: string;
  auth?: AuthForm;
}

/** An OpenTelemetry Collector `exporters:` snippet sending to Tempo, headers from the environment. */
export function collectorExporterYaml(form: CollectorForm): string {
  const endpoint = form.endpoint ?? '';
  if (form.protocol === 'http') {
    checkUrl('endpoint', endpoint);
  } else if (!/^([a-z]+:\/\/)?[^\s/:]+:\d+\/?$/i.test(endpoint)) {
    throw new ProvisioningFormError('endpoint', 'expected host:port for OTLP/gRPC, e.g. tempo:4317');
  }
  const headers: Record<string, string> = {};
  if (form.tenant) {
    headers[TENANT_HEADER] = form.tenant;
  }
  if (form.auth) {
    const env = envName('auth.secretEnv', form.auth.secretEnv);
    if (form.auth.kind === 'bearer') {
      headers.Authorization = `Bearer \${env:${env}}`;
    } else if (form.auth.kind === 'header') {
      const name = form.auth.headerName ?? '';
      if (!HEADER_NAME.test(name)) {
        throw new ProvisioningFormError(
          'auth.headerName',
          'expected a header name such as PRIVATE-TOKEN (letters, digits, -)'
        );
      }
      headers[name] = `\${env:${env}}`;
    } else {
      throw new ProvisioningFormError(
        'auth.kind',
        'basic auth in the Collector needs the basicauth extension; use bearer or header here'
      );
    }
  }
  const exporter: Record<string, unknown> = { endpoint };
  if (form.protocol === 'grpc' && !/^https:\/\//i.test(endpoint)) {
    // gRPC without a scheme dials TLS; an in-cluster Tempo usually listens in plain text.
    exporter.tls = { insecure: true };
  }
  if (Object.keys(headers).length > 0) {
    exporter.headers = headers;
  }
  const name = form.protocol === 'http' ? 'otlphttp/tempo' : 'otlp/tempo';
  const doc = new Document({ exporters: { [name]: exporter } });
  doc.commentBefore = ` Add ${name} to service.pipelines.traces.exporters in the Collector's configuration.`;
  return stringify(doc);
}

/** The form back from a data source entry of provisioning YAML: the inverse of tempoDataSourceYaml. */
export function tempoFormFromYaml(text: string, index = 0): TempoForm {
  const doc = parseDocument(text);
  const list = doc.get('datasources');
  if (!isSeq(list) || !isMap(list.items[index])) {
    throw new Error(`no data source #${index + 1} in the YAML`);
  }
  const ds = (list.items[index] as { toJSON(): Record<string, unknown> }).toJSON();
  const jd = (ds.jsonData ?? {}) as Record<string, any>;
  const secure = (ds.secureJsonData ?? {}) as Record<string, string>;
  const form: TempoForm = { name: String(ds.name), uid: String(ds.uid), url: String(ds.url) };
  if (ds.isDefault !== undefined) {
    form.isDefault = Boolean(ds.isDefault);
  }
  if (ds.editable !== undefined) {
    form.editable = Boolean(ds.editable);
  }
  const env = (v: string) => /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}/.exec(v)?.[1] ?? '';
  for (let n = 1; jd[`httpHeaderName${n}`] !== undefined; n++) {
    const name = String(jd[`httpHeaderName${n}`]);
    const value = String(secure[`httpHeaderValue${n}`] ?? '');
    if (name === TENANT_HEADER) {
      form.tenant = value;
    } else if (name === 'Authorization' && value.startsWith('Bearer ')) {
      form.auth = { kind: 'bearer', secretEnv: env(value) };
    } else {
      form.auth = { kind: 'header', headerName: name, secretEnv: env(value) };
    }
  }
  if (ds.basicAuth) {
    form.auth = { kind: 'basic', user: String(ds.basicAuthUser), secretEnv: env(secure.basicAuthPassword ?? '') };
  }
  if (jd.tracesToLogsV2) {
    form.tracesToLogs = { ...jd.tracesToLogsV2 };
  }
  if (jd.serviceMap?.datasourceUid) {
    form.serviceMapUid = jd.serviceMap.datasourceUid;
  }
  if (jd.nodeGraph) {
    form.nodeGraph = Boolean(jd.nodeGraph.enabled);
  }
  if (jd.search) {
    form.search = { ...jd.search };
  }
  if (jd.streamingEnabled) {
    form.streaming = { search: Boolean(jd.streamingEnabled.search), metrics: Boolean(jd.streamingEnabled.metrics) };
  }
  if (jd.spanBar) {
    form.spanBar = { ...jd.spanBar };
  }
  if (jd.traceQuery?.timeShiftEnabled) {
    form.timeShift = { start: jd.traceQuery.spanStartTimeShift, end: jd.traceQuery.spanEndTimeShift };
  }
  if (jd.tracesToMetrics) {
    const t = jd.tracesToMetrics;
    form.tracesToMetrics = {
      ...t,
      ...(t.queries
        ? { queries: t.queries.map((q: { name: string; query: string }) => ({ ...q, query: unescapeDollar(q.query) })) }
        : {}),
    };
  }
  return form;
}
