import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createSandbox } from '../sandbox/server';
import { closedPort } from '../src/testing/ports';

/*
 * The sandbox's stand-ins for Grafana's app plugin proxy and data source API, without a browser: route matching as
 * Grafana's router tree does it, templates over the saved settings, 502/504 with empty bodies, and the data source
 * store that the wizard writes and the host's pickers read.
 */
const APP = '/api/plugin-proxy/traceway-explorer-app';

/** Routes as a plugin.json holds them: Grafana matches `tempo/*` below tempo/, and `collector-health` exactly. */
const ROUTES = [
  {
    path: 'tempo/*',
    url: '{{ .JsonData.tempoUrl }}',
    reqRole: 'Admin',
    headers: [
      { name: 'Authorization', content: '{{ .SecureJsonData.tempoAuthorization }}' },
      { name: 'X-Scope-OrgID', content: '{{ .JsonData.tenant }}' },
      { name: 'PRIVATE-TOKEN', content: '{{ .SecureJsonData.tempoPrivateToken | orEmpty }}' },
    ],
  },
  { path: 'exact-tempo', url: '{{ .JsonData.tempoUrl }}', reqRole: 'Admin' },
  { path: 'collector-otlp/*', method: 'POST', url: '{{ .JsonData.collectorOtlpHttpUrl }}', reqRole: 'Admin' },
  { path: 'collector-health', method: 'GET', url: '{{ .JsonData.collectorHealthUrl }}', reqRole: 'Admin' },
];

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An upstream that records what reaches it and answers with `reply`, or never when `reply` returns undefined. */
async function upstream(
  reply: (req: Seen) => { status: number; body: string; headers?: Record<string, string> } | undefined
) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Seen = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(r);
      const answer = reply(r);
      if (answer) {
        res.writeHead(answer.status, { 'Content-Type': 'text/plain', ...answer.headers });
        res.end(answer.body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function startSandbox(proxyTimeoutMs = 10_000) {
  const dist = mkdtempSync(path.join(os.tmpdir(), 'traceway-sandbox-dist-'));
  writeFileSync(path.join(dist, 'module.js'), '');
  writeFileSync(path.join(dist, 'plugin.json'), JSON.stringify({ id: 'traceway-explorer-app', routes: ROUTES }));
  const logged: string[] = [];
  const sandbox = createSandbox({
    host: '127.0.0.1',
    port: 0,
    dist,
    data: path.resolve(__dirname, '..', 'sandbox', 'data'),
    proxyTimeoutMs,
    log: (m) => logged.push(m),
  });
  const base = await sandbox.start();
  const saveSettings = (jsonData: Record<string, unknown>, secureJsonData?: Record<string, string>) =>
    fetch(`${base}/api/plugins/traceway-explorer-app/settings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enabled: true, pinned: true, jsonData, secureJsonData }),
    });
  return {
    base,
    logged,
    saveSettings,
    stop: async () => {
      await sandbox.stop();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}

test('app routes: matched as Grafana matches them, upstream and headers from the saved settings', async () => {
  const tempo = await upstream(() => ({ status: 429, body: 'slow down', headers: { 'Retry-After': '30' } }));
  const sb = await startSandbox();
  try {
    expect(
      (
        await sb.saveSettings(
          { tempoUrl: `${tempo.url}/prefix`, tenant: 'team-a' },
          { tempoAuthorization: 'Bearer s3cret' }
        )
      ).status
    ).toBe(200);

    const answer = await fetch(`${sb.base}${APP}/tempo/api/search?limit=1`, {
      headers: { Accept: 'application/json' },
    });
    // The upstream's status, body and headers (Retry-After) come back as they were.
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('30');
    expect(await answer.text()).toBe('slow down');
    expect(tempo.seen[0].url).toBe('/prefix/api/search?limit=1');
    expect(tempo.seen[0].headers.authorization).toBe('Bearer s3cret');
    expect(tempo.seen[0].headers['x-scope-orgid']).toBe('team-a');
    // A secret that was never saved: `orEmpty` makes it empty; the header is still set.
    expect(tempo.seen[0].headers['private-token']).toBe('');
    expect(tempo.seen[0].headers.accept).toBe('application/json');

    // The saved settings answer whether each secret is set, never its value.
    const meta = await (await fetch(`${sb.base}/api/plugins/traceway-explorer-app/settings`)).text();
    expect(meta).not.toContain('s3cret');
    expect(JSON.parse(meta).secureJsonFields).toEqual({ tempoAuthorization: true });

    // Without a tenant saved, Go's template prints a missing key as "<no value>", as Grafana sends it.
    await sb.saveSettings({ tempoUrl: tempo.url });
    await fetch(`${sb.base}${APP}/tempo/api/echo`);
    expect(tempo.seen[1].url).toBe('/api/echo');
    expect(tempo.seen[1].headers['x-scope-orgid']).toBe('<no value>');
    // A secret not sent again is kept.
    expect(tempo.seen[1].headers.authorization).toBe('Bearer s3cret');

    // A route without `*` matches only its own path, which goes to the URL as it is.
    expect((await fetch(`${sb.base}${APP}/exact-tempo`)).status).toBe(429);
    expect(tempo.seen[2].url).toBe('/');
    for (const unmatched of [`${APP}/exact-tempo/api/echo`, `${APP}/tempo`, `${APP}/nothing/here`, APP]) {
      const r = await fetch(`${sb.base}${unmatched}`);
      expect(r.status, unmatched).toBe(404);
      expect(await r.json(), unmatched).toEqual({ message: 'plugin route match not found' });
    }
    // A route for POST only does not take a GET.
    expect((await fetch(`${sb.base}${APP}/collector-otlp/v1/traces`)).status).toBe(404);
    expect(tempo.seen).toHaveLength(3);
  } finally {
    await sb.stop();
    await tempo.close();
  }
});

test('app routes: the body and content type reach the upstream; refused and empty URLs are 502, silence 504', async () => {
  const collector = await upstream(() => ({
    status: 200,
    body: '{"partialSuccess":{}}',
    headers: { 'Content-Type': 'application/json' },
  }));
  const silent = await upstream(() => undefined);
  const refused = await closedPort();
  const sb = await startSandbox(500);
  try {
    await sb.saveSettings({ collectorOtlpHttpUrl: collector.url, collectorHealthUrl: `http://127.0.0.1:${refused}/` });
    const exported = await fetch(`${sb.base}${APP}/collector-otlp/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"resourceSpans":[]}',
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/json');
    expect(collector.seen[0]).toMatchObject({ method: 'POST', url: '/v1/traces', body: '{"resourceSpans":[]}' });
    expect(collector.seen[0].headers['content-type']).toBe('application/json');

    const down = await fetch(`${sb.base}${APP}/collector-health`);
    expect(down.status).toBe(502);
    expect(await down.text()).toBe('');
    expect(sb.logged.join('\n')).toContain('ECONNREFUSED');

    // A URL that is not set: Go's transport has no scheme to use.
    await sb.saveSettings({});
    const unset = await fetch(`${sb.base}${APP}/collector-health`);
    expect(unset.status).toBe(502);
    expect(await unset.text()).toBe('');

    await sb.saveSettings({ collectorHealthUrl: silent.url });
    const started = Date.now();
    const late = await fetch(`${sb.base}${APP}/collector-health`);
    expect(late.status).toBe(504);
    expect(await late.text()).toBe('');
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  } finally {
    await sb.stop();
    await collector.close();
    await silent.close();
  }
});

test('data sources: create, 409 on a taken name or uid, read-only provisioned ones, secrets write-only, health 501, proxy', async () => {
  const tempo = await upstream((r) =>
    r.url === '/api/echo' ? { status: 200, body: 'echo' } : { status: 404, body: '404 page not found' }
  );
  const refused = await closedPort();
  const sb = await startSandbox();
  const call = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(`${sb.base}${p}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  };
  try {
    const created = await call('POST', '/api/datasources', {
      name: 'Tempo (setup)',
      uid: 'tempo-setup',
      type: 'tempo',
      access: 'proxy',
      url: tempo.url,
      jsonData: { httpHeaderName1: 'X-Scope-OrgID' },
      secureJsonData: { httpHeaderValue1: 'team-a' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      message: 'Datasource added',
      name: 'Tempo (setup)',
      datasource: { uid: 'tempo-setup', type: 'tempo', url: tempo.url, secureJsonFields: { httpHeaderValue1: true } },
    });
    expect(JSON.stringify(created.body)).not.toContain('team-a');

    expect(await call('POST', '/api/datasources', { name: 'Tempo (setup)', type: 'tempo' })).toEqual({
      status: 409,
      body: { message: 'data source with the same name already exists' },
    });
    expect(await call('POST', '/api/datasources', { name: 'Another', uid: 'tempo-setup', type: 'tempo' })).toEqual({
      status: 409,
      body: { message: 'data source with the same uid already exists' },
    });
    expect((await call('POST', '/api/datasources', { type: 'tempo' })).status).toBe(400);

    // In the list and in the host's data source list, sorted by name.
    const list = await call('GET', '/api/datasources');
    expect(list.body.map((ds: { uid: string }) => ds.uid)).toEqual([
      'prometheus',
      'prometheus-empty',
      'tempo',
      'tempo-setup',
    ]);
    const info = await call('GET', '/sandbox/info');
    expect(info.body.datasources.map((ds: { uid: string }) => ds.uid)).toContain('tempo-setup');

    // Health: Grafana's Tempo data source has no backend health check: 501 plugin.notImplemented, asking nothing.
    const seenBefore = tempo.seen.length;
    expect(await call('GET', '/api/datasources/uid/tempo-setup/health')).toEqual({
      status: 501,
      body: { message: 'Not implemented', messageId: 'plugin.notImplemented', statusCode: 501, traceID: '' },
    });
    expect(tempo.seen.length).toBe(seenBefore);
    // What Tempo's "Save & test" asks instead: /api/echo through the data source proxy, with its own headers.
    const echo = await fetch(`${sb.base}/api/datasources/proxy/uid/tempo-setup/api/echo`);
    expect([echo.status, await echo.text()]).toEqual([200, 'echo']);
    expect(tempo.seen.at(-1)?.url).toBe('/api/echo');
    expect(tempo.seen.at(-1)?.headers['x-scope-orgid']).toBe('team-a');

    // Update: the secrets not sent are kept; the version moves on.
    const updated = await call('PUT', '/api/datasources/uid/tempo-setup', {
      name: 'Tempo (setup)',
      type: 'tempo',
      access: 'proxy',
      url: `http://127.0.0.1:${refused}`,
      jsonData: { httpHeaderName1: 'X-Scope-OrgID' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      message: 'Datasource updated',
      datasource: { version: 2, secureJsonFields: { httpHeaderValue1: true } },
    });
    expect((await call('GET', '/api/datasources/uid/tempo-setup/health')).status).toBe(501);
    expect((await fetch(`${sb.base}/api/datasources/proxy/uid/tempo-setup/api/echo`)).status).toBe(502);

    expect(await call('PUT', '/api/datasources/uid/tempo', { name: 'Tempo', type: 'tempo' })).toEqual({
      status: 403,
      body: { message: 'Cannot update read-only data source' },
    });
    expect(await call('PUT', '/api/datasources/uid/nope', { name: 'Nope', type: 'tempo' })).toEqual({
      status: 404,
      body: { message: 'Data source not found' },
    });
    expect((await call('GET', '/api/datasources/uid/nope')).status).toBe(404);
    // No dashboards in the sandbox: the demo dashboard is "not found", as on any Grafana without it.
    expect(await call('GET', '/api/dashboards/uid/traceway-demo')).toEqual({
      status: 404,
      body: { message: 'Dashboard not found' },
    });
    expect((await call('GET', '/api/datasources/uid/nope/health')).status).toBe(500);
    // The recorded-data Tempo answers as any Tempo data source; the recorded-data Prometheus is healthy.
    expect((await call('GET', '/api/datasources/uid/tempo/health')).status).toBe(501);
    expect((await call('GET', '/api/datasources/uid/prometheus/health')).body.status).toBe('OK');
  } finally {
    await sb.stop();
    await tempo.close();
  }
});
