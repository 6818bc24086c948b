/**
 * `npm run fuzz`: a deterministic fuzz of the trace model (issue 7). Every recorded fixture of
 * every format (Tempo v2, Tempo v1, OTLP, Jaeger, Zipkin, Grafana frames) is mutated by a seeded
 * generator (values, types, keys, depths, numbers to extremes, strings to hostile text, the text
 * itself truncated or spliced), at least 10,000 inputs per format, and each input must:
 *
 * - throw nothing but TraceInputError (and not the catch-all "could not be read", which hides a bug);
 * - finish within HANG_MS (a watchdog thread stops a run that does not, and reports the input);
 * - give only finite times and durations in every trace built;
 * - be read back from the model's own output (toTempoV2, toTempoV1, toOtlp, toJaeger, toZipkin,
 *   toDataFrame) with the same span count and times (to each format's precision).
 *
 * Usage: tsx scripts/fuzz.ts [--count N] [--seed S] [--format tempo-v2,...] [--out DIR]
 * Exit 0 with the counts when there is no finding; exit 1 and write each failing input to DIR
 * (default: a temporary folder) otherwise. The same seed gives the same inputs.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';

import { parseTrace, parseTraces } from '../src/trace/parse';
import { TraceInputError } from '../src/trace/errors';
import { criticalPath } from '../src/trace/critical';
import { findSpans } from '../src/trace/find';
import { serviceGraph } from '../src/trace/graph';
import { selfTimes, summarize } from '../src/trace/stats';
import { Trace } from '../src/trace/types';
import { valueToString } from '../src/trace/values';
import { toDataFrameJson as dataFrameJson } from '../src/testing/traces';
import { rng } from '../bench/generate';
import { toDataFrame, toFrameRows, toJaeger, toOtlp, toTempoV1, toTempoV2, toZipkin } from '../src/trace/write';

export const FUZZ_FORMATS = ['tempo-v2', 'tempo-v1', 'otlp', 'jaeger', 'zipkin', 'grafana-frame'] as const;
export type FuzzFormat = (typeof FUZZ_FORMATS)[number];
export const HANG_MS = 2000;

const FIXTURES = join(__dirname, '..', 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

// ---- seeds -------------------------------------------------------------------------------------

/**
 * The documents each format's inputs are mutated from: the recorded fixtures; for Jaeger and
 * Grafana frames, which have no recording, the recorded Tempo traces as the model writes them.
 */
export function seeds(format: FuzzFormat): unknown[] {
  const tempo = ['tempo-2.7.2/trace-v2.json', 'tempo-2.7.2/trace-v2-error.json'].map((f) => JSON.parse(fixture(f)));
  const models = tempo.map((d) => parseTrace(d));
  switch (format) {
    case 'tempo-v2':
      return [...tempo, JSON.parse(fixture('tempo-2.7.2-edge/mt-trace-own-tenant.json'))];
    case 'tempo-v1':
      return [JSON.parse(fixture('tempo-2.7.2/trace-v1.json'))];
    case 'otlp': {
      const lines = fixture('otlp-file/two-traces.jsonl')
        .split('\n')
        .filter((l) => l.trim() !== '');
      const demo = fixture('otel-js-demo/demo-traces.jsonl')
        .split('\n')
        .filter((l) => l.trim() !== '');
      return [
        JSON.parse(fixture('tempo-2.7.2/otlp-export-request.json')),
        ...lines.slice(0, 3).map((l) => JSON.parse(l)),
        ...demo.slice(0, 4).map((l) => JSON.parse(l)),
      ];
    }
    case 'zipkin':
      return ['trace-v2.zipkin.json', 'trace-v2-error.zipkin.json'].map((f) => JSON.parse(fixture(`zipkin/${f}`)));
    case 'jaeger':
      return models.map((m) => JSON.parse(JSON.stringify(toJaeger(m))));
    case 'grafana-frame':
      return [
        ...models.map((m) => JSON.parse(JSON.stringify(toDataFrame(m)))),
        JSON.parse(JSON.stringify(toFrameRows(models[1]))),
        dataFrameJson(models[0]),
      ];
  }
}

// ---- the mutator -------------------------------------------------------------------------------


const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1e21,
  -1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 63,
  -(2 ** 63),
  2 ** 64,
  1e16,
  1_700_000_000_000,
  1_700_000_000_000_000,
  1_700_000_000_000_000_000,
  18_446_744_073_709,
  18_446_744_073_710,
  4294967296,
  65536,
  6,
  3,
  2,
];

const STRINGS = [
  '',
  ' ',
  'constructor',
  'toString',
  '__proto__',
  'prototype',
  'hasOwnProperty',
  'valueOf',
  'CONSTRUCTOR',
  'null',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '1e21',
  '-1',
  '0',
  '99999999999999999999',
  '18446744073709551615',
  '18446744073709551616',
  '9223372036854775808',
  '-9223372036854775809',
  '0x10',
  '١٢٣',
  '\u202eevil\u202c',
  '\u0000',
  '\ud800',
  '<script>alert(1)</script>',
  "'; DROP TABLE spans; --",
  'A'.repeat(10_000),
  '0'.repeat(32),
  '0'.repeat(16),
  'f'.repeat(16),
  'F'.repeat(32),
  'AAAAAAAAAAA=',
  '////////////////////w==',
  'SPAN_KIND_SERVER',
  'STATUS_CODE_ERROR',
  'server',
  'ERROR',
  'error',
  'true',
  'false',
  'FOLLOWS_FROM',
  '{"a":1}',
  '[[[[',
  'e|{"a":[[[[1]]]]}|0',
  'x|y|z|{"k":1}|0',
  '0af7651916cd43dd8448eb211c80319c|b7ad6b7169203331||{}|0',
  'span.kind',
  'otel.status_code',
  'service.name',
  'a\nb',
  '../../etc/passwd',
];

const SHAPES: Array<() => unknown> = [
  () => null,
  () => true,
  () => false,
  () => ({}),
  () => [],
  () => [[]],
  () => ({ a: {} }),
  () => ({ stringValue: 'x' }),
  () => ({ intValue: 1e308 }),
  () => ({ arrayValue: { values: [{ arrayValue: {} }] } }),
  () => ({ key: 'k', value: 'v', type: 'int64' }),
  () => [{ key: 'constructor', value: { stringValue: 'x' } }],
];

type Slot = { parent: any; key: string | number; depth: number };

/**
 * A copy of a JSON-like value; below DEEP_SHARE levels the original is shared, not copied. The
 * copy never recurses deeper than that, so that the inputs are the same whatever the thread's
 * stack size (structuredClone or JSON.stringify of a 10,000-deep value fails on one and not on
 * another), and copying a deep value 100 times stays cheap.
 */
const DEEP_SHARE = 200;
function clone(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== 'object' || depth >= DEEP_SHARE) {
    return v;
  }
  if (Array.isArray(v)) {
    return v.map((e) => clone(e, depth + 1));
  }
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    Object.defineProperty(o, k, {
      value: clone((v as Record<string, unknown>)[k], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return o;
}

/** Is the value nested deeper than `max` levels? Iterative. */
function deeperThan(v: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') {
      continue;
    }
    if (d > max) {
      return true;
    }
    for (const c of Object.values(x)) {
      stack.push([c, d + 1]);
    }
  }
  return false;
}

/** Every (container, key) slot of a document, breadth first, up to a bound. */
function slots(doc: unknown, limit = 20_000): Slot[] {
  const out: Slot[] = [];
  const queue: Array<[any, number]> = [[doc, 0]];
  for (let q = 0; q < queue.length && out.length < limit; q++) {
    const [v, depth] = queue[q];
    if (v === null || typeof v !== 'object') {
      continue;
    }
    const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const k of keys) {
      out.push({ parent: v, key: k, depth });
      const c = v[k];
      if (c !== null && typeof c === 'object') {
        queue.push([c, depth + 1]);
      }
    }
  }
  return out;
}

function wrapDeep(v: unknown, depth: number, asObject: boolean): unknown {
  let x = v;
  for (let i = 0; i < depth; i++) {
    x = asObject ? { kvlistValue: { values: [{ key: 'k', value: x }] } } : [x];
  }
  return x;
}

function set(s: Slot, v: unknown): void {
  if (s.key === '__proto__' || v === undefined) {
    Object.defineProperty(s.parent, s.key, { value: v, enumerable: true, writable: true, configurable: true });
  } else {
    s.parent[s.key] = v;
  }
}

/** One mutation of `doc` in place; returns a short description for reports. */
function mutateOnce(doc: unknown, r: () => number): string {
  const all = slots(doc);
  if (all.length === 0) {
    return 'none';
  }
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const s = all[Math.floor(r() * all.length)];
  const cur = s.parent[s.key];
  const at = `${String(s.key).slice(0, 30)}@${s.depth}`;
  const op = Math.floor(r() * 14);
  switch (op) {
    case 0:
      set(s, pick(NUMBERS));
      return `number ${at}`;
    case 1:
      set(s, pick(STRINGS));
      return `string ${at}`;
    case 2:
      set(s, pick(SHAPES)());
      return `shape ${at}`;
    case 3: {
      // numbers and numeric text pushed to extremes
      if (typeof cur === 'number') {
        set(s, pick([cur * 1e6, cur / 1e6, -cur, cur + 0.5, cur * 1e300, -cur * 1e300]));
      } else if (typeof cur === 'string' && /^\d+$/.test(cur)) {
        set(s, pick([cur + '000000', '-' + cur, cur + '.5', cur.slice(1), cur + 'e3', Number(cur)]));
      } else {
        set(s, typeof cur === 'string' ? Number(cur) || cur.length : String(cur));
      }
      return `extreme ${at}`;
    }
    case 4: {
      const depth = pick([10, 40, 100, 1000, 5000, 10_000]);
      set(s, wrapDeep(cur, depth, r() < 0.5));
      return `deep ${depth} ${at}`;
    }
    case 5:
      if (Array.isArray(s.parent)) {
        s.parent.splice(s.key as number, 1);
      } else {
        delete s.parent[s.key];
      }
      return `delete ${at}`;
    case 6: {
      if (!Array.isArray(s.parent)) {
        const name = pick(['__proto__', 'constructor', 'toString', 'length', 'values', 'spans', 'trace']);
        delete s.parent[s.key];
        Object.defineProperty(s.parent, name, { value: cur, enumerable: true, writable: true, configurable: true });
        return `rename ${at} to ${name}`;
      }
      s.parent.push(clone(cur));
      return `duplicate ${at}`;
    }
    case 7: {
      // another node's value here (types meet places they were never meant for)
      const other = pick(all);
      if (s.depth >= DEEP_SHARE - 50) {
        set(s, pick(NUMBERS)); // deep down, a copy could share (and so contain) this very slot
        return `number ${at}`;
      }
      set(s, clone(other.parent[other.key]));
      return `swap ${at}`;
    }
    case 8:
      // a type swap
      set(
        s,
        Array.isArray(cur)
          ? Object.assign({}, cur)
          : cur !== null && typeof cur === 'object'
            ? Object.values(cur)
            : [cur]
      );
      return `retype ${at}`;
    case 9:
      if (Array.isArray(cur) && cur.length > 0) {
        // many copies of an element (duplicate span IDs, long lists)
        const n = pick([2, 10, 100]);
        for (let i = 0; i < n; i++) {
          cur.push(clone(cur[Math.floor(r() * cur.length)]));
        }
        return `grow ${n} ${at}`;
      }
      set(s, pick(NUMBERS));
      return `number ${at}`;
    case 10:
      if (typeof cur === 'string') {
        // text edits: a character changed, cut, doubled
        const i = Math.floor(r() * (cur.length + 1));
        set(
          s,
          pick([
            cur.slice(0, i),
            cur.slice(0, i) + pick(['"', '\\', '|', '\u0000', 'é', '{']) + cur.slice(i),
            cur + cur,
          ])
        );
        return `text ${at}`;
      }
      set(s, pick(STRINGS));
      return `string ${at}`;
    case 11:
      if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) {
        Object.defineProperty(cur, '__proto__', {
          value: { polluted: true },
          enumerable: true,
          configurable: true,
          writable: true,
        });
        cur.constructor = pick(STRINGS);
        return `proto keys ${at}`;
      }
      set(s, pick(SHAPES)());
      return `shape ${at}`;
    case 12: {
      // a time or a duration, to an extreme number or numeric text
      const times = all.filter((x) => typeof x.key === 'string' && /time|Nano|timestamp|duration/i.test(x.key));
      const t = times.length > 0 ? pick(times) : s;
      const v = r() < 0.5 ? pick(NUMBERS) : pick(STRINGS.filter((x) => /^-?\d|Inf|NaN/.test(x)));
      set(t, v);
      return `time ${String(t.key)}@${t.depth}`;
    }
    default:
      set(s, pick([undefined, null, '', 0]));
      return `empty ${at}`;
  }
}

export interface FuzzInput {
  /** a parsed document or text (JSON, JSON Lines, or broken) */
  input: unknown;
  mutations: string[];
}

/** The i-th input of a format's run with a seed: the same every time. */
export function fuzzInput(format: FuzzFormat, seed: number, i: number, seedDocs: unknown[]): FuzzInput {
  const r = rng((seed * 1_000_003 + FUZZ_FORMATS.indexOf(format) * 7_919_993 + i) | 0);
  const doc = clone(seedDocs[Math.floor(r() * seedDocs.length)]);
  const mutations: string[] = [];
  const n = 1 + Math.floor(r() * 4);
  let input: unknown = doc;
  for (let k = 0; k < n; k++) {
    try {
      mutations.push(mutateOnce(input, r));
    } catch {
      // the mutator's own limits (structuredClone of a 10,000-deep value): that mutation is skipped
      mutations.push('skipped');
    }
  }
  const textual = r();
  // a document too deep for JSON.stringify on some stack stays a value
  const json = deeperThan(input, 1000) ? undefined : (JSON.stringify(input) ?? 'null');
  if (json === undefined) {
    // nothing
  } else if (textual < 0.15) {
    let text = json;
    const at = Math.floor(r() * text.length);
    const edit = Math.floor(r() * 5);
    if (edit === 0) {
      text = text.slice(0, at);
    } else if (edit === 1) {
      text = text.slice(0, at) + '\n' + text.slice(at);
    } else if (edit === 2) {
      text = '\ufeff' + text + '\n' + text;
    } else if (edit === 3) {
      text = text.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + text.slice(at + 1);
    } else {
      text = text + '\n' + text + '\n' + text.slice(0, at);
    }
    mutations.push(`text edit ${edit}`);
    input = text;
  } else if (textual < 0.3) {
    input = json;
    mutations.push('as text');
  }
  return { input, mutations };
}

// ---- the checks --------------------------------------------------------------------------------

export type FindingKind = 'exception' | 'hang' | 'non-finite' | 'lost-on-reread' | 'time-changed-on-reread';

export interface Finding {
  kind: FindingKind;
  format: FuzzFormat;
  index: number;
  detail: string;
  mutations: string[];
}

interface Writer {
  name: string;
  write: (t: Trace) => unknown;
  /** ns the format keeps (start and end may each be off by this) */
  precisionNs: number;
  /** does the format write times as JSON numbers (float error grows with the magnitude)? */
  numeric: boolean;
  /** can it carry a span that ends before it starts? */
  negativeDurations: boolean;
}

const WRITERS: Writer[] = [
  { name: 'toTempoV2', write: toTempoV2, precisionNs: 0, numeric: false, negativeDurations: true },
  { name: 'toTempoV1', write: toTempoV1, precisionNs: 0, numeric: false, negativeDurations: true },
  { name: 'toOtlp', write: toOtlp, precisionNs: 0, numeric: false, negativeDurations: true },
  { name: 'toJaeger', write: toJaeger, precisionNs: 1000, numeric: true, negativeDurations: true },
  { name: 'toZipkin', write: toZipkin, precisionNs: 1500, numeric: true, negativeDurations: false },
  { name: 'toDataFrame', write: toDataFrame, precisionNs: 1000, numeric: true, negativeDurations: true },
];

const MILLION = BigInt(1_000_000);

function absTimes(t: Trace): Array<{ id: string; start: bigint; end: bigint; negative: boolean }> {
  const out = t.spans.map((s) => ({
    id: s.spanId,
    start: BigInt(t.epochMs) * MILLION + BigInt(Math.round(t.start[s.index])),
    end: BigInt(t.epochMs) * MILLION + BigInt(Math.round(t.end[s.index])),
    negative: t.end[s.index] < t.start[s.index],
  }));
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return out;
}

function nonFinite(t: Trace): string | null {
  if (!Number.isFinite(t.epochMs) || !Number.isFinite(t.startNs) || !Number.isFinite(t.endNs)) {
    return `epochMs ${t.epochMs}, startNs ${t.startNs}, endNs ${t.endNs}`;
  }
  for (let i = 0; i < t.spans.length; i++) {
    if (!Number.isFinite(t.start[i]) || !Number.isFinite(t.end[i]) || !Number.isFinite(t.end[i] - t.start[i])) {
      return `span ${t.spans[i].spanId}: start ${t.start[i]}, end ${t.end[i]}`;
    }
    for (const e of t.spans[i].events) {
      if (!Number.isFinite(e.timeNs)) {
        return `span ${t.spans[i].spanId}: an event at ${e.timeNs}`;
      }
    }
  }
  const self = selfTimes(t);
  for (let i = 0; i < self.length; i++) {
    if (!Number.isFinite(self[i])) {
      return `span ${t.spans[i].spanId}: self time ${self[i]}`;
    }
  }
  return null;
}

const isCatchAll = (e: unknown) => e instanceof TraceInputError && e.problem.startsWith('the input could not be read:');
const describeError = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);

/** Everything the display does with a trace, which must not throw either. */
function exercise(t: Trace): void {
  findSpans(t, 'error a=b "two words" service=x');
  for (const s of t.spans) {
    for (const a of s.attributes) {
      valueToString(a);
    }
    for (const a of s.resource.attributes) {
      valueToString(a);
    }
  }
  criticalPath(t);
  serviceGraph(t);
  summarize(t);
}

/** Runs the checks on one input; findings, or an empty list. */
export function checkInput(input: unknown): { found: Array<{ kind: FindingKind; detail: string }>; traces: number } {
  const found: Array<{ kind: FindingKind; detail: string }> = [];
  let traces: Trace[];
  try {
    traces = parseTraces(input);
  } catch (e) {
    if (!(e instanceof TraceInputError) || isCatchAll(e)) {
      found.push({ kind: 'exception', detail: `parseTraces: ${describeError(e)}` });
    }
    return { found, traces: 0 };
  }
  for (const t of traces) {
    const bad = nonFinite(t);
    if (bad !== null) {
      found.push({ kind: 'non-finite', detail: bad });
    }
    try {
      exercise(t);
    } catch (e) {
      found.push({ kind: 'exception', detail: `display: ${describeError(e)}` });
    }
    const before = absTimes(t);
    // time spread of the trace: beyond 2^53 ns the model's relative times are not exact either
    let extent = 0;
    for (let i = 0; i < t.spans.length; i++) {
      extent = Math.max(extent, Math.abs(t.start[i]), Math.abs(t.end[i]));
    }
    for (const w of WRITERS) {
      let back: Trace;
      try {
        back = parseTrace(JSON.stringify(w.write(t)));
      } catch (e) {
        found.push({ kind: 'lost-on-reread', detail: `${w.name}: ${describeError(e)}` });
        continue;
      }
      if (back.spans.length !== t.spans.length) {
        const why = back.warnings.find((x) => x.code === 'bad-span')?.examples[0] ?? '';
        found.push({
          kind: 'lost-on-reread',
          detail: `${w.name}: ${t.spans.length} spans, ${back.spans.length} read back ${why}`.slice(0, 300),
        });
        continue;
      }
      const badBack = nonFinite(back);
      if (badBack !== null) {
        found.push({ kind: 'non-finite', detail: `${w.name} read back: ${badBack}` });
      }
      const after = absTimes(back);
      for (let k = 0; k < before.length; k++) {
        const a = before[k];
        const b = after[k];
        const magnitude = w.numeric ? Number(a.start > a.end ? a.start : a.end) * 2 ** -50 : 0;
        const tol = w.precisionNs + magnitude + (Math.abs(extent) > 2 ** 53 ? Math.abs(extent) * 2 ** -50 : 0);
        const dStart = Math.abs(Number(a.start - b.start));
        const dEnd = a.negative && !w.negativeDurations ? 0 : Math.abs(Number(a.end - b.end));
        if (a.id !== b.id || dStart > tol || dEnd > tol) {
          found.push({
            kind: 'time-changed-on-reread',
            detail: `${w.name}: span ${a.id} ${a.start}..${a.end} read back as ${b.id} ${b.start}..${b.end}`,
          });
          break;
        }
      }
    }
  }
  return { found, traces: traces.length };
}

// ---- running -----------------------------------------------------------------------------------

export interface FuzzStats {
  format: FuzzFormat;
  inputs: number;
  traces: number;
  typedErrors: number;
  ms: number;
  slowestMs: number;
  findings: Finding[];
}

/**
 * Runs `count` inputs of a format from `from` on, in this thread. `progress[0]` is set to the
 * input under way and `progress[1]` to 1 while the model reads it (0 while the mutator makes it),
 * for the watchdog; an input the model takes longer than HANG_MS for is a hang too.
 */
export function fuzzFormat(
  format: FuzzFormat,
  count: number,
  seed: number,
  from = 0,
  progress?: Int32Array
): FuzzStats {
  const seedDocs = seeds(format);
  const stats: FuzzStats = { format, inputs: 0, traces: 0, typedErrors: 0, ms: 0, slowestMs: 0, findings: [] };
  const t0 = performance.now();
  for (let i = from; i < count; i++) {
    if (progress) {
      Atomics.store(progress, 1, 0);
      Atomics.store(progress, 0, i);
    }
    const { input, mutations } = fuzzInput(format, seed, i, seedDocs);
    if (progress) {
      Atomics.store(progress, 1, 1);
    }
    const s0 = performance.now();
    const { found, traces } = checkInput(input);
    const took = performance.now() - s0;
    stats.traces += traces;
    stats.typedErrors += traces === 0 && found.length === 0 ? 1 : 0;
    stats.slowestMs = Math.max(stats.slowestMs, took);
    if (took > HANG_MS) {
      found.push({ kind: 'hang', detail: `took ${Math.round(took)} ms` });
    }
    stats.inputs++;
    for (const f of found) {
      stats.findings.push({ ...f, format, index: i, mutations });
    }
  }
  stats.ms = performance.now() - t0;
  return stats;
}

interface WorkerJob {
  fuzzWorker: true;
  format: FuzzFormat;
  count: number;
  seed: number;
  from: number;
  progress: SharedArrayBuffer;
}

if (!isMainThread && (workerData as WorkerJob | undefined)?.fuzzWorker) {
  const job = workerData as WorkerJob;
  const stats = fuzzFormat(job.format, job.count, job.seed, job.from, new Int32Array(job.progress));
  parentPort!.postMessage(stats);
}

/** One format in a worker thread, restarted past an input that hangs. */
function runInWorker(format: FuzzFormat, count: number, seed: number): Promise<FuzzStats> {
  const total: FuzzStats = { format, inputs: 0, traces: 0, typedErrors: 0, ms: 0, slowestMs: 0, findings: [] };
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const start = (from: number) => {
      if (from >= count) {
        total.ms = performance.now() - t0;
        resolve(total);
        return;
      }
      const progress = new SharedArrayBuffer(8);
      const view = new Int32Array(progress);
      view[0] = from;
      const w = new Worker(__filename, {
        workerData: { fuzzWorker: true, format, count, seed, from, progress } satisfies WorkerJob,
        execArgv: ['--require', require.resolve('tsx/cjs')],
      });
      let last = from;
      let since = performance.now();
      const timer = setInterval(() => {
        const now = Atomics.load(view, 0);
        if (now !== last || Atomics.load(view, 1) === 0) {
          // a new input, or the mutator at work (bounded, and not the model's time)
          last = now;
          since = performance.now();
        } else if (performance.now() - since > HANG_MS * 5) {
          // far past the bound: stop it, report the input, go on after it
          clearInterval(timer);
          w.terminate();
          total.inputs += now - from + 1;
          total.findings.push({
            kind: 'hang',
            format,
            index: now,
            detail: `no answer after ${HANG_MS * 5} ms`,
            mutations: fuzzInput(format, seed, now, seeds(format)).mutations,
          });
          start(now + 1);
        }
      }, 100);
      w.on('message', (s: FuzzStats) => {
        clearInterval(timer);
        total.inputs += s.inputs;
        total.traces += s.traces;
        total.typedErrors += s.typedErrors;
        total.slowestMs = Math.max(total.slowestMs, s.slowestMs);
        total.findings.push(...s.findings);
        resolve({ ...total, ms: performance.now() - t0 });
      });
      w.on('error', (e) => {
        clearInterval(timer);
        reject(e);
      });
    };
    start(0);
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
  };
  const count = Number(opt('count', '10000'));
  const seed = Number(opt('seed', '7'));
  const formats = opt('format', FUZZ_FORMATS.join(',')).split(',') as FuzzFormat[];
  const jobs = Math.max(1, Number(opt('jobs', '2')));
  console.log(`fuzz: ${count.toLocaleString('en-US')} mutated inputs per format, seed ${seed}, ${jobs} threads`);
  const t0 = performance.now();
  const results: FuzzStats[] = [];
  const queue = formats.slice();
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
        const s = await runInWorker(f, count, seed);
        results.push(s);
        const kinds = new Map<string, number>();
        for (const x of s.findings) {
          kinds.set(x.kind, (kinds.get(x.kind) ?? 0) + 1);
        }
        console.log(
          `  ${f.padEnd(14)} ${s.inputs.toLocaleString('en-US').padStart(7)} inputs  ${(s.ms / 1000).toFixed(1).padStart(5)} s` +
            `  (${s.traces.toLocaleString('en-US')} traces built, ${s.typedErrors.toLocaleString('en-US')} inputs refused with TraceInputError)` +
            `  slowest ${Math.round(s.slowestMs)} ms  findings: ${s.findings.length}` +
            (kinds.size > 0 ? ` (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})` : '')
        );
      }
    })
  );
  const findings = results.flatMap((r) => r.findings);
  const byKind = (k: FindingKind) => findings.filter((f) => f.kind === k).length;
  const inputs = results.reduce((n, r) => n + r.inputs, 0);
  console.log(
    `fuzz: ${inputs.toLocaleString('en-US')} inputs in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
      `${byKind('exception')} exceptions outside TraceInputError, ${byKind('hang')} hangs (> ${HANG_MS} ms), ` +
      `${byKind('non-finite')} non-finite times, ${byKind('lost-on-reread')} re-reads that lost spans, ` +
      `${byKind('time-changed-on-reread')} re-reads that changed times`
  );
  if (findings.length === 0) {
    return 0;
  }
  const dir = opt('out', '') || mkdtempSync(join(tmpdir(), 'traceway-fuzz-'));
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  for (const f of findings) {
    const key = `${f.kind}:${f.format}:${f.detail.replace(/\d+/g, 'N').slice(0, 80)}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const { input } = fuzzInput(f.format, seed, f.index, seeds(f.format));
    const file = join(dir, `${f.format}-${f.index}-${f.kind}.json`);
    let text: string;
    try {
      text = typeof input === 'string' ? input : JSON.stringify(input);
    } catch {
      text = `too deep for JSON.stringify: rerun with --seed ${seed} --format ${f.format}, input ${f.index}`;
    }
    writeFileSync(file, text);
    console.log(`  ${f.kind} ${f.format} #${f.index} [${f.mutations.join('; ')}]: ${f.detail}\n    ${file}`);
  }
  return 1;
}

if (isMainThread && require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(2);
    }
  );
}
