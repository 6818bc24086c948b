/*
 * npm run e2e:browser: builds dist/ when stale, checks that each sandbox host is installed, picks free ports
 * and runs the Playwright suite on every host (playwright.config.ts). Arguments go to `playwright test`.
 * SANDBOX_PORT_GRAFANA12/13 fix the ports; SANDBOX_HOSTS=grafana13 runs one host; `--grep "setup wizard"` runs the
 * setup wizard's e2e (tests/setup.spec.ts), which starts its own Collector → Tempo path in the test process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { HOST_NAMES, HOSTS, HostName, hostVersions } from '../sandbox/hosts';

const ROOT = path.resolve(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function main() {
  execFileSync('npx', ['tsx', path.join(__dirname, 'ensure-build.ts')], { cwd: ROOT, stdio: 'inherit' });
  const hosts = (process.env.SANDBOX_HOSTS ?? HOST_NAMES.join(',')).split(',').map((h) => h.trim()) as HostName[];
  const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_HOSTS: hosts.join(',') };
  for (const host of hosts) {
    if (!HOSTS[host]) {
      throw new Error(`SANDBOX_HOSTS: unknown host "${host}"; the hosts are ${HOST_NAMES.join(', ')}`);
    }
    hostVersions(HOSTS[host]); // throws with the install command when the host's packages are missing
    const key = `SANDBOX_PORT_${host.toUpperCase()}`;
    env[key] = env[key] ?? String(await freePort());
  }
  if (!existsSync(path.join(__dirname, '..', 'sandbox', 'hosts', 'fonts', 'node_modules'))) {
    throw new Error('the sandbox fonts are not installed: run npm run sandbox:install');
  }
  const result = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  });
  process.exit(result.status ?? 1);
}

main().catch((e) => {
  console.error(`e2e:browser: ${(e as Error).message}`);
  process.exit(1);
});
