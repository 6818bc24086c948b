/** @jest-environment node */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';

import { bundleCliBeforeAll, runCliAsync } from '../testing/cli';
import { startTracePath, type TracePath } from '../testing/tracePathServer';
import { doctorPlan } from './doctor';
import { parseHeaders } from './main';

jest.setTimeout(60_000);

// The real CLI, in a temp folder of its own.
const BUNDLE = bundleCliBeforeAll();

/** Runs the CLI without blocking this process: the in-process servers must answer it. */
function traceway(args: string[], onStart?: (child: ChildProcess) => void) {
  return runCliAsync(BUNDLE, args, { onStart });
}

/** A Grafana answering as its HTTP API does (shapes and sources: src/setup/checks/grafana.test.ts). */
async function grafana(prometheusUrl: string) {
  const auth: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    auth.push(String(req.headers.authorization));
    if (req.headers.authorization !== 'Bearer sa-token-123') {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"message":"invalid API key","traceID":""}');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://g').pathname;
    const answers: Record<string, unknown> = {
      '/api/datasources': [
        {
          id: 1,
          uid: 'tempo',
          orgId: 1,
          name: 'Tempo',
          type: 'tempo',
          access: 'proxy',
          url: prometheusUrl,
          isDefault: true,
          jsonData: { serviceMap: { datasourceUid: 'prometheus' } },
        },
      ],
      '/api/datasources/uid/prometheus': { id: 2, uid: 'prometheus', name: 'Prometheus', type: 'prometheus' },
      '/api/datasources/proxy/uid/prometheus/api/v1/query': {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [1795247301.771, '6'] }] },
      },
    };
    // Tempo has no server-side health check: current Grafana answers 501, and the check asks /api/echo through the
    // data source proxy, which answers as Tempo does (fixtures/tempo-2.7.2/echo).
    if (path === '/api/datasources/uid/tempo/health') {
      res
        .writeHead(501, { 'Content-Type': 'application/json' })
        .end('{"message":"Not implemented","messageId":"plugin.notImplemented","statusCode":501}');
      return;
    }
    if (path === '/api/datasources/proxy/uid/tempo/api/echo') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('echo');
      return;
    }
    const body = answers[path];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? { message: 'Not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    auth,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('traceway doctor', () => {
  let path: TracePath | undefined;
  afterEach(async () => {
    await path?.close();
    path = undefined;
  });

  it('prints a table of passing checks, the canary and Grafana included, and exits 0', async () => {
    path = await startTracePath({ exportDelayMs: 100 });
    const g = await grafana(path.tempoUrl);
    try {
      const r = await traceway([
        'doctor',
        '--tempo',
        path.tempoUrl,
        '--collector',
        path.collectorUrl,
        '--collector-health',
        path.collectorHealthUrl,
        '--grafana',
        g.url,
        '--token',
        'sa-token-123',
        '--canary',
        '--canary-timeout',
        '10s',
      ]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const lines = r.out.split('\n');
      expect(lines[0]).toMatch(/^STATUS {2}CHECK +MS {2}MESSAGE$/);
      const rows = lines.slice(1).filter((l) => /^(pass|warn|fail) /.test(l));
      expect(rows.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
        'pass collector-health',
        'pass collector-otlp',
        'pass tempo-ready',
        'pass tempo-echo',
        'pass tempo-version', // the recorded Tempo 2.7.2 build reports an empty version: an ordinary install
        'pass tempo-tenant',
        'pass tempo-search',
        'pass tempo-tags',
        'pass tempo-metrics',
        'pass grafana-datasource',
        'pass grafana-datasource-health',
        'pass grafana-service-map',
        'pass prometheus-service-graph',
        'pass canary',
      ]);
      expect(r.out).toMatch(/canary +\d+ {2}The canary span \(trace [0-9a-f]{32}\) reached Tempo in/);
      expect(r.out).toMatch(/\n14 passed, 0 warned, 0 failed\n$/);
      expect(path.received).toBe(1);
      expect(g.auth.every((a) => a === 'Bearer sa-token-123')).toBe(true);
      expect(r.out).not.toContain('sa-token-123');
    } finally {
      await g.close();
    }
  });

  it('--json: a failing check (a tenant required, none given) exits 1; hint only where there is one', async () => {
    path = await startTracePath({ requireTenant: true });
    const r = await traceway([
      'doctor',
      '--tempo',
      path.tempoUrl,
      '--header',
      'Authorization: Bearer secret-xyz',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const { checks } = JSON.parse(r.out) as {
      checks: Array<{ id: string; status: string; ms: number; message: string; hint?: string }>;
    };
    const tenant = checks.find((c) => c.id === 'tempo-tenant');
    expect(tenant).toMatchObject({
      status: 'fail',
      message: 'Tempo is multi-tenant and requires a tenant (HTTP 401 "no org id"), but none is set.',
    });
    expect(Object.keys(tenant ?? {})).toEqual(['id', 'status', 'ms', 'message', 'hint']);
    const ready = checks.find((c) => c.id === 'tempo-ready');
    expect(Object.keys(ready ?? {})).toEqual(['id', 'status', 'ms', 'message']);
    expect(typeof ready?.ms).toBe('number');
    expect(r.out + r.err).not.toContain('secret-xyz');
  });

  it('takes X-Scope-OrgID given with --header, in any letter case, as the tenant', async () => {
    path = await startTracePath({ requireTenant: true });
    const r = await traceway(['doctor', '--tempo', path.tempoUrl, '--header', 'x-scope-orgid: team-a', '--json']);
    const { checks } = JSON.parse(r.out) as { checks: Array<{ id: string; status: string; message: string }> };
    // The tenant check asked without it (and learnt a tenant is required); the others sent it.
    expect(checks.find((c) => c.id === 'tempo-tenant')).toMatchObject({
      status: 'pass',
      message: 'Tempo is multi-tenant; the tenant "team-a" is sent as X-Scope-OrgID.',
    });
    expect(checks.find((c) => c.id === 'tempo-tags')?.status).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('exits 130 on Ctrl-C (SIGINT), the checks still running cancelled', async () => {
    let connected!: () => void;
    const asked = new Promise<void>((resolve) => (connected = resolve));
    const silent = http.createServer(() => connected()); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const r = await traceway(['doctor', '--tempo', url, '--timeout', '30s'], (child) => {
        void asked.then(() => child.kill('SIGINT'));
      });
      expect(r.code).toBe(130);
      expect(r.out).toMatch(/fail +tempo-ready +\d+ {2}Tempo did not answer: the check was cancelled\./);
      expect(r.ms).toBeLessThan(10_000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('fails a dead endpoint within --timeout', async () => {
    const silent = http.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const r = await traceway(['doctor', '--tempo', url, '--timeout', '500ms']);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/fail +tempo-ready +\d+ {2}Tempo did not answer: no answer within 0\.5 s\./);
      expect(r.ms).toBeLessThan(5000); // node's start and the bundle's load included
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it.each([
    ['no --tempo', ['doctor'], /^traceway: doctor: --tempo URL is required/],
    [
      'host:port without a scheme',
      ['doctor', '--tempo', 'tempo:3200'],
      /doctor: --tempo is a host and port without a scheme: give http:\/\/tempo:3200/,
    ],
    [
      'a malformed --collector-header',
      ['doctor', '--tempo', 'http://tempo:3200', '--collector', 'http://c:4318', '--collector-header', 'secret-xyz'],
      /doctor: --collector-header expects 'Name: value'/,
    ],
    [
      '--prometheus-header without --prometheus',
      ['doctor', '--tempo', 'http://tempo:3200', '--prometheus-header', 'Authorization: Bearer secret-xyz'],
      /doctor: --prometheus-header goes with --prometheus URL/,
    ],
    [
      'two different tenants',
      ['doctor', '--tempo', 'http://tempo:3200', '--tenant', 'a', '--header', 'X-Scope-OrgID: b'],
      /doctor: --tenant and --header X-Scope-OrgID name different tenants/,
    ],
    [
      'a bad duration',
      ['doctor', '--tempo', 'http://tempo:3200', '--timeout', '10x'],
      /--timeout <duration>' argument '10x' is invalid\. expected a number of seconds/,
    ],
    [
      'a malformed header',
      ['doctor', '--tempo', 'http://tempo:3200', '--header', 'Authorization Bearer secret-xyz'],
      /doctor: --header expects 'Name: value'/,
    ],
    [
      '--token without --grafana',
      ['doctor', '--tempo', 'http://tempo:3200', '--token', 'secret-xyz'],
      /doctor: --token goes with --grafana URL/,
    ],
    ['http:tempo', ['doctor', '--tempo', 'http:tempo:3200'], /doctor: --tempo lacks the \/\/ after http:/],
    [
      'not a URL',
      ['doctor', '--tempo', 'tempo'],
      /doctor: --tempo is not a URL: give Tempo's address, such as http:\/\/tempo:3200/,
    ],
    [
      'credentials in a URL',
      ['doctor', '--tempo', 'http://u:secret-xyz@tempo:3200'],
      /doctor: --tempo holds credentials/,
    ],
    [
      'another scheme',
      ['doctor', '--tempo', 'http://tempo:3200', '--grafana', 'ftp://grafana'],
      /doctor: --grafana is a ftp: URL/,
    ],
    [
      '--canary without --collector',
      ['doctor', '--tempo', 'http://tempo:3200', '--canary'],
      /doctor: --canary needs --collector URL/,
    ],
  ])('exits 2 on %s, with a specific message and no secret', async (_, args, message) => {
    const r = await traceway(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).not.toContain('secret-xyz');
  });
});

describe('doctorPlan', () => {
  const parsers = { seconds: Number, headers: parseHeaders };
  it('gives each endpoint only its own headers, and the tenant to Tempo and the Collector', () => {
    const planned = doctorPlan(
      {
        tempo: 'http://tempo:3200',
        collector: 'http://c:4318',
        prometheus: 'http://p:9090',
        header: ['Authorization: Bearer tempo-token', 'X-Scope-OrgID: team-a'],
        collectorHeader: ['PRIVATE-TOKEN: collector-token'],
        prometheusHeader: ['Authorization: Basic cHJvbQ=='],
      },
      parsers
    );
    expect(planned).toEqual({
      plan: {
        tempo: { url: 'http://tempo:3200', headers: { Authorization: 'Bearer tempo-token' }, tenant: 'team-a' },
        collector: {
          otlpHttpUrl: 'http://c:4318',
          headers: { 'PRIVATE-TOKEN': 'collector-token', 'X-Scope-OrgID': 'team-a' },
        },
        prometheus: { url: 'http://p:9090', headers: { Authorization: 'Basic cHJvbQ==' } },
      },
    });
  });
});
