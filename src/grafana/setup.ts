/**
 * The setup wizard's Grafana side: the check plan through the app's proxy routes, the secrets a save sends, and
 * the Tempo data source created or updated through Grafana's data source API.
 */
import { getDataSourceSrv } from '@grafana/runtime';
import { isObject, type HttpTransport } from '../http';
import { tempoDataSource, unescapeDollar, type CheckPlan, type TempoForm } from '../setup';
import type { AppJsonData, AppSecureKey, EndpointAuthKind } from '../types';
import { currentOrgId, grafanaTransport } from './transport';
import { appSubUrl, dataSourceProxyUrl, grafanaApiUrl, pluginProxyUrl } from './urls';
import { DEFAULT_TEMPO_UID } from './settings';

/**
 * The plan the wizard runs. It is CheckPlan plus the contract's additions (proxied, tenantlessUrl, grafana,
 * prometheus, canary), spelled out here so that this file compiles before and after src/setup/checks has them.
 */
export type WizardCheckPlan = CheckPlan & {
  proxied?: Record<string, string>;
  tempo?: { url: string; tenant?: string; tenantlessUrl?: string };
  grafana?: { url: string; tempoDatasourceUid?: string };
  prometheus?: { url: string };
  canary?: { timeoutMs?: number; pollIntervalMs?: number };
};

const text = (source: Record<string, unknown>, key: keyof AppJsonData): string | undefined => {
  const value = source[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/**
 * The checks of the SAVED settings, through the app's proxy routes (Grafana's server adds the URL, the tenant and
 * the secrets, so there is no CORS and no secret in the browser). `proxied` maps each route to the URL it stands
 * for, so that results name the upstream; the Grafana checks use the page's own origin and session.
 */
export function checkPlanFromSettings(jsonData: unknown, transport?: HttpTransport): WizardCheckPlan {
  const source = isObject(jsonData) ? jsonData : {};
  const tempoUid = text(source, 'tempoDatasourceUid') ?? DEFAULT_TEMPO_UID;
  // Grafana's "Authentication to data source failed" names the back end the request went to: the Tempo data
  // source's proxy, or (the service-graph check) the Prometheus one's. The app's own routes are left as they are.
  const tempoProxy = `${dataSourceProxyUrl(tempoUid)}/`;
  transport ??= grafanaTransport((url) =>
    url.startsWith(tempoProxy)
      ? 'Tempo'
      : url.startsWith(grafanaApiUrl('/api/datasources/proxy/'))
        ? 'Prometheus'
        : undefined
  );
  const plan: WizardCheckPlan = { transport, proxied: {} };
  const proxied = plan.proxied!;
  const route = (name: string, upstream: string) => {
    const path = pluginProxyUrl(name);
    proxied[path] = upstream;
    return path;
  };
  const healthUrl = text(source, 'collectorHealthUrl');
  const otlpHttpUrl = text(source, 'collectorOtlpHttpUrl');
  if (healthUrl || otlpHttpUrl) {
    plan.collector = {
      ...(healthUrl ? { healthUrl: route('collector-health', healthUrl) } : {}),
      ...(otlpHttpUrl ? { otlpHttpUrl: route('collector-otlp', otlpHttpUrl) } : {}),
    };
  }
  const tempoUrl = text(source, 'tempoUrl');
  const tenant = text(source, 'tenant');
  if (tempoUrl) {
    plan.tempo = {
      url: route('tempo', tempoUrl),
      // The route sets X-Scope-OrgID itself; the checks need the tenant to read the answers.
      ...(tenant ? { tenant } : {}),
      tenantlessUrl: route('tenantless-tempo', tempoUrl),
    };
  }
  const prometheusUrl = text(source, 'prometheusUrl');
  if (prometheusUrl) {
    plan.prometheus = { url: route('prometheus', prometheusUrl) };
  }
  // The page's own origin, under Grafana's sub-path.
  plan.grafana = { url: appSubUrl(), tempoDatasourceUid: tempoUid };
  if (otlpHttpUrl && tempoUrl) {
    plan.canary = {};
  }
  return plan;
}

const TRACES_PATH = /\/v1\/traces\/*$/i;

/**
 * A base URL as the app's proxy routes need it: Grafana appends `/ready`, `/api/...` to the saved value, so a
 * trailing slash would make Tempo's `//ready` (which it does not serve).
 */
export function routeBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** The Collector's OTLP/HTTP base URL as stored: without a trailing `/v1/traces`, which the checks append. */
export function collectorBaseUrl(url: string): { url: string; stripped: boolean } {
  const trimmed = url.trim();
  if (!TRACES_PATH.test(trimmed)) {
    return { url: routeBaseUrl(trimmed), stripped: false };
  }
  return { url: routeBaseUrl(trimmed.replace(TRACES_PATH, '')), stripped: true };
}

/** The endpoints whose proxy routes carry secrets; only Tempo's and the Collector's route send PRIVATE-TOKEN. */
export type SecretEndpoint = 'tempo' | 'collector' | 'prometheus';

export const AUTH_KINDS: Record<SecretEndpoint, readonly EndpointAuthKind[]> = {
  tempo: ['none', 'basic', 'bearer', 'privateToken'],
  collector: ['none', 'basic', 'bearer', 'privateToken'],
  prometheus: ['none', 'basic', 'bearer'],
};

const authorizationKey = (endpoint: SecretEndpoint) => `${endpoint}Authorization` as AppSecureKey;
const privateTokenKey = (endpoint: SecretEndpoint) =>
  endpoint === 'prometheus' ? undefined : (`${endpoint}PrivateToken` as AppSecureKey);

/** The secret a kind of auth is stored in. */
export function secretKeyOf(endpoint: SecretEndpoint, kind: AuthState): AppSecureKey | undefined {
  if (kind === 'none') {
    return undefined;
  }
  if (kind === 'provisioned') {
    return authorizationKey(endpoint);
  }
  return kind === 'privateToken' ? privateTokenKey(endpoint) : authorizationKey(endpoint);
}

/**
 * An endpoint's auth as the page shows it: a kind the wizard saves, or `provisioned`, an Authorization value stored
 * without `jsonData.<endpoint>Auth` (provisioned by hand). The browser cannot read a secret, so the page does not
 * guess whether it is basic or bearer: it keeps it as it is until the user picks a kind and types a secret.
 */
export type AuthState = EndpointAuthKind | 'provisioned';

/**
 * The kind of auth as saved: `jsonData.<endpoint>Auth` when it is one; otherwise read from which secret is
 * stored (an Authorization value is `provisioned`, a PRIVATE-TOKEN value can only be a private token).
 */
export function savedAuthKind(
  endpoint: SecretEndpoint,
  jsonData: Record<string, unknown>,
  secureJsonFields: Partial<Record<string, boolean>> | undefined
): AuthState {
  const value = jsonData[`${endpoint}Auth`];
  if (typeof value === 'string' && (AUTH_KINDS[endpoint] as readonly string[]).includes(value)) {
    return value as EndpointAuthKind;
  }
  if (secureJsonFields?.[authorizationKey(endpoint)]) {
    return 'provisioned';
  }
  const token = privateTokenKey(endpoint);
  return token && secureJsonFields?.[token] ? 'privateToken' : 'none';
}

/** Base64 of the UTF-8 bytes (btoa alone refuses anything beyond Latin-1). */
function base64Utf8(value: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(value)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

/** The header value a typed secret becomes: `Basic base64(user:password)`, `Bearer <token>`, or the token. */
export function composeSecret(kind: EndpointAuthKind, secret: string, user = ''): string {
  if (kind === 'basic') {
    return `Basic ${base64Utf8(`${user}:${secret}`)}`;
  }
  if (kind === 'bearer') {
    // A pasted "Bearer xyz" is taken as the token xyz, not "Bearer Bearer xyz".
    return `Bearer ${secret.replace(/^bearer\s+/i, '')}`;
  }
  return secret;
}

/** One endpoint's auth as the form holds it. */
export interface EndpointAuthForm {
  kind: AuthState;
  /** basic: the user name. */
  user: string;
  /** The password or token as typed; '' keeps the stored one. */
  secret: string;
  /** The user clicked Reset on the stored secret. */
  reset: boolean;
}

/** What saving one endpoint's auth sends, or why it cannot be saved. */
export interface EndpointAuthSave {
  jsonData: Partial<AppJsonData>;
  secureJsonData: Partial<Record<AppSecureKey, string>>;
  /** Stored secrets this save removes (sent as ''), for the page to say before the click. */
  wipes: AppSecureKey[];
  error?: string;
}

/**
 * The jsonData and secureJsonData one endpoint's auth saves. Only changed secrets are sent: an empty field keeps
 * the stored secret and Reset sends '' (which wipes it). When the user changes the kind of auth, a stored secret of
 * the other kind is wiped, since the route would otherwise send both headers; an unchanged kind wipes nothing, so
 * opening the page and saving something else never loses a secret. `wipes` names what the save removes.
 * Secrets are sent as typed (a password may start or end with a space); whitespace alone is refused.
 */
export function endpointAuthToSave(
  endpoint: SecretEndpoint,
  form: EndpointAuthForm,
  saved: { kind: AuthState; user?: string },
  secureJsonFields: Partial<Record<string, boolean>> | undefined
): EndpointAuthSave {
  const out: EndpointAuthSave = { jsonData: {}, secureJsonData: {}, wipes: [] };
  const kind = form.kind;
  const key = secretKeyOf(endpoint, kind);
  const wipe = (k: AppSecureKey) => {
    out.secureJsonData[k] = '';
    out.wipes.push(k);
  };
  if (kind !== saved.kind) {
    for (const other of [authorizationKey(endpoint), privateTokenKey(endpoint)]) {
      if (other && other !== key && secureJsonFields?.[other]) {
        wipe(other);
      }
    }
  }
  if (kind === 'none' || !key) {
    return out;
  }
  if (kind === 'provisioned') {
    // Kept as provisioned; only Reset removes it.
    if (form.reset && secureJsonFields?.[key]) {
      wipe(key);
    }
    if (form.secret !== '') {
      out.error = 'Choose Basic or Bearer token above for the secret you typed: this page cannot tell which it is.';
    }
    return out;
  }
  const user = form.user.trim();
  out.jsonData[`${endpoint}Auth`] = kind;
  if (kind === 'basic') {
    out.jsonData[`${endpoint}User`] = user;
  }
  const secret = form.secret;
  const typed = secret.trim() !== '';
  if (typed) {
    out.secureJsonData[key] = composeSecret(kind, secret, user);
  } else if (form.reset && secureJsonFields?.[key]) {
    wipe(key);
  }
  const stored = Boolean(secureJsonFields?.[key]) && !form.reset;
  const what = kind === 'basic' ? 'the password' : kind === 'bearer' ? 'the token' : 'the PRIVATE-TOKEN value';
  if (secret !== '' && !typed) {
    out.error = 'Only spaces: type the secret, or clear the field.';
  } else if (kind === 'basic' && user === '') {
    out.error = 'Type the user name for basic auth.';
  } else if (kind === 'basic' && user.includes(':')) {
    // RFC 7617: the server splits user:password at the first colon.
    out.error = 'A basic-auth user name cannot contain ":" (the server splits user:password at the first colon).';
  } else if (!typed && !stored) {
    out.error = `Type ${what}, or choose no auth.`;
  } else if (!typed && kind !== saved.kind) {
    out.error = `Type ${what}: the stored secret was saved for another kind of auth.`;
  } else if (!typed && kind === 'basic' && user !== (saved.user ?? '')) {
    out.error = 'Type the password again: the stored header holds the previous user name.';
  }
  return out;
}

/** The request body of POST /api/datasources and PUT /api/datasources/uid/<uid>. */
export interface DataSourceBody {
  name: string;
  type: 'tempo';
  uid: string;
  access: 'proxy';
  url: string;
  /** Only when the user ticks "Make it the default data source". */
  isDefault?: boolean;
  basicAuth?: boolean;
  basicAuthUser?: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

/** A stand-in env var name: the provisioning writer wants one; the API body gets the literal secret instead. */
const SECRET_MARK = 'TRACEWAY_WIZARD_SECRET';

/**
 * The data source API body for the same form the provisioning YAML is written from, with the secret the user
 * typed as literal secureJsonData (Grafana encrypts it; it is never an env reference here). Without a secret the
 * auth's secure value is left out. `isDefault` is sent only when the form says true (the wizard's checkbox, which
 * also writes the YAML's `isDefault`).
 */
export function tempoDataSourceBody(form: TempoForm, secret?: string): DataSourceBody {
  const withMark: TempoForm = form.auth ? { ...form, auth: { ...form.auth, secretEnv: SECRET_MARK } } : form;
  const ds = tempoDataSource(withMark);
  const body: DataSourceBody = {
    name: form.name,
    type: 'tempo',
    uid: form.uid,
    access: 'proxy',
    url: form.url,
  };
  if (form.isDefault === true) {
    body.isDefault = true;
  }
  if (ds.basicAuth) {
    body.basicAuth = true;
    body.basicAuthUser = String(ds.basicAuthUser);
  }
  const jsonData = isObject(ds.jsonData) ? { ...ds.jsonData } : undefined;
  // Provisioning writes `$` as `$$`; the API takes the query as it is.
  const ttm = jsonData?.tracesToMetrics;
  if (isObject(ttm) && Array.isArray(ttm.queries)) {
    jsonData!.tracesToMetrics = {
      ...ttm,
      queries: ttm.queries.map((q: { name: string; query: string }) => ({ ...q, query: unescapeDollar(q.query) })),
    };
  }
  if (jsonData) {
    body.jsonData = jsonData;
  }
  const secure: Record<string, string> = {};
  const mark = `\${${SECRET_MARK}}`;
  for (const [key, value] of Object.entries(isObject(ds.secureJsonData) ? ds.secureJsonData : {})) {
    const v = String(value);
    if (!v.includes(mark)) {
      secure[key] = v;
    } else if (secret) {
      const token = form.auth?.kind === 'bearer' ? secret.replace(/^bearer\s+/i, '') : secret;
      // split/join, not replace: `$&`, `$$`… in a password are not replacement patterns there.
      secure[key] = v.split(mark).join(token);
    }
  }
  if (Object.keys(secure).length > 0) {
    body.secureJsonData = secure;
  }
  return body;
}

/** What creating or updating the data source did. */
export interface DataSourceSaved {
  action: 'created' | 'updated';
  uid: string;
  name: string;
}

/** Why the data source was not saved, in words for the page; `status` is Grafana's HTTP status (0: no answer). */
export class DataSourceSaveError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
    this.name = 'DataSourceSaveError';
  }
}

interface ApiAnswer {
  status: number;
  body: unknown;
}

/** One call to Grafana's own HTTP API with the page's session, as backendSrv would make it. */
async function grafanaApi(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<ApiAnswer> {
  const orgId = currentOrgId();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (orgId) {
    headers['X-Grafana-Org-Id'] = String(orgId);
  }
  let response: Response;
  try {
    response = await window.fetch(grafanaApiUrl(path), {
      method,
      credentials: 'same-origin',
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (e) {
    throw new DataSourceSaveError(
      `Grafana did not answer ${method} ${path} (${e instanceof Error ? e.message : String(e)}).`,
      0
    );
  }
  const raw = await response.text().catch(() => '');
  let parsed: unknown = raw;
  try {
    parsed = raw ? JSON.parse(raw) : undefined;
  } catch {
    // Not JSON: kept as text for the message.
  }
  return { status: response.status, body: parsed };
}

/** Grafana's own message in an error answer, or its first words. */
function grafanaMessage(answer: ApiAnswer): string {
  if (isObject(answer.body) && typeof answer.body.message === 'string') {
    return answer.body.message;
  }
  const t = typeof answer.body === 'string' ? answer.body.trim() : '';
  return t ? t.slice(0, 200) : `HTTP ${answer.status}`;
}

const dsPath = (uid: string) => `/api/datasources/uid/${encodeURIComponent(uid)}`;

/**
 * Creates the Tempo data source (`POST /api/datasources`). A uid that exists (another type's, or a Tempo data
 * source, which is updated with dataSourceUpdate instead) and a name taken by another data source (409) are
 * refused with what to do.
 */
export async function saveTempoDataSource(body: DataSourceBody): Promise<DataSourceSaved> {
  const existing = await grafanaApi('GET', dsPath(body.uid));
  if (existing.status === 200 && isObject(existing.body)) {
    const found = existing.body;
    if (found.type !== 'tempo') {
      throw new DataSourceSaveError(
        `The uid "${body.uid}" belongs to "${String(found.name)}", a ${String(found.type)} data source: choose another uid.`,
        409
      );
    }
    if (found.readOnly === true) {
      throw new DataSourceSaveError(
        `"${String(found.name)}" (uid ${body.uid}) is provisioned from a file, and Grafana refuses changes to it here: ` +
          'change its provisioning file (the YAML below) and restart Grafana, or choose another uid.',
        403
      );
    }
    // Updating is dataSourceUpdate's (from the data source as it is): a body from the form alone would reset it.
    throw new DataSourceSaveError(
      `A Tempo data source with uid "${body.uid}" already exists ("${String(found.name)}"): the form now starts ` +
        'from it, so that an update changes only what you change. Check the fields and update it.',
      409
    );
  }
  if (existing.status !== 404) {
    throw new DataSourceSaveError(
      `Grafana answered ${existing.status} when asked whether uid "${body.uid}" exists: ${grafanaMessage(existing)}`,
      existing.status
    );
  }
  const post = await grafanaApi('POST', '/api/datasources', body);
  if (post.status === 200) {
    const ds = isObject(post.body) && isObject(post.body.datasource) ? post.body.datasource : {};
    return { action: 'created', uid: typeof ds.uid === 'string' ? ds.uid : body.uid, name: body.name };
  }
  throw await refusal(post, body);
}

async function refusal(answer: ApiAnswer, body: DataSourceBody): Promise<DataSourceSaveError> {
  if (answer.status === 409) {
    // Grafana's 409 is about the name; say which data source holds it, so the user can pick.
    const holder = await grafanaApi('GET', `/api/datasources/name/${encodeURIComponent(body.name)}`).catch(() => null);
    const uid = holder && isObject(holder.body) && typeof holder.body.uid === 'string' ? holder.body.uid : undefined;
    return new DataSourceSaveError(
      `A data source named "${body.name}" already exists${uid ? ` (uid ${uid})` : ''}: Grafana names must be unique. ` +
        `Choose another name${uid ? `, or set the uid to ${uid} to update that one` : ''}.`,
      409
    );
  }
  if (answer.status === 401 || answer.status === 403) {
    return new DataSourceSaveError(
      `Grafana refused (${answer.status}): ${grafanaMessage(answer)}. Creating data sources needs the Admin role in this organization.`,
      answer.status
    );
  }
  return new DataSourceSaveError(
    `Grafana refused the data source (${answer.status}): ${grafanaMessage(answer)}`,
    answer.status
  );
}

/** A data source as `GET /api/datasources/uid/<uid>` gives it (secrets only as `secureJsonFields`). */
export interface ExistingDataSource {
  id?: number;
  uid: string;
  name: string;
  type: string;
  url?: string;
  isDefault?: boolean;
  readOnly?: boolean;
  basicAuth?: boolean;
  basicAuthUser?: string;
  jsonData?: Record<string, unknown>;
  secureJsonFields?: Record<string, boolean>;
  [key: string]: unknown;
}

/** The fields of the wizard's data source form that an update can change. */
export interface DataSourceFields {
  name: string;
  url: string;
  /** '' keeps a stored X-Scope-OrgID header (its value is secret, so it is never shown). */
  tenant: string;
  auth: 'none' | 'basic' | 'bearer' | 'header';
  user: string;
  headerName: string;
  serviceMapUid: string;
  logsUid: string;
  metricsUid: string;
  makeDefault: boolean;
}

const TENANT_HEADER = 'X-Scope-OrgID';

/** The custom headers of a data source: `httpHeaderNameN` by N. */
function headerNames(jsonData: Record<string, unknown>): Map<number, string> {
  const out = new Map<number, string>();
  for (const [key, value] of Object.entries(jsonData)) {
    const m = /^httpHeaderName(\d+)$/.exec(key);
    if (m && typeof value === 'string' && value !== '') {
      out.set(Number(m[1]), value);
    }
  }
  return out;
}

const sameHeader = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const uidAt = (v: unknown) => (isObject(v) && typeof v.datasourceUid === 'string' ? v.datasourceUid : '');

/** The form's fields as the existing data source has them (a stored tenant reads as '': its value is secret). */
export function fieldsOfDataSource(ds: ExistingDataSource): DataSourceFields & { tenantStored: boolean } {
  const jsonData = isObject(ds.jsonData) ? ds.jsonData : {};
  const headers = [...headerNames(jsonData).values()];
  const custom = headers.find((h) => !sameHeader(h, TENANT_HEADER) && !sameHeader(h, 'Authorization'));
  const auth = ds.basicAuth
    ? 'basic'
    : headers.some((h) => sameHeader(h, 'Authorization'))
      ? 'bearer'
      : custom
        ? 'header'
        : 'none';
  return {
    name: ds.name,
    url: typeof ds.url === 'string' ? ds.url : '',
    tenant: '',
    tenantStored: headers.some((h) => sameHeader(h, TENANT_HEADER)),
    auth,
    user: typeof ds.basicAuthUser === 'string' ? ds.basicAuthUser : '',
    headerName: custom ?? 'PRIVATE-TOKEN',
    serviceMapUid: uidAt(jsonData.serviceMap),
    logsUid: uidAt(jsonData.tracesToLogsV2),
    metricsUid: uidAt(jsonData.tracesToMetrics),
    makeDefault: ds.isDefault === true,
  };
}

/** What "Update data source" sends, and the changes in words (empty: nothing to update). */
export interface DataSourceUpdate {
  body: Record<string, unknown>;
  changes: string[];
  error?: string;
}

/**
 * The PUT body of an update: the existing data source (Grafana replaces everything but the secrets on PUT) with
 * only what the form changed between `before` (the form as loaded from it) and `after`. jsonData is merged, so
 * settings the form does not show (TLS, search, trace to profiles…) stay; headers are matched by name against
 * the existing `httpHeaderNameN`, never by position; basic auth and its user stay unless the form changes auth.
 * `secret` is the typed password or token ('' keeps the stored one, allowed only while the kind is unchanged);
 * `metricsQueries` are the preset's trace-to-metrics queries, for a data source that has none.
 */
export function dataSourceUpdate(
  existing: ExistingDataSource,
  before: DataSourceFields,
  after: DataSourceFields,
  secret: string,
  metricsQueries?: Array<{ name: string; query: string }>
): DataSourceUpdate {
  const jsonData: Record<string, unknown> = { ...(isObject(existing.jsonData) ? existing.jsonData : {}) };
  const secure: Record<string, string> = {};
  const { secureJsonFields: _fields, readOnly: _readOnly, ...rest } = existing;
  const body: Record<string, unknown> = { ...rest };
  const changes: string[] = [];
  let error: string | undefined;
  const names = headerNames(jsonData);
  const setHeader = (name: string, value: string) => {
    const found = [...names].find(([, n]) => sameHeader(n, name));
    const n = found ? found[0] : Math.max(0, ...names.keys()) + 1;
    names.set(n, name);
    jsonData[`httpHeaderName${n}`] = name;
    secure[`httpHeaderValue${n}`] = value;
  };
  const removeHeader = (name: string) => {
    for (const [n, h] of [...names]) {
      if (sameHeader(h, name)) {
        names.delete(n);
        delete jsonData[`httpHeaderName${n}`];
        secure[`httpHeaderValue${n}`] = '';
        changes.push(`removes the ${h} header`);
      }
    }
  };
  if (after.name.trim() !== before.name) {
    body.name = after.name.trim();
    changes.push(`renames it to "${after.name.trim()}"`);
  }
  if (after.url.trim() !== before.url) {
    body.url = after.url.trim();
    changes.push(`sets the URL to ${after.url.trim()}`);
  }
  if (after.tenant.trim() !== '' && after.tenant.trim() !== before.tenant) {
    setHeader(TENANT_HEADER, after.tenant.trim());
    changes.push(`sends the tenant ${after.tenant.trim()} as ${TENANT_HEADER}`);
  }
  const kindChanged = after.auth !== before.auth || (after.auth === 'header' && after.headerName !== before.headerName);
  const typed = secret.trim() !== '';
  if (after.auth !== 'none' && kindChanged && !typed) {
    error = `Type the ${after.auth === 'basic' ? 'password' : 'token'}: the data source has none stored for this kind of auth.`;
  }
  if (kindChanged) {
    if (before.auth === 'basic') {
      body.basicAuth = false;
      changes.push('turns basic auth off');
    } else if (before.auth === 'bearer') {
      removeHeader('Authorization');
    } else if (before.auth === 'header') {
      removeHeader(before.headerName);
    }
  }
  if (after.auth === 'basic' && (kindChanged || typed || after.user.trim() !== before.user)) {
    body.basicAuth = true;
    body.basicAuthUser = after.user.trim();
    if (typed) {
      secure.basicAuthPassword = secret;
    } else if (after.user.trim() !== before.user) {
      error = 'Type the password again for the new user.';
    }
    changes.push(`basic auth as ${after.user.trim()}${typed ? ' with the typed password' : ''}`);
  } else if (after.auth === 'bearer' && typed) {
    setHeader('Authorization', `Bearer ${secret.replace(/^bearer\s+/i, '')}`);
    changes.push('sends the typed token as Authorization: Bearer');
  } else if (after.auth === 'header' && typed) {
    setHeader(after.headerName.trim(), secret);
    changes.push(`sends the typed value as ${after.headerName.trim()}`);
  }
  const link = (key: string, uid: string, was: string, what: string, extra: Record<string, unknown> = {}) => {
    if (uid === was) {
      return;
    }
    const current = isObject(jsonData[key]) ? (jsonData[key] as Record<string, unknown>) : {};
    if (uid) {
      jsonData[key] = { ...extra, ...current, datasourceUid: uid };
      changes.push(`links ${what} to ${uid}`);
    } else {
      const { datasourceUid: _gone, ...kept } = current;
      jsonData[key] = kept;
      changes.push(`unlinks ${what}`);
    }
  };
  link('serviceMap', after.serviceMapUid, before.serviceMapUid, 'the service map');
  link('tracesToLogsV2', after.logsUid, before.logsUid, 'trace to logs', {
    tags: [{ key: 'service.name', value: 'service_name' }],
  });
  link(
    'tracesToMetrics',
    after.metricsUid,
    before.metricsUid,
    'trace to metrics',
    metricsQueries ? { queries: metricsQueries.map((q) => ({ ...q, query: unescapeDollar(q.query) })) } : {}
  );
  if (after.makeDefault !== before.makeDefault) {
    body.isDefault = after.makeDefault;
    changes.push(after.makeDefault ? "makes it the org's default data source" : 'stops it being the default');
  }
  body.jsonData = jsonData;
  if (Object.keys(secure).length > 0) {
    body.secureJsonData = secure;
  }
  return { body, changes, ...(error ? { error } : {}) };
}

/** The data source with this uid, or undefined when Grafana has none (404). */
export async function loadDataSource(uid: string): Promise<ExistingDataSource | undefined> {
  const answer = await grafanaApi('GET', dsPath(uid));
  if (answer.status === 404) {
    return undefined;
  }
  if (answer.status !== 200 || !isObject(answer.body)) {
    throw new DataSourceSaveError(
      `Grafana answered ${answer.status} when asked for data source uid "${uid}": ${grafanaMessage(answer)}`,
      answer.status
    );
  }
  return answer.body as ExistingDataSource;
}

/**
 * Updates an existing data source with a body from dataSourceUpdate (`PUT /api/datasources/uid/<uid>`); a
 * provisioned (read-only) data source is refused with what to do.
 */
export async function updateTempoDataSource(existing: ExistingDataSource, body: Record<string, unknown>) {
  if (existing.readOnly === true) {
    throw new DataSourceSaveError(
      `"${existing.name}" (uid ${existing.uid}) is provisioned from a file, and Grafana refuses changes to it here: ` +
        'change its provisioning file (the YAML below) and restart Grafana, or choose another uid.',
      403
    );
  }
  const put = await grafanaApi('PUT', dsPath(existing.uid), body);
  if (put.status === 200) {
    return { action: 'updated' as const, uid: existing.uid, name: String(body.name ?? existing.name) };
  }
  throw await refusal(put, { name: String(body.name ?? existing.name) } as DataSourceBody);
}

/** Makes a new or changed data source visible to pickers and to getDataSourceSrv without a page reload. */
export async function reloadDataSources(): Promise<void> {
  const srv = getDataSourceSrv() as { reload?: () => Promise<void> | void };
  await srv.reload?.();
}

/**
 * Grafana caches the app's settings for the session (getPluginSettings) and hands that object to the app's pages:
 * a save without a page reload updates it in place, so that Search and the Service map read the new settings
 * without one. Best effort: where Grafana holds a copy, its pages see the change after a reload.
 */
export function updateCachedMeta(
  meta: { jsonData?: unknown; secureJsonFields?: unknown },
  saved: { jsonData: Record<string, unknown>; secureJsonFields: Partial<Record<string, boolean>> }
): void {
  meta.jsonData = { ...saved.jsonData };
  meta.secureJsonFields = { ...saved.secureJsonFields };
}
