/** @jest-environment node */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

import { PRESET_NAMES, PRESETS } from './presets';
import {
  ProvisioningFormError,
  TempoForm,
  appProvisioningYaml,
  collectorExporterYaml,
  tempoDataSourceYaml,
  tempoFormFromYaml,
} from './provisioning';
import { validateDataSourceYaml } from './validate';

const ROOT = join(__dirname, '..', '..');
const TESTDATA = join(__dirname, 'testdata');

/** Exact output, checked against src/setup/testdata; UPDATE_GOLDEN=1 rewrites the files (review the diff). */
function golden(file: string, actual: string): void {
  const path = join(TESTDATA, file);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe.each(PRESET_NAMES)('preset %s', (name) => {
  const preset = PRESETS[name];
  it('writes the golden data source, app and Collector YAML', () => {
    golden(`${name}.datasource.yaml`, tempoDataSourceYaml(preset.dataSource));
    golden(`${name}.app.yaml`, appProvisioningYaml(preset.app));
    golden(`${name}.collector.yaml`, collectorExporterYaml(preset.collector));
  });
  it('round-trips: the YAML parsed back is the form', () => {
    const form = JSON.parse(JSON.stringify(preset.dataSource)) as TempoForm;
    expect(tempoFormFromYaml(tempoDataSourceYaml(preset.dataSource))).toEqual(form);
  });
  it('validates clean', () => {
    expect(validateDataSourceYaml(tempoDataSourceYaml(preset.dataSource)).errors).toEqual([]);
  });
});

describe('tempoDataSourceYaml', () => {
  it("single-binary means what the compose stack's provisioning file says for Tempo", () => {
    const stack = parse(readFileSync(join(ROOT, 'provisioning', 'datasources', 'datasources.yaml'), 'utf8'));
    const ours = parse(tempoDataSourceYaml(PRESETS['single-binary'].dataSource));
    expect(ours.apiVersion).toBe(1);
    expect(ours.datasources).toEqual([stack.datasources.find((d: { type: string }) => d.type === 'tempo')]);
  });

  it('writes the tenant as X-Scope-OrgID and secrets only as environment variable references', () => {
    const yaml = tempoDataSourceYaml({
      name: 'T',
      uid: 't',
      url: 'https://tempo.example',
      tenant: 'team-a',
      auth: { kind: 'header', headerName: 'PRIVATE-TOKEN', secretEnv: 'GITLAB_TOKEN' },
    });
    const ds = parse(yaml).datasources[0];
    expect(ds.jsonData).toEqual({ httpHeaderName1: 'X-Scope-OrgID', httpHeaderName2: 'PRIVATE-TOKEN' });
    expect(ds.secureJsonData).toEqual({ httpHeaderValue1: 'team-a', httpHeaderValue2: '${GITLAB_TOKEN}' });
  });

  it('basic auth: user in the entry, password from the environment', () => {
    const ds = parse(
      tempoDataSourceYaml({
        name: 'T',
        uid: 't',
        url: 'http://tempo:3200',
        auth: { kind: 'basic', user: 'grafana', secretEnv: '$TEMPO_PASSWORD' },
      })
    ).datasources[0];
    expect(ds).toMatchObject({ basicAuth: true, basicAuthUser: 'grafana' });
    expect(ds.secureJsonData).toEqual({ basicAuthPassword: '${TEMPO_PASSWORD}' });
  });

  it('refuses a literal secret, naming the field and never repeating the value', () => {
    const form: TempoForm = {
      name: 'T',
      uid: 't',
      url: 'http://tempo:3200',
      auth: { kind: 'bearer', secretEnv: 'glpat-Xy12.secret' },
    };
    expect(() => tempoDataSourceYaml(form)).toThrow(ProvisioningFormError);
    try {
      tempoDataSourceYaml(form);
    } catch (e) {
      expect((e as ProvisioningFormError).field).toBe('auth.secretEnv');
      expect((e as Error).message).not.toContain('glpat');
    }
  });

  it.each([
    ['url', { url: 'http:tempo' }],
    ['url', { url: 'tempo:3200' }],
    ['url', { url: 'http://user:pw@tempo:3200' }],
    ['uid', { uid: 'has space' }],
    ['name', { name: ' ' }],
    ['tenant', { tenant: 'a\nb' }],
  ])('refuses a bad %s', (field, change) => {
    const form = { name: 'T', uid: 't', url: 'http://tempo:3200', ...change };
    expect(() => tempoDataSourceYaml(form)).toThrow(expect.objectContaining({ field }));
  });
});

describe('tempoFormFromYaml', () => {
  it('round-trips every field of the form', () => {
    const form: TempoForm = {
      name: 'Tempo (team a)',
      uid: 'tempo-a',
      url: 'https://tempo.example:443/tempo',
      isDefault: false,
      editable: true,
      tenant: 'team-a',
      auth: { kind: 'basic', user: 'grafana', secretEnv: 'TEMPO_PASSWORD' },
      tracesToLogs: { datasourceUid: 'loki', tags: [{ key: 'service.name', value: 'service_name' }, { key: 'pod' }] },
      tracesToMetrics: {
        datasourceUid: 'mimir',
        queries: [{ name: 'rate', query: 'rate(x{$__tags}[$__rate_interval])' }],
      },
      serviceMapUid: 'mimir',
      nodeGraph: false,
      search: { hide: true, filters: [{ id: 'service-name', tag: 'service.name', operator: '=', scope: 'resource' }] },
      streaming: { search: true, metrics: false },
      spanBar: { type: 'Tag', tag: 'http.route' },
      timeShift: { start: '-1h', end: '1h' },
    };
    const yaml = tempoDataSourceYaml(form);
    expect(yaml).toContain('rate(x{$$__tags}[$$__rate_interval])');
    expect(tempoFormFromYaml(yaml)).toEqual(form);
    expect(validateDataSourceYaml(yaml).errors).toEqual([]);
  });
});

describe('appProvisioningYaml', () => {
  it("single-binary means what the compose stack's apps.yaml says", () => {
    const stack = parse(readFileSync(join(ROOT, 'provisioning', 'plugins', 'apps.yaml'), 'utf8'));
    expect(parse(appProvisioningYaml(PRESETS['single-binary'].app))).toEqual(stack);
  });
  it('secrets from the environment only', () => {
    const app = parse(appProvisioningYaml({ secretEnv: { tempoAuthorization: 'TEMPO_AUTH' } })).apps[0];
    expect(app.secureJsonData).toEqual({ tempoAuthorization: '${TEMPO_AUTH}' });
    expect(() => appProvisioningYaml({ secretEnv: { tempoAuthorization: 'Bearer abc' } })).toThrow(
      expect.objectContaining({ field: 'secretEnv.tempoAuthorization' })
    );
  });
  it('refuses a URL without //', () => {
    expect(() => appProvisioningYaml({ tempoUrl: 'http:tempo:3200' })).toThrow(/tempoUrl: expected an http/);
  });
});

describe('collectorExporterYaml', () => {
  it('gRPC without TLS to an in-cluster Tempo, with the tenant header', () => {
    expect(parse(collectorExporterYaml({ endpoint: 'tempo:4317', protocol: 'grpc', tenant: 't1' }))).toEqual({
      exporters: {
        'otlp/tempo': { endpoint: 'tempo:4317', tls: { insecure: true }, headers: { 'X-Scope-OrgID': 't1' } },
      },
    });
  });
  it('bearer from the environment in the Collector syntax', () => {
    expect(
      parse(
        collectorExporterYaml({
          endpoint: 'https://tempo.example',
          protocol: 'http',
          auth: { kind: 'bearer', secretEnv: 'T' },
        })
      ).exporters['otlphttp/tempo'].headers
    ).toEqual({ Authorization: 'Bearer ${env:T}' });
  });
  it('refuses a gRPC endpoint that is not host:port', () => {
    expect(() => collectorExporterYaml({ endpoint: 'tempo', protocol: 'grpc' })).toThrow(/host:port/);
  });
});
