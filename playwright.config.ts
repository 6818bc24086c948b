import { defineConfig } from '@playwright/test';
import type { SandboxOptions } from './tests/fixtures';

const PORT = Number(process.env.SANDBOX_PORT ?? 3199);

/**
 * Browser tests against the sandbox (sandbox/README.md) in Debian's Chromium. There is no Grafana here:
 * the sandbox loads the built dist/ modules the way Grafana does.
 */
export default defineConfig<SandboxOptions>({
  testDir: './tests',
  outputDir: './test-results/artifacts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
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
    // Checks of the build and the sandbox server that need no page.
    { name: 'node', testMatch: /(dist|sandbox)\.spec\.ts/ },
    { name: 'dark', use: { theme: 'dark' }, testIgnore: /(dist|sandbox)\.spec\.ts/ },
    { name: 'light', use: { theme: 'light' }, testIgnore: /(dist|sandbox)\.spec\.ts/ },
  ],
  webServer: {
    command: `npx tsx sandbox/server.ts --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/sandbox/info`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'pipe',
  },
});
