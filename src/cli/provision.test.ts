/** @jest-environment node */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';

import { PRESETS, appProvisioningYaml, collectorExporterYaml, tempoDataSourceYaml } from '../setup';
import { bundleCliBeforeAll, ROOT, runCli } from '../testing/cli';

jest.setTimeout(60_000);

// The real CLI, bundled into a temp folder of its own that also holds the files the tests write.
const DIR = mkdtempSync(join(tmpdir(), 'traceway-provision-'));
const BUNDLE = bundleCliBeforeAll(join(DIR, 'traceway.js'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const traceway = (args: string[], input?: string) => runCli(BUNDLE, args, input);

describe('traceway provision tempo', () => {
  it('prints the data source YAML from the options', () => {
    const r = traceway([
      'provision',
      'tempo',
      '--url',
      'https://tempo.example',
      '--name',
      'Team Tempo',
      '--uid',
      'team-tempo',
      '--tenant',
      'team-a',
      '--auth',
      'bearer',
      '--secret-env',
      'TEMPO_TOKEN',
      '--prometheus-uid',
      'mimir',
      '--loki-uid',
      'loki',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(parse(r.out)).toEqual({
      apiVersion: 1,
      datasources: [
        {
          name: 'Team Tempo',
          type: 'tempo',
          uid: 'team-tempo',
          access: 'proxy',
          url: 'https://tempo.example',
          jsonData: {
            httpHeaderName1: 'X-Scope-OrgID',
            httpHeaderName2: 'Authorization',
            tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'service.name', value: 'service_name' }] },
            serviceMap: { datasourceUid: 'mimir' },
            nodeGraph: { enabled: true },
            tracesToMetrics: { datasourceUid: 'mimir' },
          },
          secureJsonData: { httpHeaderValue1: 'team-a', httpHeaderValue2: 'Bearer ${TEMPO_TOKEN}' },
        },
      ],
    });
  });

  it('--preset prints exactly what the preset writes; --app and --collector the other two files', () => {
    const preset = PRESETS['single-binary'];
    expect(traceway(['provision', 'tempo', '--preset', 'single-binary']).out).toBe(
      tempoDataSourceYaml(preset.dataSource)
    );
    expect(traceway(['provision', 'tempo', '--preset', 'single-binary', '--app']).out).toBe(
      appProvisioningYaml(preset.app)
    );
    expect(traceway(['provision', 'tempo', '--preset', 'gitlab', '--collector']).out).toBe(
      collectorExporterYaml(PRESETS.gitlab.collector)
    );
  });

  it("--collector without a preset sends to Tempo's OTLP receiver on --url's host", () => {
    const r = traceway(['provision', 'tempo', '--url', 'http://tempo:3200', '--collector', '--tenant', 't1']);
    expect(parse(r.out)).toEqual({
      exporters: { 'otlphttp/tempo': { endpoint: 'http://tempo:4318', headers: { 'X-Scope-OrgID': 't1' } } },
    });
    const grpc = traceway([
      'provision',
      'tempo',
      '--url',
      'http://tempo:3200',
      '--collector',
      '--otlp-protocol',
      'grpc',
    ]);
    expect(parse(grpc.out)).toEqual({
      exporters: { 'otlp/tempo': { endpoint: 'tempo:4317', tls: { insecure: true } } },
    });
  });

  it('a literal secret is a usage error that names the option and never prints the secret', () => {
    const r = traceway([
      'provision',
      'tempo',
      '--url',
      'http://tempo:3200',
      '--auth',
      'bearer',
      '--secret-env',
      'glpat-s3cr3t.x',
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^traceway: provision: --secret-env expected the name of an environment variable/);
    expect(r.err).not.toContain('s3cr3t');
  });

  it.each([
    [['provision', 'tempo'], /needs --url URL \(or --preset NAME\)/],
    [['provision', 'tempo', '--url', 'http:tempo'], /--url expected an http:\/\/ or https:\/\/ URL/],
    [
      ['provision', 'tempo', '--url', 'http://tempo:3200', '--auth', 'header', '--secret-env', 'T'],
      /--header-name expected a header name/,
    ],
    [
      ['provision', 'tempo', '--url', 'http://tempo:3200', '--preset', 'nope'],
      /Allowed choices are single-binary, harness, multi-tenant, gitlab/,
    ],
    [['provision', 'tempo', '--url', 'http://tempo:3200', '--app', '--collector'], /cannot be used with/],
    [['provision', 'validate'], /missing required argument 'file'/],
  ])('usage error: %j', (args, message) => {
    const r = traceway(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('traceway provision validate', () => {
  it("exits 0 and prints nothing for the repository's own data sources", () => {
    const r = traceway(['provision', 'validate', 'provisioning/datasources/datasources.yaml']);
    expect(r).toEqual({ code: 0, out: '', err: '' });
  });

  it('exits 1 with FILE:LINE:COL lines', () => {
    const file = join(DIR, 'ds.yaml');
    writeFileSync(
      file,
      'apiVersion: 1\ndatasources:\n  - name: Tempo\n    type: tempo\n    uid: tempo\n' +
        '    jsonData:\n      password: x\n  - name: Tempo 2\n    type: tempo\n    uid: tempo\n'
    );
    const r = traceway(['provision', 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      `${file}:3:5: datasources[0].url: url is missing: a Tempo data source needs Tempo's HTTP address, e.g. url: http://tempo:3200`,
      expect.stringMatching(
        new RegExp(`^${file}:7:7: datasources\\[0\\]\\.jsonData\\.password: password looks like a secret`)
      ),
      expect.stringMatching(new RegExp(`^${file}:8:5: datasources\\[1\\]\\.url: url is missing`)),
      `${file}:10:10: datasources[1].uid: duplicate uid "tempo": datasources[0] has it too; each uid must be unique`,
      '',
    ]);
  });

  it('exits 0 with only warnings', () => {
    const file = join(DIR, 'warn.yaml');
    writeFileSync(
      file,
      readFileSync(join(ROOT, 'src', 'setup', 'testdata', 'gitlab.datasource.yaml'), 'utf8').replace(
        '${GITLAB_TOKEN}',
        'glpat-literal'
      )
    );
    const r = traceway(['provision', 'validate', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/:\d+:\d+: warning: datasources\[0\]\.secureJsonData\.httpHeaderValue1: /);
    expect(r.out).not.toContain('glpat-literal');
  });

  it('- reads stdin', () => {
    const r = traceway(['provision', 'validate', '-'], 'apiVersion: 1\ndatasources:\n  - name: T\n    type: tempo\n');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^-:3:5: datasources\[0\]\.url: url is missing/);
  });

  it('exits 1 when the file cannot be read', () => {
    const r = traceway(['provision', 'validate', join(DIR, 'missing.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing\.yaml: cannot read the file: no such file/);
  });
});
