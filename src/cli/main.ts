/**
 * The `traceway` command line: argument parsing and printing only; the work is in src/trace.
 * Exit codes: 0 ok, 1 bad input (message on stderr), 2 usage error.
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'fs';

import {
  criticalPath,
  isTraceInputError,
  parseTrace,
  SpanFlag,
  StatusCode,
  summarize,
  Trace,
  SPAN_KIND_NAMES,
} from '../trace';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  readStdin: () => string;
}

const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readStdin: () => readFileSync(0, 'utf8'),
};

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
  const onPath = new Uint8Array(trace.spans.length);
  for (const i of criticalPath(trace).spans) {
    onPath[i] = 1;
  }
  const lines: string[] = [
    `trace ${s.traceId}: ${s.spanCount} spans, ${s.services.length} services, ${s.durationMs.toFixed(3)} ms, ` +
      `${s.errorCount} errors, max depth ${s.maxDepth}`,
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
    if (f & (SpanFlag.SkewStart | SpanFlag.SkewEnd)) {
      notes.push('clock skew');
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

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const program = new Command();
  let code = 0;
  program
    .name('traceway')
    .description('Read distributed traces from Tempo, OTLP, Jaeger or Grafana frames')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run traceway --help for usage)');
  program
    .command('trace')
    .description('read one trace and print a summary (--json) or an indented timeline (--tree, the default)')
    .requiredOption(
      '-f, --file <path>',
      'trace file: Tempo /api/v2/traces or /api/traces JSON, OTLP/JSON, Jaeger JSON or Grafana frames; - for stdin'
    )
    .addOption(new Option('--json', 'print a JSON summary').conflicts('tree'))
    .addOption(new Option('--tree', 'print an indented timeline').conflicts('json'))
    .option('--trace-id <id>', 'the trace to read when the file holds several (an OTLP export may)')
    .action((opts: { file: string; json?: boolean; tree?: boolean; traceId?: string }) => {
      let text: string;
      try {
        text = opts.file === '-' ? io.readStdin() : readFileSync(opts.file, 'utf8');
      } catch (e) {
        const reason =
          e instanceof Error && 'code' in e && e.code === 'ENOENT'
            ? 'no such file'
            : e instanceof Error
              ? e.message
              : String(e);
        io.err(`traceway: ${opts.file}: cannot read the file: ${reason}\n`);
        code = 1;
        return;
      }
      try {
        const trace = parseTrace(text, { traceId: opts.traceId?.toLowerCase() });
        io.out(opts.json ? JSON.stringify(traceJson(trace)) + '\n' : traceTree(trace));
      } catch (e) {
        if (isTraceInputError(e)) {
          io.err(`traceway: ${opts.file}: ${e.message}\n`);
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
