/** @jest-environment node */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { bundleCliBeforeAll, ROOT, runCli, runCliAsync } from '../testing/cli';
import { startReplayServer } from '../testing/replayServer';
import { diffTraces, parseTrace } from '../trace';

// Each test starts the CLI a few times; on a loaded machine that can take longer than jest's 5 s.
jest.setTimeout(60_000);

const CLI = bundleCliBeforeAll();
const FIX = join(ROOT, 'fixtures', 'tempo-2.7.2');
const FAST = join(FIX, 'trace-v2.json');
const dir = mkdtempSync(join(tmpdir(), 'traceway-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

/** The recorded scan trace without core's call to the job service (3 spans), its registry call 5 ms longer. */
function changedCopy(): string {
  const doc = JSON.parse(readFileSync(FAST, 'utf8'));
  const gone = new Set(['536d985d160a5e2a', '5f444e34311f28f0', 'e776bb12bf61a2d2']);
  for (const r of doc.trace.resourceSpans) {
    for (const s of r.scopeSpans) {
      s.spans = s.spans.filter((span: { spanId: string }) => !gone.has(hex(span.spanId)));
      for (const span of s.spans) {
        if (hex(span.spanId) === 'e9c1556d2d967035') {
          span.endTimeUnixNano = String(BigInt(span.endTimeUnixNano) + BigInt(5_000_000));
        }
      }
    }
  }
  const path = join(dir, 'slow.json');
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

describe('traceway diff --file', () => {
  it('finds no difference between a trace and itself', () => {
    const json = runCli(CLI, ['diff', '--file', FAST, '--file', FAST, '--json']);
    expect([json.code, json.err]).toEqual([0, '']);
    expect(JSON.parse(json.out)).toEqual({ added: [], removed: [], changed: [] });
    const table = runCli(CLI, ['diff', '-f', FAST, '-f', FAST]);
    expect([table.code, table.err]).toEqual([0, '']);
    expect(table.out).toContain('no differences: all 11 paths have the same spans and times\n');
  });

  it('prints exactly the removed subtree and the lengthened span, as JSON and as a table', () => {
    const slow = changedCopy();
    const json = runCli(CLI, ['diff', '--file', FAST, '--file', slow, '--json']);
    expect([json.code, json.err]).toEqual([0, '']);
    expect(JSON.parse(json.out)).toEqual({
      added: [],
      removed: [
        { service: 'core', name: 'GET /api/v1/jobs', count: 1 },
        { service: 'jobservice', name: 'GET /api/v1/jobs', count: 1 },
        { service: 'jobservice', name: 'job scan', count: 1 },
      ],
      changed: [
        {
          service: 'registry',
          name: 'GET /v2/library/manifests/latest',
          countA: 1,
          countB: 1,
          durationMsA: 11.597484,
          durationMsB: 16.597484,
        },
      ],
    });

    const table = runCli(CLI, ['diff', '--file', FAST, '--file', slow]);
    expect([table.code, table.err]).toEqual([0, '']);
    const lines = table.out.trimEnd().split('\n');
    expect(lines[0]).toBe('A 5feb30ccfb3cdb0936f11324d886982a: 11 spans, 54.804 ms');
    expect(lines[1]).toMatch(/^B 5feb30ccfb3cdb0936f11324d886982a: 8 spans, /);
    expect(lines[2]).toBe('by service + operation: 0 added (in B only), 3 removed (in A only), 1 changed');
    // largest difference first: the removed subtree top-down, then the lengthened call; 7 paths unchanged
    expect(lines.slice(4).map((l) => l.replace(/ +/g, ' '))).toEqual([
      expect.stringMatching(/^- 1 0 32\.315 0\.000 -32\.315 .* > core:GET \/api\/v1\/jobs$/),
      expect.stringMatching(/^- 1 0 31\.000 0\.000 -31\.000 .* > jobservice:GET \/api\/v1\/jobs$/),
      expect.stringMatching(/^- 1 0 30\.402 0\.000 -30\.402 .* > jobservice:job scan$/),
      expect.stringMatching(/^~ 1 1 11\.597 16\.597 \+5\.000 .* > registry:GET \/v2\/library\/manifests\/latest$/),
      '7 paths are the same in both',
    ]);
    expect(lines[4]).toContain(
      'harbor-ui:click push > harbor-ui:GET /api/v2.0/projects/scan > gateway:GET /api/v2.0/projects/scan'
    );
  });

  it('reads one of the traces from stdin, and says which trace cannot be read', () => {
    const stdin = runCli(CLI, ['diff', '--file', '-', '--file', FAST, '--json'], readFileSync(FAST, 'utf8'));
    expect([stdin.code, stdin.err, stdin.out]).toEqual([0, '', '{"added":[],"removed":[],"changed":[]}\n']);
    const missing = runCli(CLI, ['diff', '--file', FAST, '--file', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      `traceway: diff: trace B (${join(dir, 'nope.json')}): cannot read the file: no such file\n`
    );
    expect(missing.out).toBe('');
    const several = runCli(CLI, ['diff', '-f', join(ROOT, 'fixtures', 'otlp-file', 'two-traces.jsonl'), '-f', FAST]);
    expect(several.code).toBe(1);
    expect(several.err).toMatch(
      /^traceway: diff: trace A \(.*two-traces\.jsonl\): .*; diff compares files of one trace each\n$/
    );
  });

  it.each([
    ['no traces', [], /^traceway: diff: give two traces: traceway diff A B --tempo URL, or traceway diff --file FA/],
    ['one file', ['--file', FAST], /--file is needed twice, A then B \(got 1\)/],
    ['three files', ['-f', FAST, '-f', FAST, '-f', FAST], /--file is needed twice, A then B \(got 3\)/],
    ['IDs without --tempo', ['5feb30ccfb3cdb0936f11324d886982a', 'ab'], /trace IDs \(2 given\) need --tempo URL/],
    [
      'both --tempo and files',
      ['--tempo', 'http://tempo:3200', '-f', FAST, '-f', FAST],
      /either --tempo URL .* not both/,
    ],
    [
      'one ID with --tempo',
      ['--tempo', 'http://tempo:3200', 'abc'],
      /--tempo needs two trace IDs, A then B: .*\(got 1\)/,
    ],
    [
      'a bad ID',
      ['--tempo', 'http://tempo:3200', '5feb30ccfb3cdb0936f11324d886982a', 'xyz!'],
      /^traceway: diff: trace B: /,
    ],
    ['stdin twice', ['-f', '-', '-f', '-'], /only one of the two files can be stdin/],
    ['--tenant without --tempo', ['-f', FAST, '-f', FAST, '--tenant', 'a'], /--tenant and --timeout go with --tempo/],
    ['a bad header', ['--tempo', 'http://t:3200', 'a1', 'b2', '--header', 'x'], /--header expects 'Name: value'/],
  ])('refuses %s with exit status 2', (_name, args, message) => {
    const r = runCli(CLI, ['diff', ...(args as string[])]);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/\(run traceway diff --help for usage\)\n$/);
  });
});

describe('traceway diff --tempo', () => {
  it('compares two traces from Tempo (recorded 2.7.2 answers)', async () => {
    const A = '5feb30ccfb3cdb0936f11324d886982a';
    const B = 'cc0f27b1800ba01de70dbd56394cd4bc';
    const GONE = '00000000000000000000000000000001';
    const server = await startReplayServer({
      [`/api/v2/traces/${A}`]: { fixture: 'tempo-2.7.2/trace-v2' },
      [`/api/v2/traces/${B}`]: { fixture: 'tempo-2.7.2/trace-v2-error' },
      [`/api/v2/traces/${GONE}`]: { fixture: 'tempo-2.7.2/trace-v2-not-found' },
    });
    try {
      const r = await runCliAsync(CLI, ['diff', A, B, '--tempo', server.url, '--json']);
      expect([r.code, r.err]).toEqual([0, '']);
      expect([...server.seen].sort()).toEqual([`GET /api/v2/traces/${A}`, `GET /api/v2/traces/${B}`]);
      const out = JSON.parse(r.out);
      // the scan request against the failed "boom" request: the boom operations are B's only
      expect(out.added).toHaveLength(3);
      expect(out.added).toEqual(
        expect.arrayContaining([
          { service: 'gateway', name: 'GET /api/v2.0/projects/boom', count: 2 },
          { service: 'harbor-ui', name: 'GET /api/v2.0/projects/boom', count: 1 },
          { service: 'core', name: 'GET /api/v2.0/projects/boom', count: 1 },
        ])
      );
      const expected = diffTraces(
        parseTrace(readFileSync(FAST, 'utf8')),
        parseTrace(readFileSync(join(FIX, 'trace-v2-error.json'), 'utf8'))
      );
      expect(out.removed.map((g: { name: string }) => g.name)).toEqual(expected.removed.map((g) => g.name));
      expect(out.changed).toHaveLength(expected.changed.length);
      expect(out.removed.map((g: { name: string }) => g.name)).toContain('job scan');

      const missing = await runCliAsync(CLI, ['diff', A, GONE, '--tempo', server.url]);
      expect(missing.code).toBe(1);
      expect(missing.err).toBe(
        `traceway: diff: trace B (${GONE}): trace ${GONE} not found in Tempo at ${server.url}/ (/api/v2/traces)\n`
      );
    } finally {
      await server.close();
    }
  });
});
