import http from 'node:http';
import { AddressInfo } from 'node:net';
import { fetchVia, unreachableUrl } from './jsdomFetch';
import { startReplayServer } from './replayServer';

let grafana: Awaited<ReturnType<typeof startReplayServer>>;
let plugin: Awaited<ReturnType<typeof startReplayServer>>;
beforeAll(async () => {
  grafana = await startReplayServer({
    '/api/datasources/proxy/uid/tempo/api/search': { fixture: 'tempo-2.7.2/search-empty' },
    '/api/echo': (request) => ({ status: 201, contentType: 'application/json', body: JSON.stringify(request) }),
    '/moved': { status: 302, body: '' },
  });
  plugin = await startReplayServer({
    '/api/plugin-proxy/app/health': { status: 200, contentType: 'text/plain', body: 'plugin' },
  });
});
afterAll(async () => {
  await grafana.close();
  await plugin.close();
});
beforeEach(() => {
  for (const server of [grafana, plugin]) {
    server.seen.splice(0);
    server.requests.splice(0);
  }
});

describe('fetchVia', () => {
  it('answers a relative URL from the server, its body streamed', async () => {
    const response = await fetchVia(grafana.url)('/api/datasources/proxy/uid/tempo/api/search?q=%7B%7D');
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('Content-Type')).toContain('json');
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString('utf8')).toContain('"traces"');
    expect(grafana.seen).toEqual(['GET /api/datasources/proxy/uid/tempo/api/search?q=%7B%7D']);
  });

  it('sends the method, headers and body, with the Content-Type fetch adds', async () => {
    const response = await fetchVia(grafana.url)('/api/echo', {
      method: 'post',
      headers: { 'X-Grafana-Org-Id': '2' },
      body: new URLSearchParams({ query: 'up' }),
    });
    expect(response.status).toBe(201);
    const seen = await response.json();
    expect(seen.method).toBe('POST');
    expect(seen.body).toBe('query=up');
    expect(seen.headers['x-grafana-org-id']).toBe('2');
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    await expect(response.text()).rejects.toThrow('already been consumed');
  });

  it('routes by the longest path prefix, and the page origin like a relative URL', async () => {
    const routed = fetchVia({ '/': grafana.url, '/api/plugin-proxy/': plugin.url });
    expect(await (await routed('/api/plugin-proxy/app/health')).text()).toBe('plugin');
    expect((await routed(`${window.location.origin}/api/echo`)).status).toBe(201);
    expect(plugin.seen).toEqual(['GET /api/plugin-proxy/app/health']);
    expect(grafana.seen).toEqual(['GET /api/echo']);
  });

  it('names the path it has no server for', async () => {
    await expect(fetchVia({ '/api/plugin-proxy/': plugin.url })('/api/health')).rejects.toThrow(
      'fetchVia: no server for /api/health; it has servers for /api/plugin-proxy/'
    );
  });

  it("shows a redirect with 'manual', and follows it otherwise, a 303 as a GET", async () => {
    // The replay server sends no Location: a redirecting server of its own.
    const redirecting = http.createServer((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(303, { Location: '/api/echo' }).end();
      } else if (req.url === '/to-page') {
        res.writeHead(302, { Location: `${window.location.origin}/api/health` }).end();
      } else {
        res.writeHead(200).end(`${req.method} ${req.url}`);
      }
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
    try {
      const replay = fetchVia(base);
      const shown = await replay('/moved', { method: 'POST', body: 'x', redirect: 'manual' });
      expect([shown.status, shown.headers.get('location')]).toEqual([303, '/api/echo']);
      const followed = await replay('/moved', { method: 'POST', body: 'x' });
      expect([followed.redirected, followed.url, await followed.text()]).toEqual([
        true,
        `${base}/api/echo`,
        'GET /api/echo',
      ]);
      await expect(replay('/moved', { redirect: 'error' })).rejects.toThrow(TypeError);
      // A Location on the page's own origin is Grafana's: routed like a relative URL.
      const toPage = await replay('/to-page');
      expect([toPage.url, await toPage.text()]).toEqual([`${base}/api/health`, 'GET /api/health']);
    } finally {
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
  });

  it('fails as fetch does: a TypeError with the reason', async () => {
    await expect(fetchVia(await unreachableUrl())('/api/health')).rejects.toThrow(
      /^Failed to fetch \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/
    );
    await expect(fetchVia(grafana.url)('/api/echo', { body: new Blob(['x']) as unknown as string })).rejects.toThrow(
      'a [object Blob] body is not supported'
    );
  });

  it("rejects with the signal's AbortError", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(fetchVia(grafana.url)('/api/echo', { signal: controller.signal })).rejects.toHaveProperty(
      'name',
      'AbortError'
    );
  });
});
