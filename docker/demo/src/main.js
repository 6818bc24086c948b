// Entry point of the demo container: all services in one process, plus the load generator.
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { DEFAULT_PORTS, startHarbor } from './harbor.js';
import { startLoadGenerator } from './load.js';

// Surface export failures (collector unreachable) instead of dropping spans silently.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

const otlpEndpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318';
const intervalMs = Number(process.env.LOAD_INTERVAL_MS ?? 500);

const harbor = await startHarbor({ otlpEndpoint, host: process.env.HOST ?? '0.0.0.0', ports: DEFAULT_PORTS });
console.log(`[demo] services up: ${JSON.stringify(harbor.urls)}; exporting OTLP/HTTP to ${otlpEndpoint}`);

// LOAD_INTERVAL_MS=0 leaves the services idle, e.g. to send requests by hand.
const load = intervalMs > 0 ? startLoadGenerator({ baseUrl: harbor.urls['harbor-ui'], intervalMs }) : null;

let stopping = false;
async function shutdown(signal) {
  if (stopping) {
    return;
  }
  stopping = true;
  console.log(`[demo] ${signal}: flushing spans and stopping`);
  await load?.stop();
  await harbor.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
