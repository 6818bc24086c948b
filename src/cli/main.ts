/**
 * The `traceway` command line: argument parsing and printing only; the work is in src/trace.
 * Exit codes: 0 ok, 1 bad input (message on stderr), 2 usage error.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync, statSync } from 'fs';

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
  readStdin: () => Uint8Array;
}

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readStdin: () => readFileSync(0),
};

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
        `${'  '.repeat(trace.depth[i])}${span.resource.serviceName}: ${span.name} ${span.spanId}` +
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
function readInput(path: string, io: Io): Uint8Array | string {
  if (path === '-') {
    return io.readStdin();
  }
  try {
    if (statSync(path).isDirectory()) {
      return 'is a directory, not a trace file';
    }
    return readFileSync(path);
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? e.code : '';
    if (code === 'ENOENT') {
      return 'cannot read the file: no such file';
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return 'cannot read the file: permission denied';
    }
    return `cannot read the file: ${e instanceof Error ? e.message : String(e)}`;
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
    .argument('[file]', 'the trace file (the same as --file)')
    .option('-f, --file <path>', 'the trace file; - for stdin')
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
        '  curl -s http://tempo:3200/api/v2/traces/<id> | traceway trace -\n\n' +
        'Exit status: 0 ok, 1 the input cannot be read as a trace, 2 usage error.\n'
    )
    .action((file: string | undefined, opts: { file?: string; json?: boolean; tree?: boolean; traceId?: string }) => {
      if (file !== undefined && opts.file !== undefined && file !== opts.file) {
        usage(`give the trace file once: either as an argument or with --file (got ${file} and ${opts.file})`);
        return;
      }
      const path = opts.file ?? file;
      if (path === undefined) {
        usage('a trace file is required: traceway trace FILE, or --file FILE (- reads stdin)');
        return;
      }
      const name = path === '-' ? 'stdin' : path;
      const bytes = readInput(path, io);
      if (typeof bytes === 'string') {
        io.err(`traceway: ${name}: ${bytes}\n`);
        code = 1;
        return;
      }
      try {
        const trace = parseTrace(decodeTraceBytes(bytes), { traceId: opts.traceId });
        io.out(opts.json ? JSON.stringify(traceJson(trace)) + '\n' : traceTree(trace));
      } catch (e) {
        if (isTraceInputError(e)) {
          const message = e.code === 'multiple-traces' ? `${e.problem}; choose one with --trace-id <id>` : e.message;
          io.err(`traceway: ${name}: ${message}\n`);
          code = 1;
          return;
        }
        throw e;
      }
    });
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
