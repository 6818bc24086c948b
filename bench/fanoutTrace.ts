/**
 * The 100,000-span trace the model benches share: bench/generate.ts's fan-out through 24 services (database and
 * queue calls, siblings overlapping), generated as OTLP text and parsed. Parsing is the model's own bench
 * (bench/case.ts), so the cases that take this trace do not time it.
 */
import { generate } from './generate';
import { parseTrace, Trace } from '../src/trace';

/** The generated fan-out of `spans` spans as OTLP/JSON text, for cases that rewrite it (services renamed). */
export function fanoutText(spans: number): string {
  let text = '';
  generate('fanout', spans, spans, (t) => (text = t));
  return text;
}

/** The generated fan-out of `spans` spans, parsed; throws when the generator made another number of spans. */
export function fanoutTrace(spans: number, text = fanoutText(spans)): Trace {
  const trace = parseTrace(text);
  if (trace.spans.length !== spans) {
    throw new Error(`expected ${spans} spans, generated ${trace.spans.length}`);
  }
  return trace;
}
