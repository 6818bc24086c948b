import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { createSandbox } from '../sandbox/server';
import { HOSTS, hostVersions } from '../sandbox/hosts';

// The sandbox's command line and the files it serves for @grafana/ui, without a browser.
const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);
const sandboxCli = (...args: string[]) =>
  run('npx', ['tsx', 'sandbox/server.ts', ...args], { cwd: ROOT }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr })
  );

const options = (grafana = HOSTS.grafana12) => ({
  grafana,
  host: '127.0.0.1',
  port: 0,
  dist: path.join(ROOT, 'dist'),
  data: path.join(ROOT, 'sandbox', 'data'),
});

test('--help prints the usage and exits 0', async () => {
  const { code, stdout } = await sandboxCli('--help');
  expect(code).toBe(0);
  expect(stdout).toContain('Usage: npm run sandbox -- [options]');
  expect(stdout).toContain('--grafana 12|13');
});

test('an unknown option or host prints the usage and exits 2', async () => {
  const unknown = await sandboxCli('--nope');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("Unknown option '--nope'");
  expect(unknown.stderr).toContain('Usage:');
  const host = await sandboxCli('--grafana', '11');
  expect(host.code).toBe(2);
  expect(host.stderr).toContain('--grafana must be one of 12, 13');
});

test('a port in use names --port', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const { code, stderr } = await sandboxCli('--port', String(port));
    expect(code).toBe(1);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is in use: stop what runs there or pick another --port`);
  } finally {
    blocker.close();
  }
});

for (const host of Object.values(HOSTS)) {
  test(`the ${host.name} host says what it is and serves Grafana's icons and fonts`, async () => {
    const sandbox = createSandbox(options(host));
    const base = await sandbox.start();
    try {
      const info = await (await fetch(`${base}/sandbox/info`)).json();
      expect(info.host).toEqual(hostVersions(host));
      expect(info.host.react).toMatch(host.name === 'grafana13' ? /^19\./ : /^18\./);
      expect(info.host.grafana).toMatch(host.name === 'grafana13' ? /^13\./ : /^12\./);

      const page = await (await fetch(`${base}/a/traceway-explorer-app/trace/1`)).text();
      expect(page).toContain('<base href="/" />');
      expect(page).toContain(`"version":"${info.host.grafana}"`);

      for (const icon of ['unicons/angle-down', 'unicons/copy', 'unicons/compass', 'unicons/spinner']) {
        const res = await fetch(`${base}/public/build/img/icons/${icon}.svg`);
        expect(res.status, icon).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/svg+xml');
        expect(await res.text()).toContain('<svg');
      }
      for (const font of ['inter/Inter-Regular.woff2', 'inter/Inter-Medium.woff2', 'roboto/any.woff2']) {
        const res = await fetch(`${base}/public/fonts/${font}`);
        expect(res.status, font).toBe(200);
        expect(res.headers.get('content-type')).toBe('font/woff2');
        expect(
          Buffer.from(await res.arrayBuffer())
            .subarray(0, 4)
            .toString('latin1')
        ).toBe('wOF2');
      }
    } finally {
      await sandbox.stop();
    }
  });
}

test('?data= with an unknown name lists the names there are', async () => {
  const sandbox = createSandbox(options());
  const base = await sandbox.start();
  try {
    const res = await fetch(`${base}/sandbox/data/panels/nope.json`);
    expect(res.status).toBe(404);
    expect((await res.json()).message).toBe(
      'No panel data "nope": ?data= takes one of error-trace, small-service-graph, small-trace, ' +
        'or servicemap-<N> (a generated map of N services)'
    );
  } finally {
    await sandbox.stop();
  }
});
