/**
 * Test traces as Tempo's /api/v2/traces/<id> answers them (OTLP/JSON with base64 IDs): a builder
 * for small hand-written traces, a deterministic generator of large ones (browser tests and
 * `npm run bench:browser`), and a trace whose names and attributes carry script payloads.
 * Plain TypeScript with no DOM or Node imports beyond the model's ID helpers, so that Jest,
 * Playwright and the bench can all use it.
 */
import { spanIdToBase64, traceIdToBase64 } from '../src/trace/ids';
import { rng } from '../bench/generate';

export const T0_MS = 1763712000000;

type Plain = string | number | boolean;

export interface SpanSpec {
  /** 16 hex characters */
  id: string;
  parent?: string;
  name: string;
  service: string;
  kind?: 'server' | 'client' | 'internal' | 'producer' | 'consumer';
  /** ms after T0_MS (fractions allowed) */
  startMs: number;
  durationMs: number;
  attributes?: Record<string, Plain>;
  status?: { code: 'ok' | 'error'; message?: string };
  events?: Array<{ name: string; atMs: number; attributes?: Record<string, Plain> }>;
  links?: Array<{ traceId: string; spanId: string; attributes?: Record<string, Plain> }>;
}

function value(v: Plain) {
  if (typeof v === 'string') {
    return { stringValue: v };
  }
  if (typeof v === 'boolean') {
    return { boolValue: v };
  }
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

function attributes(attrs: Record<string, Plain> = {}) {
  return Object.entries(attrs).map(([key, v]) => ({ key, value: value(v) }));
}

/** Epoch nanoseconds as Tempo writes them: a decimal string (too large for a double). */
function nanos(ms: number): string {
  const whole = Math.floor(ms);
  const sub = Math.round((ms - whole) * 1e6);
  return (BigInt(T0_MS + whole) * BigInt(1000000) + BigInt(sub)).toString();
}

function otlpSpan(traceId: string, s: SpanSpec) {
  return {
    traceId: traceIdToBase64(traceId),
    spanId: spanIdToBase64(s.id),
    ...(s.parent ? { parentSpanId: spanIdToBase64(s.parent) } : {}),
    name: s.name,
    kind: `SPAN_KIND_${(s.kind ?? 'internal').toUpperCase()}`,
    startTimeUnixNano: nanos(s.startMs),
    endTimeUnixNano: nanos(s.startMs + s.durationMs),
    attributes: attributes(s.attributes),
    ...(s.status
      ? { status: { code: `STATUS_CODE_${s.status.code.toUpperCase()}`, message: s.status.message ?? '' } }
      : {}),
    ...(s.events
      ? {
          events: s.events.map((e) => ({
            name: e.name,
            timeUnixNano: nanos(e.atMs),
            attributes: attributes(e.attributes),
          })),
        }
      : {}),
    ...(s.links
      ? {
          links: s.links.map((l) => ({
            traceId: traceIdToBase64(l.traceId),
            spanId: spanIdToBase64(l.spanId),
            attributes: attributes(l.attributes),
          })),
        }
      : {}),
  };
}

/** A Tempo v2 answer holding these spans, one resource per service. */
export function tempoV2(traceId: string, spans: SpanSpec[]) {
  const byService = new Map<string, SpanSpec[]>();
  for (const s of spans) {
    const list = byService.get(s.service);
    list ? list.push(s) : byService.set(s.service, [s]);
  }
  return {
    trace: {
      resourceSpans: [...byService].map(([service, list]) => ({
        resource: { attributes: attributes({ 'service.name': service, 'service.namespace': 'traceway-test' }) },
        scopeSpans: [
          { scope: { name: 'traceway-test', version: '1.0.0' }, spans: list.map((s) => otlpSpan(traceId, s)) },
        ],
      })),
    },
  };
}

const SERVICES = [
  'frontend',
  'gateway',
  'auth',
  'core',
  'registry',
  'jobservice',
  'scanner',
  'billing',
  'search',
  'catalog',
  'cart',
  'checkout',
  'payments',
  'shipping',
  'inventory',
  'users',
];
const OPERATIONS = ['GET /api/v2.0/projects', 'SELECT artifact', 'redis GET', 'scan layer', 'POST /service/token'];

export const BIG_TRACE_ID = '0000000000000000000000000100000a';

/**
 * A large, deterministic trace: a tree with about six children per span (depth ~7 at 100k),
 * children inside their parent's time, 16 services, three attributes per span and about 1% errors
 * with an exception event.
 */
export function generateTrace(spanCount: number, seed = 1, traceId = BIG_TRACE_ID) {
  const random = rng(seed);
  const starts = new Float64Array(spanCount);
  const durations = new Float64Array(spanCount);
  const spans: SpanSpec[] = new Array(spanCount);
  const hex = (i: number) => (i + 1).toString(16).padStart(16, '0');
  durations[0] = 4000;
  for (let i = 0; i < spanCount; i++) {
    let parent = -1;
    if (i > 0) {
      parent = Math.max(0, Math.floor((i - 1) / 6) - Math.floor(random() * 3));
      const pd = durations[parent];
      durations[i] = pd * (0.15 + random() * 0.6);
      starts[i] = starts[parent] + random() * (pd - durations[i]);
    }
    const error = i > 0 && random() < 0.01;
    const service = SERVICES[(i * 7 + Math.floor(random() * 3)) % SERVICES.length];
    spans[i] = {
      id: hex(i),
      parent: parent >= 0 ? hex(parent) : undefined,
      name: i === 0 ? 'GET /api/v2.0/projects/big' : OPERATIONS[i % OPERATIONS.length],
      service,
      kind: i === 0 ? 'server' : i % 3 === 0 ? 'client' : 'internal',
      startMs: starts[i],
      durationMs: durations[i],
      attributes: { 'http.request.method': 'GET', 'request.index': i, 'net.peer.name': `${service}.svc` },
      ...(error
        ? {
            status: { code: 'error' as const, message: 'upstream failed' },
            events: [
              {
                name: 'exception',
                atMs: starts[i] + durations[i] / 2,
                attributes: {
                  'exception.type': 'UpstreamError',
                  'exception.message': 'upstream failed',
                  'exception.stacktrace': 'UpstreamError: upstream failed\n    at call (client.go:42)',
                },
              },
            ],
          }
        : {}),
    };
  }
  return tempoV2(traceId, spans);
}

export const PAYLOAD_TRACE_ID = '0000000000000000000000000000bad1';
export const SCRIPT = '<script>window.__pwned = true</script>';
export const IMG = '<img src=x onerror="window.__pwned = true">';
export const JS_URL = 'javascript:window.__pwned=true';

/** The right-to-left override: unisolated, it reverses the rest of the line, UI text included. */
export const RLO = '\u202E';
export const RLO_SERVICE = `${RLO}frontend`;
export const RLO_EVENT = `${RLO}cache miss`;
export const RLO_KEY = `user.${RLO}name`;
export const RLO_VALUE = `${RLO}gpj.exe`;
/** A stray pop-directional-isolate that would close the isolate around it early and let the RLO out. */
export const PDI_ESCAPE = `\u2069${RLO}escape`;
/** Links whose text reads other than they go. */
export const SPOOFED_URL = 'https://grafana.com@evil.example/';
export const REVERSED_URL = `https://evil.example/${RLO}moc.anafarg`;

/**
 * Names, attributes, events and links that would run script if rendered as HTML or followed, or
 * that reverse the UI text around them, or whose link text reads other than it goes.
 */
export function payloadTrace() {
  return tempoV2(PAYLOAD_TRACE_ID, [
    {
      id: '00000000000000a1',
      name: `GET /search?q=${SCRIPT}`,
      service: RLO_SERVICE,
      kind: 'server',
      startMs: 0,
      durationMs: 20,
      attributes: {
        'http.url': JS_URL,
        'user.comment': IMG,
        'docs.url': 'https://grafana.com/docs/tempo/',
        'data.url': 'data:text/html,<script>window.__pwned=true</script>',
        [RLO_KEY]: RLO_VALUE,
        'spoofed.url': SPOOFED_URL,
        'reversed.url': REVERSED_URL,
        'escape.text': PDI_ESCAPE,
      },
      status: { code: 'error', message: SCRIPT },
      events: [
        {
          name: IMG,
          atMs: 5,
          attributes: { 'exception.message': SCRIPT, 'exception.stacktrace': `Error: ${IMG}\n    at x (a.js:1)` },
        },
        { name: RLO_EVENT, atMs: 8 },
      ],
      links: [
        { traceId: '000000000000000000000000000000ff', spanId: '00000000000000ff', attributes: { note: JS_URL } },
      ],
    },
    {
      id: '00000000000000a2',
      parent: '00000000000000a1',
      name: IMG,
      service: `svc ${SCRIPT}`,
      kind: 'client',
      startMs: 2,
      durationMs: 10,
      attributes: { [`key ${IMG}`]: JS_URL },
    },
  ]);
}
