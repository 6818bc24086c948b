/** @jest-environment node */
import http from 'node:http';
import { fetchTransport } from '../../http';
import { closedPort } from '../../testing/ports';
import { recorded, startReplayServer } from '../../testing/replayServer';
import { collectorHealth, collectorOtlpAccepts, otlpTracesUrl } from './collector';

const transport = fetchTransport();

/** A node:http server in the test, for answers replayServer cannot give (headers, silence). */
async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('otlpTracesUrl', () => {
  it('adds /v1/traces to a base URL and keeps a URL that already ends with it', () => {
    expect(otlpTracesUrl('http://otel:4318')).toBe('http://otel:4318/v1/traces');
    expect(otlpTracesUrl('http://otel:4318/')).toBe('http://otel:4318/v1/traces');
    expect(otlpTracesUrl('https://gitlab.example/api/v4/projects/1/observability/v1/traces')).toBe(
      'https://gitlab.example/api/v4/projects/1/observability/v1/traces'
    );
  });
});

describe('collectorOtlpAccepts against recorded receiver answers', () => {
  const RECEIVER = { '/v1/traces': recordedAnswer() };
  function recordedAnswer() {
    // The receiver's real answers (Tempo 2.7.2's receiver is the Collector's code), picked as it picks them.
    return (r: { method: string; headers: http.IncomingHttpHeaders; body: string }) => {
      if (r.method !== 'POST') {
        return { fixture: 'tempo-2.7.2-edge/otlp-get' };
      }
      if (!String(r.headers['content-type']).startsWith('application/json')) {
        return { fixture: 'tempo-2.7.2-edge/otlp-wrong-content-type' };
      }
      try {
        JSON.parse(r.body);
      } catch {
        return { fixture: 'tempo-2.7.2-edge/otlp-bad-json' };
      }
      return r.headers['x-scope-orgid'] === undefined && r.body !== '{"resourceSpans":[]}'
        ? { fixture: 'tempo-2.7.2-edge/otlp-span-no-org' }
        : { fixture: 'tempo-2.7.2-edge/otlp-empty-export' };
    };
  }

  it('passes on 200 with partialSuccess, having posted an empty JSON export with the given headers', async () => {
    const server = await startReplayServer(RECEIVER);
    try {
      const check = await collectorOtlpAccepts(transport, server.url, {
        headers: { 'PRIVATE-TOKEN': 's3cret', 'content-type': 'text/plain' },
      });
      expect(check).toMatchObject({
        id: 'collector-otlp',
        status: 'pass',
        request: { method: 'POST', url: `${server.url}/v1/traces` },
      });
      expect(check.message).toContain('partialSuccess');
      expect(check.ms).toBeGreaterThanOrEqual(0);
      const [seen] = server.requests;
      expect(seen.body).toBe('{"resourceSpans":[]}');
      expect(seen.headers['content-type']).toBe('application/json');
      expect(seen.headers['private-token']).toBe('s3cret');
      expect(JSON.stringify(check)).not.toContain('s3cret');
    } finally {
      await server.close();
    }
  });

  it.each([
    ['otlp-wrong-path', 404, /HTTP 404/, /\/v1\/traces/],
    ['otlp-get', 405, /HTTP 405.*POST/, /not an OTLP\/HTTP receiver/],
    ['otlp-wrong-content-type', 415, /HTTP 415.*application\/x-protobuf/, /Content-Type/],
    ['otlp-bad-json', 400, /malformed \(HTTP 400: ReadObjectCB/, /proxy/],
    ['otlp-span-no-org', 503, /needs a tenant.*no org id/, /X-Scope-OrgID/],
  ])('names the recorded %s (%d)', async (fixture, status, message, hint) => {
    const server = await startReplayServer({ '/v1/traces': { fixture: `tempo-2.7.2-edge/${fixture}` } });
    try {
      const check = await collectorOtlpAccepts(transport, server.url);
      expect(recorded(`tempo-2.7.2-edge/${fixture}`).status).toBe(status);
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(message);
      expect(check.hint).toMatch(hint);
      expect(check.docsUrl).toMatch(/^https:\/\//);
    } finally {
      await server.close();
    }
  });

  it("warns on a 200 whose JSON is not an export response, and passes an older receiver's {}", async () => {
    const server = await startReplayServer({
      '/grafana/v1/traces': { status: 200, contentType: 'application/json', body: '{"message":"ok","id":1}' },
      '/old/v1/traces': { status: 200, contentType: 'application/json', body: '{}' },
    });
    try {
      const other = await collectorOtlpAccepts(transport, `${server.url}/grafana`);
      expect(other.status).toBe('warn');
      expect(other.message).toMatch(/not an OTLP export response/);
      const old = await collectorOtlpAccepts(transport, `${server.url}/old`);
      expect(old).toMatchObject({ status: 'pass', message: 'The receiver accepted an empty export (200).' });
    } finally {
      await server.close();
    }
  });

  it('fails on a 200 that is not a receiver (an HTML page)', async () => {
    const server = await startReplayServer({
      '/v1/traces': { status: 200, contentType: 'text/html', body: '<!doctype html><title>Grafana</title>' },
    });
    try {
      const check = await collectorOtlpAccepts(transport, server.url);
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(/not as an OTLP receiver does.*HTML page/);
    } finally {
      await server.close();
    }
  });
});

describe('collectorOtlpAccepts without a recorded answer', () => {
  it('shows Retry-After on 429', async () => {
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(429, { 'Retry-After': '30', 'Content-Type': 'text/plain' }).end('rate limit exceeded');
    });
    try {
      const check = await collectorOtlpAccepts(transport, server.url);
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(/HTTP 429, Retry-After: 30: rate limit exceeded/);
      expect(check.hint).toMatch(/after 30 s/);
    } finally {
      await server.close();
    }
  });

  it.each([
    [401, /refused the credentials \(HTTP 401/, /PRIVATE-TOKEN/],
    [403, /refused the credentials \(HTTP 403/, /scope/],
    [503, /unavailable \(HTTP 503: queue is full/, /exporter/],
  ])('names %d', async (status, message, hint) => {
    const server = await serve((req, res) => {
      req.resume();
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 503 ? 'queue is full' : 'denied');
    });
    try {
      const check = await collectorOtlpAccepts(transport, `${server.url}/v1/traces`);
      expect(check.request.url).toBe(`${server.url}/v1/traces`);
      expect(check).toMatchObject({ status: 'fail' });
      expect(check.message).toMatch(message);
      expect(check.hint).toMatch(hint);
    } finally {
      await server.close();
    }
  });

  it('diagnoses a refused connection, naming the localhost default', async () => {
    const port = await closedPort();
    const check = await collectorOtlpAccepts(transport, `http://127.0.0.1:${port}`);
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(/refused \(ECONNREFUSED\)/);
    expect(check.hint).toMatch(/localhost.*v0\.104.*2\.7.*0\.0\.0\.0/);
  });

  it('diagnoses a TLS error: https:// to a plain-HTTP receiver', async () => {
    const server = await serve((req, res) => res.end('plain'));
    try {
      const check = await collectorOtlpAccepts(transport, `https://127.0.0.1:${server.port}`);
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(/TLS handshake failed/);
      expect(check.hint).toMatch(/http:\/\//);
    } finally {
      await server.close();
    }
  });

  it('fails a silent endpoint within its timeout', async () => {
    const server = await serve(() => undefined); // never answers
    try {
      const started = Date.now();
      const check = await collectorOtlpAccepts(transport, server.url, { timeoutMs: 300 });
      const took = Date.now() - started;
      expect(check.status).toBe('fail');
      expect(check.message).toMatch(/no answer within 0.3 s/);
      expect(took).toBeLessThan(2000);
      expect(check.ms).toBeGreaterThanOrEqual(290);
    } finally {
      await server.close();
    }
  });

  it('ends at once as cancelled when the signal aborts', async () => {
    const server = await serve(() => undefined);
    try {
      const controller = new AbortController();
      const pending = collectorOtlpAccepts(transport, server.url, { signal: controller.signal, timeoutMs: 10_000 });
      setTimeout(() => controller.abort(), 50);
      const check = await pending;
      expect(check.message).toMatch(/cancelled/);
      expect(check.ms).toBeLessThan(2000);
    } finally {
      await server.close();
    }
  });

  it('refuses a URL with credentials and does not show them', async () => {
    const check = await collectorOtlpAccepts(transport, 'http://user:pw@127.0.0.1:1');
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(/user or password/);
    expect(JSON.stringify(check)).not.toContain('pw');
  });
});

describe('collectorHealth', () => {
  it('passes with the health_check JSON status', async () => {
    const server = await startReplayServer({
      '/': {
        status: 200,
        contentType: 'application/json',
        body: '{"status":"Server available","upSince":"2026-11-23T03:00:00Z","uptime":"1m"}',
      },
    });
    try {
      const check = await collectorHealth(transport, `${server.url}/`);
      expect(check).toMatchObject({ id: 'collector-health', status: 'pass', request: { method: 'GET' } });
      expect(check.message).toContain('Server available');
    } finally {
      await server.close();
    }
  });

  it('fails on 503 with the status, on a wrong body, on 404 and when refused', async () => {
    const server = await startReplayServer({
      '/': { status: 503, contentType: 'application/json', body: '{"status":"Server not available"}' },
      '/text': { status: 200, contentType: 'text/plain', body: 'OK' },
    });
    try {
      const down = await collectorHealth(transport, `${server.url}/`);
      expect(down.status).toBe('fail');
      expect(down.message).toMatch(/HTTP 503: "Server not available"/);
      const wrong = await collectorHealth(transport, `${server.url}/text`);
      expect(wrong.message).toMatch(/not with the health_check extension's JSON status/);
      const missing = await collectorHealth(transport, `${server.url}/health`);
      expect(missing.message).toMatch(/HTTP 404/);
      expect(missing.hint).toMatch(/13133/);
    } finally {
      await server.close();
    }
    const port = await closedPort();
    const refused = await collectorHealth(transport, `http://127.0.0.1:${port}/`);
    expect(refused.message).toMatch(/ECONNREFUSED/);
    expect(refused.hint).toMatch(/localhost.*v0\.104/);
  });
});
