/** @jest-environment node */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { HttpError, fetchTransport } from '../http';
import { Route, SeenRequest, startReplayServer } from '../testing/replayServer';
import { PrometheusClient, PrometheusClientOptions, PrometheusQueryError } from './client';

const DIR = path.resolve(__dirname, '../../fixtures/prometheus-2.42-service-graph');
/** The recordings have bodies only; Prometheus sent them as JSON, `bad_data` with 400. */
const answer = (name: string, status = 200): Route => ({
  status,
  contentType: 'application/json',
  body: readFileSync(path.join(DIR, `${name}.json`), 'utf8'),
});
const promql = (name: string) => readFileSync(path.join(DIR, `${name}.promql`), 'utf8').trim();
const TIME = 1795247301;

async function withPrometheus(
  route: Route,
  run: (client: PrometheusClient, requests: SeenRequest[]) => Promise<void>,
  options?: PrometheusClientOptions
) {
  const server = await startReplayServer({ '/prom/api/v1/query': route });
  try {
    await run(new PrometheusClient(`${server.url}/prom`, fetchTransport(), options), server.requests);
  } finally {
    await server.close();
  }
}

async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    return e as HttpError;
  }
  throw new Error('expected the query to fail');
}

describe('PrometheusClient.query against recorded Prometheus 2.42 answers', () => {
  it('sends the query and time URL-encoded under the base path, and reads the vector', async () => {
    await withPrometheus(
      answer('request-rate'),
      async (client, requests) => {
        const samples = await client.query(promql('request-rate'), TIME);
        expect(requests).toHaveLength(1);
        expect(requests[0].method).toBe('GET');
        expect(Object.fromEntries(requests[0].query)).toEqual({ query: promql('request-rate'), time: String(TIME) });
        expect(requests[0].headers.authorization).toBe('Bearer t0k');
        expect(samples).toHaveLength(5);
        expect(samples[0]).toEqual({
          metric: { client: 'core', server: 'postgresql' },
          timeSec: 1795247301.395,
          value: 0.3,
        });
        expect(samples.map((s) => `${s.metric.client}>${s.metric.server}`)).toEqual([
          'core>postgresql',
          'core>jobservice',
          'core>registry',
          'gateway>core',
          'harbor-ui>gateway',
        ]);
      },
      { headers: { Authorization: 'Bearer t0k' } }
    );
  });

  it('reads an empty vector (no series) as no samples', async () => {
    await withPrometheus(answer('no-series'), async (client) => {
      expect(await client.query(promql('no-series'), TIME)).toEqual([]);
    });
  });

  it("turns Prometheus's bad_data into a bad-request error in its own words", async () => {
    await withPrometheus(answer('bad-promql', 400), async (client) => {
      const e = await failure(client.query('sum(rate(x[5m])', TIME));
      expect(e.code).toBe('bad-request');
      expect(e.status).toBe(400);
      expect(e.message).toBe(
        'Prometheus could not run the query (bad_data): invalid parameter "query": 1:29: parse error: unclosed left parenthesis'
      );
    });
  });

  it('keeps the words of a 422 execution error and a 503 timeout', async () => {
    const body = (errorType: string, error: string) => JSON.stringify({ status: 'error', errorType, error });
    await withPrometheus(
      {
        status: 422,
        contentType: 'application/json',
        body: body('execution', 'query processing would load too many samples into memory'),
      },
      async (client) => {
        const e = await failure(client.query('up', TIME));
        expect([e.code, e.message]).toEqual([
          'bad-request',
          'Prometheus could not run the query (execution): query processing would load too many samples into memory',
        ]);
      }
    );
    await withPrometheus(
      {
        status: 503,
        contentType: 'application/json',
        body: body('timeout', 'query timed out in expression evaluation'),
      },
      async (client) => {
        const e = await failure(client.query('up', TIME));
        expect([e.code, e.status]).toEqual(['unavailable', 503]);
        expect(e.message).toContain('(timeout): query timed out');
        // kept, so that a slow query is told apart from a Prometheus that is down
        expect(e).toBeInstanceOf(PrometheusQueryError);
        expect((e as PrometheusQueryError).errorType).toBe('timeout');
      }
    );
  });

  it('describes a proxy page or an answer that is not Prometheus, without quoting it', async () => {
    await withPrometheus(
      { status: 502, contentType: 'text/html', body: '<html><body>Bad gateway</body></html>' },
      async (client) => {
        const e = await failure(client.query('up', TIME));
        expect([e.code, e.message]).toEqual(['unavailable', 'Prometheus answered HTTP 502 (an HTML page)']);
      }
    );
    await withPrometheus({ status: 200, contentType: 'application/json', body: '{"traces":[]}' }, async (client) => {
      const e = await failure(client.query('up', TIME));
      expect(e.code).toBe('bad-response');
      expect(e.message).toMatch(/is not a Prometheus query answer: expected \{"status": "success"/);
    });
    await withPrometheus(
      { status: 200, contentType: 'text/html', body: '<!doctype html><p>Grafana</p>' },
      async (client) => {
        const e = await failure(client.query('up', TIME));
        expect(e.code).toBe('bad-response');
        expect(e.message).toMatch(/^Expected JSON from .*, got an HTML page\. Is the URL pointing at Prometheus\?$/);
      }
    );
  });

  it('refuses a matrix, a malformed sample, and keeps NaN and +Inf values', async () => {
    const reply = (data: unknown): Route => ({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ status: 'success', data }),
    });
    await withPrometheus(reply({ resultType: 'matrix', result: [] }), async (client) => {
      expect((await failure(client.query('up[5m]', TIME))).message).toContain(
        'expected an instant vector, got resultType "matrix"'
      );
    });
    await withPrometheus(reply({ resultType: 'vector', result: [{ metric: {}, value: [1, 2] }] }), async (client) => {
      expect((await failure(client.query('up', TIME))).message).toContain(
        'result 0 has a value that is not [time, "number"]'
      );
    });
    await withPrometheus(
      reply({
        resultType: 'vector',
        result: [
          { metric: { a: '1' }, value: [1, 'NaN'] },
          { metric: {}, value: [1, '+Inf'] },
        ],
      }),
      async (client) => {
        const [a, b] = await client.query('up', TIME);
        expect(a.value).toBeNaN();
        expect(b.value).toBe(Infinity);
      }
    );
  });

  it('is cancelled by its signal', async () => {
    await withPrometheus(answer('request-rate'), async (client) => {
      const abort = new AbortController();
      abort.abort();
      expect((await failure(client.query('up', TIME, abort.signal))).code).toBe('aborted');
    });
  });
});
