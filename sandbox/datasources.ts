/*
 * Grafana's data source HTTP API, in memory, for what the setup wizard calls (pkg/api/datasources.go in Grafana 12
 * and 13): the list, one by uid, create, update by uid and the health check. One store: the host's data source
 * service (`/sandbox/info`, `getDataSourceSrv()`) shows the same list, so a data source created in the wizard
 * appears in its pickers once they reload.
 */

/** A data source as Grafana stores it; `secureJsonData` never leaves the server. */
export interface StoredDataSource {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  type: string;
  access: string;
  url: string;
  user: string;
  database: string;
  basicAuth: boolean;
  basicAuthUser: string;
  withCredentials: boolean;
  isDefault: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
  version: number;
  readOnly: boolean;
}

/** An answer: status and JSON body, in Grafana's shapes (`{ message }` for errors). */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

const TYPE_NAMES: Record<string, string> = { tempo: 'Tempo', prometheus: 'Prometheus', loki: 'Loki' };

/** Grafana's `util.IsValidShortUID`: letters, digits, `-` and `_`, at most 40. */
const VALID_UID = /^[a-zA-Z0-9\-_]{1,40}$/;

const error = (status: number, message: string): ApiAnswer => ({ status, body: { message } });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** `dtos.DataSource`: what GET by uid, POST and PUT answer; secrets only as `secureJsonFields`. */
function toDto(ds: StoredDataSource) {
  const { secureJsonData, ...rest } = ds;
  const secureJsonFields: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(secureJsonData)) {
    if (v.length > 0) {
      secureJsonFields[k] = true;
    }
  }
  return {
    ...rest,
    typeLogoUrl: `public/app/plugins/datasource/${ds.type}/img/logo.svg`,
    secureJsonFields,
    apiVersion: '',
  };
}

/** `dtos.DataSourceListItemDTO`: the list's items. */
function toListItem(ds: StoredDataSource) {
  return {
    id: ds.id,
    uid: ds.uid,
    orgId: ds.orgId,
    name: ds.name,
    type: ds.type,
    typeName: TYPE_NAMES[ds.type] ?? ds.type,
    typeLogoUrl: `public/app/plugins/datasource/${ds.type}/img/logo.svg`,
    access: ds.access,
    url: ds.url,
    user: ds.user,
    database: ds.database,
    basicAuth: ds.basicAuth,
    isDefault: ds.isDefault,
    jsonData: ds.jsonData,
    readOnly: ds.readOnly,
  };
}

/** A short uid as Grafana generates one (14 characters). */
function newUid(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let uid = '';
  for (let i = 0; i < 14; i++) {
    uid += chars[Math.floor(Math.random() * chars.length)];
  }
  return uid;
}

/** Grafana's `ValidateURL`: an http(s) URL, or a host[:port] it prefixes with http://. */
function validUrl(url: string): boolean {
  try {
    const parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`);
    return parsed.hostname !== '';
  } catch {
    return false;
  }
}

export type Probe = (url: string, headers: Record<string, string>) => Promise<{ status: number; body: string }>;

export function createDataSourceStore(
  initial: Array<Partial<StoredDataSource> & { uid: string; name: string; type: string }>
) {
  const list: StoredDataSource[] = [];
  let nextId = 1;

  const fill = (input: Record<string, unknown>, base?: StoredDataSource): StoredDataSource => ({
    id: base?.id ?? nextId++,
    uid: base?.uid ?? str(input.uid),
    orgId: 1,
    name: str(input.name),
    type: str(input.type),
    access: str(input.access) || 'proxy',
    url: str(input.url),
    user: str(input.user),
    database: str(input.database),
    basicAuth: input.basicAuth === true,
    basicAuthUser: str(input.basicAuthUser),
    withCredentials: input.withCredentials === true,
    isDefault: input.isDefault === true,
    jsonData: isRecord(input.jsonData) ? input.jsonData : {},
    // Update: the secrets sent replace those stored under the same keys; the others are kept.
    secureJsonData: {
      ...(base?.secureJsonData ?? {}),
      ...Object.fromEntries(
        Object.entries(isRecord(input.secureJsonData) ? input.secureJsonData : {}).map(([k, v]) => [k, String(v)])
      ),
    },
    version: (base?.version ?? 0) + 1,
    readOnly: base?.readOnly ?? input.readOnly === true,
  });

  for (const ds of initial) {
    list.push(fill(ds as unknown as Record<string, unknown>));
  }

  const byUid = (uid: string) => list.find((ds) => ds.uid === uid);
  /** One default per org: saving one with isDefault unsets it on the others, as Grafana's store does. */
  const onlyDefault = (ds: StoredDataSource) => {
    if (ds.isDefault) {
      for (const other of list) {
        other.isDefault = other === ds;
      }
    }
  };
  const sorted = () => [...list].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));

  function proxyHeaders(uid: string): Record<string, string> {
    const ds = byUid(uid);
    const headers: Record<string, string> = {};
    if (!ds) {
      return headers;
    }
    for (let i = 1; i < 100 && typeof ds.jsonData[`httpHeaderName${i}`] === 'string'; i++) {
      headers[ds.jsonData[`httpHeaderName${i}`] as string] = ds.secureJsonData[`httpHeaderValue${i}`] ?? '';
    }
    if (ds.basicAuth) {
      headers.Authorization = `Basic ${Buffer.from(`${ds.basicAuthUser}:${ds.secureJsonData.basicAuthPassword ?? ''}`).toString('base64')}`;
    }
    return headers;
  }

  return {
    /** Every data source as the host's data source service sees it (no secrets). */
    instanceSettings: () =>
      sorted().map((ds) => ({
        uid: ds.uid,
        name: ds.name,
        type: ds.type,
        url: ds.url,
        jsonData: ds.jsonData,
        id: ds.id,
        readOnly: ds.readOnly,
        isDefault: ds.isDefault,
      })),

    get: (uid: string) => byUid(uid),

    /**
     * What Grafana's data source proxy adds to a request for the data source: its custom headers
     * (`httpHeaderNameN` with the secret `httpHeaderValueN`) and basic auth.
     */
    proxyHeaders,

    list: (): ApiAnswer => ({ status: 200, body: sorted().map(toListItem) }),

    getByUid: (uid: string): ApiAnswer => {
      const ds = byUid(uid);
      return ds ? { status: 200, body: toDto(ds) } : error(404, 'Data source not found');
    },

    create: (input: unknown): ApiAnswer => {
      if (!isRecord(input) || str(input.name) === '' || str(input.type) === '') {
        // web.Bind with `binding:"Required"` on name and type.
        return error(400, 'bad request data');
      }
      const url = str(input.url);
      if (url !== '' && !validUrl(url)) {
        return error(400, 'Validation error, invalid URL');
      }
      if (list.some((ds) => ds.name === input.name)) {
        return error(409, 'data source with the same name already exists');
      }
      const uid = str(input.uid) || newUid();
      if (!VALID_UID.test(uid)) {
        return error(400, `invalid UID for datasource: ${uid}`);
      }
      if (byUid(uid)) {
        return error(409, 'data source with the same uid already exists');
      }
      const ds = fill({ ...input, uid, readOnly: false });
      list.push(ds);
      onlyDefault(ds);
      return { status: 200, body: { message: 'Datasource added', id: ds.id, name: ds.name, datasource: toDto(ds) } };
    },

    update: (uid: string, input: unknown): ApiAnswer => {
      if (!isRecord(input) || str(input.name) === '' || str(input.type) === '') {
        return error(400, 'bad request data');
      }
      const url = str(input.url);
      if (url !== '' && !validUrl(url)) {
        return error(400, 'Validation error, invalid URL');
      }
      const existing = byUid(uid);
      if (!existing) {
        return error(404, 'Data source not found');
      }
      if (existing.readOnly) {
        return error(403, 'Cannot update read-only data source');
      }
      if (list.some((ds) => ds !== existing && ds.name === input.name)) {
        return error(409, 'Failed to update datasource: data source with the same name already exists');
      }
      const version = typeof input.version === 'number' ? input.version : 0;
      if (version !== 0 && version < existing.version) {
        return error(409, 'Datasource has already been updated by someone else. Please reload and try again');
      }
      const ds = fill(input, existing);
      list[list.indexOf(existing)] = ds;
      onlyDefault(ds);
      return { status: 200, body: { message: 'Datasource updated', id: ds.id, name: ds.name, datasource: toDto(ds) } };
    },

    /**
     * `GET /api/datasources/uid/<uid>/health`: `{ status: 'OK' | 'ERROR', message }`, 200 when OK and 400 when
     * not. Grafana's Tempo data source has no backend health check (pkg/tsdb/tempo implements no CheckHealth), so
     * Grafana 12.3 and 13 answer a Tempo one with 501 and the errutil body of `plugin.notImplemented`, read from
     * Grafana's source (pkg/plugins/errors.go, pkg/api/datasources.go), not recorded: its "Save & test" is the
     * frontend's GET of `/api/echo` through the data source proxy. A Prometheus one asks `api/v1/query?query=1+1`;
     * the recorded-data Prometheus ones (no URL) are healthy.
     */
    health: async (uid: string, probe: Probe): Promise<ApiAnswer> => {
      if (!VALID_UID.test(uid)) {
        return error(400, 'UID is invalid');
      }
      const ds = byUid(uid);
      if (!ds) {
        // Grafana's data source cache fails to load it and answers 500 (pkg/api/datasources.go).
        return error(500, 'Unable to load datasource metadata');
      }
      if (ds.type === 'tempo') {
        return {
          status: 501,
          body: { message: 'Not implemented', messageId: 'plugin.notImplemented', statusCode: 501, traceID: '' },
        };
      }
      if (ds.url === '') {
        return { status: 200, body: { status: 'OK', message: "Data source is working (the sandbox's recorded data)" } };
      }
      if (ds.type !== 'prometheus') {
        return error(404, 'Not found');
      }
      const headers = proxyHeaders(uid);
      const target = `${ds.url.replace(/\/+$/, '')}/api/v1/query?query=1%2B1`;
      try {
        const answer = await probe(target, headers);
        if (answer.status === 200) {
          return { status: 200, body: { status: 'OK', message: 'Data source is working' } };
        }
        return {
          status: 400,
          body: {
            status: 'ERROR',
            message: `${TYPE_NAMES[ds.type]} answered ${answer.status}: ${answer.body.trim().slice(0, 200)}`,
          },
        };
      } catch (e) {
        const cause = (e as { cause?: { code?: string } }).cause?.code;
        return {
          status: 400,
          body: { status: 'ERROR', message: `Get "${target}": ${cause ?? (e as Error).message}` },
        };
      }
    },
  };
}

export type DataSourceStore = ReturnType<typeof createDataSourceStore>;
