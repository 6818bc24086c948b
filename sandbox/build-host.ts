import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
const ENTRY = path.join(__dirname, 'host', 'host.tsx');
const CACHE = path.join(__dirname, '.cache');

/**
 * Bundles the host (React, @grafana/ui and friends) once; the result is cached by the hash of the host
 * source, this build script and the lock file, because @grafana/ui is large and does not change between runs.
 */
export async function buildHost(): Promise<{ js: string; css: string }> {
  const key = createHash('sha256')
    .update(readFileSync(ENTRY))
    .update(readFileSync(__filename))
    .update(readFileSync(path.join(ROOT, 'package-lock.json')))
    .digest('hex')
    .slice(0, 16);
  const js = path.join(CACHE, `host-${key}.js`);
  const css = path.join(CACHE, `host-${key}.css`);
  if (existsSync(js) && existsSync(css)) {
    return { js: readFileSync(js, 'utf8'), css: readFileSync(css, 'utf8') };
  }
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    // @grafana/ui imports CSS (sliders, date pickers, uPlot); esbuild gathers it into one sheet.
    outdir: CACHE,
    entryNames: 'host',
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    // `define: undefined` keeps UMD packages (lodash, moment) on their CommonJS path: the page has
    // SystemJS's global AMD define, and they would register with it instead of exporting.
    define: { 'process.env.NODE_ENV': '"production"', global: 'window', define: 'undefined' },
    loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.png': 'empty' },
    logLevel: 'error',
  });
  const out = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(css, out('.css'));
  writeFileSync(js, out('.js'));
  return { js: out('.js'), css: out('.css') };
}
