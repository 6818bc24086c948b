/** @jest-environment node */
import http from 'node:http';
import { fetchTransport, send, type HttpTransport } from '../../http';
import { probe, urlProblemText } from './probe';

describe('probe', () => {
  it('classifies a refusal that a wrapping transport reports only in its message (src/http send)', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const wrapped: HttpTransport = (url, request) => send(fetchTransport(), url, request, 'Tempo');
    const result = await probe(wrapped, 'GET', `http://127.0.0.1:${port}/ready`, {});
    expect(result).toMatchObject({ ok: false, kind: 'refused' });
  });

  it('settles within its timeout even when the transport ignores the signal', async () => {
    const deaf: HttpTransport = () => new Promise(() => undefined);
    const started = Date.now();
    const result = await probe(deaf, 'GET', 'http://127.0.0.1:1/', { timeoutMs: 100 });
    expect(result).toEqual({ ok: false, kind: 'timeout', detail: 'no answer within 0.1 s' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("takes a path on the page's origin (the app's proxy routes) as it is", async () => {
    const seen: string[] = [];
    const recording: HttpTransport = async (url) => {
      seen.push(url);
      return { status: 200, headers: new Headers(), text: async () => 'ready' };
    };
    const path = '/api/plugin-proxy/traceway-explorer-app/tempo/ready';
    expect(await probe(recording, 'GET', path, {})).toMatchObject({ ok: true, status: 200, body: 'ready' });
    expect(seen).toEqual([path]);
    expect(urlProblemText('//evil.example/x')).toBeDefined();
  });

  it('times out a body that starts and stalls, and stops reading it', async () => {
    let closed = false;
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"traces":[');
      res.on('close', () => (closed = true));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const started = Date.now();
      const result = await probe(fetchTransport(), 'GET', `http://127.0.0.1:${port}/api/search`, { timeoutMs: 200 });
      expect(result).toMatchObject({ ok: false, kind: 'timeout' });
      expect(Date.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses what is not an http(s) URL', async () => {
    const never: HttpTransport = () => Promise.reject(new Error('must not be called'));
    expect(await probe(never, 'GET', 'tempo:3200', {})).toMatchObject({ ok: false, kind: 'bad-url' });
    expect(await probe(never, 'GET', 'ftp://tempo/', {})).toMatchObject({ ok: false, kind: 'bad-url' });
    expect(await probe(never, 'GET', 'http:tempo:3200', {})).toMatchObject({ ok: false, kind: 'bad-url' });
    expect(await probe(never, 'GET', 'http://tempo host/', {})).toMatchObject({ ok: false, kind: 'bad-url' });
  });
});
