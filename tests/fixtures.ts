import { test as base, expect, Page } from '@playwright/test';
import { testIds } from '../src/components/testIds';

export interface SandboxOptions {
  theme: 'dark' | 'light';
  /** The sandbox host the project runs on (sandbox/hosts.ts): its Grafana and React line. */
  host: 'grafana12' | 'grafana13';
}

/** Page object over the sandbox: navigation with the theme, and the app's own test IDs. */
export class Sandbox {
  readonly consoleErrors: string[] = [];
  private readonly allowed: RegExp[] = [];

  constructor(
    readonly page: Page,
    readonly theme: SandboxOptions['theme'],
    readonly host: SandboxOptions['host']
  ) {
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        this.consoleErrors.push(msg.text());
      }
    });
    page.on('pageerror', (error) => this.consoleErrors.push(`${error.name}: ${error.message}`));
  }

  /** For tests that provoke an HTTP error on purpose: Chromium logs every failed request as an error. */
  allowConsoleError(pattern: RegExp) {
    this.allowed.push(pattern);
  }

  unexpectedConsoleErrors(): string[] {
    return this.consoleErrors.filter((text) => !this.allowed.some((p) => p.test(text)));
  }

  async goto(path: string) {
    const url = `${path}${path.includes('?') ? '&' : '?'}theme=${this.theme}`;
    await this.page.goto(url);
    await this.page.waitForFunction(() => (window as any).__traceway_sandbox__?.ready === true);
    // The page must be the project's host, running the React it was built with.
    const running = await this.page.evaluate(() => (window as any).__traceway_sandbox__.host);
    expect(running.host, 'the sandbox host this project tests').toBe(this.host);
    expect(running.runningReact, 'the React the page runs').toBe(running.react);
  }

  byTestId(id: string) {
    return this.page.getByTestId(id);
  }

  /** Screenshots go to test-results/screenshots/<host>/<name>-<theme>.png for people to look at. */
  async screenshot(name: string) {
    await this.page.screenshot({
      path: `test-results/screenshots/${this.host}/${name}-${this.theme}.png`,
      fullPage: true,
    });
  }

  async expectThemeApplied() {
    const background = await this.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = background.match(/\d+/g)!.map(Number);
    const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    if (this.theme === 'dark') {
      expect(luminance, `body background ${background} should be dark`).toBeLessThan(0.3);
    } else {
      expect(luminance, `body background ${background} should be light`).toBeGreaterThan(0.7);
    }
  }
}

export const test = base.extend<SandboxOptions & { sandbox: Sandbox }>({
  theme: ['dark', { option: true }],
  host: ['grafana12', { option: true }],
  sandbox: async ({ page, theme, host }, use) => {
    const sandbox = new Sandbox(page, theme, host);
    await use(sandbox);
    expect(sandbox.unexpectedConsoleErrors(), 'console errors on the page').toEqual([]);
  },
});

export { expect, testIds };
