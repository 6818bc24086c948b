// Five services shaped like a Harbor container registry:
//
//   harbor-ui -> gateway -> core -> registry
//                               \-> jobservice
//                               \-> PostgreSQL (simulated CLIENT spans, no real database)
//
// What happens depends only on the requested artifact, so the load generator and the test
// can pick a path on purpose:
//   reference "missing"     core finds no row                  -> 404
//   reference "corrupt"     registry fails reading the manifest -> 500, exception event
//   repository "big-model"  core also reads the config blob; the registry is slow at it
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind } from '@opentelemetry/api';
import { startService } from './http.js';
import { createTracing } from './tracing.js';

export const SERVICE_NAMES = ['harbor-ui', 'gateway', 'core', 'registry', 'jobservice'];
export const DEFAULT_PORTS = { 'harbor-ui': 8080, gateway: 8081, core: 8082, registry: 5000, jobservice: 8083 };

export const UI_ROUTE = '/harbor/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}';
const API_ROUTE = '/api/v2.0/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}';
const MANIFEST_ROUTE = '/v2/{project_name}/{repository_name}/manifests/{reference}';
const BLOB_ROUTE = '/v2/{project_name}/{repository_name}/blobs/{digest}';
const JOBS_ROUTE = '/api/v1/jobs';

class StorageDriverError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StorageDriverError';
  }
}

export function artifactPath(prefix, { project_name, repository_name, reference }) {
  return `${prefix}/projects/${project_name}/repositories/${encodeURIComponent(repository_name)}/artifacts/${reference}`;
}

function digestOf(text) {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/**
 * Starts all services. Ports default to 0 (any free port); upstream URLs are wired from the
 * ports actually bound, so callees start first.
 *
 * @param {object} options
 * @param {string} options.otlpEndpoint
 * @param {string} [options.host]
 * @param {Record<string, number>} [options.ports]
 * @param {number} [options.latencyScale] 0 removes the simulated per-hop latency
 * @param {number} [options.slowBlobMs] how long the registry takes to read a big blob
 * @param {number} [options.flushDelayMs]
 */
export async function startHarbor({
  otlpEndpoint,
  host = '127.0.0.1',
  ports = {},
  latencyScale = 1,
  slowBlobMs = 1500,
  flushDelayMs,
}) {
  const tracing = Object.fromEntries(
    SERVICE_NAMES.map((serviceName) => [serviceName, createTracing({ serviceName, otlpEndpoint, flushDelayMs })])
  );
  const tracer = (name) => tracing[name].tracer;
  const pause = (minMs, maxMs) => sleep(latencyScale * (minMs + Math.random() * (maxMs - minMs)));
  const started = {};
  const start = async (name, options) => {
    started[name] = await startService({ name, tracer: tracer(name), host, port: ports[name] ?? 0, ...options });
    return started[name].url;
  };

  async function queryDatabase(ctx, { operation, table, text, rows }) {
    const span = tracer('core').startSpan(
      `${operation} ${table}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'postgresql',
          // Pre-1.26 semantic-convention key; older tooling still keys database nodes on it.
          'db.system': 'postgresql',
          'db.namespace': 'registry',
          'db.operation.name': operation,
          'db.collection.name': table,
          'db.query.text': text,
          'server.address': 'postgres',
          'server.port': 5432,
        },
      },
      ctx
    );
    await pause(2, 12);
    span.setAttribute('db.response.returned_rows', rows);
    span.end();
    return rows;
  }

  const registry = await start('registry', {
    routes: [
      {
        method: 'GET',
        template: MANIFEST_ROUTE,
        handler: async ({ params }) => {
          await pause(3, 15);
          const name = `${params.project_name}/${params.repository_name}`;
          if (params.reference === 'corrupt') {
            throw new StorageDriverError(
              `filesystem: unexpected EOF reading /storage/docker/registry/v2/blobs/${digestOf(name).slice(7, 9)}/data`
            );
          }
          return {
            status: 200,
            body: {
              schemaVersion: 2,
              mediaType: 'application/vnd.oci.image.manifest.v1+json',
              config: { digest: digestOf(`${name}:${params.reference}:config`) },
              layers: [{ digest: digestOf(`${name}:${params.reference}:layer`) }],
            },
          };
        },
      },
      {
        method: 'GET',
        template: BLOB_ROUTE,
        handler: async ({ params, ctx }) => {
          // The slow part gets its own span so the waterfall shows where the time went.
          const read = tracer('registry').startSpan(
            'storage read blob',
            { attributes: { 'blob.digest': params.digest } },
            ctx
          );
          await sleep(slowBlobMs * (0.8 + Math.random() * 0.4));
          read.end();
          return { status: 200, body: { digest: params.digest, size: 4_831_838_208 } };
        },
      },
    ],
  });

  const jobservice = await start('jobservice', {
    routes: [
      {
        method: 'POST',
        template: JOBS_ROUTE,
        handler: async ({ body }) => {
          await pause(5, 25);
          return { status: 202, body: { id: randomUUID(), name: body?.name, status: 'Pending' } };
        },
      },
    ],
  });

  const core = await start('core', {
    upstreams: { registry, jobservice },
    routes: [
      {
        method: 'GET',
        template: API_ROUTE,
        handler: async ({ params, ctx, call }) => {
          const name = `${params.project_name}/${params.repository_name}`;
          const found = await queryDatabase(ctx, {
            operation: 'SELECT',
            table: 'artifact',
            text:
              'SELECT a.id, a.digest, a.manifest_media_type FROM artifact a JOIN tag t ON t.artifact_id = a.id ' +
              'WHERE a.repository_name = $1 AND t.name = $2',
            rows: params.reference === 'missing' ? 0 : 1,
          });
          if (found === 0) {
            return {
              status: 404,
              body: { errors: [{ code: 'NOT_FOUND', message: `artifact ${name}:${params.reference} not found` }] },
            };
          }

          const manifest = await call('registry', {
            path: `/v2/${name}/manifests/${params.reference}`,
            template: MANIFEST_ROUTE,
          });
          if (manifest.status !== 200) {
            return {
              status: 500,
              body: {
                errors: [
                  { code: 'UNKNOWN', message: `registry answered ${manifest.status} for ${name}:${params.reference}` },
                ],
              },
            };
          }
          if (params.repository_name === 'big-model') {
            await call('registry', { path: `/v2/${name}/blobs/${manifest.body.config.digest}`, template: BLOB_ROUTE });
          }
          const digest = digestOf(`${name}:${params.reference}`);
          await call('jobservice', {
            method: 'POST',
            path: JOBS_ROUTE,
            template: JOBS_ROUTE,
            body: { name: 'IMAGE_SCAN', parameters: { artifact: `${name}@${digest}` } },
          });
          await queryDatabase(ctx, {
            operation: 'UPDATE',
            table: 'artifact',
            text: 'UPDATE artifact SET pull_time = now() WHERE digest = $1',
            rows: 1,
          });
          return { status: 200, body: { digest, repository_name: name, tags: [{ name: params.reference }] } };
        },
      },
    ],
  });

  const gateway = await start('gateway', {
    upstreams: { core },
    routes: [
      {
        method: 'GET',
        template: API_ROUTE,
        handler: async ({ params, call }) => {
          await pause(1, 4);
          return call('core', { path: artifactPath('/api/v2.0', params), template: API_ROUTE });
        },
      },
    ],
  });

  await start('harbor-ui', {
    edge: true,
    upstreams: { gateway },
    routes: [
      {
        method: 'GET',
        template: UI_ROUTE,
        handler: async ({ params, call }) => {
          await pause(1, 6);
          return call('gateway', { path: artifactPath('/api/v2.0', params), template: API_ROUTE });
        },
      },
    ],
  });

  return {
    urls: Object.fromEntries(Object.entries(started).map(([name, service]) => [name, service.url])),
    /** Stops the servers, then flushes every provider's pending spans. */
    close: async () => {
      for (const name of SERVICE_NAMES) {
        await started[name]?.close();
      }
      const results = await Promise.allSettled(Object.values(tracing).map(({ provider }) => provider.shutdown()));
      for (const result of results.filter((r) => r.status === 'rejected')) {
        console.error(`[demo] final span export failed: ${result.reason?.message ?? result.reason}`);
      }
    },
  };
}
