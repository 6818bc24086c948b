// One tracer provider per demo service, so each service exports spans under its own
// resource (service.name) even though all services share one Node.js process.
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';

export const HARBOR_VERSION = '2.13.1';

/**
 * @param {object} options
 * @param {string} options.serviceName
 * @param {string} options.otlpEndpoint base OTLP/HTTP URL, e.g. http://otel-collector:4318
 * @param {number} [options.flushDelayMs] batch processor delay; the test lowers it
 */
export function createTracing({ serviceName, otlpEndpoint, flushDelayMs = 1000 }) {
  // The OTLP/HTTP exporter sends JSON, which keeps the test's receiver trivial.
  const exporter = new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': serviceName,
      'service.namespace': 'harbor',
      'service.version': HARBOR_VERSION,
      'deployment.environment.name': 'demo',
    }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: flushDelayMs })],
  });
  return { tracer: provider.getTracer('traceway-demo', HARBOR_VERSION), provider };
}
