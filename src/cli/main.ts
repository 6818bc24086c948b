/**
 * The `traceway` command line: argument parsing and printing only; the work is in src/trace.
 * Exit codes: 0 ok, 1 bad input (message on stderr), 2 usage error.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { closeSync, fstatSync, openSync, readSync } from 'fs';

import { DEFAULT_LIMITS, fetchTransport, formatBytes, isHttpError } from '../http';
import { TempoClient, normalizeTraceId } from '../tempo';

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

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readStdin: readStdinCapped,
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

/** --timeout: seconds, more than 0. */
export function parseSecondsOption(value: string): number {
  const s = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(s > 0) || s > 86_400) {
    throw new InvalidArgumentError('expected a number of seconds, such as 30');
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

/** The base URL given with --tempo, or a message (which never repeats credentials in it). */
function tempoBase(value: string): string | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: "is not a URL: give Tempo's HTTP address, such as http://tempo:3200" };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `is a ${url.protocol} URL: give Tempo's http:// or https:// address` };
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
  const timeoutMs = opts.timeout !== undefined ? opts.timeout * 1000 : DEFAULT_LIMITS.timeoutMs;
  const transport = fetchTransport(
    fetch,
    { headers: opts.header ?? {} },
    {
      timeoutMs,
      idleTimeoutMs: Math.min(DEFAULT_LIMITS.idleTimeoutMs, timeoutMs),
      maxBytes: opts.maxBytes ?? DEFAULT_LIMITS.maxBytes,
    }
  );
  try {
    const lookup = await new TempoClient(base, transport).getTrace({ traceId });
    if (!lookup.found) {
      return `trace ${traceId} not found in Tempo at ${base} (${lookup.endpoint === 'v2' ? '/api/v2/traces' : '/api/traces'})`;
    }
    return lookup.trace;
  } catch (e) {
    if (isHttpError(e)) {
      const hint =
        e.code === 'too-large' && e.status !== 422
          ? ' (--max-bytes raises it)'
          : e.code === 'timeout'
            ? ' (--timeout sets the limit, in seconds)'
            : '';
      return `${e.message}${hint}`;
    }
    if (isTraceInputError(e)) {
      return `Tempo's answer is not a trace traceway reads: ${e.message}`;
    }
    throw e;
  }
}

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const program = new Command();
  let code = 0;
  const usage = (message: string) => {
    io.err(`traceway: ${message}\n(run traceway trace --help for usage)\n`);
    code = 2;
  };
  program
    .name('traceway')
    .description('Read distributed traces from Tempo, OTLP, Jaeger, Zipkin or Grafana frames')
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run traceway --help for usage)');
  program
    .command('trace')
    .description('read one trace and print an indented timeline (--tree, the default) or a JSON summary (--json)')
    .argument('[file]', 'the trace file (the same as --file); with --tempo, the trace ID')
    .option('-f, --file <path>', 'the trace file; - for stdin')
    .option('--tempo <url>', "read the trace from Tempo's HTTP API at this address, e.g. http://tempo:3200")
    .option(
      '--header <header>',
      "with --tempo, a header to send, 'Name: value' (repeatable; values are never printed)",
      (value: string, previous: string[] = []) => [...previous, value]
    )
    .option(
      '--timeout <seconds>',
      'with --tempo, the longest the request may take (default 300; 30 without a byte)',
      parseSecondsOption
    )
    .option(
      '--max-bytes <MB>',
      'the most bytes read, in MB or with a unit (default 100MB from Tempo, 1GB from a file)',
      parseSizeOption
    )
    .addOption(new Option('--json', 'print a JSON summary').conflicts('tree'))
    .addOption(new Option('--tree', 'print an indented timeline').conflicts('json'))
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
        '  curl -s http://tempo:3200/api/v2/traces/<id> | traceway trace -\n' +
        '  traceway trace --tempo http://tempo:3200 5feb30ccfb3cdb0936f11324d886982a --header "X-Scope-OrgID: team-a"\n\n' +
        'Exit status: 0 ok, 1 the input cannot be read as a trace, 2 usage error.\n'
    )
    .action(
      async (
        file: string | undefined,
        opts: {
          file?: string;
          json?: boolean;
          tree?: boolean;
          traceId?: string;
          tempo?: string;
          header?: string[];
          timeout?: number;
          maxBytes?: number;
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
          if (opts.header !== undefined || opts.timeout !== undefined) {
            usage('--header and --timeout go with --tempo');
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
          const bytes = await readInput(path, io, opts.maxBytes ?? DEFAULT_FILE_MAX_BYTES);
          if (typeof bytes === 'string') {
            trace = bytes;
          } else {
            try {
              trace = parseTrace(decodeTraceBytes(bytes), { traceId: opts.traceId });
            } catch (e) {
              if (!isTraceInputError(e)) {
                throw e;
              }
              trace = e.code === 'multiple-traces' ? `${e.problem}; choose one with --trace-id <id>` : e.message;
            }
          }
        }
        if (typeof trace === 'string') {
          io.err(`traceway: ${name}: ${trace}\n`);
          code = 1;
          return;
        }
        io.out(opts.json ? JSON.stringify(traceJson(trace)) + '\n' : traceTree(trace));
      }
    );
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
