/** @jest-environment node */
import { join } from 'path';

import { bundleCliBeforeAll, ROOT, runCli, runCliAsync } from '../testing/cli';
import { startReplayServer } from '../testing/replayServer';
import { parseTrace, traceStats } from '../trace';
import { fixtureText } from '../testing/traces';

// Each test starts the CLI; on a loaded machine that can take longer than jest's 5 s.
jest.setTimeout(60_000);

/** The real CLI, bundled into a folder of this file's own (cli.test.ts rebuilds build/cli at the same time). */
const CLI = bundleCliBeforeAll();
const FILE = join(ROOT, 'fixtures', 'tempo-2.7.2', 'trace-v2-error.json');
const TRACE = 'cc0f27b1800ba01de70dbd56394cd4bc';

describe('traceway trace --stats', () => {
  it('--json: a group per service + operation, largest self time first, the figures of the model', () => {
    const r = runCli(CLI, ['trace', '--file', FILE, '--stats', '--json']);
    expect([r.code, r.err]).toEqual([0, '']);
    const out = JSON.parse(r.out);
    const stats = traceStats(parseTrace(fixtureText('tempo-2.7.2/trace-v2-error.json')));
    expect(out.traceId).toBe(TRACE);
    expect(out.durationMs).toBe(28.050228);
    expect(out.groups).toHaveLength(7);
    for (const g of out.groups) {
      expect(Object.keys(g)).toEqual(
        expect.arrayContaining(['service', 'name', 'count', 'totalMs', 'selfMs', 'errors'])
      );
    }
    const selfs = out.groups.map((g: { selfMs: number }) => g.selfMs);
    expect(selfs).toEqual(selfs.slice().sort((a: number, b: number) => b - a));
    // gateway's two "GET /api/v2.0/projects/boom" spans, worked out by hand in src/trace/stats.test.ts
    expect(out.groups.find((g: { service: string }) => g.service === 'gateway')).toEqual({
      service: 'gateway',
      name: 'GET /api/v2.0/projects/boom',
      count: 2,
      totalMs: 54.001597,
      selfMs: 1.172987,
      errors: 2,
      avgMs: 27.0007985,
      minMs: 26.914305,
      maxMs: 27.087292,
      share: 1_172_987 / 28_050_228,
    });
    expect(out.groups.map((g: { service: string; name: string }) => `${g.service} ${g.name}`)).toEqual(
      stats.byOperation.map((g) => `${g.service} ${g.operation}`)
    );
    expect(out.services.map((g: { service: string; count: number }) => [g.service, g.count])).toEqual([
      ['registry', 1],
      ['core', 3],
      ['gateway', 2],
      ['harbor-ui', 2],
    ]);
  });

  it('prints a table sorted by self time, then the services', () => {
    const r = runCli(CLI, ['trace', FILE, '--stats']);
    expect([r.code, r.err]).toEqual([0, '']);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`trace ${TRACE}: 8 spans, 28.050 ms; SHARE is self time's share of the trace's duration`);
    expect(lines[1].split(/\s{2,}/)).toEqual([
      'SERVICE',
      'NAME',
      'COUNT',
      'TOTAL ms',
      'AVG ms',
      'MIN ms',
      'MAX ms',
      'SELF ms',
      'SHARE',
      'ERRORS',
    ]);
    expect(lines[2].split(/\s{2,}/)).toEqual([
      'registry',
      'GET /v2/library/manifests/latest',
      '1',
      '19.674',
      '19.674',
      '19.674',
      '19.674',
      '19.674',
      '70.1%',
      '0',
    ]);
    expect(lines[4].split(/\s+/)).toEqual([
      'gateway',
      'GET',
      '/api/v2.0/projects/boom',
      '2',
      '54.002',
      '27.001',
      '26.914',
      '27.087',
      '1.173',
      '4.2%',
      '2',
    ]);
    expect(lines.indexOf('per service:')).toBe(10);
    expect(lines[12]).toMatch(/^registry\s+\(all\)\s+1\s/);
  });

  it('reads the trace from Tempo (a recorded 2.7.2 answer) too', async () => {
    const server = await startReplayServer({ [`/api/v2/traces/${TRACE}`]: { fixture: 'tempo-2.7.2/trace-v2-error' } });
    try {
      const r = await runCliAsync(CLI, ['trace', '--tempo', server.url, TRACE, '--stats', '--json']);
      expect([r.code, r.err]).toEqual([0, '']);
      expect(r.out).toBe(runCli(CLI, ['trace', '--file', FILE, '--stats', '--json']).out);
    } finally {
      await server.close();
    }
  });

  it('--stats with --tree is a usage error', () => {
    const r = runCli(CLI, ['trace', FILE, '--stats', '--tree']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/'--tree' cannot be used with option '--stats'/);
  });
});
