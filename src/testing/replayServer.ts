import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/**
 * An in-process HTTP server for tests that answers like the recorded Tempo did: each route maps to a
 * recorded fixture (body + status line), or to an explicit response for cases nobody recorded.
 */
export type Reply = { fixture: string } | { status: number; contentType?: string; body: string };

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

export function recorded(fixture: string): { status: number; contentType?: string; body: string } {
  const base = path.join(FIXTURES, fixture);
  const [status, ...type] = readFileSync(`${base}.status`, 'utf8').trim().split(' ');
  const contentType = type.join(' ') || undefined;
  const body = readFileSync(`${base}.${contentType?.includes('json') ? 'json' : 'txt'}`, 'utf8');
  return { status: Number(status), contentType, body };
}

export async function startReplayServer(routes: Record<string, Reply>) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://replay');
    seen.push(`${req.method} ${url.pathname}${url.search}`);
    const route = routes[url.pathname];
    const reply = !route ? { status: 404, contentType: 'text/plain', body: '404 page not found\n' } : route;
    const { status, contentType, body } = 'fixture' in reply ? recorded(reply.fixture) : reply;
    res.writeHead(status, contentType ? { 'Content-Type': contentType } : {});
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests received, as "METHOD /path?query", in order. */
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
