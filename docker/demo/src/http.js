// Minimal hand-rolled HTTP instrumentation. Spans follow the OpenTelemetry HTTP semantic
// conventions; contexts are passed explicitly instead of through a global context manager
// because every service in this process has its own tracer provider.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const propagator = new W3CTraceContextPropagator();
const REQUEST_ID_HEADER = 'x-request-id';

/** Turns '/v2/{project}/{repository}' into a matcher returning the named params. */
function compileTemplate(template) {
  const names = [];
  const source = template.replace(/\{([a-z_]+)\}/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${source}$`);
  return (path) => {
    const match = regex.exec(path);
    return match ? Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])])) : null;
  };
}

function requestIdAttributes(requestId) {
  // Same shape as @opentelemetry/instrumentation-http's headersToSpanAttributes: a string array.
  return requestId ? { request_id: requestId, [`http.request.header.${REQUEST_ID_HEADER}`]: [requestId] } : {};
}

/**
 * Starts one instrumented service.
 *
 * Route handlers receive { params, body, ctx, span, requestId, call } and return { status, body }.
 * A thrown error becomes a 500 with an exception event on the server span.
 *
 * @param {object} options
 * @param {string} options.name service name, used in logs
 * @param {import('@opentelemetry/api').Tracer} options.tracer
 * @param {Array<{method: string, template: string, handler: Function}>} options.routes
 * @param {Record<string, string>} options.upstreams base URLs of the services this one calls
 * @param {boolean} [options.edge] generate an X-Request-ID when the caller sent none
 * @param {string} options.host
 * @param {number} options.port 0 picks a free port
 */
export async function startService({ name, tracer, routes, upstreams = {}, edge = false, host, port }) {
  const compiled = routes.map((route) => ({ ...route, match: compileTemplate(route.template) }));

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error(`[${name}] unhandled error`, err);
      if (!res.headersSent) {
        res.writeHead(500).end();
      }
    });
  });

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }

    let requestId = req.headers[REQUEST_ID_HEADER];
    if (Array.isArray(requestId)) {
      requestId = requestId[0];
    }
    if (!requestId && edge) {
      requestId = randomUUID();
    }

    let route;
    let params = null;
    for (const candidate of compiled) {
      if (candidate.method === req.method && (params = candidate.match(url.pathname))) {
        route = candidate;
        break;
      }
    }

    const parentCtx = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const span = tracer.startSpan(
      route ? `${req.method} ${route.template}` : `${req.method}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': url.pathname,
          'url.scheme': 'http',
          'server.address': url.hostname,
          'server.port': Number(url.port) || 80,
          'network.protocol.version': req.httpVersion,
          ...(route ? { 'http.route': route.template } : {}),
          ...(req.headers['user-agent'] ? { 'user_agent.original': req.headers['user-agent'] } : {}),
          ...requestIdAttributes(requestId),
        },
      },
      parentCtx
    );
    const ctx = trace.setSpan(parentCtx, span);

    let status;
    let body;
    try {
      if (!route) {
        status = 404;
        body = { errors: [{ code: 'NOT_FOUND', message: `no route for ${req.method} ${url.pathname}` }] };
      } else {
        const requestBody = await readJson(req);
        const call = (service, options) => callService(tracer, ctx, upstreams[service], { ...options, requestId });
        ({ status, body } = await route.handler({ params, body: requestBody, ctx, span, requestId, call }));
      }
    } catch (err) {
      span.recordException(err);
      status = 500;
      body = { errors: [{ code: 'UNKNOWN', message: err.message }] };
    }

    span.setAttribute('http.response.status_code', status);
    // Server spans only turn red for 5xx; a 404 is the caller's problem (HTTP semconv).
    if (status >= 500) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR, message: body?.errors?.[0]?.message ?? `HTTP ${status}` });
    }
    res.writeHead(status, {
      'content-type': 'application/json',
      ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
    });
    res.end(JSON.stringify(body ?? {}));
    span.end();
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });

  return {
    name,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  if (chunks.length === 0) {
    return undefined;
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * One instrumented outgoing request: a CLIENT span, W3C traceparent and the request ID
 * forwarded. 4xx and 5xx answers mark the client span as failed (HTTP semconv).
 */
export async function callService(tracer, parentCtx, baseUrl, { method = 'GET', path, template, body, requestId }) {
  if (!baseUrl) {
    throw new Error(`no upstream URL configured for ${path}`);
  }
  const url = new URL(path, baseUrl);
  const span = tracer.startSpan(
    `${method} ${template}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'url.full': url.href,
        'url.template': template,
        'server.address': url.hostname,
        'server.port': Number(url.port),
      },
    },
    parentCtx
  );

  const headers = { accept: 'application/json' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (requestId) {
    headers[REQUEST_ID_HEADER] = requestId;
  }
  propagator.inject(trace.setSpan(parentCtx, span), headers, defaultTextMapSetter);

  try {
    const res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const payload = await res.json().catch(() => null);
    span.setAttribute('http.response.status_code', res.status);
    if (res.status >= 400) {
      span.setAttribute('error.type', String(res.status));
      span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.status}` });
    }
    return { status: res.status, body: payload };
  } catch (err) {
    span.recordException(err);
    span.setAttribute('error.type', err.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    throw err;
  } finally {
    span.end();
  }
}
