import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, Plugin } from 'esbuild';
import { HostDef, hostPackageDir, hostVersions } from './hosts';

const HOST_SRC = path.join(__dirname, 'host');
const ENTRY = path.join(HOST_SRC, 'host.tsx');
const CACHE = path.join(__dirname, '.cache');

/**
 * The host's own imports resolve in the chosen host's packages, as @grafana/ui there resolves them, so the
 * host bundles one copy of each shared package. Names follow Grafana's SystemJS map
 * (public/app/features/plugins/loader/sharedDependencies.ts in Grafana 12 and 13): "react-router" is
 * react-router-dom-v5-compat (the v6 API) and "react-router-dom" is v5.
 */
function hostPackages(host: HostDef): Plugin {
  const uiDir = hostPackageDir(host, '@grafana/ui');
  const aliases: Record<string, string> = {
    // The host's source is typed against react-router-dom v6 and gets the same API from v5-compat.
    'react-router-dom': 'react-router-dom-v5-compat',
    'sandbox-shared:react-router-dom-v5': 'react-router-dom',
  };
  return {
    name: 'host-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (!args.importer.startsWith(HOST_SRC + path.sep) || args.pluginData === 'host-packages') {
          return undefined;
        }
        if (args.path === 'sandbox-shared:plugin-page') {
          // Not exported by the package's entry point: Grafana itself sets it at start-up.
          const dir = hostPackageDir(host, '@grafana/runtime');
          return { path: path.join(dir, 'dist', 'esm', 'components', 'PluginPage.mjs') };
        }
        const result = await b.resolve(aliases[args.path] ?? args.path, {
          kind: args.kind,
          resolveDir: uiDir,
          pluginData: 'host-packages',
        });
        return result.errors.length
          ? { errors: result.errors }
          : { path: result.path, sideEffects: result.sideEffects };
      });
    },
  };
}

/**
 * Bundles a host (React, @grafana/ui and friends) once; the result is cached by the hash of the host
 * source, this build script and the host's lock file, because @grafana/ui is large and does not change
 * between runs.
 */
export async function buildHost(host: HostDef): Promise<{ js: string; css: string }> {
  const versions = hostVersions(host);
  const hash = createHash('sha256').update(host.name).update(JSON.stringify(versions));
  for (const file of [ENTRY, path.join(HOST_SRC, 'index.html'), __filename, path.join(__dirname, 'hosts.ts')]) {
    hash.update(readFileSync(file));
  }
  const key = hash.update(readFileSync(host.lockFile)).digest('hex').slice(0, 16);
  const js = path.join(CACHE, `${host.name}-${key}.js`);
  const css = path.join(CACHE, `${host.name}-${key}.css`);
  if (existsSync(js) && existsSync(css)) {
    try {
      return { js: readFileSync(js, 'utf8'), css: readFileSync(css, 'utf8') };
    } catch {
      // Removed meanwhile by a sandbox building another version of this host: build it again.
    }
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
    plugins: [hostPackages(host)],
    // `define: undefined` keeps UMD packages (lodash, moment) on their CommonJS path: the page has
    // SystemJS's global AMD define, and they would register with it instead of exporting.
    define: {
      'process.env.NODE_ENV': JSON.stringify(host.reactBuild),
      global: 'window',
      define: 'undefined',
      __SANDBOX_HOST__: JSON.stringify(versions),
    },
    loader: { '.svg': 'text', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty', '.png': 'empty' },
    logLevel: 'error',
  });
  const out = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  mkdirSync(CACHE, { recursive: true });
  // Older bundles of this host are never read again.
  for (const old of readdirSync(CACHE).filter((f) => f.startsWith(`${host.name}-`) && !f.includes(key))) {
    rmSync(path.join(CACHE, old), { force: true });
  }
  writeFileSync(css, out('.css'));
  writeFileSync(js, out('.js'));
  return { js: out('.js'), css: out('.css') };
}
