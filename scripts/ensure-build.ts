/* Builds dist/ when it is missing or older than any source file, so browser tests never run stale code. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const built = path.join(ROOT, 'dist', 'module.js');

// The browser tests write the published screenshots here; a new picture alone does not call for a build.
const SCREENSHOTS = path.join(ROOT, 'src', 'img', 'screenshots');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === SCREENSHOTS) {
      continue;
    }
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const inputs = [path.join(ROOT, 'src'), path.join(ROOT, 'package-lock.json'), path.join(ROOT, 'webpack.config.ts')];
const newestInput = Math.max(...inputs.map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)));
if (!existsSync(built) || statSync(built).mtimeMs < newestInput) {
  console.log('dist/ is missing or stale: running npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
} else {
  console.log('dist/ is up to date');
}
