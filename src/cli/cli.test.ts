/** @jest-environment node */
import { spawnSync } from 'child_process';
import { buildSync } from 'esbuild';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';

import { criticalPath, parseTrace, summarize } from '../trace';

// Each test starts the CLI a few times; on a loaded machine that can take longer than jest's 5 s.
jest.setTimeout(60_000);

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
    ['no file', ['trace', '--json'], /a trace file is required: traceway trace FILE, or --file FILE/],
    ['two files', ['trace', 'a.json', '--file', 'b.json'], /give the trace file once/],
    ['a trace ID that is not one', ['trace', 'x.json', '--trace-id', 'xyz'], /expected a trace ID of 32 hex digits/],
    ['a trace ID one digit short', ['trace', 'x.json', '--trace-id', '5feb30ccfb3cdb0936f11324d886982'], /got "5feb/],
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

  describe('files as they come', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'traceway-files-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, bytes: Buffer) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    const v2 = () => readFileSync(join(FIX, 'trace-v2.json'));
    const spanCount = (r: { out: string }) => JSON.parse(r.out).spanCount;

    it('the file as an argument, without --file', () => {
      const r = traceway(['trace', join(FIX, 'trace-v2.json'), '--json']);
      expect([r.code, r.err, spanCount(r)]).toEqual([0, '', 11]);
      expect(traceway(['trace', join(FIX, 'trace-v2.json'), '-f', join(FIX, 'trace-v2.json')]).code).toBe(0);
    });

    it('JSON Lines from the Collector: a trace spread over lines is one trace', () => {
      const r = traceway(['trace', '--json', join(ROOT, 'fixtures', 'otlp-file', 'trace-v2.jsonl')]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toEqual(JSON.parse(traceway(['trace', '--json', join(FIX, 'trace-v2.json')]).out));
    });

    it('JSON Lines holding several traces: exit 1 naming them, --trace-id chooses', () => {
      const file = join(ROOT, 'fixtures', 'otlp-file', 'two-traces.jsonl');
      const r = traceway(['trace', file]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /holds 2 traces: 5feb30ccfb3cdb0936f11324d886982a \(11 spans\), cc0f27b1800ba01de70dbd56394cd4bc \(8 spans\); choose one with --trace-id/
      );
      const one = traceway(['trace', '--json', file, '--trace-id', 'CC0F27B1800BA01DE70DBD56394CD4BC']);
      expect([one.code, spanCount(one)]).toEqual([0, 8]);
      const missing = traceway(['trace', file, '--trace-id', '0123456789abcdef0123456789abcdef']);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/trace 0123456789abcdef0123456789abcdef is not in the input/);
    });

    it('Zipkin v2 JSON', () => {
      const r = traceway(['trace', join(ROOT, 'fixtures', 'zipkin', 'trace-v2-error.zipkin.json')]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^trace cc0f27b1800ba01de70dbd56394cd4bc: 8 spans, 4 services, .* 4 errors/);
      expect(r.out).not.toMatch(/clock skew/);
    });

    it('UTF-8 with a byte order mark, UTF-16 LE and BE', () => {
      const text = v2().toString('utf8');
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      const be = Buffer.from(le).swap16();
      const files = [
        write('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), v2()])),
        write('le.json', le),
        write('be.json', be),
      ];
      for (const f of files) {
        const r = traceway(['trace', '--json', f]);
        expect([f, r.code, r.err, spanCount(r)]).toEqual([f, 0, '', 11]);
      }
    });

    it('a directory: a clear message, not EISDIR', () => {
      const r = traceway(['trace', dir]);
      expect(r.code).toBe(1);
      expect(r.err).toBe(`traceway: ${dir}: is a directory, not a trace file\n`);
    });

    it.each([
      ['gzip', () => gzipSync(v2()), /looks binary \(gzip\?\)/],
      ['zstd', () => Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00, 0x01, 0x02]), /looks binary \(zstd\?\).*zstd -d/],
      [
        'protobuf',
        () => Buffer.from([0x0a, 0xa4, 0x03, 0x0a, 0x1a, 0x0a, 0x0c, 0x73, 0x65]),
        /looks binary \(protobuf\?\)/,
      ],
    ])('binary input (%s): described, never printed', (name, bytes, message) => {
      const r = traceway(['trace', write(`${name}.bin`, bytes())]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/^[\x20-\x7e\n]*$/);
      expect(r.err.length).toBeLessThan(300);
    });

    it('singular and plural', () => {
      const one = traceway(['trace', join(ROOT, 'fixtures', 'tempo-2.7.2-edge', 'mt-trace-own-tenant.json')]);
      expect(one.code).toBe(0);
      expect(one.out).toMatch(
        /^trace 5b8efff798038103d269b633813fc60c: 1 span, 1 service, 1\.000 ms, 0 errors, max depth 0\n/
      );
      const r = traceway(['trace', join(FIX, 'trace-v2-error.json')]);
      expect(r.out).toMatch(/: 8 spans, 4 services, .* 4 errors,/);
    });

    it('a 50 ms clock skew is named in the tree and the warning', () => {
      const doc = JSON.parse(v2().toString('utf8'));
      // shift the registry's spans 50 ms earlier, as a registry host with a fast clock would record them
      for (const rs of doc.trace.resourceSpans) {
        const svc = rs.resource.attributes.find((a: { key: string }) => a.key === 'service.name').value.stringValue;
        if (svc === 'registry') {
          for (const sp of rs.scopeSpans[0].spans) {
            sp.startTimeUnixNano = String(BigInt(sp.startTimeUnixNano) - BigInt(50_000_000));
            sp.endTimeUnixNano = String(BigInt(sp.endTimeUnixNano) - BigInt(50_000_000));
          }
        }
      }
      const r = traceway(['trace', write('skew.json', Buffer.from(JSON.stringify(doc)))]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(
        /registry: GET \/v2\/library\/manifests\/latest \w+ \[server, clock skew: starts 50 ms before its parent\]/
      );
      expect(r.out).toMatch(
        /warning: clock-skew: 1 × registry "GET \/v2\/library\/manifests\/latest" starts 50 ms before its parent core/
      );
    });

    it('--version prints the version in package.json', () => {
      const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
      for (const flag of ['--version', '-V']) {
        const r = traceway([flag]);
        expect([r.code, r.out]).toEqual([0, `${version}\n`]);
      }
    });
  });
});
