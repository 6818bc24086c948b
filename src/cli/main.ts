/**
 * The `traceway` command line: argument parsing and printing only; the work is in src/trace.
 * Exit codes: 0 ok, 1 bad input (message on stderr), 2 usage error.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { closeSync, fstatSync, openSync, readSync } from 'fs';

import { DEFAULT_LIMITS, HttpTransport, fetchTransport, formatBytes, isHttpError } from '../http';
import { PrometheusClient, fetchServiceGraph } from '../prometheus';
import { TempoClient, normalizeTraceId, sampleServiceMap, searchProgressively } from '../tempo';
import { AttributeFilter, StatusFilter, buildTraceQL } from '../tempo/traceql';
import {
  DEFAULT_LIMIT,
  parseAttrOption,
  parseLimitOption,
  parseSinceOption,
  parseSpan,
  parseTimeOption,
  searchJson,
  searchTable,
} from './search';
import { addTraceSourceOptions } from './traceSource';
import { addDiffCommand } from './diff';
import { addDoctorCommand } from './doctor';
import { addProvisionCommand } from './provision';
import { sampleLine, servicemapJson, servicemapTable } from './servicemap';
import { statsJson, statsTable } from './stats';

import { version as packageVersion } from '../../package.json';
import {
  clockSkew,
  criticalPath,
  decodeTraceBytes,
  formatSkew,
  isTraceInputError,
  membership,
  parseTrace,
  SpanFlag,
  StatusCode,
  summarize,
  Trace,
  SPAN_KIND_NAMES,
} from '../trace';

/** The version in package.json when the CLI was bundled (esbuild inlines it). */
export const VERSION: string = packageVersion;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** stdin's bytes, or null when there are more than maxBytes (reading stops there). */
  readStdin: (maxBytes: number) => Promise<Uint8Array | null>;
  /** Whether stderr is a terminal: progress is shown only there. */
  errIsTty?: boolean;
  /** The clock, in epoch ms (tests pin it). */
  now?: () => number;
}

async function readStdinCapped(maxBytes: number): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) {
      process.stdin.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Writes to stdout or stderr. When the reader has gone (`traceway ... | head -1` closes the pipe) the write fails
 * with EPIPE, which Node throws as an unhandled 'error' event; here the rest of the output is dropped instead, and
 * the command ends quietly with its own exit status, as Unix tools do. The listener is added at the first write,
 * so importing this module adds none.
 */
function pipeWriter(stream: NodeJS.WriteStream): (s: string) => void {
  let gone = false;
  let listening = false;
  return (s) => {
    if (gone) {
      return;
    }
    if (!listening) {
      listening = true;
      stream.on('error', (e: NodeJS.ErrnoException) => {
        // After EPIPE the stream is destroyed: a write already queued reports ERR_STREAM_DESTROYED.
        if (e.code === 'EPIPE' || (gone && e.code === 'ERR_STREAM_DESTROYED')) {
          gone = true;
          return;
        }
        throw e;
      });
    }
    stream.write(s);
  };
}

const processIo: Io = {
  out: pipeWriter(process.stdout),
  err: pipeWriter(process.stderr),
  readStdin: readStdinCapped,
  errIsTty: process.stderr.isTTY === true,
  now: () => Date.now(),
};

/** The most a trace file (or stdin) may hold unless --max-bytes says otherwise. */
export const DEFAULT_FILE_MAX_BYTES = 1e9;

/** The formats `traceway trace` reads, for its help. */
export const FORMATS = [
  'Tempo /api/v2/traces/<id> and /api/traces/<id> JSON',
  "OTLP/JSON, also as JSON Lines (one export a line, as the Collector's file exporter writes)",
  'Jaeger /api/traces JSON',
  'Zipkin v2 JSON (/api/v2/trace/<id>, or what a Zipkin exporter sends)',
  'Grafana trace data frames',
];

/** "1 span", "2 spans" */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function traceJson(trace: Trace): Record<string, unknown> {
  const s = summarize(trace);
  const cp = criticalPath(trace);
  return {
    traceId: s.traceId,
    spanCount: s.spanCount,
    rootSpanId: s.rootSpanId,
    services: s.services,
    maxDepth: s.maxDepth,
    durationMs: s.durationMs,
    errorCount: s.errorCount,
    warnings: s.warnings,
    criticalPath: Array.from(cp.spans, (i) => trace.spans[i].spanId),
  };
}

const ms = (ns: number) => (ns / 1e6).toFixed(3).padStart(10) + ' ms';

/** Past this depth the tree stops indenting and says the depth instead: lines stay short however deep. */
export const MAX_INDENT_DEPTH = 32;

/** Two spaces a level, up to MAX_INDENT_DEPTH; deeper, the full indent and "[depth N] ". */
export function indent(depth: number): string {
  return depth <= MAX_INDENT_DEPTH ? '  '.repeat(depth) : `${'  '.repeat(MAX_INDENT_DEPTH)}[depth ${depth}] `;
}

/** One line per span in display order: offset from the trace start, duration, then the span indented by depth. */
export function traceTree(trace: Trace): string {
  const s = summarize(trace);
  const onPath = membership(trace.spans.length, criticalPath(trace).spans);
  const lines: string[] = [
    `trace ${s.traceId}: ${plural(s.spanCount, 'span')}, ${plural(s.services.length, 'service')}, ` +
      `${s.durationMs.toFixed(3)} ms, ${plural(s.errorCount, 'error')}, max depth ${s.maxDepth}`,
    '    offset     duration  (* critical path, ! error)',
  ];
  for (const i of trace.order) {
    const span = trace.spans[i];
    const f = trace.spanFlags[i];
    const notes: string[] = [];
    if (span.kind !== 0) {
      notes.push(SPAN_KIND_NAMES[span.kind]);
    }
    if (f & SpanFlag.Orphan) {
      notes.push('orphan');
    }
    if (f & SpanFlag.Cycle) {
      notes.push('cycle cut');
    }
    if (f & SpanFlag.DuplicateId) {
      notes.push('duplicate id');
    }
    const skew = clockSkew(trace, i);
    if (skew !== null) {
      notes.push(
        skew.earlyNs > 0
          ? `clock skew: starts ${formatSkew(skew.earlyNs)} before its parent`
          : `clock skew: ends ${formatSkew(skew.lateNs)} after its client`
      );
    }
    if (f & SpanFlag.Async) {
      notes.push('async');
    }
    const mark = (onPath[i] ? '*' : ' ') + (span.statusCode === StatusCode.Error ? '!' : ' ');
    lines.push(
      `${ms(trace.start[i] - trace.startNs)} ${ms(Math.max(0, trace.end[i] - trace.start[i]))} ${mark} ` +
        `${indent(trace.depth[i])}${span.resource.serviceName}: ${span.name} ${span.spanId}` +
        (notes.length > 0 ? ` [${notes.join(', ')}]` : '')
    );
  }
  for (const w of s.warnings) {
    lines.push(
      `warning: ${w.code}: ${w.count} × ${w.message}${w.examples.length ? ` (e.g. ${w.examples.slice(0, 3).join(', ')})` : ''}`
    );
  }
  return lines.join('\n') + '\n';
}

/** A trace ID as given on the command line: 32 hex digits (or 16, a 64-bit ID), any case. */
export function parseTraceIdOption(value: string): string {
  const id = value.trim().toLowerCase();
  if (/^[0-9a-f]{32}$/.test(id)) {
    return id;
  }
  if (/^[0-9a-f]{16}$/.test(id)) {
    return id.padStart(32, '0');
  }
  throw new InvalidArgumentError(
    `expected a trace ID of 32 hex digits (or 16), got ${JSON.stringify(value)} (${value.length} characters)`
  );
}

/** The bytes of `path` ('-' for stdin), or a message saying why they cannot be read. */
async function readInput(path: string, io: Io, maxBytes: number): Promise<Uint8Array | string> {
  const over = `is larger than ${formatBytes(maxBytes)}, the most traceway reads (--max-bytes raises it)`;
  if (path === '-') {
    return (await io.readStdin(maxBytes)) ?? over;
  }
  let fd: number | undefined;
  try {
    // stat the open file, not the path: what is checked is what is read
    fd = openSync(path, 'r');
    const stat = fstatSync(fd);
    if (stat.isDirectory()) {
      return 'is a directory, not a trace file';
    }
    if (!stat.isFile()) {
      const what = stat.isFIFO()
        ? 'a pipe'
        : stat.isCharacterDevice()
          ? 'a character device'
          : stat.isBlockDevice()
            ? 'a block device'
            : stat.isSocket()
              ? 'a socket'
              : 'not a file';
      return `is ${what}, not a regular file: traceway reads trace files (or - for stdin)`;
    }
    if (stat.size > maxBytes) {
      return `is ${formatBytes(stat.size)}, ${over.slice(3)}`;
    }
    // Read at most maxBytes + 1, whatever the size said: a file can grow, and /proc files say 0.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) {
        break;
      }
      total += n;
      if (total > maxBytes) {
        return over;
      }
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? e.code : '';
    if (code === 'ENOENT') {
      return 'cannot read the file: no such file';
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return 'cannot read the file: permission denied';
    }
    if (code === 'EISDIR') {
      return 'is a directory, not a trace file';
    }
    return `cannot read the file: ${code || 'an unexpected error'}`;
  } finally {
    if (fd !== undefined) {
      closeSync(fd);
    }
  }
}

/**
 * A trace file ('-' for stdin) read as `traceway trace` reads it: the trace, or a message saying what is wrong;
 * `several` is the advice for a file of several traces.
 */
async function readTraceFile(
  path: string,
  io: Io,
  maxBytes: number,
  traceId?: string,
  several = 'choose one with --trace-id <id>'
): Promise<Trace | string> {
  const bytes = await readInput(path, io, maxBytes);
  if (typeof bytes === 'string') {
    return bytes;
  }
  try {
    return parseTrace(decodeTraceBytes(bytes), { traceId });
  } catch (e) {
    if (!isTraceInputError(e)) {
      throw e;
    }
    return e.code === 'multiple-traces' ? `${e.problem}; ${several}` : e.message;
  }
}

/** --max-bytes: a size in MB (decimal, as Tempo's limits), or with a unit: 500KB, 2GB, 1000000B. */
export function parseSizeOption(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  const unit = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9 }[(m?.[2] ?? 'mb').toLowerCase() as 'b' | 'kb' | 'mb' | 'gb'];
  const bytes = m ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new InvalidArgumentError('expected a size in MB, such as 100, or with a unit: 500KB, 2GB');
  }
  return bytes;
}

/** --timeout: seconds (30, 0.5) or a duration (30s, 500ms, 2m), more than 0 and at most a day. */
export function parseSecondsOption(value: string): number {
  const s = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : (parseSpan(value) ?? NaN);
  if (!(s > 0) || s > 86_400) {
    throw new InvalidArgumentError('expected a number of seconds, such as 30, or a duration: 30s, 500ms, 2m');
  }
  return s;
}

/**
 * --header 'Name: value', repeatable: the headers, or what is wrong with one. The value is never printed,
 * not even in an error (commander would quote an argument it refuses, so these are checked after it).
 */
export function parseHeaders(values: string[]): Record<string, string> | { problem: string } {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    const name = colon < 0 ? '' : value.slice(0, colon).trim();
    if (colon < 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      return { problem: "--header expects 'Name: value', such as 'X-Scope-OrgID: tenant-1'" };
    }
    const headerValue = value.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(headerValue)) {
      return { problem: `--header ${name}: the value holds a line break` };
    }
    headers[name] = headerValue;
  }
  return headers;
}

/** The base URL given with --tempo (or --prometheus), or a message (which never repeats credentials in it). */
function tempoBase(value: string, service = 'Tempo', example = 'http://tempo:3200'): string | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `is not a URL: give ${service}'s HTTP address, such as ${example}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `is a ${url.protocol} URL: give ${service}'s http:// or https:// address` };
  }
  if (url.username || url.password) {
    return { problem: "holds credentials: pass them with --header 'Authorization: ...' instead" };
  }
  return url.href;
}

interface TempoOptions {
  tempo: string;
  timeout?: number;
  maxBytes?: number;
  header?: Record<string, string>;
  tenant?: string;
}

/** Node's fetch with --header, --timeout and --max-bytes. */
function tempoTransport(opts: TempoOptions): HttpTransport {
  const timeoutMs = opts.timeout !== undefined ? opts.timeout * 1000 : DEFAULT_LIMITS.timeoutMs;
  return fetchTransport(
    fetch,
    { headers: opts.header ?? {} },
    {
      timeoutMs,
      idleTimeoutMs: Math.min(DEFAULT_LIMITS.idleTimeoutMs, timeoutMs),
      maxBytes: opts.maxBytes ?? DEFAULT_LIMITS.maxBytes,
    }
  );
}

/** An HTTP error as one line, with the option that changes the limit it hit. */
function httpMessage(e: { message: string; code: string; status?: number }): string {
  const hint =
    e.code === 'too-large' && e.status !== 422
      ? ' (--max-bytes raises it)'
      : e.code === 'timeout'
        ? ' (--timeout sets the limit, in seconds)'
        : '';
  return `${e.message}${hint}`;
}

/** `traceway trace --tempo URL ID`: the trace from Tempo's HTTP API over src/tempo, with Node's fetch. */
async function readFromTempo(id: string, opts: TempoOptions): Promise<Trace | string> {
  const base = tempoBase(opts.tempo);
  if (typeof base !== 'string') {
    return `--tempo ${base.problem}`;
  }
  const normalized = normalizeTraceId(id);
  if ('error' in normalized) {
    return normalized.error;
  }
  const { traceId } = normalized;
  try {
    const client = new TempoClient(base, tempoTransport(opts), { tenant: opts.tenant });
    const lookup = await client.getTrace({ traceId });
    if (!lookup.found) {
      const where = `Tempo at ${base} (${lookup.endpoint === 'v2' ? '/api/v2/traces' : '/api/traces'})`;
      // A multi-tenant Tempo answers a trace of another tenant exactly as a missing one.
      return lookup.tenant !== undefined
        ? `trace ${traceId} not found for tenant ${JSON.stringify(lookup.tenant)} in ${where}; ` +
            'a trace sent as another tenant is not found either'
        : `trace ${traceId} not found in ${where}`;
    }
    return lookup.trace;
  } catch (e) {
    if (isHttpError(e)) {
      return httpMessage(e);
    }
    if (isTraceInputError(e)) {
      return `Tempo's answer is not a trace traceway reads: ${e.message}`;
    }
    throw e;
  }
}

interface SearchOptions {
  tempo: string;
  service?: string;
  name?: string;
  minDuration?: string;
  maxDuration?: string;
  status?: Exclude<StatusFilter, 'any'>;
  requestId?: string;
  attr?: AttributeFilter[];
  since?: number;
  start?: number;
  end?: number;
  limit?: number;
  tenant?: string;
  timeout?: number;
  header?: string[];
  json?: boolean;
}

/** `traceway search`: the TraceQL the fields build, run progressively (newest first); 0, 1 or 2. */
async function search(opts: SearchOptions, io: Io, usage: (m: string) => void): Promise<number> {
  if (opts.since !== undefined && (opts.start !== undefined || opts.end !== undefined)) {
    usage('give either --since or --start (and --end), not both');
    return 2;
  }
  if (opts.end !== undefined && opts.start === undefined) {
    usage('--end needs --start');
    return 2;
  }
  const nowSec = (io.now ?? Date.now)() / 1000;
  const end = Math.ceil(opts.end ?? nowSec);
  const start = Math.floor(opts.start ?? end - (opts.since ?? 3600));
  if (start >= end) {
    usage(
      `--start must be before --end (got ${new Date(start * 1000).toISOString()} to ${new Date(end * 1000).toISOString()})`
    );
    return 2;
  }
  const headers = parseHeaders(opts.header ?? []);
  if ('problem' in headers) {
    usage(headers.problem as string);
    return 2;
  }
  let query: string;
  try {
    query = buildTraceQL({
      service: opts.service,
      spanName: opts.name,
      minDuration: opts.minDuration,
      maxDuration: opts.maxDuration,
      status: opts.status,
      requestId: opts.requestId,
      filters: opts.attr,
    });
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const base = tempoBase(opts.tempo);
  if (typeof base !== 'string') {
    io.err(`traceway: search: --tempo ${base.problem}\n`);
    return 1;
  }
  const client = new TempoClient(
    base,
    tempoTransport({ tempo: base, timeout: opts.timeout, header: headers as Record<string, string> }),
    { tenant: opts.tenant }
  );
  const progress = io.errIsTty === true;
  let last: Awaited<ReturnType<typeof searchProgressively>>;
  try {
    last = await searchProgressively(
      client,
      { query, start, end, limit: opts.limit ?? DEFAULT_LIMIT },
      {
        onUpdate: (u) =>
          progress &&
          io.err(
            `\rsearching: ${u.chunksDone}/${u.chunksTotal} time slices, ${plural(u.traces.length, 'trace')}\x1b[K`
          ),
      }
    );
  } catch (e) {
    if (progress) {
      io.err('\r\x1b[K');
    }
    if (isHttpError(e)) {
      const message = e.code === 'bad-request' ? `Tempo refused the query ${query}: ${e.message}` : httpMessage(e);
      io.err(`traceway: search: ${message}\n`);
      return 1;
    }
    throw e;
  }
  if (progress) {
    io.err('\r\x1b[K');
  }
  if (opts.json) {
    io.out(searchJson(query, last.traces) + '\n');
  } else if (last.traces.length === 0) {
    io.err(
      `traceway: search: no traces match ${query} from ${new Date(start * 1000).toISOString()} to ` +
        `${new Date(end * 1000).toISOString()}; try a longer --since or fewer filters\n`
    );
  } else {
    io.out(searchTable(last.traces));
  }
  return 0;
}

interface ServicemapOptions {
  prometheus?: string;
  tempo?: string;
  since?: number;
  header?: string[];
  tenant?: string;
  limit?: number;
  timeout?: number;
  json?: boolean;
}

/** `traceway servicemap --prometheus | --tempo`: the map over --since; 0, 1 or 2. */
async function servicemap(opts: ServicemapOptions, io: Io, usage: (m: string) => void): Promise<number> {
  if (opts.tempo !== undefined && opts.prometheus !== undefined) {
    usage('give either --prometheus (the metrics) or --tempo (a sample of traces), not both');
    return 2;
  }
  if (opts.tempo === undefined && opts.prometheus === undefined) {
    usage("required option '--prometheus <url>' or '--tempo <url>' not specified");
    return 2;
  }
  if (opts.prometheus !== undefined && (opts.tenant !== undefined || opts.limit !== undefined)) {
    usage(
      `${opts.tenant !== undefined ? '--tenant' : '--limit'} is for --tempo; for a multi-tenant Mimir send ` +
        "--header 'X-Scope-OrgID: <tenant>'"
    );
    return 2;
  }
  const headers = parseHeaders(opts.header ?? []);
  if ('problem' in headers) {
    usage(headers.problem as string);
    return 2;
  }
  if (opts.tempo !== undefined) {
    return servicemapFromTraces(opts.tempo, opts, headers as Record<string, string>, io, usage);
  }
  const base = tempoBase(opts.prometheus!, 'Prometheus', 'http://prometheus:9090');
  if (typeof base !== 'string') {
    usage(`--prometheus ${base.problem}`);
    return 2;
  }
  const rangeSec = opts.since ?? 900;
  const timeSec = Math.floor((io.now ?? Date.now)() / 1000);
  const client = new PrometheusClient(
    base,
    tempoTransport({ tempo: base, timeout: opts.timeout, header: headers as Record<string, string> })
  );
  let map: Awaited<ReturnType<typeof fetchServiceGraph>>;
  try {
    map = await fetchServiceGraph(client, { rangeSec, timeSec });
  } catch (e) {
    if (isHttpError(e)) {
      io.err(`traceway: servicemap: ${httpMessage(e)}\n`);
      return 1;
    }
    throw e;
  }
  if (map.noSeries) {
    io.err(
      `traceway: servicemap: Prometheus at ${base} holds no service-graph series (traces_service_graph_*) from ` +
        `${new Date((timeSec - rangeSec) * 1000).toISOString()} to ${new Date(timeSec * 1000).toISOString()}: ` +
        "Tempo's metrics-generator (service-graphs processor) wrote none to this Prometheus in the range\n"
    );
  }
  if (opts.json) {
    io.out(servicemapJson(map) + '\n');
  } else if (map.edges.length > 0) {
    io.out(servicemapTable(map));
  }
  return 0;
}

/** `traceway servicemap --tempo`: the service graphs of a sample of traces, added up (calls, not rates). */
async function servicemapFromTraces(
  tempo: string,
  opts: ServicemapOptions,
  headers: Record<string, string>,
  io: Io,
  usage: (m: string) => void
): Promise<number> {
  const base = tempoBase(tempo);
  if (typeof base !== 'string') {
    usage(`--tempo ${base.problem}`);
    return 2;
  }
  const toMs = (io.now ?? Date.now)();
  const fromMs = toMs - (opts.since ?? 900) * 1000;
  const client = new TempoClient(base, tempoTransport({ tempo: base, timeout: opts.timeout, header: headers }), {
    tenant: opts.tenant,
  });
  let result: Awaited<ReturnType<typeof sampleServiceMap>>;
  try {
    result = await sampleServiceMap(client, { fromMs, toMs, limit: opts.limit });
  } catch (e) {
    if (isHttpError(e)) {
      io.err(`traceway: servicemap: ${httpMessage(e)}\n`);
      return 1;
    }
    throw e;
  }
  const { map, sample } = result;
  if (sample.traces === 0) {
    io.err(
      `traceway: servicemap: Tempo at ${base} has no traces from ${new Date(fromMs).toISOString()} to ` +
        `${new Date(toMs).toISOString()}; try a longer --since\n`
    );
  } else if (sample.failed > 0) {
    io.err(`traceway: servicemap: ${sample.failed} of the traces found could not be loaded; the map leaves them out\n`);
  }
  if (opts.json) {
    io.out(servicemapJson(map, sample) + '\n');
  } else if (sample.traces > 0) {
    io.out(sampleLine(sample) + '\n' + servicemapTable(map));
  }
  return 0;
}

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const program = new Command();
  let code = 0;
  const usageOf = (command: string) => (message: string) => {
    io.err(`traceway: ${message}\n(run traceway ${command} --help for usage)\n`);
    code = 2;
  };
  const usage = usageOf('trace');
  program
    .name('traceway')
    .description('Read distributed traces from Tempo, OTLP, Jaeger, Zipkin or Grafana frames')
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run traceway --help for usage)');
  addTraceSourceOptions(
    program
      .command('trace')
      .description('read one trace and print an indented timeline (--tree, the default) or a JSON summary (--json)')
      .argument('[file]', 'the trace file (the same as --file); with --tempo, the trace ID')
      .option('-f, --file <path>', 'the trace file; - for stdin'),
    { seconds: parseSecondsOption, size: parseSizeOption },
    'one'
  )
    .addOption(new Option('--json', 'print a JSON summary').conflicts('tree'))
    .addOption(new Option('--tree', 'print an indented timeline').conflicts(['json', 'stats']))
    .addOption(
      new Option(
        '--stats',
        'print statistics per service + operation (count, total, avg, min, max, self time, errors); with --json as JSON'
      ).conflicts('tree')
    )
    .option(
      '--trace-id <id>',
      'the trace to read when the file holds several (an OTLP export or a JSON Lines file may)',
      parseTraceIdOption
    )
    .addHelpText(
      'after',
      '\nFormats, detected from the content (UTF-8 or UTF-16 text):\n' +
        FORMATS.map((f) => `  ${f}\n`).join('') +
        '\n' +
        'Examples:\n' +
        '  traceway trace trace.json                 an indented timeline, critical path marked with *\n' +
        '  traceway trace --file trace.json --json   {"traceId","spanCount","rootSpanId","services",...}\n' +
        '  traceway trace traces.jsonl --trace-id 5feb30ccfb3cdb0936f11324d886982a\n' +
        '  traceway trace trace.json --stats         per service + operation, the largest self time first\n' +
        '  traceway trace trace.json --stats --json  {"groups":[{"service","name","count","totalMs","selfMs","errors",\n' +
        '                                            "avgMs","minMs","maxMs","share"}],"services":[...],...}\n' +
        '  curl -s http://tempo:3200/api/v2/traces/<id> | traceway trace -\n' +
        '  traceway trace --tempo http://tempo:3200 5feb30ccfb3cdb0936f11324d886982a --tenant team-a\n\n' +
        'Exit status: 0 ok, 1 the input cannot be read as a trace, 2 usage error.\n'
    )
    .action(
      async (
        file: string | undefined,
        opts: {
          file?: string;
          json?: boolean;
          tree?: boolean;
          stats?: boolean;
          traceId?: string;
          tempo?: string;
          header?: string[];
          timeout?: number;
          maxBytes?: number;
          tenant?: string;
        }
      ) => {
        let trace: Trace | string;
        let name: string;
        if (opts.tempo !== undefined) {
          if (opts.file !== undefined) {
            usage('give either --tempo URL TRACE-ID or a trace file, not both');
            return;
          }
          const id = file ?? opts.traceId;
          if (id === undefined) {
            usage('--tempo needs a trace ID: traceway trace --tempo URL TRACE-ID');
            return;
          }
          const headers = parseHeaders(opts.header ?? []);
          if ('problem' in headers) {
            usage(headers.problem as string);
            return;
          }
          name = 'tempo';
          trace = await readFromTempo(id, { ...opts, header: headers as Record<string, string>, tempo: opts.tempo });
        } else {
          if (opts.header !== undefined || opts.timeout !== undefined || opts.tenant !== undefined) {
            usage('--header, --tenant and --timeout go with --tempo');
            return;
          }
          if (file !== undefined && opts.file !== undefined && file !== opts.file) {
            usage(`give the trace file once: either as an argument or with --file (got ${file} and ${opts.file})`);
            return;
          }
          const path = opts.file ?? file;
          if (path === undefined) {
            usage('a trace file is required: traceway trace FILE, or --file FILE (- reads stdin)');
            return;
          }
          name = path === '-' ? 'stdin' : path;
          trace = await readTraceFile(path, io, opts.maxBytes ?? DEFAULT_FILE_MAX_BYTES, opts.traceId);
        }
        if (typeof trace === 'string') {
          io.err(`traceway: ${name}: ${trace}\n`);
          code = 1;
          return;
        }
        if (opts.stats) {
          io.out(opts.json ? statsJson(trace) + '\n' : statsTable(trace));
          return;
        }
        io.out(opts.json ? JSON.stringify(traceJson(trace)) + '\n' : traceTree(trace));
      }
    );
  program
    .command('search')
    .description('find traces in Tempo with TraceQL built from the fields, newest first, and print them as a table')
    .requiredOption('--tempo <url>', "Tempo's HTTP API, e.g. http://tempo:3200")
    .option('--service <name>', 'the service (resource.service.name) of a matching span')
    .option('--name <span name>', 'the name of a matching span')
    .option('--min-duration <duration>', 'a matching span takes at least this long: 250ms, 1.5s, 2m')
    .option('--max-duration <duration>', 'a matching span takes at most this long')
    .addOption(
      new Option('--status <status>', 'error: a span failed; ok: a span did not fail').choices(['error', 'ok'])
    )
    .option('--request-id <id>', 'the request ID (X-Request-ID) under every attribute key that commonly carries one')
    .option(
      '--attr <key=value>',
      'an attribute filter, repeatable: key=value, key!=value, key=~regex, key>=n, ...; resource.key or span.key (default)',
      parseAttrOption
    )
    .option('--since <span>', 'search back from now this far (default 1h): 15m, 6h, 7d, 2w', parseSinceOption)
    .option('--start <time>', 'the start: RFC 3339 (2026-11-22T10:00:00Z) or epoch seconds', parseTimeOption)
    .option('--end <time>', 'the end (default now), as --start', parseTimeOption)
    .option(
      '--limit <n>',
      `the most traces printed (default ${DEFAULT_LIMIT}, at most ${(1000).toLocaleString('en-US')})`,
      parseLimitOption
    )
    .option('--tenant <tenant>', 'the tenant of a multi-tenant Tempo (sent as X-Scope-OrgID)')
    .option(
      '--timeout <seconds>',
      'the longest each request may take, in seconds or with a unit: 30, 30s, 2m (default 300; 30 without a byte)',
      parseSecondsOption
    )
    .option(
      '--header <header>',
      "a header to send, 'Name: value' (repeatable; values are never printed)",
      (value: string, previous: string[] = []) => [...previous, value]
    )
    .option('--json', 'print {"query","traces":[{"traceId","rootService","rootName","startMs","durationMs"}]}')
    .addHelpText(
      'after',
      '\nA long range is searched in time slices, newest first (the last hour, then twice as long each time,\n' +
        'at most a day), and stops once --limit traces are found.\n\n' +
        'Examples:\n' +
        '  traceway search --tempo http://tempo:3200 --service core --min-duration 500ms --since 6h\n' +
        '  traceway search --tempo http://tempo:3200 --status error --attr http.response.status_code>=500\n' +
        '  traceway search --tempo http://tempo:3200 --request-id c3f3de22-5ca0-4e9d-9dcb-dfcdd33ef212 --since 7d\n' +
        '  traceway search --tempo http://tempo:3200 --service core --start 2026-11-22T10:00:00Z --end 2026-11-22T11:00:00Z --json\n\n' +
        'Exit status: 0 ok (also when nothing matched), 1 Tempo could not answer or refused the query, 2 usage error.\n'
    )
    .action(async (opts: SearchOptions) => {
      code = await search(opts, io, usageOf('search'));
    });
  program
    .command('servicemap')
    .description(
      "which services call which, from Tempo's service-graph metrics in Prometheus or a sample of traces, as a table of edges"
    )
    .option('--prometheus <url>', "the Prometheus (or Mimir /prometheus) that Tempo's metrics-generator writes to")
    .option(
      '--tempo <url>',
      'Tempo itself: the map of a sample of its traces (for a Tempo without a metrics-generator)'
    )
    .option(
      '--since <span>',
      'the time range back from now, rates are over it (default 15m): 5m, 1h, 1d',
      parseSinceOption
    )
    .option('--limit <n>', 'with --tempo, how many traces to sample (default 100, at most 1,000)', parseLimitOption)
    .option('--tenant <tenant>', 'with --tempo, the tenant of a multi-tenant Tempo (sent as X-Scope-OrgID)')
    .option(
      '--header <header>',
      "a header to send, 'Name: value' (repeatable; values are never printed), e.g. 'X-Scope-OrgID: t1' for Mimir",
      (value: string, previous: string[] = []) => [...previous, value]
    )
    .option(
      '--timeout <seconds>',
      'the longest each request may take, in seconds or with a unit: 30, 30s, 2m (default 300; 30 without a byte)',
      parseSecondsOption
    )
    .option(
      '--json',
      'print {"nodes":[{"id","virtual","requests","errors","p95Ms"}],"edges":[{"source","target","requests","errors","connectionType"}]}'
    )
    .addHelpText(
      'after',
      "\nWith --prometheus, rates are per second over the whole range, as Grafana's Tempo data source computes them:\n" +
        '  sum by (client, server) (rate(traces_service_graph_request_total[RANGE])), one instant query at now.\n' +
        'In --json, requests and errors are requests and failed requests per second; p95Ms is the server-side\n' +
        'p95 in milliseconds, null when unknown (virtual nodes such as databases, or no latency series).\n' +
        'The table: one line per edge, source → target, connection type (- for an instrumented call),\n' +
        'requests/s, the failed share, and the p95 (- when unknown).\n\n' +
        "With --tempo, the map is built from a sample: up to --limit traces that Tempo's search returns for the\n" +
        "range (TraceQL {}; not necessarily the newest), each one's service graph by the rules of Tempo's\n" +
        'service-graphs processor, added up. requests and errors are then calls counted in the sample, not rates;\n' +
        'the table says how many traces it sampled and shows the mean server time (percentiles are not known from\n' +
        'a sample). --json adds "unit":"calls" and "sample":{"traces","asked","fromMs","toMs","failed"}.\n\n' +
        'Examples:\n' +
        '  traceway servicemap --prometheus http://prometheus:9090\n' +
        "  traceway servicemap --prometheus http://mimir:8080/prometheus --header 'X-Scope-OrgID: team-a' --since 1h --json\n" +
        '  traceway servicemap --tempo http://tempo:3200 --since 1h --limit 500\n\n' +
        'Exit status: 0 ok (also when Prometheus holds no service-graph series or Tempo no traces: a line on\n' +
        'stderr says so), 1 Prometheus or Tempo could not be reached or refused a query, 2 usage error.\n'
    )
    .action(async (opts: ServicemapOptions) => {
      code = await servicemap(opts, io, usageOf('servicemap'));
    });
  addDiffCommand(program, io, (c) => (code = c), {
    file: (path, maxBytes) =>
      readTraceFile(path, io, maxBytes ?? DEFAULT_FILE_MAX_BYTES, undefined, 'diff compares files of one trace each'),
    tempo: readFromTempo,
    seconds: parseSecondsOption,
    size: parseSizeOption,
    headers: parseHeaders,
  });
  addProvisionCommand(program, io, (c) => {
    code = c;
  });
  addDoctorCommand(program, io, (c) => (code = c), { seconds: parseSecondsOption, headers: parseHeaders });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; everything else commander reports is a usage error
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    io.err(`traceway: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
  return code;
}
