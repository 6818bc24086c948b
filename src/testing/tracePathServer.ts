import http from 'node:http';
import { KIND_ENUM, STATUS_ENUM } from '../trace/otlpEnums';
import { recorded } from './replayServer';

/**
 * The Collector → Tempo path in-process, for the canary's tests and the browser e2e: a Collector (OTLP/HTTP JSON
 * receiver at `/v1/traces`, `health_check` at `/` on its own port) that forwards the spans it accepted into a
 * Tempo after `exportDelayMs`, and that Tempo's query API answering as Tempo 2.7.2 did (the recordings in
 * `fixtures/`), with `/api/v2/traces/<id>` built from the spans it holds.
 */
export interface TracePathOptions {
  /** How long the Collector holds a span before Tempo has it (its batch processor and exporter); default 300 ms. */
  exportDelayMs?: number;
  /** The Collector accepts spans but its exporter loses them (a wrong endpoint, Tempo refusing them). */
  dropExports?: boolean;
  /**
   * A multi-tenant Tempo: its API answers 401 `no org id` without `X-Scope-OrgID` (as recorded), and spans are
   * kept per tenant. The Collector's exporter sends `exporterTenant`, else the tenant the span came in with;
   * without either the export fails (Tempo's receiver says `no org id`) and the span is lost.
   */
  requireTenant?: boolean;
  /** The tenant the Collector's exporter sets (`headers: { X-Scope-OrgID }` in its config). */
  exporterTenant?: string;
  /** The receiver answers every POST to `/v1/traces` with this status (its recorded body when there is one). */
  receiverStatus?: number;
  /** The health_check's status (default 200 "Server available"; 503 "Server not available"). */
  healthStatus?: number;
  /** The version `/api/status/buildinfo` reports (default: the recorded build's, which is empty). */
  version?: string;
  /**
   * `/api/search` answers from the spans this Tempo holds (filtered by `{ resource.service.name = / != "x" }`,
   * the one TraceQL form it reads), instead of the recorded search-service answer (traces of other services).
   */
  searchFromStore?: boolean;
  /** Every Tempo path answers this (e.g. an HTML sign-in page at 200): a wrong URL or a proxy in front of Tempo. */
  tempoAnswers?: Reply;
}

export interface TracePath {
  /** The Collector's OTLP/HTTP base URL, without `/v1/traces` (as the wizard stores it). */
  collectorUrl: string;
  /** The Collector's health_check URL. */
  collectorHealthUrl: string;
  /** Tempo's HTTP API. */
  tempoUrl: string;
  /** Spans the Collector's receiver accepted so far. */
  readonly received: number;
  /** Spans Tempo holds so far. */
  readonly stored: number;
  /** Requests each server received, as "METHOD /path?query", in order. */
  seen: { collector: string[]; health: string[]; tempo: string[] };
  close(): Promise<void>;
}

export type Reply = { status: number; contentType?: string; body: string; headers?: Record<string, string> };

/** An OTLP span as the Collector receives it (hex IDs, integer enums) or as Tempo answers it. */
type Span = Record<string, unknown> & { traceId?: unknown; spanId?: unknown; parentSpanId?: unknown };
type ResourceSpans = {
  resource?: unknown;
  scopeSpans?: Array<{ scope?: unknown; spans?: Span[] }>;
};

/** The receiver's recorded answers for the statuses it was recorded giving. */
const RECEIVER_FIXTURES: Record<number, string> = {
  400: 'tempo-2.7.2-edge/otlp-bad-json',
  404: 'tempo-2.7.2-edge/otlp-wrong-path',
  405: 'tempo-2.7.2-edge/otlp-get',
  415: 'tempo-2.7.2-edge/otlp-wrong-content-type',
  503: 'tempo-2.7.2-edge/otlp-span-no-org',
};

const hexToBase64 = (id: unknown) =>
  typeof id === 'string' && /^[0-9a-f]+$/i.test(id) && id.length % 2 === 0
    ? Buffer.from(id, 'hex').toString('base64')
    : id;

/** The resource's service.name, as OTLP/JSON carries it. */
function serviceOf(rs: ResourceSpans): string | undefined {
  const attributes = (rs.resource as { attributes?: Array<{ key?: unknown; value?: { stringValue?: unknown } }> })
    ?.attributes;
  const found = attributes?.find((a) => a.key === 'service.name')?.value?.stringValue;
  return typeof found === 'string' ? found : undefined;
}

/**
 * `/api/search` over the held spans, in Tempo 2.7.2's answer shape (recorded search-service, search-empty): each
 * trace with its root service and name. Reads `limit` and one TraceQL form, `{ resource.service.name =|!= "x" }`.
 */
function searchStore(traces: Map<string, ResourceSpans[]> | undefined, url: URL): Reply {
  const q = url.searchParams.get('q') ?? '';
  const filter = /^\{\s*resource\.service\.name\s*(!=|=)\s*"([^"]*)"\s*\}$/.exec(q.trim());
  if (q.trim() !== '' && q.trim() !== '{}' && !filter) {
    // Not Tempo's words: a test asking more TraceQL than this stand-in reads should see why at once.
    return {
      status: 400,
      contentType: 'text/plain',
      body: `tracePathServer reads only { resource.service.name = "x" } (or !=) in q, not ${q}`,
    };
  }
  const limit = Number(url.searchParams.get('limit') ?? 20) || 20;
  const found = [...(traces ?? new Map<string, ResourceSpans[]>()).entries()]
    .map(([id, list]) => ({ id, root: list[0], span: list[0]?.scopeSpans?.[0]?.spans?.[0] }))
    .filter(({ root }) => {
      if (!filter) {
        return true;
      }
      const service = serviceOf(root);
      return filter[1] === '=' ? service === filter[2] : service !== filter[2];
    })
    .slice(0, limit);
  return json({
    traces: found.map(({ id, root, span }) => ({
      traceID: id.replace(/^0+(?=.)/, ''),
      rootServiceName: serviceOf(root) ?? '<root span not yet received>',
      rootTraceName: typeof span?.name === 'string' ? span.name : '',
      startTimeUnixNano: String(span?.startTimeUnixNano ?? '0'),
      durationMs: 0,
    })),
    metrics: { inspectedTraces: traces?.size ?? 0, inspectedBytes: '0', completedJobs: 1, totalJobs: 1 },
  });
}

/** A span in Tempo's v2 answer: IDs in base64, kind and status code by name (as the recorded trace-v2.json). */
function asTempoSpan(span: Span): Span {
  const out: Span = { ...span, traceId: hexToBase64(span.traceId), spanId: hexToBase64(span.spanId) };
  if (span.parentSpanId) {
    out.parentSpanId = hexToBase64(span.parentSpanId);
  } else {
    delete out.parentSpanId;
  }
  if (typeof span.kind === 'number') {
    out.kind = KIND_ENUM[span.kind] ?? KIND_ENUM[0];
  }
  const status = span.status as { code?: unknown } | undefined;
  if (status && typeof status.code === 'number') {
    out.status = { ...status, code: STATUS_ENUM[status.code] ?? STATUS_ENUM[0] };
  }
  return out;
}

async function listen(handler: (req: http.IncomingMessage, body: string) => Reply, seen: string[]) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const reply = handler(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(reply.status, {
        ...(reply.contentType ? { 'Content-Type': reply.contentType } : {}),
        ...reply.headers,
      });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (value: unknown, status = 200): Reply => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(value),
});

export async function startTracePath(options: TracePathOptions = {}): Promise<TracePath> {
  const exportDelayMs = options.exportDelayMs ?? 300;
  const startedAt = new Date().toISOString();
  /** Tempo's store: tenant ('' single-tenant) → trace ID (lower-case hex) → resourceSpans. */
  const store = new Map<string, Map<string, ResourceSpans[]>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let received = 0;
  let stored = 0;
  const seen = { collector: [] as string[], health: [] as string[], tempo: [] as string[] };

  const tenantOf = (req: http.IncomingMessage) => {
    const value = req.headers['x-scope-orgid'];
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };

  /** The Collector's exporter: after the delay, Tempo holds the spans (or they are lost). */
  const exportLater = (resourceSpans: ResourceSpans[], incomingTenant: string | undefined) => {
    const tenant = options.requireTenant ? (options.exporterTenant ?? incomingTenant) : '';
    if (options.dropExports || tenant === undefined) {
      return; // the exporter logs the failure and drops the batch after its retries
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      const traces = store.get(tenant) ?? new Map<string, ResourceSpans[]>();
      store.set(tenant, traces);
      for (const rs of resourceSpans) {
        for (const ss of rs.scopeSpans ?? []) {
          for (const span of ss.spans ?? []) {
            const id = String(span.traceId).toLowerCase();
            const list = traces.get(id) ?? [];
            list.push({ resource: rs.resource, scopeSpans: [{ scope: ss.scope ?? {}, spans: [asTempoSpan(span)] }] });
            traces.set(id, list);
            stored += 1;
          }
        }
      }
    }, exportDelayMs);
    timers.add(timer);
  };

  const collector = await listen((req, body) => {
    const path = new URL(req.url ?? '/', 'http://collector').pathname;
    if (path !== '/v1/traces') {
      return recorded('tempo-2.7.2-edge/otlp-wrong-path');
    }
    if (req.method !== 'POST') {
      return recorded('tempo-2.7.2-edge/otlp-get');
    }
    if (options.receiverStatus !== undefined && options.receiverStatus !== 200) {
      const fixture = RECEIVER_FIXTURES[options.receiverStatus];
      if (fixture) {
        return recorded(fixture);
      }
      const retry: Record<string, string> = options.receiverStatus === 429 ? { 'Retry-After': '30' } : {};
      return {
        ...json({ code: 14, message: `status ${options.receiverStatus}` }, options.receiverStatus),
        headers: retry,
      };
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      return recorded('tempo-2.7.2-edge/otlp-wrong-content-type');
    }
    let parsed: { resourceSpans?: ResourceSpans[] };
    try {
      parsed = JSON.parse(body);
    } catch {
      return recorded('tempo-2.7.2-edge/otlp-bad-json');
    }
    const resourceSpans = Array.isArray(parsed?.resourceSpans) ? parsed.resourceSpans : [];
    for (const rs of resourceSpans) {
      for (const ss of rs.scopeSpans ?? []) {
        received += ss.spans?.length ?? 0;
      }
    }
    exportLater(resourceSpans, tenantOf(req));
    return recorded('tempo-2.7.2-edge/otlp-empty-export');
  }, seen.collector);

  const health = await listen(() => {
    const status = options.healthStatus ?? 200;
    return json(
      { status: status === 200 ? 'Server available' : 'Server not available', upSince: startedAt, uptime: '1s' },
      status
    );
  }, seen.health);

  const tempo = await listen((req) => {
    if (options.tempoAnswers) {
      return options.tempoAnswers;
    }
    const path = new URL(req.url ?? '/', 'http://tempo').pathname;
    // Answer 200 without a tenant even on a multi-tenant Tempo (recorded: mt-echo-no-org, mt-buildinfo-no-org).
    if (path === '/ready') {
      return recorded('tempo-2.7.2/ready');
    }
    if (path === '/api/echo') {
      return recorded('tempo-2.7.2/echo');
    }
    if (path === '/api/status/buildinfo') {
      const info = recorded('tempo-2.7.2/buildinfo');
      return options.version === undefined
        ? info
        : { ...info, body: JSON.stringify({ ...JSON.parse(info.body), version: options.version }) };
    }
    const tenant = tenantOf(req);
    if (options.requireTenant && !tenant) {
      return recorded('tempo-2.7.2-edge/mt-search-no-org');
    }
    if (path === '/api/search') {
      return options.searchFromStore
        ? searchStore(store.get(options.requireTenant ? (tenant ?? '') : ''), new URL(req.url ?? '/', 'http://tempo'))
        : recorded('tempo-2.7.2/search-service');
    }
    if (path === '/api/v2/search/tags') {
      return recorded('tempo-2.7.2/tags-v2');
    }
    if (path === '/api/metrics/query_range') {
      return recorded('tempo-2.7.2/metrics-rate');
    }
    const byId = /^\/api\/(v2\/)?traces\/([^/]+)$/.exec(path);
    if (byId) {
      const id = decodeURIComponent(byId[2]);
      if (!/^[0-9a-f]{1,32}$/i.test(id)) {
        return recorded('tempo-2.7.2/trace-bad-id');
      }
      const spans = store.get(options.requireTenant ? (tenant ?? '') : '')?.get(id.toLowerCase().padStart(32, '0'));
      if (byId[1]) {
        // Not (yet) found: Tempo 2.7.2 answers 200 {"trace":{}} (recorded trace-v2-not-found, mt-trace-other-tenant).
        return spans ? json({ trace: { resourceSpans: spans } }) : recorded('tempo-2.7.2/trace-v2-not-found');
      }
      return spans ? json({ batches: spans }) : recorded('tempo-2.7.2/trace-v1-not-found');
    }
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };
  }, seen.tempo);

  return {
    collectorUrl: collector.url,
    collectorHealthUrl: `${health.url}/`,
    tempoUrl: tempo.url,
    get received() {
      return received;
    },
    get stored() {
      return stored;
    },
    seen,
    close: async () => {
      for (const timer of timers) {
        clearTimeout(timer);
      }
      await Promise.all([collector.close(), health.close(), tempo.close()]);
    },
  };
}
