import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/**
 * An in-process HTTP server for tests that answers like the recorded Tempo did: each route maps to a
 * recorded fixture (body + status line), to an explicit response for cases nobody recorded, or to a
 * function that picks one from the request (Tempo's search answers by its `q`).
 */
export type Reply = { fixture: string } | { status: number; contentType?: string; body: string };

/** One request as the server received it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** lower-case names, as Node gives them */
  headers: http.IncomingHttpHeaders;
  /** the request body as text ('' for none): Prometheus takes long queries as a form POST */
  body: string;
}

export type Route = Reply | ((request: SeenRequest) => Reply);

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

export function recorded(fixture: string): { status: number; contentType?: string; body: string } {
  const base = path.join(FIXTURES, fixture);
  const [status, ...type] = readFileSync(`${base}.status`, 'utf8').trim().split(' ');
  const contentType = type.join(' ') || undefined;
  const body = readFileSync(`${base}.${contentType?.includes('json') ? 'json' : 'txt'}`, 'utf8');
  return { status: Number(status), contentType, body };
}

export async function startReplayServer(routes: Record<string, Route>) {
  const seen: string[] = [];
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://replay');
      seen.push(`${req.method} ${url.pathname}${url.search}`);
      const request: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const route = routes[url.pathname];
      const reply: Reply = !route
        ? { status: 404, contentType: 'text/plain', body: '404 page not found\n' }
        : typeof route === 'function'
          ? route(request)
          : route;
      const { status, contentType, body } = 'fixture' in reply ? recorded(reply.fixture) : reply;
      res.writeHead(status, contentType ? { 'Content-Type': contentType } : {});
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests received, as "METHOD /path?query", in order. */
    seen,
    /** The same requests with their parsed query and headers. */
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
