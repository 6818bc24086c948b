import { defineConfig, PlaywrightTestProject } from '@playwright/test';
import type { SandboxOptions } from './tests/fixtures';
import { HOST_NAMES, HostName } from './sandbox/hosts';

/**
 * Browser tests against the sandbox (sandbox/README.md) in Debian's Chromium, on each sandbox host: Grafana 12.4
 * with React 18, and Grafana 13 with React 19's development build. There is no Grafana here: the sandbox loads
 * the built dist/ modules the way Grafana does. `npm run e2e:browser` (scripts/e2e-browser.ts) picks free ports;
 * SANDBOX_HOSTS=grafana13 runs one host only.
 */
const hosts = (process.env.SANDBOX_HOSTS ?? HOST_NAMES.join(',')).split(',').map((h) => h.trim()) as HostName[];
for (const host of hosts) {
  if (!HOST_NAMES.includes(host)) {
    throw new Error(`SANDBOX_HOSTS: unknown host "${host}"; the hosts are ${HOST_NAMES.join(', ')}`);
  }
}
const DEFAULT_PORTS: Record<HostName, number> = { grafana12: 3199, grafana13: 3198 };
const port = (host: HostName) => Number(process.env[`SANDBOX_PORT_${host.toUpperCase()}`] ?? DEFAULT_PORTS[host]);
const baseURL = (host: HostName) => `http://127.0.0.1:${port(host)}`;
const NODE_ONLY = /(dist|sandbox|hosts)\.spec\.ts/;

const browserProjects: Array<PlaywrightTestProject<SandboxOptions>> = hosts.flatMap((host) =>
  (['dark', 'light'] as const).map((theme) => ({
    name: `${host}-${theme}`,
    use: { theme, host, baseURL: baseURL(host) },
    testIgnore: NODE_ONLY,
  }))
);

export default defineConfig<SandboxOptions>({
  testDir: './tests',
  outputDir: './test-results/artifacts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  globalSetup: './tests/global-setup.ts',
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    testIdAttribute: 'data-testid',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
    trace: 'retain-on-failure',
  },
  projects: [
    // Checks of the build, the sandbox server and the hosts that need no page.
    { name: 'node', testMatch: NODE_ONLY },
    ...browserProjects,
  ],
  // One sandbox per host. Never reuse a server: a sandbox left running on the port (another checkout, an older
  // build, the other host) would be tested instead, so a busy port fails the run.
  webServer: hosts.map((host) => ({
    command: `npx tsx sandbox/server.ts --grafana ${host.replace('grafana', '')} --port ${port(host)}`,
    url: `${baseURL(host)}/sandbox/info`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe' as const,
    name: host,
  })),
});
