/**
 * `npm run bench`: bundles the case runner with esbuild and runs each case in a fresh Node
 * process with --expose-gc. One JSON line per case on stdout; progress on stderr.
 * The 1M case runs with a 2 GiB heap limit, so finishing at all shows the peak heap stays within it.
 * The service-map scripts (SCRIPTS) are bundled and run the same way; each prints its own JSON lines.
 */
import { spawnSync } from 'child_process';
import { buildSync } from 'esbuild';
import { join } from 'path';

const root = join(__dirname, '..');
const out = join(root, 'build', 'bench', 'case.js');
buildSync({
  entryPoints: [join(root, 'bench', 'case.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  outfile: out,
  logLevel: 'warning',
});

// Self-contained bench scripts, each bundled on its own and run as `node --expose-gc script.js`: name → file.
const SCRIPTS: Record<string, string> = {
  'servicemap-layout': 'bench/layout.ts',
  'servicemap-graph': 'bench/servicegraph.ts',
  'diff-100k': 'bench/diff.ts',
  'trace-stats': 'bench/stats.ts',
  'paths-100k': 'bench/paths.ts',
};

const only = process.argv[2];
const cases: Array<{ name: string; kind: string; spans: number; runs: number; warmup: number; heapMb: number }> = [
  { name: '1k', kind: 'fanout', spans: 1_000, runs: 15, warmup: 10, heapMb: 4096 },
  { name: '10k', kind: 'fanout', spans: 10_000, runs: 9, warmup: 5, heapMb: 4096 },
  { name: '100k', kind: 'fanout', spans: 100_000, runs: 5, warmup: 1, heapMb: 4096 },
  { name: '1M', kind: 'fanout', spans: 1_000_000, runs: 2, warmup: 0, heapMb: 2048 },
  { name: 'chain-100k', kind: 'chain', spans: 100_000, runs: 3, warmup: 1, heapMb: 4096 },
];

const started = Date.now();
let failed = false;
for (const c of cases) {
  if (only && c.name !== only) {
    continue;
  }
  const r = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${c.heapMb}`,
      '--expose-gc',
      out,
      c.kind,
      String(c.spans),
      String(c.runs),
      c.name,
      String(c.warmup),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 20 }
  );
  if (r.status !== 0) {
    failed = true;
    process.stderr.write(`case ${c.name} failed (exit ${r.status ?? r.signal})\n`);
    continue;
  }
  process.stdout.write(r.stdout);
}
for (const [name, file] of Object.entries(SCRIPTS)) {
  if (only && name !== only) {
    continue;
  }
  const bundle = join(root, 'build', 'bench', `${name}.js`);
  buildSync({
    entryPoints: [join(root, file)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    logLevel: 'warning',
  });
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', '--expose-gc', bundle], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) {
    failed = true;
    process.stderr.write(`bench ${name} failed (exit ${r.status ?? r.signal})\n`);
    continue;
  }
  process.stdout.write(r.stdout);
}
process.stderr.write(`bench finished in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.exit(failed ? 1 : 0);
