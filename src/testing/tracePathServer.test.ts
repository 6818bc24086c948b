/** @jest-environment node */
import { recorded } from './replayServer';
import { startTracePath, type TracePath } from './tracePathServer';

const TRACE = '5b8efff798038103d269b633813fc60c';
const span = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'traceway-canary' } }] },
      scopeSpans: [
        {
          scope: { name: 't' },
          spans: [
            {
              traceId: TRACE,
              spanId: 'eee19b7ec3c1b174',
              name: 'x',
              kind: 2,
              startTimeUnixNano: '1795376633214378226',
              endTimeUnixNano: '1795376633215378226',
              status: {},
            },
          ],
        },
      ],
    },
  ],
};

const post = (path: TracePath, headers: Record<string, string> = {}) =>
  fetch(`${path.collectorUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(span),
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startTracePath', () => {
  let path: TracePath | undefined;
  afterEach(async () => {
    await path?.close();
    path = undefined;
  });

  it('accepts a span, and Tempo answers it by ID in the v2 shape once the export delay has passed', async () => {
    path = await startTracePath({ exportDelayMs: 100 });
    const accepted = await post(path);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ partialSuccess: {} });
    expect(path.received).toBe(1);
    const before = await fetch(`${path.tempoUrl}/api/v2/traces/${TRACE}`);
    expect(await before.json()).toEqual({ trace: {} }); // Tempo 2.7.2's "not found", as recorded
    await sleep(200);
    const after = await (await fetch(`${path.tempoUrl}/api/v2/traces/${TRACE}`)).json();
    const got = after.trace.resourceSpans[0].scopeSpans[0].spans[0];
    // As the recorded trace-v2.json: base64 IDs, the kind by name.
    expect(got.traceId).toBe('W47/95gDgQPSabYzgT/GDA==');
    expect(got.kind).toBe('SPAN_KIND_SERVER');
    expect(path.stored).toBe(1);
  });

  it('answers the health check and the recorded Tempo API', async () => {
    path = await startTracePath();
    const health = await fetch(path.collectorHealthUrl);
    expect((await health.json()).status).toBe('Server available');
    expect((await (await fetch(`${path.tempoUrl}/api/echo`)).text()).trim()).toBe('echo');
    expect((await fetch(`${path.tempoUrl}/api/v2/traces/not-hex`)).status).toBe(400);
    // The recorded Tempo 2.7.2 build information, empty version included.
    const info = await fetch(`${path.tempoUrl}/api/status/buildinfo`);
    expect(await info.text()).toBe(recorded('tempo-2.7.2/buildinfo').body);
  });

  it('reports a given version in the recorded build information', async () => {
    path = await startTracePath({ version: 'v2.4.1' });
    const info = await (await fetch(`${path.tempoUrl}/api/status/buildinfo`)).json();
    expect(info).toMatchObject({ version: 'v2.4.1', goVersion: 'go1.23.5' });
  });

  it('loses the span when the exporter drops it', async () => {
    path = await startTracePath({ exportDelayMs: 10, dropExports: true });
    expect((await post(path)).status).toBe(200);
    await sleep(50);
    expect(path.received).toBe(1);
    expect(path.stored).toBe(0);
  });

  it('requires a tenant: 401 no org id without one, the span under its tenant only', async () => {
    path = await startTracePath({ exportDelayMs: 10, requireTenant: true });
    await post(path, { 'X-Scope-OrgID': 'team-a' });
    await sleep(50);
    const none = await fetch(`${path.tempoUrl}/api/v2/traces/${TRACE}`);
    expect(none.status).toBe(401);
    expect(await none.text()).toContain('no org id');
    const own = await (
      await fetch(`${path.tempoUrl}/api/v2/traces/${TRACE}`, { headers: { 'X-Scope-OrgID': 'team-a' } })
    ).json();
    expect(own.trace.resourceSpans).toHaveLength(1);
    const other = await (
      await fetch(`${path.tempoUrl}/api/v2/traces/${TRACE}`, { headers: { 'X-Scope-OrgID': 'team-b' } })
    ).json();
    expect(other).toEqual({ trace: {} });
  });

  it('answers a given receiver status with the recorded body', async () => {
    path = await startTracePath({ receiverStatus: 415 });
    const res = await post(path);
    expect(res.status).toBe(415);
    expect(path.received).toBe(0);
  });

  it('searches the spans it holds with searchFromStore, by service name', async () => {
    path = await startTracePath({ exportDelayMs: 10, searchFromStore: true });
    const search = async (q?: string) =>
      (
        await fetch(`${path!.tempoUrl}/api/search?limit=1${q === undefined ? '' : `&q=${encodeURIComponent(q)}`}`)
      ).json();
    expect(await search()).toMatchObject({ traces: [] });
    await post(path);
    await sleep(50);
    expect((await search()).traces).toEqual([
      expect.objectContaining({ traceID: TRACE, rootServiceName: 'traceway-canary', rootTraceName: 'x' }),
    ]);
    expect((await search('{ resource.service.name = "traceway-canary" }')).traces).toHaveLength(1);
    expect((await search('{ resource.service.name != "traceway-canary" }')).traces).toEqual([]);
    const other = await fetch(`${path.tempoUrl}/api/search?q=${encodeURIComponent('{ span.x = 1 }')}`);
    expect(other.status).toBe(400);
  });

  it('answers every Tempo path with tempoAnswers (a sign-in page in front of Tempo)', async () => {
    path = await startTracePath({
      tempoAnswers: { status: 200, contentType: 'text/html', body: '<!doctype html><title>Sign in</title>' },
    });
    const res = await fetch(`${path.tempoUrl}/api/v2/traces/${TRACE}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Sign in');
  });
});
