/** @jest-environment node */
import http from 'node:http';
import { fetchTransport } from '../../http';
import { recorded } from '../../testing/replayServer';
import { startTracePath, type TracePath } from '../../testing/tracePathServer';
import { canary } from './canary';
import { runChecks } from './run';

const transport = fetchTransport();

describe('canary', () => {
  let path: TracePath | undefined;
  afterEach(async () => {
    await path?.close();
    path = undefined;
  });

  it('passes with the end-to-end latency once Tempo answers the span by ID', async () => {
    path = await startTracePath({ exportDelayMs: 300 });
    const check = await canary(transport, path.collectorUrl, path.tempoUrl, { pollIntervalMs: 50, timeoutMs: 5000 });
    expect(check.status).toBe('pass');
    expect(check.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(check.latencyMs).toBeGreaterThanOrEqual(300);
    expect(check.latencyMs).toBeLessThan(2000);
    expect(check.message).toMatch(/^The canary span \(trace [0-9a-f]{32}\) reached Tempo in 0\.\d+ s end to end/);
    expect(check.request).toEqual({ method: 'GET', url: `${path.tempoUrl}/api/v2/traces/${check.traceId}` });
    expect(path.received).toBe(1);
    // one POST, then polls of trace-by-ID only (never search)
    expect(path.seen.collector).toEqual(['POST /v1/traces']);
    expect(path.seen.tempo.every((r) => r === `GET /api/v2/traces/${check.traceId}`)).toBe(true);
    expect(path.seen.tempo.length).toBeGreaterThan(1);
  });

  it('gives each run a fresh trace ID', async () => {
    path = await startTracePath({ exportDelayMs: 0 });
    const a = await canary(transport, path.collectorUrl, path.tempoUrl, { pollIntervalMs: 20 });
    const b = await canary(transport, path.collectorUrl, path.tempoUrl, { pollIntervalMs: 20 });
    expect(a.traceId).not.toBe(b.traceId);
  });

  it("fails at the Collector's exporter when the span was accepted but never reached Tempo", async () => {
    path = await startTracePath({ exportDelayMs: 10, dropExports: true });
    const started = Date.now();
    const check = await canary(transport, path.collectorUrl, path.tempoUrl, { pollIntervalMs: 50, timeoutMs: 600 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(
      /^The Collector accepted the canary span \(trace [0-9a-f]{32}\), but it was not in Tempo after 0\.6 s\.$/
    );
    expect(check.hint).toMatch(/exporter/);
    expect(check.hint).toMatch(/Exporting failed/);
  });

  it('fails at the receiver with its status and why when it refuses the span', async () => {
    path = await startTracePath({ receiverStatus: 503 });
    const check = await canary(transport, path.collectorUrl, path.tempoUrl, { timeoutMs: 2000 });
    expect(check.status).toBe('fail');
    expect(check.request.method).toBe('POST');
    expect(check.message).toBe(
      'The Collector did not take the canary span. The receiver needs a tenant (HTTP 503 "no org id"): it forwards to a multi-tenant Tempo.'
    );
    expect(path.seen.tempo).toEqual([]);
  });

  it('names the tenant when Tempo answers 401 no org id, and finds the span with it', async () => {
    path = await startTracePath({ exportDelayMs: 10, requireTenant: true });
    const without = await canary(transport, path.collectorUrl, path.tempoUrl, { timeoutMs: 2000 });
    expect(without.status).toBe('fail');
    expect(without.message).toBe(
      'The Collector took the canary span, but Tempo requires a tenant to read it (HTTP 401 "no org id").'
    );
    const withTenant = await canary(transport, path.collectorUrl, path.tempoUrl, {
      tenant: 'team-a',
      pollIntervalMs: 20,
      timeoutMs: 2000,
    });
    expect(withTenant.status).toBe('pass');
  });

  it("says the exporter's tenant when the span went to another tenant", async () => {
    path = await startTracePath({ exportDelayMs: 10, requireTenant: true, exporterTenant: 'team-b' });
    const check = await canary(transport, path.collectorUrl, path.tempoUrl, {
      tenant: 'team-a',
      pollIntervalMs: 50,
      timeoutMs: 400,
    });
    expect(check.status).toBe('fail');
    expect(check.hint).toMatch(/X-Scope-OrgID must be "team-a": another tenant's traces are invisible here/);
  });

  it('fails with the poll errors when every lookup in Tempo fails', async () => {
    path = await startTracePath({ exportDelayMs: 10 });
    const dead = await startTracePath();
    await dead.close();
    const check = await canary(transport, path.collectorUrl, dead.tempoUrl, { pollIntervalMs: 50, timeoutMs: 400 });
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(/every lookup in Tempo failed \(the connection was refused/);
  });

  it("fails with the answer's words when the Tempo URL answers 200 with something else (an HTML page)", async () => {
    path = await startTracePath({ exportDelayMs: 10 });
    const html = await startTracePath({
      tempoAnswers: { status: 200, contentType: 'text/html', body: '<!doctype html><title>Sign in</title>' },
    });
    try {
      const check = await canary(transport, path.collectorUrl, html.tempoUrl, { pollIntervalMs: 50, timeoutMs: 400 });
      expect(check.status).toBe('fail');
      expect(check.message).toBe(
        'The Collector took the canary span, but every lookup in Tempo failed (HTTP 200 (an HTML page: a proxy or another server answered)).'
      );
      expect(check.hint).toMatch(/not as Tempo's trace-by-ID/);
      expect(check.hint).not.toMatch(/Exporting failed/); // not blamed on the Collector's exporter
    } finally {
      await html.close();
    }
  });

  it('ends at once when cancelled while polling', async () => {
    path = await startTracePath({ exportDelayMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const check = await canary(transport, path.collectorUrl, path.tempoUrl, {
      signal: controller.signal,
      pollIntervalMs: 1000,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(check).toMatchObject({ status: 'fail', message: 'The canary was cancelled.' });
  });

  it('asks /api/traces/<id> of a Tempo older than 2.5 (no /api/v2/traces)', async () => {
    path = await startTracePath({ exportDelayMs: 50, version: 'v2.4.1' });
    const checks = await runChecks({
      transport,
      collector: { otlpHttpUrl: path.collectorUrl },
      tempo: { url: path.tempoUrl },
      canary: { pollIntervalMs: 20, timeoutMs: 3000 },
    });
    const check = checks.find((c) => c.id === 'canary');
    expect(check?.status).toBe('pass');
    expect(check?.request.url).toMatch(/\/api\/traces\/[0-9a-f]{32}$/);
    expect(path.seen.tempo.some((r) => r.startsWith('GET /api/v2/traces/'))).toBe(false);
  });

  it('runs last in runChecks, through a plan with canary', async () => {
    path = await startTracePath({ exportDelayMs: 50 });
    const checks = await runChecks({
      transport,
      collector: { otlpHttpUrl: path.collectorUrl, healthUrl: path.collectorHealthUrl },
      tempo: { url: path.tempoUrl },
      canary: { pollIntervalMs: 20, timeoutMs: 3000 },
    });
    expect(checks.map((c) => c.id).at(-1)).toBe('canary');
    expect(checks.find((c) => c.id === 'canary')?.status).toBe('pass');
    expect(checks.find((c) => c.id === 'collector-health')?.status).toBe('pass');
  });

  it("leaves the canary's own trace out of tempo-search: a Tempo holding only canary spans warns", async () => {
    path = await startTracePath({ exportDelayMs: 20, searchFromStore: true });
    const plan = {
      transport,
      collector: { otlpHttpUrl: path.collectorUrl },
      tempo: { url: path.tempoUrl },
      canary: { pollIntervalMs: 20, timeoutMs: 3000 },
    };
    const first = await runChecks(plan);
    expect(first.find((c) => c.id === 'canary')?.status).toBe('pass');
    expect(path.stored).toBe(1);
    // Tempo now holds the canary's trace, and only that: search still finds nothing from the services.
    const again = await runChecks({ ...plan, canary: undefined });
    const search = again.find((c) => c.id === 'tempo-search');
    expect(search).toMatchObject({
      status: 'warn',
      message: "Search works, but found no traces recently (the canary's own, service traceway-canary, do not count).",
    });
    expect(search?.request.url).toBe(
      `${path.tempoUrl}/api/search?q=%7B+resource.service.name+%21%3D+%22traceway-canary%22+%7D&limit=1`
    );
  });
});

describe('checks through Grafana (proxied)', () => {
  it('reads bodiless 502 and 504 as Grafana failing to connect to / timing out on the upstream', async () => {
    // A node:http "Grafana" answering as its app proxy does when the upstream fails: the status, no body
    // (the reason is only in Grafana's log). tenantless-tempo answers Tempo's recorded 401 "no org id".
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      seen.push(`${req.method} ${req.url} ${req.headers['x-scope-orgid'] ?? '-'}`);
      if (req.url?.startsWith('/api/plugin-proxy/traceway-explorer-app/tenantless-tempo/')) {
        const { status, contentType, body } = recorded('tempo-2.7.2-edge/mt-search-no-org');
        res.writeHead(status, { 'Content-Type': contentType ?? 'text/plain' }).end(body);
        return;
      }
      if (req.url?.startsWith('/api/plugin-proxy/traceway-explorer-app/collector-health')) {
        res.writeHead(502, { 'Content-Type': 'text/plain' }).end('bad gateway from a proxy in front of the Collector');
        return;
      }
      res.writeHead(req.url?.includes('/collector-otlp') ? 502 : 504).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const app = `${origin}/api/plugin-proxy/traceway-explorer-app`;
    try {
      const checks = await runChecks({
        transport,
        proxied: {
          [`${app}/collector-otlp`]: 'http://otel-collector:4318',
          [`${app}/collector-health`]: 'http://otel-collector:13133',
          [`${app}/tempo`]: 'http://tempo:3200',
          [`${app}/tenantless-tempo`]: 'http://tempo:3200',
        },
        collector: { otlpHttpUrl: `${app}/collector-otlp`, healthUrl: `${app}/collector-health/` },
        tempo: { url: `${app}/tempo`, tenant: 'team-a', tenantlessUrl: `${app}/tenantless-tempo` },
        canary: { timeoutMs: 500 },
      });
      const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
      expect(byId['collector-otlp'].request).toEqual({
        method: 'POST',
        url: 'http://otel-collector:4318/v1/traces',
        via: 'grafana',
      });
      expect(byId['collector-otlp'].message).toBe(
        "The OTLP/HTTP receiver did not answer: Grafana's server could not connect to http://otel-collector:4318/v1/traces (HTTP 502 with no body)."
      );
      expect(byId['collector-otlp'].hint).toMatch(/Grafana's log/);
      expect(byId['tempo-ready'].message).toBe(
        "Tempo did not answer: Grafana's server got no answer in time from http://tempo:3200/ready (HTTP 504 with no body)."
      );
      expect(byId['tempo-ready'].request.url).toBe('http://tempo:3200/ready');
      // a 502 with a body is not Grafana's own: the body is read as usual
      expect(byId['collector-health'].message).toBe(
        'The health check answered HTTP 502: bad gateway from a proxy in front of the Collector.'
      );
      // the tenant check asked the tenantless route; Tempo's /ready got no answer, so its row (like the other Tempo
      // rows and the canary) says so once instead of repeating the failure
      expect(seen).toContain('GET /api/plugin-proxy/traceway-explorer-app/tenantless-tempo/api/search?limit=1 -');
      expect(byId['tempo-tenant']).toMatchObject({
        status: 'warn',
        message: 'Not checked: Tempo did not answer (see Tempo ready).',
        request: { url: 'http://tempo:3200/api/search?limit=1', via: 'grafana' },
      });
      expect(byId.canary).toMatchObject({
        status: 'warn',
        message: 'Not checked: Tempo did not answer (see Tempo ready).',
      });
      expect(JSON.stringify(checks)).not.toContain('/api/plugin-proxy');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
