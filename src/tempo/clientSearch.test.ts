/** @jest-environment node */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { fetchTransport } from '../http';
import { Route, SeenRequest, startReplayServer } from '../testing/replayServer';
import { TempoClient, TempoClientOptions } from './client';
import { buildTraceQL } from './traceql';
import { readSearchAnswer, traceqlErrorPosition } from './searchAnswer';

const FIX = path.resolve(__dirname, '../../fixtures/tempo-2.7.2');
const manifest = JSON.parse(readFileSync(path.join(FIX, 'manifest.json'), 'utf8')) as Array<{
  traceId: string;
  requestId: string;
  kind: string;
}>;
const START = 1795240000;
const END = 1795250000;

async function withTempo(
  routes: Record<string, Route>,
  run: (client: TempoClient, requests: SeenRequest[], seen: string[]) => Promise<void>,
  options?: TempoClientOptions
) {
  const server = await startReplayServer(routes);
  try {
    await run(new TempoClient(`${server.url}/`, fetchTransport(), options), server.requests, server.seen);
  } finally {
    await server.close();
  }
}

describe('TempoClient.search against recorded Tempo 2.7.2 answers', () => {
  it('sends q, start, end, limit and spss, and reads traces with IDs padded to 32 hex digits', async () => {
    const query = '{ resource.service.name = "core" }';
    await withTempo({ '/api/search': { fixture: 'tempo-2.7.2/search-service' } }, async (client, requests) => {
      const answer = await client.search({ query, start: START, end: END, limit: 5, spss: 3 });
      expect(requests).toHaveLength(1);
      const q = requests[0].query;
      expect(Object.fromEntries(q)).toEqual({
        q: query,
        start: String(START),
        end: String(END),
        limit: '5',
        spss: '3',
      });
      expect(answer.url).toMatch(/\/api\/search\?q=%7B\+resource\.service\.name\+%3D\+%22core%22\+%7D&start=/);
      expect(answer.traces.map((t) => t.traceId)).toEqual([
        '1dcc21899fafbe30175d792a50351bb1',
        '03e51f41957e6132013c412fc92070ba', // Tempo wrote 3e51f4..., 31 characters
        '0969da18926dc504280d3166a68f6839',
        '1d21d473bf2b0f088141344693356b5a',
        '2a9949f99c729ca9394c691fa9298218',
      ]);
      // The padded IDs are the recorded traces' own.
      const ids = new Set(manifest.map((m) => m.traceId));
      expect(answer.traces.every((t) => ids.has(t.traceId))).toBe(true);
      expect(answer.traces[0]).toEqual({
        traceId: '1dcc21899fafbe30175d792a50351bb1',
        rootService: 'harbor-ui',
        rootName: 'click push',
        startMs: 1795247267624,
        durationMs: 21,
        matched: 3,
        spans: [
          {
            spanId: '5ed1e8ebcae91cc5',
            service: 'core',
            startMs: 1795247267625,
            durationMs: 7.189436,
            attributes: { 'service.name': 'core' },
          },
          expect.objectContaining({ spanId: '1494ed01848dd0b5' }),
          expect.objectContaining({ spanId: 'ae173366dd8cadd3', durationMs: 20.420739 }),
        ],
      });
      expect(answer.metrics).toEqual({ inspectedBytes: 31583, completedJobs: 3, totalJobs: 3 });
    });
  });

  it('always sends start and end, and leaves out what is not set', async () => {
    await withTempo({ '/api/search': { fixture: 'tempo-2.7.2/search-empty' } }, async (client, requests) => {
      const answer = await client.search({ query: '{}', start: 0, end: 10 });
      expect(answer.traces).toEqual([]);
      expect(Object.fromEntries(requests[0].query)).toEqual({ q: '{}', start: '0', end: '10' });
    });
  });

  it('reads attributes of every OTLP type from a select(): ints as numbers', async () => {
    await withTempo({ '/api/search': { fixture: 'tempo-2.7.2/search-error-select' } }, async (client) => {
      const { traces } = await client.search({
        query: '{ status = error } | select(span.http.response.status_code, resource.service.name)',
        start: START,
        end: END,
        limit: 5,
        spss: 5,
      });
      expect(traces).toHaveLength(5);
      expect(traces[3].traceId).toBe('0969da18926dc504280d3166a68f6839');
      // Nanoseconds divided exactly: no 1795247267646.0002.
      expect(traces.map((t) => t.startMs)).toEqual([
        1795247267646, 1795247267529, 1795247267277, 1795247267026, 1795247266745,
      ]);
      expect(traces[0].spans[0].attributes).toEqual({
        'service.name': 'gateway',
        status: 'error',
        'http.response.status_code': 500,
      });
      expect(traces.every((t) => t.matched === 4)).toBe(true);
      const boom = new Set(manifest.filter((m) => m.kind === 'boom').map((m) => m.traceId));
      expect(traces.every((t) => boom.has(t.traceId))).toBe(true);
    });
  });

  it("finds a request ID's trace (recorded span.request_id search)", async () => {
    const { traceId, requestId } = manifest[1];
    await withTempo({ '/api/search': { fixture: 'tempo-2.7.2/search-request-id' } }, async (client) => {
      const { traces } = await client.search({ query: buildTraceQL({ requestId }), start: START, end: END });
      expect(traces.map((t) => t.traceId)).toEqual([traceId]);
      expect(traces[0].matched).toBe(5);
      expect(traces[0].spans.map((s) => s.attributes.request_id)).toEqual([requestId, requestId, requestId]);
    });
  });

  it("reads the legacy tag search's answer (no span sets): matched 0, no spans", async () => {
    await withTempo({ '/api/search': { fixture: 'tempo-2.7.2/search-tags-legacy' } }, async (client) => {
      const { traces, metrics } = await client.search({ query: '{}', start: START, end: END });
      expect(traces).toHaveLength(5);
      expect(traces[1]).toMatchObject({ traceId: '0969da18926dc504280d3166a68f6839', matched: 0, spans: [] });
      expect(metrics).toEqual({ inspectedTraces: 40, inspectedBytes: 21007, completedJobs: 2, totalJobs: 3 });
    });
  });

  it("turns Tempo's 400 for a bad query into bad-request with Tempo's words and the parse position", async () => {
    await withTempo({ '/api/search': { fixture: 'tempo-2.7.2/search-bad-traceql' } }, async (client) => {
      const error = await client
        .search({ query: '{ resource.service.name = "core"', start: START, end: END })
        .catch((e) => e);
      expect(error).toMatchObject({
        name: 'HttpError',
        code: 'bad-request',
        status: 400,
        message: 'invalid TraceQL query: parse error at line 1, col 34: syntax error: unexpected $end',
      });
      expect(traceqlErrorPosition(error.message)).toEqual({ line: 1, column: 34 });
    });
  });

  it('says a tenant is required on 401 "no org id" (multi-tenant Tempo), not "not found"', async () => {
    await withTempo({ '/api/search': { fixture: 'tempo-2.7.2-edge/mt-search-no-org' } }, async (client) => {
      const error = await client.search({ query: '{}', start: START, end: END }).catch((e) => e);
      expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
      expect(error.message).toBe(
        'Tempo requires a tenant (HTTP 401 "no org id"): it runs with multi-tenancy. Send the tenant as the ' +
          'X-Scope-OrgID header (traceway: --tenant).'
      );
    });
  });

  it('sends the tenant as X-Scope-OrgID on every request', async () => {
    await withTempo(
      {
        '/api/search': { fixture: 'tempo-2.7.2/search-empty' },
        '/api/v2/traces/5b8efff798038103d269b633813fc60c': { fixture: 'tempo-2.7.2-edge/mt-trace-own-tenant' },
        '/api/echo': { fixture: 'tempo-2.7.2/echo' },
      },
      async (client, requests) => {
        await client.search({ query: '{}', start: START, end: END });
        const lookup = await client.getTrace({ traceId: '5b8efff798038103d269b633813fc60c' });
        expect(lookup.found).toBe(true);
        await client.echo();
        expect(requests.map((r) => r.headers['x-scope-orgid'])).toEqual(['team-a', 'team-a', 'team-a']);
      },
      { tenant: ' team-a ' }
    );
  });

  it('a trace of another tenant is not found, naming the tenant asked (Tempo\'s 200 {"trace":{}})', async () => {
    const id = '5b8efff798038103d269b633813fc60c';
    const routes = { [`/api/v2/traces/${id}`]: { fixture: 'tempo-2.7.2-edge/mt-trace-other-tenant' } };
    await withTempo(
      routes,
      async (client) => {
        expect(await client.getTrace({ traceId: id })).toEqual({ found: false, endpoint: 'v2', tenant: 'team-b' });
      },
      { tenant: 'team-b' }
    );
    await withTempo(routes, async (client, requests) => {
      expect(await client.getTrace({ traceId: id })).toEqual({ found: false, endpoint: 'v2' });
      expect(requests[0].headers['x-scope-orgid']).toBeUndefined();
    });
  });

  it('says a 200 that is not a search answer is one, by its shape', async () => {
    await withTempo(
      { '/api/search': { status: 200, contentType: 'application/json', body: '{"status":"success","data":[]}' } },
      async (client) => {
        await expect(client.search({ query: '{}', start: START, end: END })).rejects.toMatchObject({
          code: 'bad-response',
          message: expect.stringContaining(
            'not a Tempo search answer (expected {"traces": [...]}, got an object with keys "status", "data")'
          ),
        });
      }
    );
  });

  it('cancels through the signal, and times out through the transport', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const controller = new AbortController();
      const client = new TempoClient(`http://127.0.0.1:${port}`, fetchTransport());
      const pending = client.search({ query: '{}', start: 0, end: 1, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toMatchObject({ code: 'aborted' });
      const impatient = new TempoClient(`http://127.0.0.1:${port}`, fetchTransport(fetch, {}, { idleTimeoutMs: 100 }));
      await expect(impatient.search({ query: '{}', start: 0, end: 1 })).rejects.toMatchObject({
        code: 'timeout',
        message: expect.stringMatching(/\/api\/search\?q=%7B%7D&start=0&end=1 did not answer within 0\.1 s$/),
      });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('TempoClient tags, tag values, echo, ready, build info', () => {
  it('tag values: sorted and unique, q passed as given, start and end sent', async () => {
    await withTempo(
      {
        '/api/v2/search/tag/resource.service.name/values': { fixture: 'tempo-2.7.2/tag-values-service' },
        '/api/v2/search/tag/span.request_id/values': { fixture: 'tempo-2.7.2/tag-values-request-id-filtered' },
      },
      async (client, requests) => {
        expect(await client.tagValues({ tag: 'resource.service.name', start: START, end: END })).toEqual([
          'core',
          'gateway',
          'harbor-ui',
          'jobservice',
          'registry',
        ]);
        const query = buildTraceQL({ service: 'registry' });
        const ids = await client.tagValues({ tag: 'span.request_id', query, start: START, end: END, limit: 5 });
        expect(ids).toHaveLength(5);
        expect(ids).toEqual([...ids].sort());
        expect(Object.fromEntries(requests[1].query)).toEqual({
          q: '{ resource.service.name = "registry" }',
          start: String(START),
          end: String(END),
          limit: '5',
        });
      }
    );
  });

  it('tags by scope', async () => {
    await withTempo(
      {
        '/api/v2/search/tags': (r) =>
          r.query.get('scope') === 'span'
            ? { fixture: 'tempo-2.7.2/tags-v2-span-scope' }
            : { fixture: 'tempo-2.7.2/tags-v2' },
      },
      async (client, requests) => {
        const span = await client.tags({ scope: 'span', start: START, end: END });
        expect(span).toEqual([{ scope: 'span', tags: expect.arrayContaining(['request_id', 'url.path']) }]);
        const all = await client.tags({ start: START, end: END });
        expect(all.map((s) => s.scope)).toEqual(expect.arrayContaining(['resource', 'span', 'intrinsic', 'event']));
        expect(all.find((s) => s.scope === 'resource')?.tags).toContain('service.name');
        expect(requests.map((r) => r.query.get('start'))).toEqual([String(START), String(START)]);
      }
    );
  });

  it('echo, ready and build info', async () => {
    await withTempo(
      {
        '/api/echo': { fixture: 'tempo-2.7.2/echo' },
        '/ready': { fixture: 'tempo-2.7.2/ready' },
        '/api/status/buildinfo': { fixture: 'tempo-2.7.2-edge/mt-buildinfo-no-org' },
      },
      async (client) => {
        await expect(client.echo()).resolves.toBeUndefined();
        await expect(client.ready()).resolves.toEqual({ ready: true });
        await expect(client.buildInfo()).resolves.toEqual({
          version: 'v2.7.2',
          revision: 'b33945ab',
          branch: 'HEAD',
          buildUser: '',
          buildDate: '',
          goVersion: 'go1.23.5',
        });
      }
    );
  });

  it('ready says why on 503; echo refuses an answer that is not "echo"', async () => {
    await withTempo(
      {
        '/ready': {
          status: 503,
          contentType: 'text/plain',
          body: 'Ingester not ready: waiting for 15s after being ready\n',
        },
        '/api/echo': { status: 200, contentType: 'text/html', body: '<html>Grafana</html>' },
      },
      async (client) => {
        await expect(client.ready()).resolves.toEqual({
          ready: false,
          reason: 'Ingester not ready: waiting for 15s after being ready',
        });
        await expect(client.echo()).rejects.toMatchObject({
          code: 'bad-response',
          message: expect.stringContaining('answered an HTML page, not Tempo\'s "echo"'),
        });
      }
    );
  });
});

describe('reading search answers', () => {
  it('skips malformed entries, merges duplicate IDs, says "root not yet received" by leaving the root out', () => {
    const answer = readSearchAnswer({
      traces: [
        null,
        { traceID: 'not-hex', startTimeUnixNano: '1' },
        { traceID: 'abc', startTimeUnixNano: 'soon' },
        {
          traceID: 'ABC',
          rootServiceName: '<root span not yet received>',
          startTimeUnixNano: '2000000',
          spanSets: [
            {
              spans: [{ spanID: 'F', startTimeUnixNano: '2000000', durationNanos: '500000' }, { spanID: 'x' }],
              matched: 3,
            },
            { spans: [{ spanID: 'f', startTimeUnixNano: '2000000' }], matched: 1 },
          ],
        },
        { traceID: '0abc', startTimeUnixNano: '1000000', rootServiceName: 'svc' },
      ],
    });
    expect(answer?.traces).toEqual([
      {
        traceId: '00000000000000000000000000000abc',
        startMs: 2,
        matched: 4,
        spans: [{ spanId: '000000000000000f', startMs: 2, durationMs: 0.5, attributes: {} }],
      },
    ]);
    expect(readSearchAnswer({ metrics: {} })).toEqual({ traces: [], metrics: {} });
    expect(readSearchAnswer({ trace: {} })).toBeUndefined();
    expect(readSearchAnswer([])).toBeUndefined();
  });

  it('knows where the parser stopped only when Tempo says so', () => {
    expect(traceqlErrorPosition('parse error at line 3, col 7: x')).toEqual({ line: 3, column: 7 });
    expect(traceqlErrorPosition('invalid TraceQL query: unknown identifier')).toBeUndefined();
  });
});
