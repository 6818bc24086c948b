/**
 * Deterministic synthetic traces, written straight to Tempo v2 JSON text (as Tempo's
 * /api/v2/traces/<id> answers: base64 IDs, enum names, nanosecond strings).
 *
 * Shape: a root request fans out through 24 services; CLIENT spans get a SERVER child in another
 * service, some calls go to a database (leaf CLIENT spans with db.* attributes), some through a
 * queue (PRODUCER -> CONSUMER, which may outlive its parent), the rest is INTERNAL work. Spans
 * carry 6 to 10 attributes; ~3% have log events, ~2% fail with an exception event.
 */
import { spanIdToBase64, traceIdToBase64 } from '../src/trace/ids';
import { rng } from '../src/components/ServiceMap/layout/force';

const SERVICES = [
  'frontend',
  'gateway',
  'auth',
  'core',
  'registry',
  'jobservice',
  'scanner',
  'notary',
  'billing',
  'search',
  'catalog',
  'cart',
  'checkout',
  'payments',
  'shipping',
  'email',
  'recommend',
  'ads',
  'inventory',
  'pricing',
  'users',
  'audit',
  'quota',
  'webhooks',
];

// mulberry32, small, fast and deterministic: the same generator the service map's layout seeds its jitter with.
export { rng };

const KIND = [
  '',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const T0_MS = 1795247266000;

interface Gen {
  n: number;
  parent: Int32Array;
  service: Int32Array;
  kind: Uint8Array;
  /** ns since T0_MS */
  start: Float64Array;
  dur: Float64Array;
  flavor: Uint8Array; // 0 internal, 1 http, 2 db, 3 messaging
  error: Uint8Array;
}

function hex16(r: () => number): string {
  const a = Math.floor(r() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
  const b = Math.floor(r() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
  return a + b;
}

function fanOut(n: number, seed: number): Gen {
  const r = rng(seed);
  const g: Gen = {
    n,
    parent: new Int32Array(n).fill(-1),
    service: new Int32Array(n),
    kind: new Uint8Array(n),
    start: new Float64Array(n),
    dur: new Float64Array(n),
    flavor: new Uint8Array(n),
    error: new Uint8Array(n),
  };
  g.kind[0] = 2;
  g.flavor[0] = 1;
  g.dur[0] = 8e9;
  let i = 1;
  while (i < n) {
    // prefer recent spans as parents: deep, bursty trees like real request fan-out
    let p = i - 1 - Math.floor((i - 1) * r() ** 3);
    if (g.kind[p] === 3 || g.kind[p] === 4) {
      p = g.flavor[p] === 2 || i - 1 === p || g.parent[p + 1] !== p ? Math.max(0, g.parent[p]) : p + 1;
    }
    const pd = g.dur[p];
    const st = g.start[p] + Math.floor(r() * pd * 0.6);
    const d = Math.max(1000, Math.floor(pd * (0.05 + r() * 0.35)));
    const roll = r();
    const sv = g.service[p];
    g.parent[i] = p;
    g.start[i] = st;
    g.dur[i] = d;
    g.error[i] = r() < 0.02 ? 1 : 0;
    if (roll < 0.4 || i + 1 >= n) {
      g.kind[i] = 1;
      g.service[i] = sv;
      i++;
    } else if (roll < 0.55) {
      g.kind[i] = 3; // database call: a leaf CLIENT span
      g.flavor[i] = 2;
      g.service[i] = sv;
      i++;
    } else {
      const messaging = roll > 0.93;
      g.kind[i] = messaging ? 4 : 3;
      g.flavor[i] = messaging ? 3 : 1;
      g.service[i] = sv;
      const other = (sv + 1 + Math.floor(r() * (SERVICES.length - 1))) % SERVICES.length;
      const off = 20000 + Math.floor(r() * 200000);
      g.parent[i + 1] = i;
      g.service[i + 1] = other;
      g.kind[i + 1] = messaging ? 5 : 2;
      g.flavor[i + 1] = g.flavor[i];
      g.error[i + 1] = g.error[i];
      if (messaging) {
        g.start[i + 1] = st + d + off; // the consumer runs after the producer is done
        g.dur[i + 1] = Math.max(1000, Math.floor(pd * 0.3));
      } else {
        g.start[i + 1] = st + off;
        g.dur[i + 1] = Math.max(1000, d - 2 * off);
      }
      i += 2;
    }
  }
  return g;
}

function chain(n: number): Gen {
  const g: Gen = {
    n,
    parent: new Int32Array(n),
    service: new Int32Array(n),
    kind: new Uint8Array(n).fill(1),
    start: new Float64Array(n),
    dur: new Float64Array(n),
    flavor: new Uint8Array(n),
    error: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    g.parent[i] = i - 1;
    g.service[i] = Math.floor(i / 1000) % SERVICES.length;
    g.start[i] = i * 1000;
    g.dur[i] = (n - i) * 2000 + 500;
  }
  return g;
}

function ns(t: number): string {
  const ms = T0_MS + Math.floor(t / 1e6);
  const sub = String(t % 1e6);
  return String(ms) + '000000'.slice(sub.length) + sub;
}

const s = (k: string, v: string) => `{"key":"${k}","value":{"stringValue":"${v}"}}`;
const int = (k: string, v: number) => `{"key":"${k}","value":{"intValue":"${v}"}}`;
const dbl = (k: string, v: number) => `{"key":"${k}","value":{"doubleValue":${v}}}`;
const bool = (k: string, v: boolean) => `{"key":"${k}","value":{"boolValue":${v}}}`;

function attributes(g: Gen, i: number, r: () => number): string {
  const a: string[] = [];
  const k = g.kind[i];
  const id = i.toString(36);
  if (g.flavor[i] === 2) {
    a.push(s('db.system', 'postgresql'), s('db.name', 'harbor'), s('db.operation', 'SELECT'));
    a.push(
      s('db.statement', `SELECT * FROM t${i % 97} WHERE id = $1`),
      s('server.address', 'db.internal'),
      int('server.port', 5432)
    );
  } else if (g.flavor[i] === 3) {
    a.push(
      s('messaging.system', 'kafka'),
      s('messaging.destination.name', `topic-${i % 13}`),
      s('messaging.operation', k === 4 ? 'publish' : 'process')
    );
    a.push(
      s('messaging.message.id', id),
      int('messaging.batch.message_count', 1 + (i % 5)),
      s('request_id', `req-${id}`)
    );
  } else if (k === 2 || k === 3) {
    a.push(s('http.request.method', i % 5 === 0 ? 'POST' : 'GET'), s('url.path', `/api/v2.0/items/${i % 1000}`));
    a.push(int('http.response.status_code', g.error[i] ? 500 : 200), s('request_id', `req-${id}`));
    a.push(
      k === 3 ? s('server.address', SERVICES[g.service[i + 1] ?? 0]) : s('http.route', '/api/v2.0/items/{id}'),
      int('server.port', 8080)
    );
  } else {
    a.push(s('code.function', `handle${i % 50}`), s('code.namespace', 'app.worker'), int('thread.id', i % 64));
    a.push(bool('cache.hit', i % 3 === 0), dbl('sample.ratio', (i % 100) / 8 + 0.25), int('items', i % 1000));
  }
  const extra = Math.floor(r() * 5);
  for (let e = 0; e < extra; e++) {
    a.push(s(`app.tag.${e}`, `value-${(i * 7 + e) % 1000}`));
  }
  return a.join(',');
}

function spanJson(g: Gen, i: number, ids: string[], traceB64: string, r: () => number): string {
  const p = g.parent[i];
  const st = g.start[i];
  const end = st + g.dur[i];
  let events = '';
  if (g.error[i] && r() < 0.5) {
    events =
      `,"events":[{"timeUnixNano":"${ns(end - 1000)}","name":"exception","attributes":[` +
      `${s('exception.type', 'Error')},${s('exception.message', 'database deadlock detected')}]}]`;
  } else if (r() < 0.03) {
    events = `,"events":[{"timeUnixNano":"${ns(st + 500)}","name":"cache miss","attributes":[${s('cache.key', `k${i % 977}`)}]}]`;
  }
  const status = g.error[i] ? '{"code":"STATUS_CODE_ERROR","message":"HTTP 500"}' : '{}';
  const name =
    g.flavor[i] === 2
      ? `SELECT t${i % 97}`
      : g.flavor[i] === 3
        ? `topic-${i % 13} ${g.kind[i] === 4 ? 'publish' : 'process'}`
        : g.kind[i] === 1
          ? `handle${i % 50}`
          : `GET /api/v2.0/items/{id}`;
  return (
    `{"traceId":"${traceB64}","spanId":"${ids[i]}"` +
    (p >= 0 ? `,"parentSpanId":"${ids[p]}"` : '') +
    `,"name":"${name}","kind":"${KIND[g.kind[i]]}","startTimeUnixNano":"${ns(st)}","endTimeUnixNano":"${ns(end)}"` +
    `,"attributes":[${attributes(g, i, r)}]${events},"status":${status}}`
  );
}

function resourceJson(sv: number): string {
  return (
    `{"attributes":[${s('service.name', SERVICES[sv])},${s('service.namespace', 'harbor')},` +
    `${s('service.version', `1.${sv}.0`)},${s('deployment.environment', 'bench')},${s('host.name', `node-${sv % 7}`)},` +
    `${s('telemetry.sdk.language', 'nodejs')}]}`
  );
}

export interface GeneratedCase {
  spans: number;
  bytes: number;
}

/**
 * Writes the trace as one or more Tempo v2 documents of at most `chunkSpans` spans each (a
 * JavaScript string cannot exceed ~512 MiB, less than 1M spans of JSON) and hands each to `emit`.
 */
export function generate(
  kind: 'fanout' | 'chain',
  n: number,
  chunkSpans: number,
  emit: (text: string) => void
): GeneratedCase {
  const g = kind === 'fanout' ? fanOut(n, 42 + n) : chain(n);
  const r = rng(7 + n);
  const ids: string[] = new Array(n);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    let h = hex16(r);
    while (seen.has(h)) {
      h = hex16(r);
    }
    seen.add(h);
    ids[i] = spanIdToBase64(h);
  }
  seen.clear();
  const traceB64 = traceIdToBase64(hex16(r) + hex16(r));
  // spans grouped by service, as Tempo groups them by resource
  const byService: number[][] = SERVICES.map(() => []);
  for (let i = 0; i < n; i++) {
    byService[g.service[i]].push(i);
  }
  let bytes = 0;
  let parts: string[] = [];
  let inChunk = 0;
  const flush = () => {
    if (parts.length > 0) {
      const text = `{"trace":{"resourceSpans":[${parts.join(',')}]}}`;
      bytes += text.length;
      parts = [];
      inChunk = 0;
      emit(text);
    }
  };
  for (let sv = 0; sv < SERVICES.length; sv++) {
    const list = byService[sv];
    let k = 0;
    while (k < list.length) {
      const take = Math.min(list.length - k, chunkSpans - inChunk);
      const spans: string[] = new Array(take);
      for (let j = 0; j < take; j++) {
        spans[j] = spanJson(g, list[k + j], ids, traceB64, r);
      }
      parts.push(
        `{"resource":${resourceJson(sv)},"scopeSpans":[{"scope":{"name":"bench","version":"1.0.0"},"spans":[${spans.join(',')}]}]}`
      );
      k += take;
      inChunk += take;
      if (inChunk >= chunkSpans) {
        flush();
      }
    }
  }
  flush();
  return { spans: n, bytes };
}
