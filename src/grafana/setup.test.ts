import { PRESETS, plannedChecks, tempoDataSourceYaml } from '../setup';
import {
  checkPlanFromSettings,
  collectorBaseUrl,
  composeSecret,
  dataSourceUpdate,
  endpointAuthToSave,
  fieldsOfDataSource,
  savedAuthKind,
  tempoDataSourceBody,
} from './setup';

const P = '/api/plugin-proxy/traceway-explorer-app';
const noTransport = async () => {
  throw new Error('no request in these tests');
};

describe('checkPlanFromSettings', () => {
  it('asks each configured endpoint through its proxy route, naming the URL it stands for', () => {
    const plan = checkPlanFromSettings(
      {
        tempoUrl: ' http://tempo:3200 ',
        tenant: 'tenant-1',
        collectorOtlpHttpUrl: 'http://otel-collector:4318',
        collectorHealthUrl: 'http://otel-collector:13133',
        prometheusUrl: 'http://prometheus:9090',
        tempoDatasourceUid: 'tempo-eu',
      },
      noTransport
    );
    expect(plan.collector).toEqual({ healthUrl: `${P}/collector-health`, otlpHttpUrl: `${P}/collector-otlp` });
    expect(plan.tempo).toEqual({ url: `${P}/tempo`, tenant: 'tenant-1', tenantlessUrl: `${P}/tenantless-tempo` });
    expect(plan.prometheus).toEqual({ url: `${P}/prometheus` });
    expect(plan.proxied).toEqual({
      [`${P}/collector-health`]: 'http://otel-collector:13133',
      [`${P}/collector-otlp`]: 'http://otel-collector:4318',
      [`${P}/tempo`]: 'http://tempo:3200',
      [`${P}/tenantless-tempo`]: 'http://tempo:3200',
      [`${P}/prometheus`]: 'http://prometheus:9090',
    });
    expect(plan.grafana).toEqual({ url: '', tempoDatasourceUid: 'tempo-eu' });
    expect(plan.canary).toEqual({});
    expect(plan.transport).toBe(noTransport);
  });

  it('leaves out what is not configured; no canary without both the Collector and Tempo', () => {
    const plan = checkPlanFromSettings(
      { tempoUrl: 'http://tempo:3200', collectorHealthUrl: '  ', tenant: 3 },
      noTransport
    );
    expect(plan.collector).toBeUndefined();
    expect(plan.prometheus).toBeUndefined();
    expect(plan.canary).toBeUndefined();
    expect(plan.tempo).toEqual({ url: `${P}/tempo`, tenantlessUrl: `${P}/tenantless-tempo` });
    // The Grafana checks look at the default Tempo data source when none is chosen.
    expect(plan.grafana).toEqual({ url: '', tempoDatasourceUid: 'tempo' });
    expect(plannedChecks(plan).map((c) => c.id)).toContain('tempo-ready');
    expect(plannedChecks(plan).some((c) => c.id.startsWith('collector-'))).toBe(false);
  });

  it('under a Grafana sub-path (appSubUrl /grafana), every URL the checks fetch starts with it', () => {
    const global = globalThis as unknown as { grafanaBootData?: unknown };
    global.grafanaBootData = { settings: { appSubUrl: '/grafana' } };
    try {
      const plan = checkPlanFromSettings({ tempoUrl: 'http://tempo:3200' }, noTransport);
      expect(plan.tempo).toEqual({
        url: `/grafana${P}/tempo`,
        tenantlessUrl: `/grafana${P}/tenantless-tempo`,
      });
      expect(Object.keys(plan.proxied!)).toEqual([`/grafana${P}/tempo`, `/grafana${P}/tenantless-tempo`]);
      expect(plan.grafana).toEqual({ url: '/grafana', tempoDatasourceUid: 'tempo' });
    } finally {
      delete global.grafanaBootData;
    }
  });

  it('takes settings that are not an object as empty', () => {
    const plan = checkPlanFromSettings(null, noTransport);
    expect(plan.tempo).toBeUndefined();
    expect(plan.proxied).toEqual({});
  });
});

describe('collectorBaseUrl', () => {
  it.each([
    ['http://otel-collector:4318/v1/traces', 'http://otel-collector:4318', true],
    [
      'https://gitlab.example.com/api/v4/projects/1/observability/v1/traces/',
      'https://gitlab.example.com/api/v4/projects/1/observability',
      true,
    ],
    [' http://otel-collector:4318 ', 'http://otel-collector:4318', false],
    ['http://otel-collector:4318/v1/tracesx', 'http://otel-collector:4318/v1/tracesx', false],
    ['http://otel-collector:4318/', 'http://otel-collector:4318', false],
  ])('%p -> %p', (input, url, stripped) => {
    expect(collectorBaseUrl(input)).toEqual({ url, stripped });
  });
});

describe('composeSecret', () => {
  it('writes basic auth as Basic base64(user:password), UTF-8 included', () => {
    expect(composeSecret('basic', 'p@ss:word', 'grafana')).toBe(
      `Basic ${Buffer.from('grafana:p@ss:word').toString('base64')}`
    );
    expect(composeSecret('basic', 'pässwörd', 'jürgen')).toBe(
      `Basic ${Buffer.from('jürgen:pässwörd').toString('base64')}`
    );
  });
  it('writes a bearer token once, even when pasted with its "Bearer "', () => {
    expect(composeSecret('bearer', 'abc')).toBe('Bearer abc');
    expect(composeSecret('bearer', 'bearer abc')).toBe('Bearer abc');
  });
  it('keeps a PRIVATE-TOKEN value as it is', () => {
    expect(composeSecret('privateToken', 'glpat-123')).toBe('glpat-123');
  });
});

describe('savedAuthKind', () => {
  it('reads jsonData, then which secret is stored', () => {
    expect(savedAuthKind('tempo', { tempoAuth: 'privateToken' }, {})).toBe('privateToken');
    // Basic or bearer cannot be told from outside: shown as provisioned, kept as it is.
    expect(savedAuthKind('tempo', {}, { tempoAuthorization: true })).toBe('provisioned');
    expect(savedAuthKind('tempo', {}, { tempoAuthorization: true, tempoPrivateToken: true })).toBe('provisioned');
    expect(savedAuthKind('collector', {}, { collectorPrivateToken: true })).toBe('privateToken');
    expect(savedAuthKind('prometheus', { prometheusAuth: 'privateToken' }, {})).toBe('none');
    expect(savedAuthKind('tempo', { tempoAuth: 'nonsense' }, {})).toBe('none');
  });
});

describe('endpointAuthToSave', () => {
  const form = { kind: 'bearer' as const, user: '', secret: '', reset: false };

  it('sends a typed token and nothing for an untouched stored one', () => {
    expect(endpointAuthToSave('tempo', { ...form, secret: 'abc' }, { kind: 'none' }, {})).toEqual({
      jsonData: { tempoAuth: 'bearer' },
      secureJsonData: { tempoAuthorization: 'Bearer abc' },
      wipes: [],
    });
    expect(endpointAuthToSave('tempo', form, { kind: 'bearer' }, { tempoAuthorization: true })).toEqual({
      jsonData: { tempoAuth: 'bearer' },
      secureJsonData: {},
      wipes: [],
    });
  });

  it('wipes on reset, and refuses a reset secret with nothing typed in its place', () => {
    const out = endpointAuthToSave('tempo', { ...form, reset: true }, { kind: 'bearer' }, { tempoAuthorization: true });
    expect(out.secureJsonData).toEqual({ tempoAuthorization: '' });
    expect(out.error).toBe('Type the token, or choose no auth.');
  });

  it('wipes the stored secrets when auth is turned off', () => {
    expect(
      endpointAuthToSave(
        'collector',
        { ...form, kind: 'none' },
        { kind: 'bearer' },
        {
          collectorAuthorization: true,
          collectorPrivateToken: true,
        }
      )
    ).toEqual({
      jsonData: {},
      secureJsonData: { collectorAuthorization: '', collectorPrivateToken: '' },
      wipes: ['collectorAuthorization', 'collectorPrivateToken'],
    });
  });

  it('moving to PRIVATE-TOKEN wipes the Authorization value, so the route does not send both', () => {
    expect(
      endpointAuthToSave(
        'collector',
        { ...form, kind: 'privateToken', secret: 'glpat-1' },
        { kind: 'bearer' },
        {
          collectorAuthorization: true,
        }
      )
    ).toEqual({
      jsonData: { collectorAuth: 'privateToken' },
      secureJsonData: { collectorAuthorization: '', collectorPrivateToken: 'glpat-1' },
      wipes: ['collectorAuthorization'],
    });
  });

  it('asks for the secret again when the kind or the basic user changed', () => {
    expect(
      endpointAuthToSave(
        'tempo',
        { ...form, kind: 'basic', user: 'u' },
        { kind: 'bearer' },
        { tempoAuthorization: true }
      ).error
    ).toBe('Type the password: the stored secret was saved for another kind of auth.');
    expect(
      endpointAuthToSave(
        'tempo',
        { ...form, kind: 'basic', user: 'new' },
        { kind: 'basic', user: 'old' },
        { tempoAuthorization: true }
      ).error
    ).toBe('Type the password again: the stored header holds the previous user name.');
    expect(endpointAuthToSave('tempo', { ...form, kind: 'basic', secret: 'pw' }, { kind: 'none' }, {}).error).toBe(
      'Type the user name for basic auth.'
    );
  });

  it('composes basic auth from the user and the password', () => {
    expect(
      endpointAuthToSave(
        'prometheus',
        { kind: 'basic', user: ' admin ', secret: 'pw', reset: false },
        { kind: 'none' },
        {}
      )
    ).toEqual({
      jsonData: { prometheusAuth: 'basic', prometheusUser: 'admin' },
      secureJsonData: { prometheusAuthorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` },
      wipes: [],
    });
  });

  it('an unchanged kind wipes nothing, even with both secrets stored', () => {
    const both = { tempoAuthorization: true, tempoPrivateToken: true };
    expect(endpointAuthToSave('tempo', { ...form, kind: 'bearer' }, { kind: 'bearer' }, both).secureJsonData).toEqual(
      {}
    );
    const provisioned = { ...form, kind: 'provisioned' as const };
    expect(endpointAuthToSave('tempo', provisioned, { kind: 'provisioned' }, both)).toEqual({
      jsonData: {},
      secureJsonData: {},
      wipes: [],
    });
  });

  it('keeps a provisioned Authorization until a kind is picked and its secret typed', () => {
    const fields = { tempoAuthorization: true };
    const provisioned = { ...form, kind: 'provisioned' as const };
    expect(endpointAuthToSave('tempo', { ...provisioned, secret: 'x' }, { kind: 'provisioned' }, fields).error).toMatch(
      /^Choose Basic or Bearer token/
    );
    expect(endpointAuthToSave('tempo', form, { kind: 'provisioned' }, fields).error).toBe(
      'Type the token: the stored secret was saved for another kind of auth.'
    );
    expect(endpointAuthToSave('tempo', { ...form, secret: 't' }, { kind: 'provisioned' }, fields)).toEqual({
      jsonData: { tempoAuth: 'bearer' },
      secureJsonData: { tempoAuthorization: 'Bearer t' },
      wipes: [],
    });
  });

  it('sends a secret as typed (spaces kept), refuses only spaces and a user with ":"', () => {
    expect(
      endpointAuthToSave('tempo', { ...form, kind: 'basic', user: 'u', secret: ' pw ' }, { kind: 'none' }, {})
        .secureJsonData
    ).toEqual({ tempoAuthorization: `Basic ${Buffer.from('u: pw ').toString('base64')}` });
    expect(endpointAuthToSave('tempo', { ...form, secret: '   ' }, { kind: 'none' }, {}).error).toBe(
      'Only spaces: type the secret, or clear the field.'
    );
    expect(
      endpointAuthToSave('tempo', { ...form, kind: 'basic', user: 'a:b', secret: 'pw' }, { kind: 'none' }, {}).error
    ).toMatch(/cannot contain ":"/);
  });
});

describe('tempoDataSourceBody', () => {
  const gitlab = { ...PRESETS.gitlab.dataSource, tenant: 'team-a' };

  it('is the provisioning form with the typed secret literal, and queries without $$', () => {
    const body = tempoDataSourceBody(gitlab, 'glpat-secret');
    expect(body).toMatchObject({
      name: 'Tempo',
      type: 'tempo',
      uid: 'tempo',
      access: 'proxy',
      url: 'http://tempo:3200',
    });
    expect(body.jsonData).toMatchObject({
      httpHeaderName1: 'X-Scope-OrgID',
      httpHeaderName2: 'PRIVATE-TOKEN',
      serviceMap: { datasourceUid: 'prometheus' },
      nodeGraph: { enabled: true },
    });
    expect(body.secureJsonData).toEqual({ httpHeaderValue1: 'team-a', httpHeaderValue2: 'glpat-secret' });
    const queries = (body.jsonData!.tracesToMetrics as { queries: Array<{ query: string }> }).queries;
    expect(queries[0].query).toBe('sum by (span_name) (rate(traces_spanmetrics_calls_total{$__tags}[5m]))');
    // The YAML of the same form keeps env references and $$ (Grafana's provisioning expands $).
    const yaml = tempoDataSourceYaml(gitlab);
    expect(yaml).toContain('${GITLAB_TOKEN}');
    expect(yaml).not.toContain('glpat-secret');
  });

  it('puts a secret with $ patterns in literally', () => {
    const secret = "p$$w$&rd$`$'";
    const bearer = { ...PRESETS['single-binary'].dataSource, auth: { kind: 'bearer' as const, secretEnv: 'X' } };
    expect(tempoDataSourceBody(bearer, secret).secureJsonData).toEqual({ httpHeaderValue1: `Bearer ${secret}` });
    const header = { ...bearer, auth: { kind: 'header' as const, headerName: 'PRIVATE-TOKEN', secretEnv: 'X' } };
    expect(tempoDataSourceBody(header, 'p$$w$&rd').secureJsonData).toEqual({ httpHeaderValue1: 'p$$w$&rd' });
  });

  it('leaves the secret out when none was typed, so an update keeps the stored one', () => {
    expect(tempoDataSourceBody(gitlab).secureJsonData).toEqual({ httpHeaderValue1: 'team-a' });
  });

  it('writes bearer and basic auth as Grafana stores them', () => {
    const bearer = tempoDataSourceBody(
      { ...PRESETS['single-binary'].dataSource, auth: { kind: 'bearer', secretEnv: 'X' } },
      'Bearer t0k'
    );
    expect(bearer.secureJsonData).toEqual({ httpHeaderValue1: 'Bearer t0k' });
    const basic = tempoDataSourceBody(
      { ...PRESETS['single-binary'].dataSource, auth: { kind: 'basic', user: 'grafana', secretEnv: 'X' } },
      'pw'
    );
    expect(basic).toMatchObject({
      basicAuth: true,
      basicAuthUser: 'grafana',
      secureJsonData: { basicAuthPassword: 'pw' },
    });
  });
});

describe('dataSourceUpdate', () => {
  const existing = {
    id: 4,
    uid: 'tempo',
    name: 'Tempo',
    type: 'tempo',
    url: 'http://tempo:3200',
    readOnly: false,
    secureJsonFields: { httpHeaderValue1: true, httpHeaderValue2: true },
    jsonData: {
      httpHeaderName1: 'Authorization',
      httpHeaderName2: 'X-Scope-OrgID',
      tlsSkipVerify: true,
      tracesToMetrics: { datasourceUid: 'prom', queries: [{ name: 'mine', query: 'up' }] },
    },
  };
  const before = fieldsOfDataSource(existing);

  it('reads the form from the data source: bearer from its Authorization header, a stored tenant unseen', () => {
    expect(before).toMatchObject({ auth: 'bearer', tenant: '', tenantStored: true, metricsUid: 'prom' });
  });

  it('changes nothing when the form is as loaded', () => {
    const { body, changes } = dataSourceUpdate(existing, before, before, '');
    expect(changes).toEqual([]);
    expect(body).toEqual({
      id: 4,
      uid: 'tempo',
      name: 'Tempo',
      type: 'tempo',
      url: 'http://tempo:3200',
      jsonData: existing.jsonData,
    });
  });

  it('sets headers by name, not position, and keeps what the form does not show', () => {
    const after = { ...before, tenant: 'team-b', metricsUid: 'mimir' };
    const { body, changes } = dataSourceUpdate(existing, before, after, 'p$$w$&rd');
    // The tenant is the second header: its value is replaced there; the token (first) is untouched.
    expect(body.secureJsonData).toEqual({ httpHeaderValue1: 'Bearer p$$w$&rd', httpHeaderValue2: 'team-b' });
    expect(body.jsonData).toEqual({
      ...existing.jsonData,
      tracesToMetrics: { datasourceUid: 'mimir', queries: [{ name: 'mine', query: 'up' }] },
    });
    expect(changes).toEqual([
      'sends the tenant team-b as X-Scope-OrgID',
      'sends the typed token as Authorization: Bearer',
      'links trace to metrics to mimir',
    ]);
  });

  it('a new kind needs its secret, and removes the old kind by name', () => {
    const basic = { ...before, auth: 'basic' as const, user: 'grafana' };
    expect(dataSourceUpdate(existing, before, basic, '').error).toMatch(/^Type the password/);
    const { body } = dataSourceUpdate(existing, before, basic, 'pw');
    expect(body).toMatchObject({ basicAuth: true, basicAuthUser: 'grafana' });
    expect(body.jsonData).not.toHaveProperty('httpHeaderName1');
    expect(body.jsonData).toHaveProperty('httpHeaderName2', 'X-Scope-OrgID');
    expect(body.secureJsonData).toEqual({ httpHeaderValue1: '', basicAuthPassword: 'pw' });
  });
});
