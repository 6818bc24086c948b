import { Trace } from '../trace';

const keys = new WeakMap<Trace, number>();
let nextKey = 1;

/**
 * A React key for a trace object: a view keyed by it starts fresh (its selection, filter, sort, scroll) when
 * another trace comes, even one with the same ID (a reload), and keeps its state while the same object stays.
 * Weak: a trace that is let go takes its key with it.
 */
export function traceKey(trace: Trace): number {
  let k = keys.get(trace);
  if (k === undefined) {
    k = nextKey++;
    keys.set(trace, k);
  }
  return k;
}
