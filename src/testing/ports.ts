import net from 'node:net';

/**
 * A loopback port nothing listens on: one the OS handed out a moment ago, closed again, so connecting to it is a
 * real "connection refused" (a Collector or Tempo at the wrong port). Works in Jest (node or jsdom) and Playwright.
 */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
