/** @jest-environment node */
import http from 'node:http';
import { gzipSync } from 'node:zlib';

import { describeText, formatBytes } from './describe';
import { HttpError } from './errors';
import { parseJsonBody, readText, send, statusError } from './request';
import { fetchTransport } from './transport';

// Misbehaving servers, in-process on 127.0.0.1: each test bounds its time with short limits, and every
// server stops writing when its client goes away or the test closes it.
jest.setTimeout(15_000);

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(handler: Handler) {
  const timers = new Set<ReturnType<typeof setInterval>>();
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    timers,
    close: async () => {
      timers.forEach((t) => clearInterval(t));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `total` bytes of `chunk`s as fast as the client reads them; counts what it managed to write. */
function flood(
  res: http.ServerResponse,
  chunk: Buffer,
  total: number,
  written: { bytes: number; closedEarly: boolean }
) {
  const pump = () => {
    while (written.bytes < total && !res.destroyed) {
      written.bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) {
      res.end();
    }
  };
  res.on('close', () => {
    written.closedEarly = written.bytes < total || !res.writableFinished;
  });
  pump();
}

const get = (url: string, limits: Parameters<typeof fetchTransport>[2], signal?: AbortSignal) =>
  send(fetchTransport(fetch, {}, limits), url, { signal, subject: 'the trace' }, 'Tempo');

describe('fetchTransport: timeouts', () => {
  it('a server that never answers: a timeout naming the URL and the time waited', async () => {
    const server = await serve(() => undefined);
    try {
      const started = Date.now();
      const error = await get(`${server.url}/never`, { idleTimeoutMs: 200 }).catch((e) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ code: 'timeout', url: `${server.url}/never` });
      expect(error.message).toBe(`${server.url}/never did not answer within 0.2 s`);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await server.close();
    }
  });

  it('headers, then silence: the body read times out', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"trace":');
    });
    try {
      const response = await get(`${server.url}/silent`, { idleTimeoutMs: 200 });
      const error = await readText(response, `${server.url}/silent`).catch((e) => e);
      expect(error).toMatchObject({ code: 'timeout' });
      expect(error.message).toBe(
        `The answer from ${server.url}/silent stalled: nothing arrived for 0.2 s (after 9 bytes)`
      );
    } finally {
      await server.close();
    }
  });

  it('a body dripping a byte at a time: the total limit ends it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      const drip = setInterval(() => res.write(' '), 20);
      server.timers.add(drip);
      res.on('close', () => clearInterval(drip));
    });
    try {
      const response = await get(`${server.url}/drip`, { idleTimeoutMs: 200, timeoutMs: 500 });
      const error = await response.text().catch((e) => e);
      expect(error).toMatchObject({ code: 'timeout' });
      expect(error.message).toMatch(
        new RegExp(`^The answer from ${server.url}/drip took longer than 0\\.5 s \\(\\d+ bytes received\\)$`)
      );
    } finally {
      await server.close();
    }
  });

  it("the caller's signal still cancels, as 'aborted', not 'timeout'", async () => {
    const server = await serve(() => undefined);
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await expect(get(`${server.url}/x`, { idleTimeoutMs: 5000 }, controller.signal)).rejects.toMatchObject({
        code: 'aborted',
      });
    } finally {
      await server.close();
    }
  });

  it('a fast answer is not affected, and its timers do not outlive it', async () => {
    const server = await serve((_req, res) => res.end('{"ok":true}'));
    try {
      const response = await get(`${server.url}/ok`, { idleTimeoutMs: 100, timeoutMs: 200 });
      expect(await response.text()).toBe('{"ok":true}');
      await new Promise((resolve) => setTimeout(resolve, 300)); // past both limits: nothing fires
    } finally {
      await server.close();
    }
  });
});

describe('fetchTransport: a cap on the bytes read', () => {
  it('stops a large streamed body at the cap and cancels it', async () => {
    const written = { bytes: 0, closedEarly: false };
    const total = 256e6;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      flood(res, Buffer.alloc(1 << 20, 0x20), total, written);
    });
    try {
      const before = process.memoryUsage().rss;
      const response = await get(`${server.url}/big`, { maxBytes: 8e6 });
      const error = await response.text().catch((e) => e);
      const grew = process.memoryUsage().rss - before;
      expect(error).toMatchObject({ code: 'too-large', status: 200 });
      expect(error.message).toBe(
        `The trace is larger than 8 MB, the most Traceway reads: stopped reading ${server.url}/big`
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(written.bytes).toBeLessThan(total / 4);
      // what the read held: about the cap, not the body
      expect(grew).toBeLessThan(150e6);
      process.stdout.write(`big body: server wrote ${formatBytes(written.bytes)}, RSS grew ${formatBytes(grew)}\n`);
    } finally {
      await server.close();
    }
  });

  it('counts decompressed bytes: a small gzip body that inflates past the cap', async () => {
    const inflated = 50e6;
    const bomb = gzipSync(Buffer.alloc(inflated, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(bomb);
    });
    try {
      const response = await get(`${server.url}/bomb`, { maxBytes: 1e6 });
      await expect(response.text()).rejects.toMatchObject({
        code: 'too-large',
        message: expect.stringMatching(/^The trace is larger than 1 MB, the most Traceway reads/),
      });
    } finally {
      await server.close();
    }
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(2e6) });
      res.write('{');
    });
    try {
      const response = await get(`${server.url}/declared`, { maxBytes: 1e6, idleTimeoutMs: 5000 });
      await expect(response.text()).rejects.toMatchObject({ code: 'too-large' });
    } finally {
      await server.close();
    }
  });

  it('an error page is read only as far as the message needs', async () => {
    const written = { bytes: 0, closedEarly: false };
    const total = 256e6;
    const page = Buffer.from('<!DOCTYPE html><html><body>' + 'x'.repeat((1 << 20) - 27));
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      flood(res, page, total, written);
    });
    try {
      const url = `${server.url}/bad-gateway`;
      const error = await statusError(await get(url, {}), url, 'Tempo');
      expect(error).toMatchObject({ code: 'unavailable', status: 502 });
      expect(error.message).toBe('Tempo answered HTTP 502 (an HTML page)');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(written.closedEarly).toBe(true);
      expect(written.bytes).toBeLessThan(total / 4);
    } finally {
      await server.close();
    }
  });

  it("keeps the server's own words on an HTTP error, capped and without control characters", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('\u001b[31mquerier: boom\u001b[0m ' + 'y'.repeat(5000));
    });
    try {
      const url = `${server.url}/e`;
      const error = await statusError(await get(url, {}), url, 'Tempo');
      expect(error.message).toMatch(/^Tempo answered HTTP 500: \[31mquerier: boom \[0m y+…$/);
      expect(error.message).not.toMatch(/\u001b/);
      expect(error.message.length).toBeLessThan(340);
    } finally {
      await server.close();
    }
  });
});

describe('fetchTransport: redirects', () => {
  it('does not follow a redirect to another origin, and says where it went', async () => {
    const other = await serve((_req, res) => res.end('{"trace":{"resourceSpans":[]}}'));
    let otherHits = 0;
    const counting = await serve((_req, res) => {
      otherHits++;
      res.end('{}');
    });
    const server = await serve((_req, res) => {
      res.writeHead(302, { Location: `${counting.url}/api/v2/traces/x?token=secret` });
      res.end();
    });
    try {
      const error = await get(`${server.url}/api/v2/traces/x`, {}).catch((e) => e);
      expect(error).toMatchObject({ code: 'redirect', url: `${server.url}/api/v2/traces/x` });
      expect(error.message).toContain(`redirected to ${counting.url}, another origin`);
      expect(error.message).not.toContain('secret');
      expect(otherHits).toBe(0);
    } finally {
      await Promise.all([server.close(), other.close(), counting.close()]);
    }
  });

  it('follows a redirect within the origin', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { Location: '/new' });
        res.end();
        return;
      }
      res.end(`at ${req.url}`);
    });
    try {
      const response = await get(`${server.url}/old`, {});
      expect([response.status, await response.text()]).toEqual([200, 'at /new']);
    } finally {
      await server.close();
    }
  });

  it('in a browser (an opaque redirect), checks the origin of the answer it followed to', async () => {
    const calls: string[] = [];
    const browserFetch = (async (_url: string, init: RequestInit) => {
      calls.push(String(init.redirect));
      if (init.redirect === 'manual') {
        return {
          type: 'opaqueredirect',
          status: 0,
          headers: new Headers(),
          body: null,
          url: '',
        } as unknown as Response;
      }
      const followed = new Response('{"trace":{}}', { status: 200 });
      Object.defineProperty(followed, 'url', { value: 'https://evil.example:8443/x' });
      return followed;
    }) as typeof fetch;
    const error = await send(fetchTransport(browserFetch), 'https://grafana.example/api/x', {}, 'Tempo').catch(
      (e) => e
    );
    expect(calls).toEqual(['manual', 'follow']);
    expect(error).toMatchObject({ code: 'redirect' });
    expect(error.message).toContain('redirected to https://evil.example:8443, another origin');
  });
});

describe('describing unknown text', () => {
  it.each([
    ['', 'an empty body'],
    ['   \n', 'only whitespace (4 characters)'],
    ['<!DOCTYPE html><html>', 'an HTML page'],
    ['root:$6$abc:19000:0:99999:7:::', 'text of 30 characters starting with a letter'],
    ['{"a": ', "text of 6 characters starting with '{'"],
    ['\u001b[2J', 'text of 4 characters starting with a control character'],
  ])('%j is %s', (text, shape) => {
    expect(describeText(text)).toBe(shape);
  });

  it('a body that is not JSON is described, not quoted', () => {
    const error = (() => {
      try {
        parseJsonBody('root:$6$secret-hash:19000:0', 'http://t/x', 'Tempo');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toBe(
      'Expected JSON from http://t/x, got text of 27 characters starting with a letter. Is the URL pointing at Tempo?'
    );
  });
});
