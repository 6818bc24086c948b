/**
 * `npm run bench diff-100k`: the diff of two 100,000-span traces (src/trace/diff.ts), once both are read.
 * Parsing is the model's own bench (bench/case.ts) and is not timed here. Prints one JSON line:
 * `{"case":"diff-100k","spans":100000,"ms":<median>, ...}` (target ≤ 300 ms).
 *
 * A is bench/generate.ts's fan-out of 100,000 spans through 24 services; B is the same trace with one service
 * renamed (as after a deploy that splits it), so every path through it is removed in A's form and added in B's.
 */
import { fanoutText, fanoutTrace } from './fanoutTrace';
import { timeRuns } from './timing';
import { diffTraces } from '../src/trace';

const SPANS = 100_000;
const RUNS = 9;
const WARMUP = 3;

const text = fanoutText(SPANS);
const a = fanoutTrace(SPANS, text);
const b = fanoutTrace(SPANS, text.replace(/"stringValue":"scanner"/g, '"stringValue":"scanner-v2"'));

const { result: diff, ms, maxMs } = timeRuns(() => diffTraces(a, b), RUNS, WARMUP);
const differ = diff.paths.filter((p) => p.countA !== p.countB || p.durationNsA !== p.durationNsB).length;
process.stdout.write(
  JSON.stringify({
    case: 'diff-100k',
    spans: SPANS,
    ms,
    max_ms: maxMs,
    paths: diff.paths.length,
    paths_differing: differ,
    added: diff.added.length,
    removed: diff.removed.length,
    changed: diff.changed.length,
    runs: RUNS,
  }) + '\n'
);
process.stderr.write(`diff: 2 traces x ${SPANS} spans, ${diff.paths.length} paths, ${differ} differ\n`);
