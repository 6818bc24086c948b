/**
 * `npm run bench paths-100k`: the service + operation path tree of a 100,000-span trace (`pathTree`, self times
 * included) and the flame graph's two layouts built on the trace and the tree (src/components/FlameGraph/layout.ts),
 * what the Flame graph view computes once per trace before its first drawing. Parsing is the model's own bench.
 * Prints one JSON line: `{"case":"paths-100k","spans":100000,"ms":<pathTree median>,"time_layout_ms":...,
 * "path_layout_ms":...}`; the view switch's budget is 200 ms in all (bench:browser measures it in Chromium).
 *
 * The trace comes from bench/generate.ts (a fan-out through 24 services), the same as the stats and diff cases.
 */
import { fanoutTrace } from './fanoutTrace';
import { timeRuns } from './timing';
import { pathTree } from '../src/trace';
import { pathLayout, timeLayout } from '../src/components/FlameGraph/layout';

const SPANS = 100_000;
const RUNS = 9;
const WARMUP = 3;

const trace = fanoutTrace(SPANS);

const paths = timeRuns(() => pathTree(trace), RUNS, WARMUP);
const time = timeRuns(() => timeLayout(trace), RUNS, WARMUP);
const flame = timeRuns(() => pathLayout(paths.result), RUNS, WARMUP);
process.stdout.write(
  JSON.stringify({
    case: 'paths-100k',
    spans: SPANS,
    ms: paths.ms,
    max_ms: paths.maxMs,
    time_layout_ms: time.ms,
    path_layout_ms: flame.ms,
    paths: paths.result.size,
    levels: time.result.levels,
    runs: RUNS,
  }) + '\n'
);
process.stderr.write(`paths: ${SPANS} spans, ${paths.result.size} paths, ${time.result.levels} levels\n`);
