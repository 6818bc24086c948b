/** @jest-environment node */
import http from 'node:http';
import { closedPort } from '../testing/ports';
import { isHttpError, send } from './index';
import { fetchTransport } from './transport';
import { networkCause } from './network';

describe('networkCause', () => {
  it("reads a refusal from Node's fetch cause chain, and send's HttpError carries it as its reason", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/ready`;
    const raw = await fetch(url).catch((e: unknown) => e);
    expect(networkCause(raw).reason).toBe('refused');
    const wrapped = await send(fetchTransport(), url, {}, 'Tempo').catch((e: unknown) => e);
    expect(isHttpError(wrapped) && wrapped.code === 'network' && wrapped.reason).toBe('refused');
    expect((wrapped as Error).message).toMatch(/^Could not reach Tempo at .*: fetch failed \(ECONNREFUSED\)$/);
    // the code kept only in a wrapped message is read too
    expect(networkCause(new Error((wrapped as Error).message)).reason).toBe('refused');
  });

  it('reads a real TLS failure (https:// to a plain-HTTP server)', async () => {
    const server = http.createServer((_, res) => res.end('plain'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const e = await fetch(`https://127.0.0.1:${port}/`).catch((err: unknown) => err);
      expect(networkCause(e).reason).toBe('tls');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('names DNS failures and resets by their codes, and nothing for an unknown error', () => {
    expect(networkCause(Object.assign(new Error('fetch failed'), { cause: { code: 'ENOTFOUND' } })).reason).toBe('dns');
    expect(networkCause(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } })).reason).toBe(
      'reset'
    );
    expect(networkCause(new Error('something else')).reason).toBeUndefined();
  });

  it('decides TLS from the codes; the words only when there are none, and never from a URL', () => {
    const at = (url: string, cause?: object) =>
      Object.assign(new Error(`Could not reach Tempo at ${url}: fetch failed`), cause ? { cause } : {});
    // a reset and a refusal from hosts whose names say tls / ssl: the codes decide
    expect(networkCause(at('https://tls-gateway.example/api', { code: 'ECONNRESET' })).reason).toBe('reset');
    expect(networkCause(at('https://ssl.example:3200/ready', { code: 'UND_ERR_SOCKET' })).reason).toBe('reset');
    // no code at all: the words, without the URL
    expect(networkCause(at('https://tls-gateway.example/api')).reason).toBeUndefined();
    expect(networkCause(new Error('unable to verify the first certificate')).reason).toBe('tls');
    expect(networkCause(at('https://t.example/', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' })).reason).toBe('tls');
  });
});
