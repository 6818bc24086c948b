/**
 * `npm run bench trace-stats`: the statistics of a 100,000-span trace (`traceStats`, self times included), as
 * `traceway trace --stats` and the Statistics view compute them once the trace is read. Parsing is the model's own
 * bench (bench/case.ts) and is not timed here. Prints one JSON line:
 * `{"case":"stats-100k","spans":100000,"ms":<median>, ...}` (target ≤ 100 ms).
 *
 * The trace comes from bench/generate.ts (a fan-out through 24 services with database and queue calls, siblings
 * overlapping), the same generator as the 100k model case.
 */
import { generate } from './generate';
import { parseTrace, traceStats } from '../src/trace';

const SPANS = 100_000;
const RUNS = 15;
const WARMUP = 5;

let text = '';
generate('fanout', SPANS, SPANS, (t) => (text = t));
const trace = parseTrace(text);
text = '';
if (trace.spans.length !== SPANS) {
  throw new Error(`expected ${SPANS} spans, generated ${trace.spans.length}`);
}

const gc = (globalThis as { gc?: () => void }).gc;
const times: number[] = [];
let groups = 0;
for (let run = 0; run < WARMUP + RUNS; run++) {
  gc?.();
  const t0 = performance.now();
  const stats = traceStats(trace);
  const ms = performance.now() - t0;
  if (run >= WARMUP) {
    times.push(ms);
  }
  groups = stats.byOperation.length;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
process.stdout.write(
  JSON.stringify({
    case: 'stats-100k',
    spans: SPANS,
    ms: Number(median.toFixed(1)),
    max_ms: Number(times[times.length - 1].toFixed(1)),
    groups,
    services: trace.services.length,
    runs: RUNS,
  }) + '\n'
);
process.stderr.write(`trace-stats: ${SPANS} spans, ${groups} service + operation groups\n`);
