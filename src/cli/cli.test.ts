/** @jest-environment node */
import { spawnSync } from 'child_process';
import { buildSync } from 'esbuild';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { criticalPath, parseTrace, summarize } from '../trace';

/** The real CLI: bundled as `npm run build:cli` does, run through the committed launcher. */
const ROOT = join(__dirname, '..', '..');
const FIX = join(ROOT, 'fixtures', 'tempo-2.7.2');

beforeAll(() => {
  buildSync({
    entryPoints: [join(ROOT, 'src', 'cli', 'traceway.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: join(ROOT, 'build', 'cli', 'traceway.js'),
    logLevel: 'warning',
  });
});

function traceway(args: string[], input?: string, launcher = join(ROOT, 'bin', 'traceway.js')) {
  const r = spawnSync(process.execPath, [launcher, ...args], { encoding: 'utf8', input, cwd: ROOT });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('traceway trace', () => {
  it('--json prints the summary of a Tempo v2 trace', () => {
    const r = traceway(['trace', '--file', join(FIX, 'trace-v2.json'), '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const t = parseTrace(readFileSync(join(FIX, 'trace-v2.json'), 'utf8'));
    const s = summarize(t);
    expect(JSON.parse(r.out)).toEqual({
      traceId: '5feb30ccfb3cdb0936f11324d886982a',
      spanCount: 11,
      rootSpanId: s.rootSpanId,
      services: ['core', 'gateway', 'harbor-ui', 'jobservice', 'registry'],
      maxDepth: 7,
      durationMs: s.durationMs,
      errorCount: 0,
      warnings: JSON.parse(JSON.stringify(s.warnings)),
      criticalPath: Array.from(criticalPath(t).spans, (i) => t.spans[i].spanId),
    });
  });

  it('--tree prints one indented line per span, the default too', () => {
    const r = traceway(['trace', '--tree', '-f', join(FIX, 'trace-v2-error.json')]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^trace cc0f27b1800ba01de70dbd56394cd4bc: 8 spans, 4 services, .* 4 errors, max depth 6/);
    const spanLines = lines.filter((l) => / ms .*: /.test(l));
    expect(spanLines).toHaveLength(8);
    expect(spanLines[0]).toMatch(/^\s+0\.000 ms\s+28\.050 ms \*\s+harbor-ui: click push 5605a67342d76d94/);
    expect(spanLines.some((l) => /\*!\s{9}core: GET \/api\/v2\.0\/projects\/boom .*\[server\]/.test(l))).toBe(true);
    expect(traceway(['trace', '-f', join(FIX, 'trace-v2-error.json')]).out).toBe(r.out);
  });

  it('reads v1, OTLP with --trace-id, and stdin', () => {
    expect(JSON.parse(traceway(['trace', '--json', '--file', join(FIX, 'trace-v1.json')]).out).spanCount).toBe(11);
    const otlp = traceway([
      'trace',
      '--json',
      '--file',
      join(FIX, 'otlp-export-request.json'),
      '--trace-id',
      'CC0F27B1800BA01DE70DBD56394CD4BC',
    ]);
    expect(otlp.code).toBe(0);
    expect(JSON.parse(otlp.out)).toMatchObject({
      traceId: 'cc0f27b1800ba01de70dbd56394cd4bc',
      spanCount: 3,
      errorCount: 1,
    });
    const stdin = traceway(['trace', '--json', '--file', '-'], readFileSync(join(FIX, 'trace-v2.json'), 'utf8'));
    expect(JSON.parse(stdin.out).spanCount).toBe(11);
  });

  it.each([
    ['not JSON', 'trace-bad-id.txt', /trace-bad-id\.txt: the input is not JSON/],
    ['empty (Tempo v1 not found)', 'trace-v1-not-found.txt', /the input is empty/],
    ['Tempo v2 not found', 'trace-v2-not-found.json', /holds no spans/],
    ['several traces', 'otlp-export-request.json', /holds 6 traces/],
    ['no such file', 'nope.json', /nope\.json: cannot read the file: no such file/],
  ])('bad input (%s): exit 1, message on stderr', (_name, file, message) => {
    const r = traceway(['trace', '--json', '--file', join(FIX, file)]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^traceway: /);
    expect(r.err).toMatch(message);
  });

  it.each([
    ['no --file', ['trace', '--json'], /required option '-f, --file <path>'/],
    ['--json and --tree', ['trace', '--json', '--tree', '--file', 'x'], /'--json' cannot be used with option '--tree'/],
    ['unknown command', ['tracez'], /unknown command 'tracez'/],
    ['unknown option', ['trace', '--file', 'x', '--yaml'], /unknown option '--yaml'/],
    ['no command', [], /Usage: traceway/],
  ])('usage error (%s): exit 2', (_name, args, message) => {
    const r = traceway(args);
    expect(r.code).toBe(2);
    expect(r.out + r.err).toMatch(message);
  });

  it('--help exits 0', () => {
    const r = traceway(['trace', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--trace-id <id>/);
  });

  it('the launcher says to build first when the bundle is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'traceway-bin-'));
    try {
      copyFileSync(join(ROOT, 'bin', 'traceway.js'), join(dir, 'traceway.js'));
      const r = traceway(['trace'], undefined, join(dir, 'traceway.js'));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/run `npm run build`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
