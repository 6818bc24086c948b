/**
 * The timed loop of the single-figure bench scripts (servicegraph, trace-stats, diff-100k): `warmup` untimed runs,
 * then `runs` timed ones, each after a GC when node runs with --expose-gc, so one run's garbage is not billed to
 * the next. Returns the last run's result and the median and slowest time in ms, rounded to 0.1 ms.
 */
export function timeRuns<T>(work: () => T, runs: number, warmup: number): { result: T; ms: number; maxMs: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  const times: number[] = [];
  let result: T | undefined;
  for (let run = 0; run < warmup + runs; run++) {
    gc?.();
    const t0 = performance.now();
    result = work();
    const ms = performance.now() - t0;
    if (run >= warmup) {
      times.push(ms);
    }
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Number(ms.toFixed(1));
  return { result: result as T, ms: round(times[Math.floor(times.length / 2)]), maxMs: round(times[times.length - 1]) };
}
