/**
 * `npm run bench trace-stats`: the statistics of a 100,000-span trace (`traceStats`, self times included), as
 * `traceway trace --stats` and the Statistics view compute them once the trace is read. Parsing is the model's own
 * bench (bench/case.ts) and is not timed here. Prints one JSON line:
 * `{"case":"stats-100k","spans":100000,"ms":<median>, ...}` (target ≤ 100 ms).
 *
 * The trace comes from bench/generate.ts (a fan-out through 24 services with database and queue calls, siblings
 * overlapping), the same generator as the 100k model case.
 */
import { fanoutTrace } from './fanoutTrace';
import { timeRuns } from './timing';
import { traceStats } from '../src/trace';

const SPANS = 100_000;
const RUNS = 15;
const WARMUP = 5;

const trace = fanoutTrace(SPANS);

const { result: stats, ms, maxMs } = timeRuns(() => traceStats(trace), RUNS, WARMUP);
const groups = stats.byOperation.length;
process.stdout.write(
  JSON.stringify({
    case: 'stats-100k',
    spans: SPANS,
    ms,
    max_ms: maxMs,
    groups,
    services: trace.services.length,
    runs: RUNS,
  }) + '\n'
);
process.stderr.write(`trace-stats: ${SPANS} spans, ${groups} service + operation groups\n`);
