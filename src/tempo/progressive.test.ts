/** @jest-environment node */
import { fetchTransport } from '../http';
import { Reply, SeenRequest, recorded, startReplayServer } from '../testing/replayServer';
import { TempoClient } from './client';
import { ProgressiveUpdate, mergeResults, planChunks, searchProgressively } from './progressive';
import type { SearchTrace } from './search';
import { readSearchAnswer } from './searchAnswer';

const HOUR = 3600;
const DAY = 24 * HOUR;
const END = 1795250000;

describe('planChunks', () => {
  it('a range under an hour is one slice', () => {
    expect(planChunks(END - 900, END)).toEqual([{ start: END - 900, end: END }]);
    expect(planChunks(END, END)).toEqual([{ start: END, end: END }]);
  });

  it('a week: the last hour first, then slices twice as long up to a day, back to the start, contiguous', () => {
    const chunks = planChunks(END - 7 * DAY, END);
    expect(chunks.map((c) => c.end - c.start)).toEqual([1, 2, 4, 8, 16, 24, 24, 24, 24, 24, 17].map((h) => h * HOUR));
    expect(chunks[0]).toEqual({ start: END - HOUR, end: END });
    expect(chunks[chunks.length - 1].start).toBe(END - 7 * DAY);
    for (let i = 1; i < chunks.length; i++) {
      expect(chunks[i].end).toBe(chunks[i - 1].start);
    }
  });

  it('30 days: no slice is longer than a day, so none exceeds the 168 h Tempo allows by default', () => {
    const chunks = planChunks(END - 30 * DAY, END);
    expect(Math.max(...chunks.map((c) => c.end - c.start))).toBe(DAY);
    expect(chunks).toHaveLength(5 + 29);
    expect(chunks[chunks.length - 1].start).toBe(END - 30 * DAY);
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => planChunks(END, END - 1)).toThrow('the range must end after it starts');
  });
});

const trace = (id: string, startMs: number, more: Partial<SearchTrace> = {}): SearchTrace => ({
  traceId: id.padStart(32, '0'),
  startMs,
  matched: 1,
  spans: [],
  ...more,
});

describe('mergeResults', () => {
  it('one entry per trace: earliest start, longest duration, spans of both, larger match count', () => {
    const span = (id: string) => ({ spanId: id.padStart(16, '0'), startMs: 1, durationMs: 1, attributes: {} });
    const merged = mergeResults(
      [trace('a', 100, { durationMs: 5, matched: 2, spans: [span('1')] }), trace('b', 300)],
      [trace('a', 90, { durationMs: 9, matched: 1, rootService: 'core', spans: [span('1'), span('2')] })],
      10
    );
    expect(merged).toEqual([
      trace('b', 300),
      trace('a', 90, { durationMs: 9, matched: 2, rootService: 'core', spans: [span('1'), span('2')] }),
    ]);
  });

  it('newest first, ties by ID, cut to the limit', () => {
    const merged = mergeResults([trace('c', 1), trace('b', 5)], [trace('a', 5), trace('d', 3)], 3);
    expect(merged.map((t) => t.traceId.slice(-1))).toEqual(['a', 'b', 'd']);
    expect(mergeResults([trace('a', 1)], [], 0)).toEqual([]);
  });
});

/** A Tempo whose search answer depends on the request: its slice or its query. */
async function withTempo(
  answer: (r: SeenRequest) => Reply,
  run: (client: TempoClient, requests: SeenRequest[]) => Promise<void>
) {
  const server = await startReplayServer({ '/api/search': answer });
  try {
    await run(new TempoClient(server.url, fetchTransport()), server.requests);
  } finally {
    await server.close();
  }
}

const slice = (r: SeenRequest) => ({ start: Number(r.query.get('start')), end: Number(r.query.get('end')) });

describe('searchProgressively against the replay server', () => {
  it('asks for each slice newest first, with exact boundaries, merging and de-duplicating as it goes', async () => {
    // The two newest slices both answer the recorded "core" search: the same traces twice.
    await withTempo(
      (r) =>
        slice(r).end > END - 3 * HOUR
          ? { fixture: 'tempo-2.7.2/search-service' }
          : { fixture: 'tempo-2.7.2/search-empty' },
      async (client, requests) => {
        const updates: ProgressiveUpdate[] = [];
        const last = await searchProgressively(
          client,
          { query: '{ resource.service.name = "core" }', start: END - 7 * DAY, end: END, limit: 20, spss: 3 },
          { onUpdate: (u) => updates.push(u) }
        );
        expect(requests.map(slice)).toEqual(planChunks(END - 7 * DAY, END));
        expect(requests.every((r) => r.query.get('limit') === '20' && r.query.get('spss') === '3')).toBe(true);
        expect(updates.map((u) => [u.chunksDone, u.chunksTotal, u.traces.length, u.done])).toEqual([
          ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => [n, 11, 5, false]),
          [11, 11, 5, true],
        ]);
        expect(last).toBe(updates[updates.length - 1]);
        const recordedIds = readSearchAnswer(JSON.parse(recorded('tempo-2.7.2/search-service').body))!.traces.map(
          (t) => t.traceId
        );
        expect(last.traces.map((t) => t.traceId)).toEqual(recordedIds);
        // Metrics add up over the slices: 2 answers of 31,583 bytes, 9 of 53,832.
        expect(last.metrics.inspectedBytes).toBe(2 * 31583 + 9 * 53832);
        expect(last.failedTraceIds.size).toBe(0);
      }
    );
  });

  it('stops once the limit is in hand: older slices could only add older traces', async () => {
    await withTempo(
      () => ({ fixture: 'tempo-2.7.2/search-service' }),
      async (client, requests) => {
        const updates: ProgressiveUpdate[] = [];
        await searchProgressively(
          client,
          { query: '{}', start: END - 7 * DAY, end: END, limit: 5 },
          { onUpdate: (u) => updates.push(u) }
        );
        expect(requests).toHaveLength(1);
        expect(updates).toHaveLength(1);
        expect(updates[0]).toMatchObject({ chunksDone: 1, chunksTotal: 11, done: true });
        expect(updates[0].traces).toHaveLength(5);
      }
    );
  });

  it('runs the companion query over each slice and reports the traces it finds as failed', async () => {
    await withTempo(
      (r) =>
        r.query.get('q')!.includes('status = error')
          ? { fixture: 'tempo-2.7.2/search-error-select' }
          : { fixture: 'tempo-2.7.2/search-service' },
      async (client, requests) => {
        const last = await searchProgressively(
          client,
          { query: '{ resource.service.name = "core" }', start: END - HOUR, end: END, limit: 20 },
          { companionQuery: '{ resource.service.name = "core" } && { status = error }' }
        );
        expect(requests.map((r) => [r.query.get('q'), r.query.get('limit')]).sort()).toEqual([
          // Its own limit: with the search's, Tempo could return failed traces other than those shown.
          ['{ resource.service.name = "core" } && { status = error }', '1000'],
          ['{ resource.service.name = "core" }', '20'],
        ]);
        expect([...last.failedTraceIds].sort()).toEqual([
          '0969da18926dc504280d3166a68f6839',
          '2a9949f99c729ca9394c691fa9298218',
          '4016655922a0a48a45b3264e2c7f4c96',
          '7967feed0a60cb2ebdfd441076ec2eb3',
          'bab2152a48604de52c6007bdd0796168',
        ]);
        // Of the results, the two that the recorded error search found too are the failed ones.
        expect(last.traces.filter((t) => last.failedTraceIds.has(t.traceId)).map((t) => t.traceId)).toEqual([
          '0969da18926dc504280d3166a68f6839',
          '2a9949f99c729ca9394c691fa9298218',
        ]);
      }
    );
  });

  it('a failing companion query leaves traces unmarked; a failing main query fails the search', async () => {
    await withTempo(
      (r) =>
        r.query.get('q')!.includes('status = error')
          ? { fixture: 'tempo-2.7.2/search-bad-traceql' }
          : { fixture: 'tempo-2.7.2/search-service' },
      async (client) => {
        const last = await searchProgressively(
          client,
          { query: '{}', start: END - HOUR, end: END },
          { companionQuery: '{} && { status = error }' }
        );
        expect(last.traces).toHaveLength(5);
        expect(last.failedTraceIds.size).toBe(0);
        await expect(
          searchProgressively(client, { query: '{ status = error }', start: END - HOUR, end: END })
        ).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('parse error at line 1') });
      }
    );
  });

  it('cancelling stops further requests, and no update follows', async () => {
    await withTempo(
      () => ({ fixture: 'tempo-2.7.2/search-empty' }),
      async (client, requests) => {
        const controller = new AbortController();
        const updates: ProgressiveUpdate[] = [];
        const run = searchProgressively(
          client,
          { query: '{}', start: END - 7 * DAY, end: END },
          {
            signal: controller.signal,
            onUpdate: (u) => {
              updates.push(u);
              if (u.chunksDone === 2) {
                controller.abort();
              }
            },
          }
        );
        await expect(run).rejects.toMatchObject({ code: 'aborted' });
        expect(requests).toHaveLength(2);
        expect(updates.map((u) => u.chunksDone)).toEqual([1, 2]);
      }
    );
  });

  it('a cancel while a slice is in flight rejects without an update', async () => {
    await withTempo(
      () => ({ fixture: 'tempo-2.7.2/search-empty' }),
      async (client) => {
        const controller = new AbortController();
        const updates: ProgressiveUpdate[] = [];
        const run = searchProgressively(
          client,
          { query: '{}', start: END - DAY, end: END, signal: controller.signal },
          { onUpdate: (u) => updates.push(u) }
        );
        controller.abort();
        await expect(run).rejects.toMatchObject({ code: 'aborted' });
        expect(updates).toEqual([]);
      }
    );
  });
});
