/**
 * One benchmark case, run in its own process (so that heap figures are its own):
 *   node --expose-gc case.js <fanout|chain> <spans> <runs> <name> [warmup runs]
 * Generates the trace into temporary files of Tempo v2 JSON, then per run reads each file,
 * times JSON.parse of the text, and separately times ingest + tree + rows + critical path +
 * statistics on the parsed value. Prints one JSON line with medians.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { getHeapStatistics } from 'v8';

import {
  collapseToDepth,
  criticalPath,
  selfTimes,
  summarize,
  TraceReader,
  traceStats,
  visibleRows,
} from '../src/trace';
import { generate } from './generate';

const [kind, spansArg, runsArg, name, warmupArg] = process.argv.slice(2);
const n = Number(spansArg);
const runs = Number(runsArg);
// Warm-up runs let the JIT compile the model code before timing, as JSON.parse is native code.
const warmup = Number(warmupArg ?? 0);
const CHUNK_SPANS = 100_000;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
let peak = 0;
const sample = () => {
  const used = getHeapStatistics().used_heap_size;
  if (used > peak) {
    peak = used;
  }
};

const dir = mkdtempSync(join(tmpdir(), 'traceway-bench-'));
const files: string[] = [];
const gen = generate(kind === 'chain' ? 'chain' : 'fanout', n, CHUNK_SPANS, (text) => {
  const f = join(dir, `part-${files.length}.json`);
  writeFileSync(f, text);
  files.push(f);
});

const parseTimes: number[] = [];
const modelTimes: number[] = [];
let check = '';
try {
  for (let run = 0; run < warmup + runs; run++) {
    gc();
    let parseMs = 0;
    let modelMs = 0;
    const reader = new TraceReader();
    for (const f of files) {
      let text: string | null = readFileSync(f, 'latin1');
      const t0 = performance.now();
      let doc: unknown = JSON.parse(text);
      const t1 = performance.now();
      sample();
      text = null;
      reader.add(doc);
      const t2 = performance.now();
      sample();
      doc = null;
      parseMs += t1 - t0;
      modelMs += t2 - t1;
    }
    const t3 = performance.now();
    const trace = reader.finish();
    const rows = visibleRows(trace, collapseToDepth(trace, 3));
    const all = visibleRows(trace);
    const cp = criticalPath(trace);
    const self = selfTimes(trace);
    const stats = traceStats(trace, self);
    const summary = summarize(trace);
    modelMs += performance.now() - t3;
    sample();
    if (run >= warmup) {
      parseTimes.push(parseMs);
      modelTimes.push(modelMs);
    }
    check = `${summary.spanCount}/${rows.length}/${all.length}/${cp.spans.length}/${stats.byService.length}/${summary.maxDepth}`;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const parseMs = median(parseTimes);
const modelMs = median(modelTimes);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
process.stdout.write(
  JSON.stringify({
    case: name,
    spans: gen.spans,
    bytes: gen.bytes,
    parse_ms: round(parseMs),
    model_ms: round(modelMs),
    ratio: round(modelMs / parseMs, 3),
    heap_mb: round(peak / 1048576, 0),
  }) + '\n'
);
process.stderr.write(`${name}: runs=${runs} (+${warmup} warm-up) documents=${files.length} check=${check}\n`);
