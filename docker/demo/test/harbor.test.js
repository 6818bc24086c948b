// Starts the demo services on 127.0.0.1 with a tiny in-process OTLP/HTTP (JSON) receiver,
// sends one request per path and checks the span tree that comes out.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { SERVICE_NAMES, startHarbor } from '../src/harbor.js';
import { scenarioPath } from '../src/load.js';

const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 }; // OTLP enum values
const STATUS = { UNSET: 0, OK: 1, ERROR: 2 };

function attributeValue(value) {
  if (value.arrayValue) {
    return (value.arrayValue.values ?? []).map(attributeValue);
  }
  return value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
}

function attributes(list = []) {
  return Object.fromEntries(list.map(({ key, value }) => [key, attributeValue(value)]));
}

/** Collects spans from OTLP/HTTP JSON export requests, flattened with their service name. */
async function startOtlpReceiver() {
  const spans = [];
  const exports = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') {
        raw = gunzipSync(raw);
      }
      exports.push({ method: req.method, path: req.url, contentType: req.headers['content-type'] });
      for (const resourceSpans of JSON.parse(raw.toString('utf8')).resourceSpans ?? []) {
        const service = attributes(resourceSpans.resource?.attributes)['service.name'];
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            spans.push({
              service,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: span.kind,
              attributes: attributes(span.attributes),
              status: span.status?.code ?? STATUS.UNSET,
              events: (span.events ?? []).map((event) => ({
                name: event.name,
                attributes: attributes(event.attributes),
              })),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    spans,
    exports,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('Harbor demo traces', { timeout: 30_000 }, () => {
  let receiver;
  let harbor;
  const responses = {};
  let spans = [];

  const traceOf = (scenario) => spans.filter((span) => span.traceId === responses[scenario].traceId);
  const find = (list, predicate, what) => {
    const found = list.find(predicate);
    assert.ok(found, `expected ${what}`);
    return found;
  };
  const serverSpan = (list, service) =>
    find(list, (s) => s.service === service && s.kind === SPAN_KIND.SERVER, `a SERVER span from ${service}`);
  const parentOf = (list, span) => list.find((candidate) => candidate.spanId === span.parentSpanId);

  before(async () => {
    receiver = await startOtlpReceiver();
    harbor = await startHarbor({ otlpEndpoint: receiver.url, latencyScale: 0, slowBlobMs: 20, flushDelayMs: 50 });

    const requests = {
      ok: { project_name: 'library', repository_name: 'nginx', reference: '1.27' },
      slow: { project_name: 'ml', repository_name: 'big-model', reference: 'v3' },
      missing: { project_name: 'library', repository_name: 'alpine', reference: 'missing' },
      corrupt: { project_name: 'library', repository_name: 'nginx', reference: 'corrupt' },
    };
    for (const [scenario, artifact] of Object.entries(requests)) {
      const res = await fetch(`${harbor.urls['harbor-ui']}${scenarioPath(artifact)}`);
      await res.arrayBuffer();
      responses[scenario] = { status: res.status, requestId: res.headers.get('x-request-id') };
    }

    await harbor.close(); // shuts the providers down, which flushes every pending span
    harbor = undefined;
    spans = receiver.spans;
    // Each request's trace is rooted at harbor-ui's SERVER span, found by request ID.
    for (const response of Object.values(responses)) {
      const root = spans.find(
        (s) =>
          s.service === 'harbor-ui' && s.kind === SPAN_KIND.SERVER && s.attributes.request_id === response.requestId
      );
      response.traceId = root?.traceId;
    }
  });

  after(async () => {
    await harbor?.close();
    await receiver?.close();
  });

  it('answers each path with the expected status and a request ID from the edge', () => {
    assert.deepEqual(Object.fromEntries(Object.entries(responses).map(([scenario, r]) => [scenario, r.status])), {
      ok: 200,
      slow: 200,
      missing: 404,
      corrupt: 500,
    });
    const ids = Object.values(responses).map((r) => r.requestId);
    ids.forEach((id) => assert.match(id, /^[0-9a-f-]{36}$/));
    assert.equal(new Set(ids).size, ids.length, 'request IDs are unique');
    Object.values(responses).forEach((r) => assert.ok(r.traceId, `a trace for request ${r.requestId}`));
  });

  it('exports OTLP/HTTP JSON to /v1/traces', () => {
    assert.ok(receiver.exports.length > 0);
    for (const request of receiver.exports) {
      assert.deepEqual([request.method, request.path], ['POST', '/v1/traces']);
      assert.match(request.contentType ?? '', /^application\/json/);
    }
  });

  it('exports spans from every service, each under its own service.name', () => {
    assert.deepEqual([...new Set(spans.map((s) => s.service))].sort(), [...SERVICE_NAMES].sort());
  });

  it('links harbor-ui -> gateway -> core -> registry and core -> jobservice through traceparent', () => {
    const trace = traceOf('ok');
    const root = serverSpan(trace, 'harbor-ui');
    assert.equal(root.parentSpanId, undefined, 'harbor-ui SERVER span is the root');

    for (const [caller, callee] of [
      ['harbor-ui', 'gateway'],
      ['gateway', 'core'],
      ['core', 'registry'],
      ['core', 'jobservice'],
    ]) {
      const server = serverSpan(trace, callee);
      const client = parentOf(trace, server);
      assert.ok(client, `${callee} SERVER span has a parent in the same trace`);
      assert.equal(client.service, caller, `${callee} is called by ${caller}`);
      assert.equal(client.kind, SPAN_KIND.CLIENT);
      assert.equal(
        parentOf(trace, client),
        serverSpan(trace, caller),
        `${caller}'s CLIENT span sits under its SERVER span`
      );
    }
    assert.ok(trace.every((s) => s.traceId === root.traceId));
  });

  it('records the request ID on every server span, as request_id and as a header array', () => {
    for (const [scenario, response] of Object.entries(responses)) {
      const servers = traceOf(scenario).filter((s) => s.kind === SPAN_KIND.SERVER);
      assert.ok(servers.length >= 3, `${scenario}: at least harbor-ui, gateway and core served it`);
      for (const span of servers) {
        assert.equal(span.attributes.request_id, response.requestId, `${scenario}: ${span.service} request_id`);
        assert.deepEqual(span.attributes['http.request.header.x-request-id'], [response.requestId]);
      }
    }
  });

  it('records the PostgreSQL query as a CLIENT span of core', () => {
    const db = find(
      traceOf('ok'),
      (s) => s.attributes['db.system.name'] === 'postgresql' && s.attributes['db.operation.name'] === 'SELECT',
      'a SELECT database span'
    );
    assert.equal(db.service, 'core');
    assert.equal(db.kind, SPAN_KIND.CLIENT);
    assert.equal(db.attributes['db.system'], 'postgresql');
    assert.match(db.attributes['db.query.text'], /^SELECT .* FROM artifact/);
    assert.equal(db.attributes['server.address'], 'postgres');
    assert.equal(parentOf(traceOf('ok'), db), serverSpan(traceOf('ok'), 'core'));
  });

  it('marks the failing registry read as an error with an exception event, up to the edge', () => {
    const trace = traceOf('corrupt');
    const registry = serverSpan(trace, 'registry');
    assert.equal(registry.status, STATUS.ERROR);
    assert.equal(registry.attributes['http.response.status_code'], 500);
    const exception = find(registry.events, (e) => e.name === 'exception', 'an exception event');
    assert.equal(exception.attributes['exception.type'], 'StorageDriverError');
    assert.match(exception.attributes['exception.message'], /unexpected EOF/);
    for (const service of ['core', 'gateway', 'harbor-ui']) {
      assert.equal(serverSpan(trace, service).status, STATUS.ERROR, `${service} SERVER span is an error`);
    }
    assert.ok(!trace.some((s) => s.service === 'jobservice'), 'no scan job for a broken artifact');
  });

  it('answers 404 without an error status on server spans and without calling the registry', () => {
    const trace = traceOf('missing');
    const core = serverSpan(trace, 'core');
    assert.equal(core.attributes['http.response.status_code'], 404);
    assert.equal(core.status, STATUS.UNSET);
    assert.ok(!trace.some((s) => s.service === 'registry'));
  });

  it('reads the big blob in its own span on the slow path', () => {
    const trace = traceOf('slow');
    const blob = find(
      trace,
      (s) => s.service === 'registry' && s.attributes['http.route']?.includes('/blobs/'),
      'a blob request'
    );
    const read = find(trace, (s) => s.name === 'storage read blob', 'a storage read span');
    assert.equal(read.kind, SPAN_KIND.INTERNAL);
    assert.equal(read.parentSpanId, blob.spanId);
  });
});
