import path from 'node:path';
import http from 'node:http';
import { expect, test } from '@playwright/test';
import { createSandbox } from '../sandbox/server';
import { recorded, startReplayServer } from '../src/testing/replayServer';

// The sandbox's --tempo mode, without a browser: it must forward Grafana's proxy paths to a live Tempo.
const TRACE = '5feb30ccfb3cdb0936f11324d886982a';

test('proxies the tempo data source and the app route to a live Tempo', async () => {
  const tempo = await startReplayServer({ [`/api/v2/traces/${TRACE}`]: { fixture: 'tempo-2.7.2/trace-v2' } });
  const sandbox = createSandbox({
    host: '127.0.0.1',
    port: 0,
    dist: path.resolve(__dirname, '..', 'dist'),
    data: path.resolve(__dirname, '..', 'sandbox', 'data'),
    tempo: tempo.url,
  });
  const base = await sandbox.start();
  try {
    const viaDatasource = await fetch(`${base}/api/datasources/proxy/uid/tempo/api/v2/traces/${TRACE}?start=1&end=2`);
    expect(viaDatasource.status).toBe(200);
    expect(await viaDatasource.text()).toBe(recorded('tempo-2.7.2/trace-v2').body);

    const viaRoute = await fetch(`${base}/api/plugin-proxy/traceway-explorer-app/tempo/api/v2/traces/${TRACE}`);
    expect(viaRoute.status).toBe(200);

    // Tempo's own not-found passes through unchanged.
    const missing = await fetch(
      `${base}/api/datasources/proxy/uid/tempo/api/v2/traces/00000000000000000000000000000002`
    );
    expect(missing.status).toBe(404);

    expect(tempo.seen).toEqual([
      `GET /api/v2/traces/${TRACE}?start=1&end=2`,
      `GET /api/v2/traces/${TRACE}`,
      'GET /api/v2/traces/00000000000000000000000000000002',
    ]);

    // No collectorHealthUrl saved: the route's URL renders as "<no value>", which Grafana cannot connect to.
    const noUpstream = await fetch(`${base}/api/plugin-proxy/traceway-explorer-app/collector-health/`);
    expect(noUpstream.status).toBe(502);
    expect(await noUpstream.text()).toBe('');
  } finally {
    await sandbox.stop();
    await tempo.close();
  }
});

test('replays recorded answers with their status when no Tempo is given', async () => {
  const sandbox = createSandbox({
    host: '127.0.0.1',
    port: 0,
    dist: path.resolve(__dirname, '..', 'dist'),
    data: path.resolve(__dirname, '..', 'sandbox', 'data'),
  });
  const base = await sandbox.start();
  try {
    const tooLarge = await fetch(
      `${base}/api/datasources/proxy/uid/tempo/api/v2/traces/0000000000000000000000000000beef`
    );
    expect(tooLarge.status).toBe(422);
    expect(tooLarge.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    // sandbox/data/tempo/../../../package.json would be the repository's package.json.
    const escape = await fetch(`${base}/api/datasources/proxy/uid/tempo/..%2f..%2f..%2fpackage`);
    expect(escape.status).toBe(404);
  } finally {
    await sandbox.stop();
  }
});

/** A GET or POST with the request line exactly as given: fetch would normalise backslashes and dot segments. */
function rawRequest(
  base: string,
  rawPath: string,
  options: { method?: string; body?: Buffer; headers?: Record<string, string> } = {}
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      { host: hostname, port, path: rawPath, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      }
    );
    // The server may answer (413) and close before the whole body is written: the answer is what counts.
    req.on('error', (e) => (answered ? undefined : reject(e)));
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${rawPath} in 10 s`)));
    req.end(options.body);
  });
}

/** A server that must never be reached: it counts what it receives. */
async function startVictim() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('victim');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('the proxy forwards only below the configured upstream, never to another host or path', async () => {
  const tempo = await startReplayServer({ [`/tempo/api/v2/traces/${TRACE}`]: { fixture: 'tempo-2.7.2/trace-v2' } });
  const victim = await startVictim();
  const sandbox = createSandbox({
    host: '127.0.0.1',
    port: 0,
    dist: path.resolve(__dirname, '..', 'dist'),
    data: path.resolve(__dirname, '..', 'sandbox', 'data'),
    // An upstream with a path prefix, so that climbing out of it can be tested too.
    tempo: `${tempo.url}/tempo`,
  });
  const base = await sandbox.start();
  const v = `127.0.0.1:${victim.port}`;
  const escapes = [
    `http://${v}/x`,
    `https://${v}/x`,
    `HTTP://${v}/x`,
    `http:%2F%2F${v}/x`,
    `http%3A%2F%2F${v}/x`,
    `//${v}/x`,
    `/${v}/x`,
    `%2F%2F${v}/x`,
    `%2f%2f${v}/x`,
    `\\\\${v}/x`,
    `/\\${v}/x`,
    `%5C%5C${v}/x`,
    `%5c${v}/x`,
    `../x`,
    `../../x`,
    `api/../../x`,
    `%2e%2e/x`,
    `.%2E/x`,
    `..%2Fx`,
    `..%5cx`,
    `..\\x`,
    `javascript:alert(1)`,
    `file:///etc/passwd`,
  ];
  try {
    const dsPrefix = '/api/datasources/proxy/uid/tempo/';
    for (const escape of escapes) {
      const answer = await rawRequest(base, dsPrefix + escape);
      expect(answer.status, `${dsPrefix}${escape}`).toBe(400);
      expect(JSON.parse(answer.body).message, `${dsPrefix}${escape}`).toMatch(/^Sandbox proxy: refused/);
    }
    expect((await rawRequest(base, `${dsPrefix}api/v2/traces/${TRACE}`)).status).toBe(200);
    expect(tempo.seen, 'requests that reached the upstream').toEqual([`GET /tempo/api/v2/traces/${TRACE}`]);

    // The app route: as in Grafana, the path is cleaned first (dot segments resolved, `//` collapsed), so some
    // escapes no longer match the route (404) or stay below the upstream (Tempo's own 404); the rest are refused.
    const appPrefix = '/api/plugin-proxy/traceway-explorer-app/tempo/';
    for (const escape of escapes) {
      const answer = await rawRequest(base, appPrefix + escape);
      expect([400, 404], `${appPrefix}${escape}`).toContain(answer.status);
    }
    expect((await rawRequest(base, `${appPrefix}api/v2/traces/${TRACE}`)).status).toBe(200);
    expect(victim.seen, 'requests that reached another server').toEqual([]);
    for (const seen of tempo.seen) {
      expect(seen, 'every request that reached the upstream is below its path').toMatch(/^GET \/tempo\//);
    }
  } finally {
    await sandbox.stop();
    await tempo.close();
    await victim.close();
  }
});

test('request bodies are capped at 10 MB and malformed percent-escapes answer 400', async () => {
  const tempo = await startReplayServer({ '/api/echo': { status: 200, body: 'ok' } });
  const sandbox = createSandbox({
    host: '127.0.0.1',
    port: 0,
    dist: path.resolve(__dirname, '..', 'dist'),
    data: path.resolve(__dirname, '..', 'sandbox', 'data'),
    tempo: tempo.url,
  });
  const base = await sandbox.start();
  try {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
    for (const target of ['/api/plugins/traceway-explorer-app/settings', '/api/datasources/proxy/uid/tempo/api/echo']) {
      // With a Content-Length, and streamed without one (chunked).
      const declared = await rawRequest(base, target, { method: 'POST', body: big });
      expect(declared.status, target).toBe(413);
      expect(JSON.parse(declared.body).message).toBe('Sandbox: the request body is larger than 10 MB');
      const chunked = await rawRequest(base, target, {
        method: 'POST',
        body: big,
        headers: { 'Transfer-Encoding': 'chunked' },
      });
      expect(chunked.status, target).toBe(413);
    }
    expect(tempo.seen).toEqual([]);
    // Just under the cap is fine.
    const small = await rawRequest(base, '/api/datasources/proxy/uid/tempo/api/echo', {
      method: 'POST',
      body: Buffer.alloc(1024, 'a'),
    });
    expect(small.status).toBe(200);

    // Settings that are not JSON are the client's error too.
    const notJson = await rawRequest(base, '/api/plugins/traceway-explorer-app/settings', {
      method: 'POST',
      body: Buffer.from('{"jsonData":'),
    });
    expect(notJson.status).toBe(400);

    for (const bad of [
      '/public/plugins/traceway-explorer-app/%E0%A4%A',
      '/public/plugins/traceway-explorer-app/%',
      '/sandbox/data/panels/%zz.json',
      '/sandbox/vendor/%C0%AF',
      '/api/datasources/proxy/uid/tempo/api/%ZZ',
      '/api/datasources/proxy/uid/prometheus/api/%E0%A4%A',
    ]) {
      const answer = await rawRequest(base, bad);
      expect(answer.status, bad).toBe(400);
      expect(JSON.parse(answer.body).message, bad).toMatch(/malformed percent-escape/);
    }
  } finally {
    await sandbox.stop();
    await tempo.close();
  }
});
