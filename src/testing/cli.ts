import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/** The repository's root: the CLI runs from it, as a user's `npx traceway` would from a checkout. */
export const ROOT = join(__dirname, '..', '..');
/** The committed launcher, which loads build/cli/traceway.js. */
export const LAUNCHER = join(ROOT, 'bin', 'traceway.js');

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/**
 * The real CLI, bundled as `npm run build:cli` does, before this test file's tests. By default into a temp folder
 * of its own, removed after them: cli.test.ts rebuilds build/cli/traceway.js (pass that as `outfile`, for the
 * launcher) and test files run at the same time. Returns the bundle's path.
 */
export function bundleCliBeforeAll(outfile?: string): string {
  const dir = outfile === undefined ? mkdtempSync(join(tmpdir(), 'traceway-cli-')) : undefined;
  const bundle = outfile ?? join(dir!, 'traceway.js');
  beforeAll(() => {
    buildSync({
      entryPoints: [join(ROOT, 'src', 'cli', 'traceway.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: bundle,
      logLevel: 'warning',
    });
  });
  if (dir !== undefined) {
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
  }
  return bundle;
}

/** Runs the CLI (a bundle or the launcher) to its end, `input` on its stdin. */
export function runCli(script: string, args: string[], input?: string): CliRun {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', input, cwd: ROOT, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * Runs the CLI as a child process without blocking this one, so servers in this process can answer it. `onStart`
 * gets the child (to send it a signal); `ms` is the wall time, node's start and the bundle's load included.
 */
export function runCliAsync(
  script: string,
  args: string[],
  options: { input?: string; onStart?: (child: ChildProcess) => void } = {}
): Promise<CliRun & { ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT });
    options.onStart?.(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, out, err, ms: Date.now() - started }));
    child.stdin.end(options.input);
  });
}
