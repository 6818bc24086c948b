/** @jest-environment node */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TempoClient } from './client';
import http from 'node:http';
import { HttpError, fetchTransport } from '../http';
import { Reply, recorded, startReplayServer } from '../testing/replayServer';

const manifest = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../fixtures/tempo-2.7.2/manifest.json'), 'utf8')
) as Array<{ traceId: string }>;
const FOUND = manifest[1].traceId; // the recorded trace-v2 / trace-v1 responses are for this trace
const MISSING = '00000000000000000000000000000001';

// Go's http.NotFound body: what a Tempo without the v2 endpoint (before 2.5) answers.
const GO_NOT_FOUND: Reply = { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };

async function withTempo(routes: Record<string, Reply>, run: (client: TempoClient, seen: string[]) => Promise<void>) {
  const server = await startReplayServer(routes);
  try {
    // A path prefix, as behind Grafana's data source proxy.
    const client = new TempoClient(`${server.url}/proxy/uid/tempo/`, fetchTransport());
    await run(client, server.seen);
  } finally {
    await server.close();
  }
}

const prefixed = (routes: Record<string, Reply>) =>
  Object.fromEntries(Object.entries(routes).map(([p, r]) => [`/proxy/uid/tempo${p}`, r]));

describe('TempoClient.getTrace against recorded Tempo 2.7.2 responses', () => {
  it('reads a v2 trace that exists into the model, announcing the body before parsing it', async () => {
    await withTempo(
      prefixed({ [`/api/v2/traces/${FOUND}`]: { fixture: 'tempo-2.7.2/trace-v2' } }),
      async (client, seen) => {
        const received: number[] = [];
        const result = await client.getTrace({
          traceId: FOUND,
          start: 1700000000,
          end: 1700003600,
          onReceived: (bytes) => {
            received.push(bytes);
          },
        });
        expect(result.found).toBe(true);
        expect(result.endpoint).toBe('v2');
        if (result.found) {
          expect(result.trace.traceId).toBe(FOUND);
          expect(result.trace.format).toBe('tempo-v2');
          expect(result.trace.spans.length).toBeGreaterThan(0);
          expect(received).toEqual([result.bytes]);
        }
        expect(seen).toEqual([`GET /proxy/uid/tempo/api/v2/traces/${FOUND}?start=1700000000&end=1700003600`]);
      }
    );
  });

  it("treats v2's 200 with an empty trace as not found", async () => {
    await withTempo(
      prefixed({ [`/api/v2/traces/${MISSING}`]: { fixture: 'tempo-2.7.2/trace-v2-not-found' } }),
      async (client) => {
        expect(await client.getTrace({ traceId: MISSING })).toEqual({ found: false, endpoint: 'v2' });
      }
    );
  });

  it('falls back to /api/traces when the v2 endpoint does not exist', async () => {
    await withTempo(
      prefixed({
        [`/api/v2/traces/${FOUND}`]: GO_NOT_FOUND,
        [`/api/traces/${FOUND}`]: { fixture: 'tempo-2.7.2/trace-v1' },
      }),
      async (client, seen) => {
        const result = await client.getTrace({ traceId: FOUND });
        expect(result).toMatchObject({ found: true, endpoint: 'v1' });
        expect(seen).toEqual([
          `GET /proxy/uid/tempo/api/v2/traces/${FOUND}`,
          `GET /proxy/uid/tempo/api/traces/${FOUND}`,
        ]);
      }
    );
  });

  it("treats v1's empty 404 as not found", async () => {
    await withTempo(
      prefixed({
        [`/api/v2/traces/${MISSING}`]: GO_NOT_FOUND,
        [`/api/traces/${MISSING}`]: { fixture: 'tempo-2.7.2/trace-v1-not-found' },
      }),
      async (client) => {
        expect(await client.getTrace({ traceId: MISSING })).toEqual({ found: false, endpoint: 'v1' });
      }
    );
  });

  it("passes on Tempo's reason for a bad ID", async () => {
    await withTempo(
      prefixed({ '/api/v2/traces/not-a-trace-id': { fixture: 'tempo-2.7.2/trace-bad-id' } }),
      async (client) => {
        await expect(client.getTrace({ traceId: 'not-a-trace-id' })).rejects.toMatchObject({
          name: 'HttpError',
          code: 'bad-request',
          status: 400,
          message:
            "Tempo refused the request: trace IDs can only contain hex characters: invalid character 'n' at position 1",
        });
      }
    );
  });

  it('says a trace is too large on 422', async () => {
    const tooLarge: Reply = {
      status: 422,
      contentType: 'text/plain',
      body: 'trace exceeds max size (max bytes: 5000000)',
    };
    await withTempo(prefixed({ [`/api/v2/traces/${FOUND}`]: tooLarge }), async (client) => {
      const error = await client.getTrace({ traceId: FOUND }).catch((e) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error.code).toBe('too-large');
      expect(error.message).toContain('trace exceeds max size (max bytes: 5000000)');
    });
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [502, 'unavailable'],
  ])('maps HTTP %i to %s', async (status, code) => {
    await withTempo(prefixed({ [`/api/v2/traces/${FOUND}`]: { status, body: 'nope' } }), async (client) => {
      await expect(client.getTrace({ traceId: FOUND })).rejects.toMatchObject({ code, status });
    });
  });

  it('names the URL when the answer is not JSON, and describes the answer without quoting it', async () => {
    const html: Reply = { status: 200, contentType: 'text/html', body: '<html>login</html>' };
    await withTempo(prefixed({ [`/api/v2/traces/${FOUND}`]: html }), async (client) => {
      await expect(client.getTrace({ traceId: FOUND })).rejects.toMatchObject({
        code: 'bad-response',
        message: expect.stringContaining(`/proxy/uid/tempo/api/v2/traces/${FOUND}, got an HTML page`),
      });
    });
  });

  it("says a JSON 404 is not Tempo's not-found: Grafana's answer for a data source it does not know", async () => {
    const unknownDs: Reply = {
      status: 404,
      contentType: 'application/json',
      body: '{"message":"Unable to find datasource"}',
    };
    await withTempo(prefixed({ [`/api/v2/traces/${FOUND}`]: unknownDs }), async (client, seen) => {
      await expect(client.getTrace({ traceId: FOUND })).rejects.toMatchObject({
        code: 'not-found',
        status: 404,
        message: expect.stringContaining('answered 404: "Unable to find datasource"'),
      });
      expect(seen).toHaveLength(1);
    });
  });

  it.each([
    [
      'a Prometheus answer',
      '{"status":"success","data":{"resultType":"vector","result":[]}}',
      'an object with keys "status", "data"',
    ],
    ['an array', '[1,2,3]', 'an array'],
  ])('says a 200 with JSON that is not a trace (%s) is not a trace, not "not found"', async (_, body, shape) => {
    const reply: Reply = { status: 200, contentType: 'application/json', body };
    await withTempo(prefixed({ [`/api/v2/traces/${FOUND}`]: reply }), async (client) => {
      await expect(client.getTrace({ traceId: FOUND })).rejects.toMatchObject({
        code: 'bad-response',
        message: expect.stringContaining(`not a Tempo trace (expected {"trace": {...}}, got ${shape}`),
      });
    });
  });

  it('says an HTML 404 from the v1 endpoint is a wrong URL, not a missing trace', async () => {
    const page: Reply = {
      status: 404,
      contentType: 'text/html',
      body: '<!DOCTYPE html><html><h1>Not Found</h1></html>',
    };
    await withTempo(
      prefixed({ [`/api/v2/traces/${FOUND}`]: GO_NOT_FOUND, [`/api/traces/${FOUND}`]: page }),
      async (client) => {
        await expect(client.getTrace({ traceId: FOUND })).rejects.toMatchObject({
          code: 'not-found',
          message: expect.stringContaining('answered 404 with an HTML page'),
        });
      }
    );
  });

  it('says an HTML 404 from the v2 endpoint is a wrong URL, naming it, without falling back to v1', async () => {
    const page: Reply = { status: 404, contentType: 'text/html', body: '<!DOCTYPE html><html>Not Found</html>' };
    await withTempo(prefixed({ [`/api/v2/traces/${FOUND}`]: page }), async (client, seen) => {
      const error = await client.getTrace({ traceId: FOUND }).catch((e) => e);
      expect(error).toMatchObject({ code: 'not-found', status: 404 });
      expect(error.message).toMatch(/\/proxy\/uid\/tempo\/api\/v2\/traces\/\w+ answered 404 with an HTML page\./);
      expect(error.message).toContain("does not point at Tempo's HTTP API");
      expect(seen).toHaveLength(1);
    });
  });

  it("says so when neither endpoint exists (Go's 404 for both): a wrong URL, not a missing trace", async () => {
    await withTempo({}, async (client, seen) => {
      const error = await client.getTrace({ traceId: FOUND }).catch((e) => e);
      expect(error).toMatchObject({ code: 'not-found', status: 404 });
      expect(error.message).toMatch(/^Neither .*\/api\/v2\/traces\/\w+ nor .*\/api\/traces\/\w+ exists/);
      expect(seen).toHaveLength(2);
    });
  });

  it('a plain-text 404 that is not Go\'s is not "no v2 endpoint": the URL is wrong', async () => {
    const other: Reply = { status: 404, contentType: 'text/plain', body: 'no route to upstream' };
    await withTempo(prefixed({ [`/api/v2/traces/${FOUND}`]: other }), async (client, seen) => {
      await expect(client.getTrace({ traceId: FOUND })).rejects.toMatchObject({
        code: 'not-found',
        message: expect.stringContaining('answered 404: no route to upstream.'),
      });
      expect(seen).toHaveLength(1);
    });
  });

  it('a cross-origin redirect is not followed: the error names where it went', async () => {
    const elsewhere = await startReplayServer({
      [`/api/v2/traces/${FOUND}`]: { fixture: 'tempo-2.7.2/trace-v2' },
    });
    const redirecting = http.createServer((_req, res) => {
      res.writeHead(302, { Location: `${elsewhere.url}/api/v2/traces/${FOUND}` });
      res.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirecting.address() as { port: number };
      const client = new TempoClient(`http://127.0.0.1:${port}`, fetchTransport());
      const error = await client.getTrace({ traceId: FOUND }).catch((e) => e);
      expect(error).toMatchObject({ code: 'redirect' });
      expect(error.message).toContain(`redirected to ${elsewhere.url}, another origin`);
      expect(elsewhere.seen).toEqual([]);
    } finally {
      redirecting.closeAllConnections();
      await Promise.all([elsewhere.close(), new Promise((resolve) => redirecting.close(resolve))]);
    }
  });

  it('caps the bytes of a trace: "the trace is larger than N MB"', async () => {
    const server = await startReplayServer(
      prefixed({ [`/api/v2/traces/${FOUND}`]: { fixture: 'tempo-2.7.2/trace-v2' } })
    );
    try {
      const client = new TempoClient(`${server.url}/proxy/uid/tempo`, fetchTransport(fetch, {}, { maxBytes: 4000 }));
      await expect(client.getTrace({ traceId: FOUND })).rejects.toMatchObject({
        code: 'too-large',
        message: expect.stringMatching(/^The trace is larger than 4 KB, the most Traceway reads: stopped reading /),
      });
    } finally {
      await server.close();
    }
  });

  it('reports an unreachable Tempo as a network error', async () => {
    const server = await startReplayServer({});
    await server.close(); // nothing listens on that port any more
    const client = new TempoClient(server.url, fetchTransport());
    await expect(client.getTrace({ traceId: FOUND })).rejects.toMatchObject({ code: 'network' });
  });

  it('reports a cancelled request as aborted', async () => {
    await withTempo(prefixed({ [`/api/v2/traces/${FOUND}`]: { fixture: 'tempo-2.7.2/trace-v2' } }), async (client) => {
      const controller = new AbortController();
      controller.abort();
      await expect(client.getTrace({ traceId: FOUND, signal: controller.signal })).rejects.toMatchObject({
        code: 'aborted',
      });
    });
  });
});

describe('TempoClient.getTrace progress and cancellation', () => {
  it('reports the bytes of the body as they arrive', async () => {
    const body = recorded('tempo-2.7.2/trace-v2').body;
    await withTempo(prefixed({ [`/api/v2/traces/${FOUND}`]: { fixture: 'tempo-2.7.2/trace-v2' } }), async (client) => {
      const seen: number[] = [];
      const result = await client.getTrace({ traceId: FOUND, onProgress: (bytes) => seen.push(bytes) });
      expect(result.found).toBe(true);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen[seen.length - 1]).toBe(Buffer.byteLength(body));
    });
  });

  it('stops reading a body that is still arriving when the caller cancels', async () => {
    // Sends the start of a trace, then nothing: as a slow Tempo would with a large one.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"trace":{"resourceSpans":[');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const controller = new AbortController();
    const client = new TempoClient(`http://127.0.0.1:${port}`, fetchTransport());
    const pending = client.getTrace({
      traceId: FOUND,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
