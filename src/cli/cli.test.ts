/** @jest-environment node */
import { spawnSync } from 'child_process';
import http from 'node:http';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';

import { serviceGraphQueries } from '../prometheus';
import { bundleCliBeforeAll, LAUNCHER, ROOT, runCli, runCliAsync } from '../testing/cli';
import { Reply, SeenRequest, startReplayServer } from '../testing/replayServer';
import { criticalPath, parseTrace, summarize } from '../trace';

// Each test starts the CLI a few times; on a loaded machine that can take longer than jest's 5 s.
jest.setTimeout(60_000);

/** The real CLI: bundled as `npm run build:cli` does, run through the committed launcher. */
const FIX = join(ROOT, 'fixtures', 'tempo-2.7.2');
bundleCliBeforeAll(join(ROOT, 'build', 'cli', 'traceway.js'));

function traceway(args: string[], input?: string, launcher = LAUNCHER) {
  return runCli(launcher, args, input);
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
      copyFileSync(LAUNCHER, join(dir, 'traceway.js'));
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

/** The CLI as a child process, without blocking this process: the in-process servers below must answer it. */
function tracewayAsync(args: string[], input?: string) {
  return runCliAsync(LAUNCHER, args, { input });
}

describe('traceway trace --tempo', () => {
  const TRACE = '5feb30ccfb3cdb0936f11324d886982a';

  it('reads a trace from Tempo (recorded 2.7.2 answers), sending --header, never printing its value', async () => {
    const headers: Array<string | string[] | undefined> = [];
    const routes: Record<string, Reply> = { [`/api/v2/traces/${TRACE}`]: { fixture: 'tempo-2.7.2/trace-v2' } };
    const server = await startReplayServer(routes);
    const seen = http.createServer((req, res) => {
      headers.push(req.headers['x-scope-orgid']);
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('no org id\n');
    });
    await new Promise<void>((resolve) => seen.listen(0, '127.0.0.1', resolve));
    try {
      const r = await tracewayAsync([
        'trace',
        '--tempo',
        server.url,
        TRACE,
        '--json',
        '--header',
        'X-Scope-OrgID: team-a',
      ]);
      expect([r.code, r.err]).toEqual([0, '']);
      expect(JSON.parse(r.out)).toMatchObject({ traceId: TRACE, spanCount: 11 });
      expect(server.seen).toEqual([`GET /api/v2/traces/${TRACE}`]);
      const port = (seen.address() as { port: number }).port;
      const denied = await tracewayAsync([
        'trace',
        '--tempo',
        `http://127.0.0.1:${port}`,
        TRACE,
        '--header',
        'X-Scope-OrgID: s3cret-tenant',
      ]);
      expect(denied.code).toBe(1);
      expect(denied.err).toMatch(
        /^traceway: tempo: Tempo requires a tenant \(HTTP 401 "no org id"\): it runs with multi-tenancy/
      );
      expect(denied.err).not.toContain('s3cret');
      expect(headers).toEqual(['s3cret-tenant']);
    } finally {
      seen.closeAllConnections();
      await Promise.all([server.close(), new Promise((resolve) => seen.close(resolve))]);
    }
  });

  it('not found, and a Tempo that never answers within --timeout', async () => {
    const server = await startReplayServer({
      '/api/v2/traces/00000000000000000000000000000001': { fixture: 'tempo-2.7.2/trace-v2-not-found' },
    });
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const missing = await tracewayAsync(['trace', '--tempo', server.url, '1']);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/trace 00000000000000000000000000000001 not found in Tempo/);
      const port = (silent.address() as { port: number }).port;
      const started = Date.now();
      const r = await tracewayAsync(['trace', '--tempo', `http://127.0.0.1:${port}`, TRACE, '--timeout', '0.5']);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `traceway: tempo: http://127.0.0.1:${port}/api/v2/traces/${TRACE} did not answer within 0.5 s ` +
          '(--timeout sets the limit, in seconds)\n'
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      silent.closeAllConnections();
      await Promise.all([server.close(), new Promise((resolve) => silent.close(resolve))]);
    }
  });

  it('--max-bytes caps what is read from Tempo', async () => {
    const server = await startReplayServer({ [`/api/v2/traces/${TRACE}`]: { fixture: 'tempo-2.7.2/trace-v2' } });
    try {
      const r = await tracewayAsync(['trace', '--tempo', server.url, TRACE, '--max-bytes', '2KB']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/The trace is larger than 2 KB, the most Traceway reads: .*\(--max-bytes raises it\)/);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['credentials in the URL', ['--tempo', 'http://user:pw@tempo:3200', TRACE], 1, /holds credentials/],
    ['a header without a colon', ['--tempo', 'http://tempo:3200', TRACE, '--header', 'Bearer xyz'], 2, /'Name: value'/],
    ['--timeout without --tempo', ['x.json', '--timeout', '3'], 2, /go with --tempo/],
    ['--tenant without --tempo', ['x.json', '--tenant', 'a'], 2, /--header, --tenant and --timeout go with --tempo/],
    ['no trace ID', ['--tempo', 'http://tempo:3200'], 2, /--tempo needs a trace ID/],
  ])('%s', async (_name, args, code, message) => {
    const r = traceway(['trace', ...args]);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/pw|xyz/);
  });
});

describe('traceway trace --tempo --tenant (multi-tenant Tempo, recorded)', () => {
  const OWN = '5b8efff798038103d269b633813fc60c';

  it('sends the tenant; another tenant\'s trace is "not found for tenant", naming it', async () => {
    const server = await startReplayServer({
      [`/api/v2/traces/${OWN}`]: (r) =>
        r.headers['x-scope-orgid'] === 'team-a'
          ? { fixture: 'tempo-2.7.2-edge/mt-trace-own-tenant' }
          : { fixture: 'tempo-2.7.2-edge/mt-trace-other-tenant' },
    });
    try {
      const own = await tracewayAsync(['trace', '--tempo', server.url, OWN, '--tenant', 'team-a', '--json']);
      expect([own.code, own.err]).toEqual([0, '']);
      expect(JSON.parse(own.out)).toMatchObject({ traceId: OWN, spanCount: 1, services: ['canary'] });
      const other = await tracewayAsync(['trace', '--tempo', server.url, OWN, '--tenant', 'team-b']);
      expect([other.code, other.out]).toEqual([1, '']);
      expect(other.err).toBe(
        `traceway: tempo: trace ${OWN} not found for tenant "team-b" in Tempo at ${server.url}/ (/api/v2/traces); ` +
          'a trace sent as another tenant is not found either\n'
      );
      expect(server.requests.map((r) => r.headers['x-scope-orgid'])).toEqual(['team-a', 'team-b']);
    } finally {
      await server.close();
    }
  });
});

describe('traceway search', () => {
  const manifest = JSON.parse(readFileSync(join(FIX, 'manifest.json'), 'utf8')) as Array<{
    traceId: string;
    requestId: string;
    kind: string;
    code: number;
  }>;
  const { traceId: TRACE, requestId: REQUEST_ID } = manifest[1];

  /**
   * Tempo's search, answering by the query as the recorded Tempo did: the request ID as the builder writes
   * it (span.request_id among the keys) finds its trace; `status = error` the recorded failed traces; a
   * query holding "unclosed" Tempo's parse error; anything else nothing.
   */
  async function withTempo(run: (url: string, requests: SeenRequest[]) => Promise<void>) {
    const server = await startReplayServer({
      '/api/search': (r) => {
        const q = r.query.get('q') ?? '';
        if (q.includes(`span.request_id = "${REQUEST_ID}"`)) {
          return { fixture: 'tempo-2.7.2/search-request-id' };
        }
        if (q.includes('status = error')) {
          return { fixture: 'tempo-2.7.2/search-error-select' };
        }
        if (q.includes('unclosed')) {
          return { fixture: 'tempo-2.7.2/search-bad-traceql' };
        }
        return { fixture: 'tempo-2.7.2/search-empty' };
      },
    });
    try {
      await run(server.url, server.requests);
    } finally {
      await server.close();
    }
  }

  it("finds a recorded request ID's trace exactly: one trace, that one", async () => {
    await withTempo(async (url, requests) => {
      const r = await tracewayAsync(['search', '--tempo', url, '--request-id', REQUEST_ID, '--json']);
      expect([r.code, r.err]).toEqual([0, '']);
      const printed = JSON.parse(r.out);
      expect(Object.keys(printed)).toEqual(['query', 'traces']);
      expect(printed.query).toContain(`span.request_id = "${REQUEST_ID}"`);
      expect(printed.query).toContain(`span."http.request.header.x-request-id" = "${REQUEST_ID}"`);
      expect(printed.traces).toEqual([
        { traceId: TRACE, rootService: 'harbor-ui', rootName: 'click push', startMs: 1795247266411, durationMs: 54 },
      ]);
      expect(requests).toHaveLength(1);
      expect(requests[0].query.get('q')).toBe(printed.query);
      // Start and end always sent: the last hour by default.
      const start = Number(requests[0].query.get('start'));
      const end = Number(requests[0].query.get('end'));
      expect(end - start).toBe(3600);
      expect(Math.abs(end - Date.now() / 1000)).toBeLessThan(60);
      expect(requests[0].query.get('limit')).toBe('50');

      // The table: a header and exactly that trace, over a week searched in slices (each answers it).
      const table = await tracewayAsync(['search', '--tempo', url, '--request-id', REQUEST_ID, '--since', '7d']);
      expect([table.code, table.err]).toEqual([0, '']);
      const lines = table.out.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^TRACE ID\s+ROOT SERVICE\s+ROOT NAME\s+START\s+DURATION$/);
      expect(lines[1]).toMatch(
        new RegExp(`^${TRACE}\\s+harbor-ui\\s+click push\\s+2026-11-21T07:47:46\\.411Z\\s+54 ms$`)
      );
      expect(requests.length - 1).toBe(11);
    });
  });

  it('--status error returns only failed traces, and sends status = error', async () => {
    await withTempo(async (url, requests) => {
      const r = await tracewayAsync(['search', '--tempo', url, '--status', 'error', '--since', '2h', '--json']);
      expect([r.code, r.err]).toEqual([0, '']);
      const printed = JSON.parse(r.out) as { query: string; traces: Array<{ traceId: string }> };
      expect(printed.query).toBe('{ status = error }');
      expect(printed.traces).toHaveLength(5);
      const failed = new Set(manifest.filter((m) => m.code >= 500).map((m) => m.traceId));
      for (const t of printed.traces) {
        expect(failed.has(t.traceId)).toBe(true);
      }
      expect(requests.every((q) => q.query.get('q') === '{ status = error }')).toBe(true);
      // 2 h: the last hour, then the hour before.
      expect(requests.map((q) => Number(q.query.get('end')) - Number(q.query.get('start')))).toEqual([3600, 3600]);
    });
  });

  it('builds the query from every field, with --start/--end as RFC 3339 or epoch seconds', async () => {
    await withTempo(async (url, requests) => {
      const r = await tracewayAsync([
        'search',
        '--tempo',
        url,
        '--service',
        'core',
        '--name',
        'GET /api/v2.0/projects',
        '--min-duration',
        '30ms',
        '--max-duration',
        '2s',
        '--status',
        'ok',
        '--attr',
        'http.response.status_code>=200',
        '--attr',
        'resource.k8s.namespace.name!=kube-system',
        '--attr',
        'url.path=~/api/.*',
        '--start',
        '2026-11-21T07:00:00Z',
        '--end',
        '1795248000',
        '--limit',
        '7',
        '--json',
      ]);
      expect([r.code, r.err]).toEqual([0, '']);
      const query =
        '{ resource.service.name = "core" && name = "GET /api/v2.0/projects" && duration >= 30ms && duration <= 2s' +
        ' && status != error && span.http.response.status_code >= 200 && resource.k8s.namespace.name != "kube-system"' +
        ' && span.url.path =~ "/api/.*" }';
      expect(JSON.parse(r.out)).toEqual({ query, traces: [] });
      expect(Object.fromEntries(requests[0].query)).toEqual({
        q: query,
        start: String(Date.parse('2026-11-21T07:00:00Z') / 1000),
        end: '1795248000',
        limit: '7',
      });
    });
  });

  it('nothing found: a line on stderr that suggests a longer range, exit 0', async () => {
    await withTempo(async (url) => {
      const r = await tracewayAsync(['search', '--tempo', url, '--service', 'no-such-service']);
      expect([r.code, r.out]).toEqual([0, '']);
      expect(r.err).toMatch(
        /^traceway: search: no traces match \{ resource\.service\.name = "no-such-service" \} from .*Z to .*Z; try a longer --since or fewer filters\n$/
      );
    });
  });

  it("a query Tempo refuses: Tempo's words in one line, exit 1", async () => {
    await withTempo(async (url) => {
      const r = await tracewayAsync(['search', '--tempo', url, '--name', 'unclosed']);
      expect([r.code, r.out]).toEqual([1, '']);
      expect(r.err).toBe(
        'traceway: search: Tempo refused the query { name = "unclosed" }: invalid TraceQL query: parse error at ' +
          'line 1, col 34: syntax error: unexpected $end\n'
      );
    });
  });

  it('a tenant required (401 no org id): one line naming --tenant, exit 1; --tenant sends it', async () => {
    const server = await startReplayServer({
      '/api/search': (r) =>
        r.headers['x-scope-orgid']
          ? { fixture: 'tempo-2.7.2/search-empty' }
          : { fixture: 'tempo-2.7.2-edge/mt-search-no-org' },
    });
    try {
      const r = await tracewayAsync(['search', '--tempo', server.url]);
      expect([r.code, r.out]).toEqual([1, '']);
      expect(r.err).toBe(
        'traceway: search: Tempo requires a tenant (HTTP 401 "no org id"): it runs with multi-tenancy. Send the ' +
          'tenant as the X-Scope-OrgID header (traceway: --tenant).\n'
      );
      const ok = await tracewayAsync(['search', '--tempo', server.url, '--tenant', 'team-a', '--json']);
      expect([ok.code, ok.err]).toEqual([0, '']);
      expect(server.requests.map((q) => q.headers['x-scope-orgid'])).toEqual([undefined, 'team-a']);
    } finally {
      await server.close();
    }
  });

  it('an unreachable Tempo, and one that does not answer within --timeout: one line, exit 1', async () => {
    const gone = await startReplayServer({});
    await gone.close();
    const r = await tracewayAsync(['search', '--tempo', gone.url]);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toMatch(
      new RegExp(`^traceway: search: Could not reach Tempo at ${gone.url}/api/search\\?q=.*ECONNREFUSED.*\n$`)
    );
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const slow = await tracewayAsync(['search', '--tempo', `http://127.0.0.1:${port}`, '--timeout', '500ms']);
      expect(slow.code).toBe(1);
      expect(slow.err).toMatch(/did not answer within 0\.5 s \(--timeout sets the limit, in seconds\)\n$/);
      expect(slow.err.split('\n')).toHaveLength(2);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it.each([
    ['no --tempo', [], /required option '--tempo <url>' not specified/],
    ['a bad duration', ['--min-duration', '5 parsecs'], /The minimum duration: "5 parsecs" is not a duration/],
    ['a bad status', ['--status', 'failed'], /argument 'failed' is invalid\. Allowed choices are error, ok/],
    ['--since and --start', ['--since', '1h', '--start', '1795240000'], /either --since or --start/],
    ['--end alone', ['--end', '1795240000'], /--end needs --start/],
    ['start after end', ['--start', '1795240000', '--end', '1795230000'], /--start must be before --end/],
    ['milliseconds', ['--start', '1795240000000'], /milliseconds\? divide by 1000/],
    ['a time without a zone', ['--start', '2026-11-21T07:00:00'], /expected an RFC 3339 time with its zone/],
    ['a bad --since', ['--since', 'yesterday'], /expected how far back to search/],
    ['a limit over 1,000', ['--limit', '1001'], /from 1 to 1,000/],
    ['--attr without an operator', ['--attr', 'http.route'], /expected key=value, or another operator/],
    ['--attr without a name', ['--attr', 'resource.=x'], /the attribute name is missing/],
    ['a line break in a value', ['--name', 'a\nb'], /The span name holds a line break/],
  ])('usage error (%s): exit 2', (name, args, message) => {
    const r = traceway(['search', ...(name === 'no --tempo' ? [] : ['--tempo', 'http://127.0.0.1:1']), ...args]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });
});

describe('traceway trace: inputs that must not run away', () => {
  it.each(['/dev/zero', '/dev/urandom'])('%s is refused at once: not a regular file', (device) => {
    const r = traceway(['trace', device]);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toBe(
      `traceway: ${device}: is a character device, not a regular file: traceway reads trace files (or - for stdin)\n`
    );
  });

  it('a file over --max-bytes, and stdin over it', () => {
    const file = traceway(['trace', join(FIX, 'trace-v2.json'), '--max-bytes', '1KB']);
    expect(file.code).toBe(1);
    expect(file.err).toMatch(
      /trace-v2\.json: is 12\.\d KB, larger than 1 KB, the most traceway reads \(--max-bytes raises it\)/
    );
    const stdin = traceway(['trace', '-', '--max-bytes', '1KB'], 'x'.repeat(5000));
    expect(stdin.code).toBe(1);
    expect(stdin.err).toBe('traceway: stdin: is larger than 1 KB, the most traceway reads (--max-bytes raises it)\n');
  });

  it('--tree on a chain 30,000 spans deep: lines stay short, depth shown as a number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'traceway-deep-'));
    try {
      const depth = 30_000;
      const id = (i: number) => (i + 1).toString(16).padStart(16, '0');
      const spans = Array.from({ length: depth }, (_, i) => ({
        traceId: TRACE_ID,
        spanId: id(i),
        ...(i > 0 ? { parentSpanId: id(i - 1) } : {}),
        name: `op${i}`,
        startTimeUnixNano: String(BigInt('1700000000000000000') + BigInt(i * 1000)),
        endTimeUnixNano: String(BigInt('1700000000000000000') + BigInt((2 * depth - i) * 1000)),
      }));
      const doc = {
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
            scopeSpans: [{ spans }],
          },
        ],
      };
      const file = join(dir, 'deep.json');
      writeFileSync(file, JSON.stringify(doc));
      const r = traceway(['trace', '--tree', file]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const lines = r.out.split('\n');
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(200);
      expect(r.out).toContain(`[depth ${depth - 1}] svc: op${depth - 1} ${id(depth - 1)}`);
      expect(r.out.length).toBeLessThan(depth * 200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const TRACE_ID = '0123456789abcdef0123456789abcdef';

describe('traceway search progress (in process)', () => {
  it('shows progress on stderr only when it is a terminal, and clears it before the results', async () => {
    const { run } = await import('./main');
    const server = await startReplayServer({ '/api/search': { fixture: 'tempo-2.7.2/search-empty' } });
    try {
      const io = (errIsTty: boolean) => {
        const out: string[] = [];
        const err: string[] = [];
        return {
          out,
          err,
          io: {
            out: (s: string) => void out.push(s),
            err: (s: string) => void err.push(s),
            readStdin: async () => null,
            errIsTty,
            now: () => 1795250000_000,
          },
        };
      };
      const tty = io(true);
      expect(await run(['search', '--tempo', server.url, '--since', '3h', '--json'], tty.io)).toBe(0);
      expect(tty.err).toEqual([
        '\rsearching: 1/2 time slices, 0 traces\x1b[K',
        '\rsearching: 2/2 time slices, 0 traces\x1b[K',
        '\r\x1b[K',
      ]);
      expect(JSON.parse(tty.out.join(''))).toEqual({ query: '{}', traces: [] });
      // The pinned clock: the last 3 hours before it, the last hour first.
      expect(server.requests.map((r) => [r.query.get('start'), r.query.get('end')])).toEqual([
        ['1795246400', '1795250000'],
        ['1795239200', '1795246400'],
      ]);
      const pipe = io(false);
      expect(await run(['search', '--tempo', server.url, '--json'], pipe.io)).toBe(0);
      expect(pipe.err).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('traceway servicemap --prometheus (recorded Prometheus 2.42 service-graph answers)', () => {
  const DIR = join(ROOT, 'fixtures', 'prometheus-2.42-service-graph');
  const recording = (name: string) => readFileSync(join(DIR, `${name}.json`), 'utf8');
  const EMPTY = '{"status":"success","data":{"resultType":"vector","result":[]}}';
  /**
   * Each query answered by its recording (recorded over 5m; some with the labels grouped in another order,
   * the same grouping); the queries nobody recorded (p50, by-server quantiles, counts): no series.
   */
  const q = serviceGraphQueries(300);
  const RECORDED = new Map([
    [q.requests, 'request-rate'],
    [q.failed, 'failed-rate'],
    [q.p95, 'server-p95'],
    [q.serverSum, 'server-seconds-rate'],
    [q.connectionTypes, 'connection-types'],
  ]);

  async function withPrometheus(
    route: (r: SeenRequest) => Reply,
    run: (url: string, seen: SeenRequest[]) => Promise<void>
  ) {
    const server = await startReplayServer({ '/api/v1/query': route });
    try {
      await run(server.url, server.requests);
    } finally {
      await server.close();
    }
  }
  const recorded = (r: SeenRequest): Reply => {
    const name = RECORDED.get(r.query.get('query') ?? '');
    return { status: 200, contentType: 'application/json', body: name ? recording(name) : EMPTY };
  };

  it('--json prints exactly the nodes and edges of the recording, rates per second, p95Ms null when unknown', async () => {
    await withPrometheus(recorded, async (url, seen) => {
      const r = await tracewayAsync([
        'servicemap',
        '--prometheus',
        url,
        '--since',
        '5m',
        '--header',
        'X-Scope-OrgID: team-a',
        '--json',
      ]);
      expect([r.code, r.err]).toEqual([0, '']);
      expect(r.out.endsWith('}\n')).toBe(true);
      expect(JSON.parse(r.out)).toEqual({
        nodes: [
          { id: 'core', virtual: false, requests: 0.44999999999999996, errors: 0.11249999999999999, p95Ms: 95 },
          { id: 'gateway', virtual: false, requests: 0.44999999999999996, errors: 0.11249999999999999, p95Ms: 95 },
          { id: 'harbor-ui', virtual: false, requests: 0, errors: 0, p95Ms: null },
          { id: 'jobservice', virtual: false, requests: 0.11249999999999999, errors: 0, p95Ms: 95 },
          { id: 'postgresql', virtual: true, requests: 0.3, errors: 0, p95Ms: null },
          { id: 'registry', virtual: false, requests: 0.44999999999999996, errors: 0, p95Ms: 95 },
        ],
        edges: [
          { source: 'core', target: 'jobservice', requests: 0.11249999999999999, errors: 0, connectionType: '' },
          { source: 'core', target: 'postgresql', requests: 0.3, errors: 0, connectionType: 'virtual_node' },
          { source: 'core', target: 'registry', requests: 0.44999999999999996, errors: 0, connectionType: '' },
          {
            source: 'gateway',
            target: 'core',
            requests: 0.44999999999999996,
            errors: 0.11249999999999999,
            connectionType: '',
          },
          {
            source: 'harbor-ui',
            target: 'gateway',
            requests: 0.44999999999999996,
            errors: 0.11249999999999999,
            connectionType: '',
          },
        ],
      });
      // every recorded query was asked (over 5m), once each, at now, with the header
      const asked = seen.map((q) => q.query.get('query'));
      for (const promql of RECORDED.keys()) {
        expect(asked.filter((a) => a === promql)).toHaveLength(1);
      }
      expect(seen.every((q) => Math.abs(Number(q.query.get('time')) - Date.now() / 1000) < 60)).toBe(true);
      expect(seen.every((q) => q.headers['x-scope-orgid'] === 'team-a')).toBe(true);
    });
  });

  it('the table: one line per edge, source → target, type, req/s, error %, p95', async () => {
    await withPrometheus(recorded, async (url) => {
      const r = await tracewayAsync(['servicemap', '--prometheus', url, '--since', '5m']);
      expect([r.code, r.err]).toEqual([0, '']);
      expect(r.out.trimEnd().split('\n')).toEqual([
        'EDGE                 TYPE          REQ/S  ERRORS    P95',
        'core → jobservice    -             0.112    0.0%  95 ms',
        'core → postgresql    virtual_node    0.3    0.0%      -',
        'core → registry      -              0.45    0.0%  95 ms',
        'gateway → core       -              0.45   25.0%  95 ms',
        'harbor-ui → gateway  -              0.45   25.0%  95 ms',
      ]);
    });
  });

  it('no series (recorded): a line on stderr naming the metrics-generator, exit 0, empty output or empty arrays', async () => {
    const noSeries = (): Reply => ({ status: 200, contentType: 'application/json', body: recording('no-series') });
    await withPrometheus(noSeries, async (url, seen) => {
      const table = await tracewayAsync(['servicemap', '--prometheus', url]);
      expect([table.code, table.out]).toEqual([0, '']);
      expect(table.err).toMatch(
        new RegExp(
          `^traceway: servicemap: Prometheus at ${url}/ holds no service-graph series \\(traces_service_graph_\\*\\) ` +
            "from .*Z to .*Z: Tempo's metrics-generator \\(service-graphs processor\\) wrote none to this Prometheus in the range\\n$"
        )
      );
      // the default range is 15 minutes
      expect(seen[0].query.get('query')).toContain('[15m]');
      const json = await tracewayAsync(['servicemap', '--prometheus', url, '--json']);
      expect([json.code, json.out]).toEqual([0, '{"nodes":[],"edges":[]}\n']);
      expect(json.err).toMatch(/no service-graph series/);
    });
  });

  it("a query Prometheus refuses (recorded bad PromQL): Prometheus's words in one line, exit 1", async () => {
    const bad = (): Reply => ({ status: 400, contentType: 'application/json', body: recording('bad-promql') });
    await withPrometheus(bad, async (url) => {
      const r = await tracewayAsync(['servicemap', '--prometheus', url, '--json']);
      expect([r.code, r.out]).toEqual([1, '']);
      expect(r.err).toBe(
        'traceway: servicemap: Prometheus could not run the query (bad_data): invalid parameter "query": 1:29: ' +
          'parse error: unclosed left parenthesis\n'
      );
    });
  });

  it('an unreachable Prometheus: one line, exit 1', async () => {
    const gone = await startReplayServer({});
    await gone.close();
    const r = await tracewayAsync(['servicemap', '--prometheus', gone.url]);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toMatch(
      new RegExp(`^traceway: servicemap: Could not reach Prometheus at ${gone.url}/api/v1/query\\?.*\n$`)
    );
    expect(r.err.split('\n')).toHaveLength(2);
  });

  it.each([
    ['both sources', ['--tempo', 'http://127.0.0.1:1', '--prometheus', 'http://127.0.0.1:2'], /not both/],
    ['neither source', [], /required option '--prometheus <url>' or '--tempo <url>' not specified/],
    ['a bad --since', ['--prometheus', 'http://127.0.0.1:1', '--since', 'yesterday'], /expected how far back/],
    ['a bad --header', ['--prometheus', 'http://127.0.0.1:1', '--header', 'nocolon'], /--header expects 'Name: value'/],
    ['not a URL', ['--prometheus', 'prometheus'], /--prometheus is not a URL: give Prometheus's HTTP address/],
    [
      '--tenant (Tempo only)',
      ['--prometheus', 'http://127.0.0.1:1', '--tenant', 'a'],
      /--tenant is for --tempo; for a multi-tenant Mimir send --header 'X-Scope-OrgID: <tenant>'/,
    ],
    ['--limit (Tempo only)', ['--prometheus', 'http://127.0.0.1:1', '--limit', '5'], /--limit is for --tempo/],
    ['a bad --limit', ['--tempo', 'http://127.0.0.1:1', '--limit', '0'], /expected a number of traces from 1 to 1,000/],
    ['--tempo not a URL', ['--tempo', 'tempo'], /--tempo is not a URL/],
  ])('usage error (%s): exit 2', (_name, args, message) => {
    const r = traceway(['servicemap', ...args]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('--help documents the JSON shape and p95Ms null', () => {
    const r = traceway(['servicemap', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/"p95Ms"/);
    expect(r.out).toMatch(/p95Ms is the server-side\np95 in milliseconds, null when unknown/);
    // Tempo's search returns up to --limit traces of the range, not necessarily the newest
    expect(r.out).toMatch(/up to --limit traces that Tempo's search returns for the\nrange/);
    expect(r.out).not.toMatch(/the newest --limit/);
  });
});

describe('traceway servicemap --tempo (recorded Tempo 2.7.2 search and trace answers)', () => {
  const SCAN = '5feb30ccfb3cdb0936f11324d886982a';
  /** The recorded search of 20 traces; only the scan trace is on record, the rest answer Tempo's "not found". */
  async function withTempo(search: string, run: (url: string, seen: SeenRequest[]) => Promise<void>) {
    const found = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'tempo-2.7.2', `${search}.json`), 'utf8')) as {
      traces: Array<{ traceID: string }>;
    };
    const routes: Record<string, Reply> = { '/api/search': { fixture: `tempo-2.7.2/${search}` } };
    for (const t of found.traces) {
      const id = t.traceID.padStart(32, '0');
      routes[`/api/v2/traces/${id}`] = {
        fixture: id === SCAN ? 'tempo-2.7.2/trace-v2' : 'tempo-2.7.2/trace-v2-not-found',
      };
    }
    const server = await startReplayServer(routes);
    try {
      await run(server.url, server.requests);
    } finally {
      await server.close();
    }
  }

  it('the table says it is a sample, counts calls and shows the mean server time', async () => {
    await withTempo('search-request-id', async (url, seen) => {
      const r = await tracewayAsync(['servicemap', '--tempo', url, '--since', '1h', '--tenant', 'team-a']);
      expect([r.code, r.err]).toEqual([0, '']);
      const lines = r.out.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^A sample of 1 trace from \S+Z to \S+Z \(asked for 100; 1 found\): calls counted in the sample, not rates\.$/
      );
      // the mean server times of the recorded scan trace's spans; a peer has no server span
      expect(lines.slice(1)).toEqual([
        'EDGE                 TYPE          CALLS  ERRORS     MEAN',
        'core → jobservice    -                 1    0.0%    31 ms',
        'core → postgresql    virtual_node      1    0.0%        -',
        'core → registry      -                 1    0.0%  11.6 ms',
        'gateway → core       -                 1    0.0%  52.8 ms',
        'harbor-ui → gateway  -                 1    0.0%  53.8 ms',
      ]);
      const search = seen.find((q) => q.path === '/api/search')!;
      expect(search.query.get('q')).toBe('{}');
      expect(search.query.get('limit')).toBe('100');
      expect(Number(search.query.get('end')) - Number(search.query.get('start'))).toBeGreaterThanOrEqual(3600);
      expect(seen.every((q) => q.headers['x-scope-orgid'] === 'team-a')).toBe(true);
    });
  });

  it('--json: the same keys, plus unit "calls" and the sample; failed traces counted and said on stderr', async () => {
    await withTempo('search-service-duration', async (url, seen) => {
      const r = await tracewayAsync(['servicemap', '--tempo', url, '--limit', '20', '--json']);
      expect(r.code).toBe(0);
      expect(r.err).toBe('traceway: servicemap: 19 of the traces found could not be loaded; the map leaves them out\n');
      const out = JSON.parse(r.out) as {
        nodes: unknown[];
        edges: Array<Record<string, unknown>>;
        unit: string;
        sample: Record<string, number>;
      };
      expect(Object.keys(out)).toEqual(['nodes', 'edges', 'unit', 'sample']);
      expect(out.unit).toBe('calls');
      expect(out.sample).toEqual({
        traces: 1,
        asked: 20,
        fromMs: out.sample.toMs - 900_000,
        toMs: out.sample.toMs,
        failed: 19,
      });
      expect(out.nodes[0]).toEqual({ id: 'core', virtual: false, requests: 1, errors: 0, p95Ms: null });
      expect(out.edges).toContainEqual({
        source: 'core',
        target: 'postgresql',
        requests: 1,
        errors: 0,
        connectionType: 'virtual_node',
      });
      expect(seen.filter((q) => q.path.startsWith('/api/v2/traces/'))).toHaveLength(20);
    });
  });

  it('no traces in the range: a line on stderr, exit 0', async () => {
    await withTempo('search-empty', async (url) => {
      const r = await tracewayAsync(['servicemap', '--tempo', url]);
      expect([r.code, r.out]).toEqual([0, '']);
      expect(r.err).toMatch(
        /^traceway: servicemap: Tempo at .* has no traces from .*Z to .*Z; try a longer --since\n$/
      );
      const json = await tracewayAsync(['servicemap', '--tempo', url, '--json']);
      expect(JSON.parse(json.out)).toMatchObject({ nodes: [], edges: [], unit: 'calls', sample: { traces: 0 } });
    });
  });

  it('no trace loads: the error, exit 1', async () => {
    await withTempo('search-service', async (url) => {
      const r = await tracewayAsync(['servicemap', '--tempo', url]);
      expect([r.code, r.out]).toEqual([1, '']);
      expect(r.err).toMatch(
        /^traceway: servicemap: .*Tempo found trace \w{32} in the search but not when asked for it/
      );
    });
  });
});

describe('a closed stdout (traceway ... | head -1)', () => {
  /** The CLI writing into a real OS pipe whose reader stops early; bash reports the CLI's own exit status. */
  function piped(args: string[], reader: string) {
    const command = `"$0" "$@" | ${reader}; echo "traceway exited $\{PIPESTATUS[0]}" >&2`;
    const r = spawnSync('bash', ['-c', command, process.execPath, LAUNCHER, ...args], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    return { out: r.stdout, err: r.stderr };
  }

  it('ends quietly with the exit status the command would have, as Unix tools do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'traceway-pipe-'));
    try {
      const T0 = BigInt('1795376633214378226');
      // 3,000 spans print about 210 KB: far more than a pipe holds (64 KB), so the writes meet the closed pipe.
      const spans = Array.from({ length: 3000 }, (_, i) => ({
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: (i + 1).toString(16).padStart(16, '0'),
        ...(i > 0 ? { parentSpanId: '0000000000000001' } : {}),
        name: `op ${i}`,
        kind: 2,
        startTimeUnixNano: String(T0 + BigInt(i * 1000)),
        endTimeUnixNano: String(T0 + BigInt(i * 1000 + 500)),
        status: {},
      }));
      const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] };
      const file = join(dir, 'big.json');
      writeFileSync(file, JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: {}, spans }] }] }));
      const whole = traceway(['trace', file]).out;
      expect(whole.length).toBeGreaterThan(200_000);

      const r = piped(['trace', file], 'head -1');
      expect(r.out).toMatch(/^trace 5b8efff798038103d269b633813fc60c: 3,000 spans, 1 service, /);
      expect(r.out).toBe(whole.slice(0, whole.indexOf('\n') + 1));
      expect(r.err).toBe('traceway exited 0\n'); // no EPIPE stack trace
      // A reader that reads nothing at all: the first write already fails.
      expect(piped(['trace', file], 'true').err).toBe('traceway exited 0\n');
      expect(piped(['--help'], 'true').err).toBe('traceway exited 0\n');
      // A command that fails still says why on stderr and exits 1.
      expect(piped(['trace', join(dir, 'missing.json')], 'head -1').err).toBe(
        `traceway: ${join(dir, 'missing.json')}: cannot read the file: no such file\ntraceway exited 1\n`
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
