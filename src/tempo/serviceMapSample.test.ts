/** @jest-environment node */
import { HttpError, fetchTransport } from '../http';
import { Reply, SeenRequest, recorded, startReplayServer } from '../testing/replayServer';
import { mergeServiceGraphs, parseTrace, serviceGraph, serviceMapCountsFromGraph } from '../trace';
import { TempoClient } from './client';
import { sampleServiceMap } from './serviceMapSample';

/** The recorded "scan" request's trace (fixtures/tempo-2.7.2/manifest.json[1]), the one full trace on record. */
const SCAN = '5feb30ccfb3cdb0936f11324d886982a';
const FROM = 1795243700_000;
const TO = 1795247300_000;

/**
 * A Tempo that answers the search with a recorded search answer and each trace the search found with the
 * recorded trace when there is one, else with Tempo's recorded "not found" (`200 {"trace":{}}`) or `other`.
 */
async function withTempo(
  search: string,
  run: (client: TempoClient, seen: SeenRequest[]) => Promise<void>,
  other: Reply = { fixture: 'tempo-2.7.2/trace-v2-not-found' }
) {
  const ids = (JSON.parse(recorded(`tempo-2.7.2/${search}`).body) as { traces: Array<{ traceID: string }> }).traces.map(
    (t) => t.traceID.padStart(32, '0')
  );
  const routes: Record<string, Reply> = { '/api/search': { fixture: `tempo-2.7.2/${search}` } };
  for (const id of ids) {
    routes[`/api/v2/traces/${id}`] = id === SCAN ? { fixture: 'tempo-2.7.2/trace-v2' } : other;
  }
  const server = await startReplayServer(routes);
  try {
    await run(new TempoClient(server.url, fetchTransport()), server.requests);
  } finally {
    await server.close();
  }
}

const scanMap = () =>
  serviceMapCountsFromGraph(mergeServiceGraphs([serviceGraph(parseTrace(recorded('tempo-2.7.2/trace-v2').body))]));

describe('sampleServiceMap against recorded Tempo 2.7.2 answers', () => {
  it('builds the map of the traces found, counting calls', async () => {
    await withTempo('search-request-id', async (client, seen) => {
      const progress: Array<[number, number]> = [];
      const { map, sample } = await sampleServiceMap(client, {
        fromMs: FROM,
        toMs: TO,
        onProgress: (d, t) => progress.push([d, t]),
      });
      expect(sample).toEqual({ traces: 1, asked: 100, fromMs: FROM, toMs: TO, failed: 0 });
      expect(progress).toEqual([[1, 1]]);
      expect(map).toEqual(scanMap());
      expect(map.unit).toBe('calls');
      // the scan request: harbor-ui → gateway → core → registry, jobservice and the database
      expect(map.edges.map((e) => `${e.source}>${e.target}:${e.requests}`)).toEqual([
        'core>jobservice:1',
        'core>postgresql:1',
        'core>registry:1',
        'gateway>core:1',
        'harbor-ui>gateway:1',
      ]);
      expect(map.nodes.find((n) => n.id === 'core')?.namespace).toBe('harbor');
      const search = seen.find((r) => r.path === '/api/search')!;
      expect(Object.fromEntries(search.query)).toEqual({
        q: '{}',
        start: String(FROM / 1000),
        end: String(TO / 1000),
        limit: '100',
      });
      const trace = seen.find((r) => r.path === `/api/v2/traces/${SCAN}`)!;
      expect(trace.query.get('start')).toBe(String(FROM / 1000));
    });
  });

  it('counts traces it could not load as failed, and loads at most 4 at once', async () => {
    await withTempo('search-service-duration', async (client, seen) => {
      let inFlight = 0;
      let most = 0;
      const counting = {
        search: client.search.bind(client),
        getTrace: async (r: Parameters<TempoClient['getTrace']>[0]) => {
          most = Math.max(most, ++inFlight);
          try {
            return await client.getTrace(r);
          } finally {
            inFlight--;
          }
        },
      };
      const { map, sample } = await sampleServiceMap(counting, {
        fromMs: FROM,
        toMs: TO,
        query: '{ resource.service.name = "core" && duration > 30ms }',
        limit: 20,
      });
      // 20 found; only the scan trace is on record, the 19 others answer Tempo's recorded "not found"
      expect(sample).toEqual({ traces: 1, asked: 20, fromMs: FROM, toMs: TO, failed: 19 });
      expect(map).toEqual(scanMap());
      expect(seen.filter((r) => r.path.startsWith('/api/v2/traces/'))).toHaveLength(20);
      expect(most).toBe(4);
      expect(seen[0].query.get('q')).toBe('{ resource.service.name = "core" && duration > 30ms }');
    });
  });

  it('fails with the first error when no trace loads', async () => {
    await withTempo(
      'search-service',
      async (client) => {
        const error = await sampleServiceMap(client, { fromMs: FROM, toMs: TO }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(HttpError);
        expect((error as HttpError).code).toBe('unavailable');
      },
      { status: 500, contentType: 'text/plain', body: 'internal error' }
    );
    await withTempo('search-service', async (client) => {
      await expect(sampleServiceMap(client, { fromMs: FROM, toMs: TO })).rejects.toThrow(
        /^Tempo found trace 1dcc21899fafbe30175d792a50351bb1 in the search but not when asked for it/
      );
    });
  });

  it('gives an empty map when the search finds nothing', async () => {
    await withTempo('search-empty', async (client, seen) => {
      const result = await sampleServiceMap(client, { fromMs: FROM, toMs: TO, limit: 5 });
      expect(result).toEqual({
        map: { nodes: [], edges: [], unit: 'calls' },
        sample: { traces: 0, asked: 5, fromMs: FROM, toMs: TO, failed: 0 },
      });
      expect(seen).toHaveLength(1);
    });
  });

  it('refuses a bad range or limit before asking Tempo', async () => {
    await withTempo('search-empty', async (client, seen) => {
      await expect(sampleServiceMap(client, { fromMs: TO, toMs: FROM })).rejects.toThrow(
        "A sample's time range must end after it starts"
      );
      await expect(sampleServiceMap(client, { fromMs: FROM, toMs: TO, limit: 0 })).rejects.toThrow(
        "A sample's limit must be a whole number of traces, 1 or more; got 0."
      );
      expect(seen).toHaveLength(0);
    });
  });

  it('stops when cancelled, without counting failures', async () => {
    await withTempo('search-service-duration', async (client) => {
      const abort = new AbortController();
      const run = sampleServiceMap(client, {
        fromMs: FROM,
        toMs: TO,
        signal: abort.signal,
        onProgress: () => abort.abort(),
      });
      const error = await run.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).code).toBe('aborted');
    });
  });
});
