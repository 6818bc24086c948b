/** @jest-environment node */
import { readFileSync } from 'fs';
import { join } from 'path';

import { formatProblems, validateDataSourceYaml } from './validate';

const ROOT = join(__dirname, '..', '..');

/** [line, column, path, start of message] of each problem, in order. */
function problems(text: string) {
  return validateDataSourceYaml(text).errors.map((e) => [e.line, e.column, e.path, e.severity, e.message]);
}

const TEMPO = `apiVersion: 1
datasources:
  - name: Tempo
    type: tempo
    uid: tempo
    url: http://tempo:3200
`;

describe('validateDataSourceYaml', () => {
  it("the repository's own provisioning file validates clean", () => {
    const text = readFileSync(join(ROOT, 'provisioning', 'datasources', 'datasources.yaml'), 'utf8');
    expect(validateDataSourceYaml(text).errors).toEqual([]);
  });

  it('a minimal Tempo data source is clean', () => {
    expect(problems(TEMPO)).toEqual([]);
  });

  it('reports a YAML syntax error where it is', () => {
    const p = problems('apiVersion: 1\ndatasources:\n  - name: "Tempo\n    type: tempo\n');
    expect(p).toHaveLength(1);
    expect(p[0][0]).toBeGreaterThanOrEqual(3);
    expect(p[0][4]).toMatch(/^YAML syntax error: /);
  });

  it('reports a duplicate key as a syntax error at the second one', () => {
    const p = problems(TEMPO + '    url: http://other:3200\n');
    expect(p).toEqual([[7, 5, '', 'error', expect.stringMatching(/^YAML syntax error: .*unique/i)]]);
  });

  it('missing apiVersion and datasources', () => {
    expect(problems('prune: true\n')).toEqual([
      [1, 1, 'apiVersion', 'error', 'apiVersion is missing: add apiVersion: 1 at the top'],
      [1, 1, 'datasources', 'error', 'datasources is missing: add datasources: with a list of data sources'],
    ]);
  });

  it('a wrong apiVersion and datasources that is not a list', () => {
    expect(problems('apiVersion: 2\ndatasources:\n  name: Tempo\n')).toEqual([
      [1, 13, 'apiVersion', 'error', 'apiVersion must be 1 (the only version Grafana reads)'],
      [3, 3, 'datasources', 'error', 'datasources must be a list (- name: ...), got a map'],
    ]);
  });

  it('an unknown key at data-source level, with the known ones', () => {
    const p = problems(TEMPO + '    isdefault: true\n');
    expect(p).toEqual([
      [
        7,
        5,
        'datasources[0].isdefault',
        'error',
        expect.stringContaining('unknown data source key "isdefault": Grafana ignores it. Known keys: name, type'),
      ],
    ]);
  });

  it('wrong types', () => {
    const p = problems(TEMPO + "    isDefault: 'true'\n    orgId: one\n    jsonData: []\n");
    expect(p).toEqual([
      [
        7,
        16,
        'datasources[0].isDefault',
        'error',
        'isDefault must be a boolean, got a string (true or false, unquoted)',
      ],
      [8, 12, 'datasources[0].orgId', 'error', 'orgId must be a number, got a string'],
      [9, 15, 'datasources[0].jsonData', 'error', 'jsonData must be a map, got a list'],
    ]);
  });

  it('a Tempo data source without url, and a url that is not one', () => {
    expect(problems('apiVersion: 1\ndatasources:\n  - name: T\n    type: tempo\n')).toEqual([
      [3, 5, 'datasources[0].url', 'error', expect.stringMatching(/^url is missing: a Tempo data source needs/)],
    ]);
    expect(problems(TEMPO.replace('http://tempo:3200', 'tempo:3200'))).toEqual([
      [6, 10, 'datasources[0].url', 'error', expect.stringMatching(/^url must be an http/)],
    ]);
  });

  it('a duplicate uid names the first data source with it', () => {
    const p = problems(TEMPO + '  - name: Tempo 2\n    type: tempo\n    uid: tempo\n    url: http://tempo2:3200\n');
    expect(p).toEqual([
      [
        9,
        10,
        'datasources[1].uid',
        'error',
        'duplicate uid "tempo": datasources[0] has it too; each uid must be unique',
      ],
    ]);
  });

  it('secrets in jsonData: secret-looking keys and header values, nested too', () => {
    const p = problems(
      TEMPO +
        '    jsonData:\n      httpHeaderName1: Authorization\n      httpHeaderValue1: Bearer abc\n' +
        '      apiKey: abc\n      tracesToLogsV2:\n        token: abc\n      tokenUrl: https://idp.example/token\n      basicAuthUser: u\n'
    );
    expect(p.map((x) => [x[0], x[2], x[3]])).toEqual([
      [9, 'datasources[0].jsonData.httpHeaderValue1', 'error'],
      [10, 'datasources[0].jsonData.apiKey', 'error'],
      [12, 'datasources[0].jsonData.tracesToLogsV2.token', 'error'],
    ]);
    expect(p[0][4]).toMatch(/move it to secureJsonData/);
    // the secret itself is never repeated
    expect(p.every((x) => !String(x[4]).includes('abc'))).toBe(true);
  });

  it('an unknown top-level secret key points at secureJsonData', () => {
    const p = problems(TEMPO + '    password: hunter2\n');
    expect(p[0][4]).toMatch(/^unknown data source key "password": put secrets under secureJsonData/);
    expect(String(p[0][4])).not.toContain('hunter2');
  });

  it('literal secrets in secureJsonData are a warning; env references and the tenant are not', () => {
    const p = problems(
      TEMPO +
        '    jsonData:\n      httpHeaderName1: X-Scope-OrgID\n      httpHeaderName2: Authorization\n' +
        '    secureJsonData:\n      httpHeaderValue1: team-a\n      httpHeaderValue2: Bearer glpat-123\n' +
        '      basicAuthPassword: $TEMPO_PASSWORD\n      httpHeaderValue3: ${X}\n'
    );
    expect(p).toEqual([
      [
        12,
        25,
        'datasources[0].secureJsonData.httpHeaderValue2',
        'warning',
        expect.stringMatching(/literal value.*\$TEMPO_TOKEN/),
      ],
      [
        14,
        7,
        'datasources[0].secureJsonData.httpHeaderValue3',
        'error',
        "httpHeaderValue3 has no httpHeaderName3 in jsonData: add the header's name there",
      ],
    ]);
  });

  it('Tempo settings that must be maps, an old trace-to-logs key, and a bad access', () => {
    const p = problems(
      TEMPO +
        '    access: server\n    jsonData:\n      nodeGraph: true\n      serviceMap: prometheus\n      tracesToLogs:\n        datasourceUid: loki\n'
    );
    expect(p).toEqual([
      [7, 13, 'datasources[0].access', 'error', expect.stringMatching(/^access must be proxy/)],
      [
        9,
        18,
        'datasources[0].jsonData.nodeGraph',
        'error',
        'nodeGraph must be a map, got a boolean: e.g. nodeGraph: { enabled: true }',
      ],
      [
        10,
        19,
        'datasources[0].jsonData.serviceMap',
        'error',
        'serviceMap must be a map, got a string: e.g. serviceMap: { datasourceUid: prometheus }',
      ],
      [11, 7, 'datasources[0].jsonData.tracesToLogs', 'warning', expect.stringMatching(/tracesToLogsV2/)],
    ]);
  });

  it('an empty file and a list at the top say what is expected', () => {
    expect(problems('')).toEqual([
      [1, 1, '', 'error', 'expected a mapping with apiVersion: 1 and datasources: (a list of data sources)'],
    ]);
    expect(problems('- name: Tempo\n')).toEqual([
      [1, 1, '', 'error', 'expected a mapping with apiVersion: 1 and datasources: (a list of data sources)'],
    ]);
  });

  it('formats FILE:LINE:COL lines', () => {
    expect(formatProblems('ds.yaml', validateDataSourceYaml('apiVersion: 1\ndatasources: {}\n'))).toBe(
      'ds.yaml:2:14: datasources: datasources must be a list (- name: ...), got a map\n'
    );
  });
});
