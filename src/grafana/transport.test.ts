/**
 * @jest-environment node
 */
import { isHttpError } from '../http';
import { TempoClient } from '../tempo';
import { recorded, startReplayServer } from '../testing/replayServer';
import { PROXY_AUTH_FAILED, grafanaTransport } from './transport';

// What Grafana's data source proxy (pkg/api/pluginproxy/ds_proxy.go) sends in place of a data source's 401:
// a 400 with this text and no content type. Tempo's own 401 (recorded) is what it stands for.
const PROXY_401 = { status: 400, body: PROXY_AUTH_FAILED };
const BASE = '/api/datasources/proxy/uid/tempo';
const TRACE = '5feb30ccfb3cdb0936f11324d886982a';

let server: Awaited<ReturnType<typeof startReplayServer>>;
beforeAll(async () => {
  server = await startReplayServer({
    [`${BASE}/api/search`]: (r) =>
      r.query.get('q')?.includes('"core"') ? { fixture: 'tempo-2.7.2/search-bad-traceql' } : PROXY_401,
    [`${BASE}/api/v2/traces/${TRACE}`]: PROXY_401,
    '/api/datasources/proxy/uid/prom/api/v1/query': PROXY_401,
    '/api/plugin-proxy/traceway-explorer-app/tempo/api/echo': PROXY_401,
  });
  // The transport is the browser's: Node's fetch stands in for window.fetch, against a real HTTP server, and
  // the page's location is Grafana's (relative URLs resolve against it).
  (globalThis as unknown as { location: unknown }).location = { href: `${server.url}/a/traceway-explorer-app/search` };
  (globalThis as unknown as { window: unknown }).window = {
    fetch: (input: string, init?: RequestInit) => fetch(new URL(input, server.url), init),
  };
});
afterAll(() => server.close());

async function failure(run: (client: TempoClient) => Promise<unknown>) {
  const e = await run(new TempoClient(BASE, grafanaTransport())).then(
    () => undefined,
    (err: unknown) => err
  );
  if (!isHttpError(e)) {
    throw new Error(`expected an HttpError, got ${String(e)}`);
  }
  return e;
}

describe("grafanaTransport: Grafana's data source proxy", () => {
  it('reads "400 Authentication to data source failed" as the 401 it was: credentials refused or a tenant required', async () => {
    for (const run of [
      (c: TempoClient) => c.search({ query: '{}', start: 1, end: 2 }),
      (c: TempoClient) => c.getTrace({ traceId: TRACE }),
    ]) {
      const e = await failure(run);
      expect(e.code).toBe('unauthorized');
      expect(e.status).toBe(401);
      expect(e.message).toContain(PROXY_AUTH_FAILED);
      expect(e.message).toContain('X-Scope-OrgID');
      expect(e.message).not.toMatch(/refused the query/);
    }
  });

  it("leaves Tempo's own 400 alone: a TraceQL error keeps its words and its position", async () => {
    const e = await failure((c) => c.search({ query: '{ resource.service.name = "core"', start: 1, end: 2 }));
    expect(e.code).toBe('bad-request');
    expect(e.status).toBe(400);
    expect(e.message).toContain(recorded('tempo-2.7.2/search-bad-traceql').body.trim());
  });

  it('names the back end per request: Prometheus through its proxy, nothing restored elsewhere', async () => {
    const transport = grafanaTransport((url) =>
      url.startsWith(`${BASE}/`) ? 'Tempo' : url.startsWith('/api/datasources/proxy/') ? 'Prometheus' : undefined
    );
    const prom = await transport('/api/datasources/proxy/uid/prom/api/v1/query', { method: 'GET' });
    expect(prom.status).toBe(401);
    const said = await prom.text();
    expect(said).toContain('Prometheus refused');
    expect(said).toContain('Mimir or Cortex');
    expect(said).not.toContain('Tempo');
    const route = await transport('/api/plugin-proxy/traceway-explorer-app/tempo/api/echo', { method: 'GET' });
    expect(route.status).toBe(400);
  });
});
