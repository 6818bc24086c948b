/** @jest-environment node */
import http from 'node:http';
import { fetchTransport } from '../../http';
import { recorded } from '../../testing/replayServer';
import { startTracePath } from '../../testing/tracePathServer';
import { plannedChecks, runChecks } from './run';
import type { Check } from './types';

const transport = fetchTransport();

/**
 * One server playing a multi-tenant Tempo 3 without TraceQL metrics (recorded 2.7.2 answers, version changed)
 * and a Collector whose health check never answers; every answer can be held back by `delayMs`.
 */
async function stack(delayMs = 0) {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    req.resume();
    if (path === '/health') {
      return; // a Collector that hangs
    }
    const tenant = req.headers['x-scope-orgid'];
    const fixture =
      path === '/v1/traces'
        ? 'tempo-2.7.2-edge/otlp-empty-export'
        : path === '/ready'
          ? 'tempo-2.7.2/ready'
          : path === '/api/echo'
            ? 'tempo-2.7.2-edge/mt-echo-no-org'
            : path === '/api/status/buildinfo'
              ? undefined
              : !tenant
                ? 'tempo-2.7.2-edge/mt-search-no-org'
                : path === '/api/search'
                  ? 'tempo-2.7.2/search-service'
                  : path === '/api/v2/search/tags'
                    ? 'tempo-2.7.2/tags-v2'
                    : 'tempo-2.7.2-edge/metrics-no-local-blocks';
    const { status, contentType, body } = fixture
      ? recorded(fixture)
      : { status: 200, contentType: 'application/json', body: '{"version":"v3.0.1"}' };
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.writeHead(status, contentType ? { 'Content-Type': contentType } : {}).end(body);
    }, delayMs);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        timers.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('runChecks', () => {
  it('runs every check in parallel, each within its timeout, in the planned order, with progress', async () => {
    const s = await stack(150);
    try {
      const plan = {
        transport,
        timeoutMs: 600,
        collector: { otlpHttpUrl: s.url, healthUrl: `${s.url}/health` },
        tempo: { url: s.url, tenant: 'team-a' },
      };
      const progress: Array<[string, number, number]> = [];
      const started = Date.now();
      const checks = await runChecks(plan, { onProgress: (c, done, total) => progress.push([c.id, done, total]) });
      const took = Date.now() - started;
      expect(checks.map((c) => c.id)).toEqual(plannedChecks(plan).map((r) => r.id));
      expect(Object.fromEntries(checks.map((c) => [c.id, c.status]))).toEqual({
        'collector-health': 'fail',
        'collector-otlp': 'pass',
        'tempo-ready': 'pass',
        'tempo-echo': 'pass',
        'tempo-version': 'pass',
        'tempo-tenant': 'pass',
        'tempo-search': 'pass',
        'tempo-tags': 'pass',
        'tempo-metrics': 'warn',
      });
      // the version reached the metrics check: Tempo 3's hint
      expect(checks.find((c) => c.id === 'tempo-metrics')?.hint).toMatch(/Tempo 3/);
      expect(checks[0].message).toMatch(/no answer within 0.6 s/);
      // 9 answers of 150 ms each and a 600 ms timeout: in sequence that would be over 1.8 s
      expect(took).toBeLessThan(1500);
      expect(progress).toHaveLength(9);
      expect(progress.map(([, done]) => done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(progress.every(([, , total]) => total === 9)).toBe(true);
      expect(progress[8][0]).toBe('collector-health'); // the one that timed out ends last
    } finally {
      await s.close();
    }
  });

  it('fails a dead Tempo within one timeout, its other rows not checked (TraceQL metrics does not wait for the version to ask)', async () => {
    const silent = http.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const started = Date.now();
      const checks = await runChecks({ transport, timeoutMs: 1000, tempo: { url } });
      // /ready fails; the rows that depend on Tempo say so once instead of repeating its failure
      expect(checks[0]).toMatchObject({
        id: 'tempo-ready',
        status: 'fail',
        message: expect.stringMatching(/no answer within 1 s/),
      });
      expect(checks.slice(1).map((c) => [c.status, c.message])).toEqual(
        Array(6).fill(['warn', 'Not checked: Tempo did not answer (see Tempo ready).'])
      );
      expect(Date.now() - started).toBeLessThan(1800); // two timeouts in a row would be 2 s
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('does not send the canary when the OTLP receiver did not answer, and says so once', async () => {
    const path = await startTracePath({ exportDelayMs: 10 });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const dead = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      const checks = await runChecks({
        transport,
        collector: { otlpHttpUrl: dead },
        tempo: { url: path.tempoUrl },
        canary: { pollIntervalMs: 20, timeoutMs: 3000 },
      });
      const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
      expect(byId['collector-otlp'].message).toMatch(/did not answer: the connection was refused/);
      expect(byId.canary).toMatchObject({
        status: 'warn',
        message: 'Not checked: the Collector did not answer (see Collector OTLP/HTTP receiver).',
      });
      expect(byId['tempo-echo'].status).toBe('pass'); // Tempo answered: its rows ran as usual
      expect(path.seen.tempo.some((r) => r.includes('/traces/'))).toBe(false); // no poll
    } finally {
      await path.close();
    }
  });

  it('plans only the endpoints given', () => {
    expect(plannedChecks({ collector: { otlpHttpUrl: ' ', healthUrl: 'http://c:13133' } })).toEqual([
      { id: 'collector-health', title: 'Collector health' },
    ]);
    expect(plannedChecks({})).toEqual([]);
    // Grafana on the page's own origin ('') counts; the canary needs both the Collector and Tempo.
    expect(plannedChecks({ grafana: { url: '' }, canary: {}, collector: { otlpHttpUrl: 'http://c:4318' } })).toEqual([
      { id: 'collector-otlp', title: 'Collector OTLP/HTTP receiver' },
      { id: 'grafana-datasource', title: 'Tempo data source' },
      { id: 'grafana-datasource-health', title: 'Tempo data source health' },
      { id: 'grafana-service-map', title: 'Service map data source' },
      { id: 'prometheus-service-graph', title: 'Service graph metrics' },
    ]);
    expect(plannedChecks({ prometheus: { url: 'http://p:9090' } }).map((r) => r.id)).toEqual([
      'prometheus-service-graph',
    ]);
    expect(
      plannedChecks({ canary: {}, collector: { otlpHttpUrl: 'http://c:4318' }, tempo: { url: 'http://t:3200' } }).at(-1)
    ).toEqual({ id: 'canary', title: 'Canary span' });
  });

  it('ends every check at once when the signal aborts', async () => {
    const s = await stack(5_000);
    try {
      const controller = new AbortController();
      const started = Date.now();
      const pending = runChecks(
        { transport, timeoutMs: 10_000, collector: { otlpHttpUrl: s.url }, tempo: { url: s.url } },
        { signal: controller.signal }
      );
      setTimeout(() => controller.abort(), 100);
      const checks: Check[] = await pending;
      expect(Date.now() - started).toBeLessThan(1500);
      expect(checks).toHaveLength(8);
      expect(checks.every((c) => c.status === 'fail' && /cancelled/.test(c.message))).toBe(true);
    } finally {
      await s.close();
    }
  });
});
