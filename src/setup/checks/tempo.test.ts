/** @jest-environment node */
import http from 'node:http';
import { fetchTransport } from '../../http';
import { startReplayServer, type Route } from '../../testing/replayServer';
import { startTracePath } from '../../testing/tracePathServer';
import { runChecks } from './run';
import {
  olderThan,
  parseVersion,
  tempoBuildInfo,
  tempoEcho,
  tempoMetrics,
  tempoReady,
  tempoSearch,
  tempoTags,
  tempoTenant,
} from './tempo';

const transport = fetchTransport();
const BUILD = (version: string): Route => ({
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify({ version, revision: 'abc' }),
});

/** A single-tenant Tempo 2.7.2 as recorded. */
const SINGLE: Record<string, Route> = {
  '/ready': { fixture: 'tempo-2.7.2/ready' },
  '/api/echo': { fixture: 'tempo-2.7.2/echo' },
  '/api/status/buildinfo': { fixture: 'tempo-2.7.2-edge/mt-buildinfo-no-org' },
  '/api/search': { fixture: 'tempo-2.7.2/search-service' },
  '/api/v2/search/tags': { fixture: 'tempo-2.7.2/tags-v2' },
  '/api/metrics/query_range': { fixture: 'tempo-2.7.2/metrics-rate' },
};

/** The recorded multi-tenant Tempo: 401 "no org id" for queries without X-Scope-OrgID, echo and buildinfo 200. */
const needsTenant =
  (answer: Route): Route =>
  (r) =>
    r.headers['x-scope-orgid']
      ? typeof answer === 'function'
        ? answer(r)
        : answer
      : { fixture: 'tempo-2.7.2-edge/mt-search-no-org' };
const MULTI: Record<string, Route> = {
  ...SINGLE,
  '/api/echo': { fixture: 'tempo-2.7.2-edge/mt-echo-no-org' },
  '/api/search': needsTenant({ fixture: 'tempo-2.7.2/search-service' }),
  '/api/v2/search/tags': needsTenant({ fixture: 'tempo-2.7.2/tags-v2' }),
  '/api/metrics/query_range': needsTenant({ fixture: 'tempo-2.7.2-edge/metrics-other-tenant-no-data' }),
};

async function withTempo(routes: Record<string, Route>, run: (url: string, seen: string[]) => Promise<void>) {
  const server = await startReplayServer(routes);
  try {
    await run(server.url, server.seen);
  } finally {
    await server.close();
  }
}

describe('versions', () => {
  it('parses release numbers and compares them', () => {
    expect(parseVersion('v2.7.2')).toEqual([2, 7, 2]);
    expect(parseVersion('2.10.0-rc.1')).toEqual([2, 10, 0]);
    expect(parseVersion('main-1a2b3c')).toBeUndefined();
    expect(olderThan([2, 4, 9], [2, 5, 0])).toBe(true);
    expect(olderThan([2, 10, 0], [2, 5, 0])).toBe(false);
    expect(olderThan([2, 5, 0], [2, 5, 0])).toBe(false);
  });
});

describe('Tempo checks on recorded single-tenant answers', () => {
  it('passes ready, echo, version, search, tags, metrics and tenant', async () => {
    await withTempo(SINGLE, async (url, seen) => {
      const checks = await Promise.all([
        tempoReady(transport, url),
        tempoEcho(transport, url),
        tempoBuildInfo(transport, url),
        tempoSearch(transport, url),
        tempoTags(transport, url),
        tempoMetrics(transport, url, { version: 'v2.7.2', now: 1_795_247_000_000 }),
        tempoTenant(transport, url),
      ]);
      expect(checks.map((c) => [c.id, c.status])).toEqual([
        ['tempo-ready', 'pass'],
        ['tempo-echo', 'pass'],
        ['tempo-version', 'pass'],
        ['tempo-search', 'pass'],
        ['tempo-tags', 'pass'],
        ['tempo-metrics', 'pass'],
        ['tempo-tenant', 'pass'],
      ]);
      expect(checks[2].message).toBe('Tempo v2.7.2.');
      expect(checks[4].message).toMatch(/^Tempo knows \d+ tag names\.$/);
      expect(seen).toContain('GET /api/search?limit=1');
      expect(seen).toContain(
        'GET /api/metrics/query_range?q=%7B%7D+%7C+rate%28%29&start=1795246700&end=1795247000&step=60s'
      );
    });
  });

  it('warns on an empty search, no tags, an old or unknown version', async () => {
    await withTempo(
      {
        '/api/search': { fixture: 'tempo-2.7.2/search-empty' },
        '/api/v2/search/tags': { status: 200, contentType: 'application/json', body: '{"scopes":[]}' },
        '/old/api/status/buildinfo': BUILD('v2.4.1'),
        '/dev/api/status/buildinfo': BUILD('main-1a2b3c'),
      },
      async (url) => {
        expect((await tempoSearch(transport, url)).status).toBe('warn');
        expect((await tempoTags(transport, url)).status).toBe('warn');
        const old = await tempoBuildInfo(transport, `${url}/old`);
        expect(old).toMatchObject({ status: 'warn', version: 'v2.4.1' });
        expect(old.message).toMatch(/older than 2\.5.*\/api\/v2\/traces/);
        const dev = await tempoBuildInfo(transport, `${url}/dev`);
        expect(dev).toMatchObject({ status: 'warn', version: 'main-1a2b3c' });
        expect(dev.message).toMatch(/"main-1a2b3c", which is not a release/);
      }
    );
  });

  it('passes the recorded Tempo 2.7.2 that answers an empty version, and nothing downstream treats it as a problem', async () => {
    await withTempo(
      {
        '/api/status/buildinfo': { fixture: 'tempo-2.7.2/buildinfo' }, // recorded: {"version": "", ...}
        '/api/metrics/query_range': { fixture: 'tempo-2.7.2-edge/metrics-no-local-blocks' },
      },
      async (url) => {
        const check = await tempoBuildInfo(transport, url);
        expect(check).toMatchObject({ status: 'pass', version: '' });
        expect(check.message).toMatch(/without a version number.*assume a current Tempo \(2\.5 or newer\)/);
        expect(check.hint).toBeUndefined();
        // TraceQL metrics' hint takes it for Tempo 2 (the local-blocks processor), not Tempo 3.
        const metrics = await tempoMetrics(transport, url, { version: Promise.resolve(check.version) });
        expect(metrics.hint).toMatch(/local-blocks processor is off/);
      }
    );
    // The canary asks /api/v2/traces (not the pre-2.5 /api/traces) of the Tempo answering the recorded build info.
    const path = await startTracePath({ exportDelayMs: 10 });
    try {
      const checks = await runChecks({
        transport,
        collector: { otlpHttpUrl: path.collectorUrl },
        tempo: { url: path.tempoUrl },
        canary: { pollIntervalMs: 20, timeoutMs: 3000 },
      });
      expect(checks.find((c) => c.id === 'tempo-version')?.status).toBe('pass');
      const canary = checks.find((c) => c.id === 'canary');
      expect(canary?.status).toBe('pass');
      expect(canary?.request.url).toMatch(/\/api\/v2\/traces\/[0-9a-f]{32}$/);
    } finally {
      await path.close();
    }
  });

  it('warns when a tenant is set but Tempo is single-tenant', async () => {
    await withTempo(SINGLE, async (url, seen) => {
      const check = await tempoTenant(transport, url, { tenant: 'team-a' });
      expect(check.status).toBe('warn');
      expect(check.message).toMatch(/not multi-tenant.*"team-a" has no effect/);
    });
  });
});

describe('Tempo checks on the recorded multi-tenant Tempo', () => {
  it('without a tenant: echo passes (it cannot tell), search, tags and the tenant check fail with "no org id"', async () => {
    await withTempo(MULTI, async (url) => {
      const echo = await tempoEcho(transport, url);
      expect(echo.status).toBe('pass');
      for (const check of [await tempoSearch(transport, url), await tempoTags(transport, url)]) {
        expect(check.status).toBe('fail');
        expect(check.message).toMatch(/requires a tenant \(HTTP 401 "no org id"\)/);
        expect(check.hint).toMatch(/X-Scope-OrgID/);
        expect(check.docsUrl).toMatch(/multitenancy/);
      }
      const tenant = await tempoTenant(transport, url);
      expect(tenant).toMatchObject({ status: 'fail', request: { url: `${url}/api/search?limit=1` } });
      expect(tenant.message).toMatch(/multi-tenant and requires a tenant/);
    });
  });

  it('with a tenant: everything passes, and the tenant check asks without one', async () => {
    await withTempo(MULTI, async (url) => {
      const options = { tenant: 'team-a' };
      const search = await tempoSearch(transport, url, options);
      expect(search.status).toBe('pass');
      expect((await tempoMetrics(transport, url, options)).status).toBe('pass');
      const tenant = await tempoTenant(transport, url, options);
      expect(tenant.status).toBe('pass');
      expect(tenant.message).toMatch(/multi-tenant; the tenant "team-a" is sent/);
    });
  });

  it('takes an X-Scope-OrgID header in any letter case as the tenant, and the tenant check asks without it', async () => {
    await withTempo(MULTI, async (url) => {
      const options = { headers: { 'x-scope-orgid': 'team-a', Authorization: 'Bearer t' } };
      expect((await tempoSearch(transport, url, options)).status).toBe('pass');
      const tenant = await tempoTenant(transport, url, options);
      expect(tenant).toMatchObject({
        status: 'pass',
        message: 'Tempo is multi-tenant; the tenant "team-a" is sent as X-Scope-OrgID.',
      });
    });
  });

  it('a tenant sent but still 401 "no org id": a proxy drops the header', async () => {
    await withTempo({ '/api/search': { fixture: 'tempo-2.7.2-edge/mt-search-no-org' } }, async (url) => {
      const check = await tempoSearch(transport, url, { tenant: 'team-a' });
      expect(check.message).toMatch(/although the tenant "team-a" was sent/);
      expect(check.hint).toMatch(/proxy/);
    });
  });
});

describe('TraceQL metrics off', () => {
  it.each([
    ['metrics-no-local-blocks', 'v2.7.2', /localblocks processor not found/, /local-blocks processor is off/],
    ['metrics-no-generator', 'v2.7.2', /empty ring/, /No metrics-generator answered/],
    ['metrics-no-local-blocks', undefined, /HTTP 500/, /local-blocks/],
    ['metrics-no-local-blocks', 'v3.0.1', /HTTP 500/, /Tempo 3 has no local-blocks processor.*live-store/],
  ])('%s on %s', async (fixture, version, message, hint) => {
    await withTempo({ '/api/metrics/query_range': { fixture: `tempo-2.7.2-edge/${fixture}` } }, async (url) => {
      const check = await tempoMetrics(transport, url, { version });
      expect(check.status).toBe('warn');
      expect(check.message).toMatch(message);
      expect(check.hint).toMatch(hint);
      expect(check.docsUrl).toMatch(version?.startsWith('v3') ? /migrate-to-3/ : /configure-traceql-metrics/);
    });
  });
});

describe('Tempo failure modes', () => {
  it('/ready 503 with its reason', async () => {
    await withTempo(
      { '/ready': { status: 503, contentType: 'text/plain', body: 'Ingester not ready: empty ring\n' } },
      async (url) => {
        const check = await tempoReady(transport, url);
        expect(check.status).toBe('fail');
        expect(check.message).toBe('Tempo is not ready (HTTP 503: Ingester not ready: empty ring).');
        expect(check.hint).toMatch(/ring has no healthy members/);
      }
    );
  });

  it('a URL that is not Tempo: 404, or 200 with the wrong body', async () => {
    await withTempo(
      {
        '/grafana/api/echo': { status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html>Grafana</html>' },
        '/grafana/api/search': { status: 200, contentType: 'application/json', body: '{"message":"ok"}' },
      },
      async (url) => {
        const notFound = await tempoEcho(transport, url);
        expect(notFound.message).toBe(`Nothing at ${url}/api/echo (HTTP 404: 404 page not found).`);
        const html = await tempoEcho(transport, `${url}/grafana`);
        expect(html.message).toMatch(/not Tempo's "echo" \(an HTML page/);
        const json = await tempoSearch(transport, `${url}/grafana`);
        expect(json.message).toMatch(/not with search results/);
      }
    );
  });

  it('429 with Retry-After, 403, and a slow Tempo within the timeout', async () => {
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/slow')) {
        return; // never answers
      }
      const status = req.url?.startsWith('/limited') ? 429 : 403;
      res.writeHead(status, status === 429 ? { 'Retry-After': '5' } : {}).end('go away');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const limited = await tempoSearch(transport, `${url}/limited`);
      expect(limited.message).toMatch(/rate-limiting \(HTTP 429, Retry-After: 5: go away\)/);
      const forbidden = await tempoSearch(transport, url);
      expect(forbidden.message).toMatch(/refused access \(HTTP 403: go away\)/);
      const started = Date.now();
      const slow = await tempoReady(transport, `${url}/slow`, { timeoutMs: 200 });
      expect(slow.message).toBe('Tempo did not answer: no answer within 0.2 s.');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
