import path from 'node:path';
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

    const noUpstream = await fetch(`${base}/api/plugin-proxy/traceway-explorer-app/collector-health/`);
    expect(noUpstream.status).toBe(502);
    expect((await noUpstream.json()).message).toBe('Sandbox: the app route "collector-health" has no upstream here');
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
