#!/usr/bin/env node
// Records real traces from the demo app (docker/demo) as the OpenTelemetry Collector's file exporter
// would hold them: JSON Lines, one OTLP/JSON export request body per line, byte for byte as received.
//
//   npm --prefix docker/demo ci        # once
//   node scripts/capture-demo-traces.mjs [--out FILE] [--traces N] [--max-seconds S] [--max-requests R]
//
// It starts a small OTLP/HTTP receiver on 127.0.0.1 (any free port), then runs the demo's own entry
// point (docker/demo/src/main.js: the five services on their default ports, bound to 127.0.0.1, and
// the load generator) with its exporter pointed at that receiver. Once N traces have arrived (counted
// by their root spans) it sends the demo SIGTERM, which lets the load generator finish its request
// and flushes every service's spans; then it writes the file and stops. Bounded: at most S seconds of
// traffic, R export requests, 4 MiB per request, and 15 s for the demo to stop before it is killed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = join(ROOT, 'docker', 'demo');

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'fixtures', 'otel-js-demo', 'demo-traces.jsonl') },
    // 22 traces cover every path of the load generator's twelve-step cycle at least twice and keep
    // the file under 300 KB (about 12.5 KB a trace); ask for more to judge a bigger sample.
    traces: { type: 'string', default: '22' },
    'max-seconds': { type: 'string', default: '120' },
    'max-requests': { type: 'string', default: '400' },
    'load-interval-ms': { type: 'string', default: '500' },
  },
});
const wantTraces = Number(args.traces);
const maxSeconds = Number(args['max-seconds']);
const maxRequests = Number(args['max-requests']);
const MAX_BODY = 4 << 20;
const STOP_GRACE_MS = 15_000;

if (!existsSync(join(DEMO, 'node_modules', '@opentelemetry', 'sdk-trace-base'))) {
  console.error('docker/demo/node_modules is missing: run `npm --prefix docker/demo ci` first');
  process.exit(2);
}

const bodies = []; // Buffers, in arrival order
const roots = new Set();
const problems = [];
let stopping = null;

function attr(list, key) {
  const found = (list ?? []).find((a) => a.key === key);
  return found?.value?.stringValue;
}

const receiver = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY) {
      chunks.push(chunk);
    }
  });
  req.on('end', () => {
    const reply = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      return reply(404, '{}');
    }
    if (size > MAX_BODY) {
      problems.push(`a request of ${size} bytes was refused`);
      return reply(413, '{}');
    }
    if (bodies.length >= maxRequests) {
      problems.push('more export requests than --max-requests; later ones were refused');
      stop('request limit');
      return reply(503, '{}');
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) {
      problems.push(`content-type ${type}: set OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json`);
      stop('not JSON');
      return reply(415, '{}');
    }
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') {
      body = gunzipSync(body); // the file exporter holds the decoded JSON, so does this file
    }
    let doc;
    try {
      doc = JSON.parse(body.toString('utf8'));
    } catch (err) {
      problems.push(`an export that is not JSON: ${err.message}`);
      return reply(400, '{}');
    }
    if (body.includes(0x0a)) {
      problems.push('an export body with a line break: it cannot be one JSON Lines line');
      return reply(400, '{}');
    }
    bodies.push(body);
    for (const rs of doc.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          if (!span.parentSpanId) {
            roots.add(span.traceId);
          }
        }
      }
    }
    if (roots.size >= wantTraces) {
      stop(`${roots.size} traces`);
    }
    reply(200, '{}');
  });
});
await new Promise((ok) => receiver.listen(0, '127.0.0.1', ok));
const endpoint = `http://127.0.0.1:${receiver.address().port}`;
console.log(`[capture] OTLP/HTTP receiver at ${endpoint}; waiting for ${wantTraces} traces`);

// The demo with a clean OTEL_* environment, so that a re-run does not depend on the caller's shell.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_')));
Object.assign(env, {
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
  HOST: '127.0.0.1',
  LOAD_INTERVAL_MS: args['load-interval-ms'],
});
const demo = spawn(process.execPath, [join(DEMO, 'src', 'main.js')], { cwd: DEMO, env, stdio: 'inherit' });
const exited = new Promise((ok) => {
  demo.once('exit', (code, signal) => ok({ code, signal }));
  demo.once('error', (err) => ok({ code: null, signal: err.message }));
});
const deadline = setTimeout(() => stop(`${maxSeconds} s limit`), maxSeconds * 1000);

function stop(why) {
  if (!stopping) {
    console.log(`[capture] stopping the demo (${why})`);
    clearTimeout(deadline);
    demo.kill('SIGTERM');
    const kill = setTimeout(() => {
      problems.push(`the demo did not stop within ${STOP_GRACE_MS / 1000} s and was killed`);
      demo.kill('SIGKILL');
    }, STOP_GRACE_MS);
    stopping = exited.finally(() => clearTimeout(kill));
  }
  return stopping;
}

const { code, signal } = await exited;
if (!stopping) {
  problems.push(`the demo exited by itself (code ${code}, signal ${signal})`);
}
clearTimeout(deadline);
await stopping;
await new Promise((ok) => {
  receiver.closeAllConnections();
  receiver.close(ok);
});

// Check what arrived: every trace complete (one root, every parent present).
const traces = new Map();
for (const body of bodies) {
  for (const rs of JSON.parse(body.toString('utf8')).resourceSpans ?? []) {
    const service = attr(rs.resource?.attributes, 'service.name');
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        let t = traces.get(span.traceId);
        if (!t) {
          traces.set(span.traceId, (t = { spans: new Map(), services: new Set() }));
        }
        t.spans.set(span.spanId, span);
        t.services.add(service);
      }
    }
  }
}
let spanCount = 0;
for (const [id, t] of traces) {
  spanCount += t.spans.size;
  const rootsOf = [...t.spans.values()].filter((s) => !s.parentSpanId);
  const missing = [...t.spans.values()].filter((s) => s.parentSpanId && !t.spans.has(s.parentSpanId));
  if (rootsOf.length !== 1 || missing.length > 0) {
    problems.push(`trace ${id} is incomplete: ${rootsOf.length} roots, ${missing.length} spans without their parent`);
  }
}

if (bodies.length > 0) {
  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  const text = Buffer.concat(bodies.flatMap((b) => [b, Buffer.from('\n')]));
  writeFileSync(`${out}.tmp`, text);
  renameSync(`${out}.tmp`, out);
  console.log(
    `[capture] ${relative(process.cwd(), out)}: ${bodies.length} exports, ${traces.size} traces, ` +
      `${spanCount} spans, ${text.length} bytes`
  );
}
if (roots.size < wantTraces) {
  problems.push(`only ${roots.size} of the ${wantTraces} traces asked for arrived`);
}
for (const p of problems) {
  console.error(`[capture] problem: ${p}`);
}
process.exit(problems.length > 0 || bodies.length === 0 ? 1 : 0);
