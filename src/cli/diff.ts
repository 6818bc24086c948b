/**
 * `traceway diff`: two traces compared by service + operation path (src/trace/diff.ts), as a table or JSON.
 * Parsing and printing only; reading a trace (a file or Tempo) is `traceway trace`'s, passed in from main.ts.
 */
import { Command } from 'commander';

import { normalizeTraceId } from '../tempo';
import { type Trace, type TraceDiff, diffPathLabel, diffTraces, summarize } from '../trace';
import { printable } from './search';
import { SourceOptionParsers, addTraceSourceOptions } from './traceSource';

interface DiffIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** How `traceway trace` reads a trace and parses its options (src/cli/main.ts), passed in to keep one of each. */
export interface DiffReaders extends SourceOptionParsers {
  /** A trace file ('-' for stdin): the trace, or why it cannot be read. */
  file: (path: string, maxBytes: number | undefined) => Promise<Trace | string>;
  /** A trace from Tempo: the trace, or why it cannot be read. */
  tempo: (
    id: string,
    opts: { tempo: string; header: Record<string, string>; tenant?: string; timeout?: number; maxBytes?: number }
  ) => Promise<Trace | string>;
  headers: (values: string[]) => Record<string, string> | { problem: string };
}

interface DiffOptions {
  file?: string[];
  tempo?: string;
  header?: string[];
  tenant?: string;
  timeout?: number;
  maxBytes?: number;
  json?: boolean;
}

const ms = (ns: number) => ns / 1e6;

/**
 * `--json`: exactly `{"added":[{"service","name","count"}],"removed":[{"service","name","count"}],
 * "changed":[{"service","name","countA","countB","durationMsA","durationMsB"}]}`, grouped by service + operation;
 * durations are the groups' total span time in milliseconds.
 */
export function diffJson(diff: TraceDiff): string {
  return JSON.stringify({
    added: diff.added.map((g) => ({ service: g.service, name: g.name, count: g.countB })),
    removed: diff.removed.map((g) => ({ service: g.service, name: g.name, count: g.countA })),
    changed: diff.changed.map((g) => ({
      service: g.service,
      name: g.name,
      countA: g.countA,
      countB: g.countB,
      durationMsA: ms(g.durationNsA),
      durationMsB: ms(g.durationNsB),
    })),
  });
}

/** Past this many segments a path keeps its last ones: lines stay readable however deep the trace. */
const MAX_PATH_SEGMENTS = 12;

const num = (n: number, width: number) => n.toLocaleString('en-US').padStart(width);
const fixed = (v: number, width: number, sign = false) => ((sign && v > 0 ? '+' : '') + v.toFixed(3)).padStart(width);

/**
 * The table: a line per trace, the groups' counts, then every path that differs, largest duration difference
 * first: `-` only in A, `+` only in B, `~` in both but different. Paths the same in both are counted, not listed.
 */
export function diffTable(a: Trace, b: Trace, diff: TraceDiff): string {
  const head = (label: string, t: Trace) => {
    const s = summarize(t);
    return `${label} ${s.traceId}: ${s.spanCount.toLocaleString('en-US')} spans, ${s.durationMs.toFixed(3)} ms`;
  };
  const lines = [
    head('A', a),
    head('B', b),
    `by service + operation: ${diff.added.length} added (in B only), ${diff.removed.length} removed (in A only), ` +
      `${diff.changed.length} changed`,
  ];
  let same = 0;
  const rows: string[] = [];
  for (const id of diff.byDifference) {
    const p = diff.paths[id];
    if (p.countA === p.countB && p.durationNsA === p.durationNsB) {
      same++;
      continue;
    }
    const mark = p.countA === 0 ? '+' : p.countB === 0 ? '-' : '~';
    rows.push(
      `${mark} ${num(p.countA, 7)} ${num(p.countB, 7)} ${fixed(ms(p.durationNsA), 12)} ${fixed(ms(p.durationNsB), 12)} ` +
        `${fixed(ms(p.durationNsB - p.durationNsA), 12, true)}  ${printable(diffPathLabel(diff, id, MAX_PATH_SEGMENTS), 400)}`
    );
  }
  if (rows.length === 0) {
    lines.push(`no differences: all ${diff.paths.length.toLocaleString('en-US')} paths have the same spans and times`);
  } else {
    lines.push(
      `  ${'count A'.padStart(7)} ${'count B'.padStart(7)} ${'total A ms'.padStart(12)} ${'total B ms'.padStart(12)} ` +
        `${'B - A ms'.padStart(12)}  path (- only in A, + only in B, ~ different)`,
      ...rows,
      `${same.toLocaleString('en-US')} ${same === 1 ? 'path is' : 'paths are'} the same in both`
    );
  }
  return lines.join('\n') + '\n';
}

/** What is wrong with the arguments, or the two traces to read. */
function plan(
  ids: string[],
  opts: DiffOptions,
  readers: DiffReaders
):
  | { problem: string }
  | { tempo: string; ids: [string, string]; header: Record<string, string> }
  | { files: [string, string] } {
  const files = opts.file ?? [];
  if (opts.tempo !== undefined) {
    if (files.length > 0) {
      return { problem: 'give either --tempo URL with two trace IDs or two --file, not both' };
    }
    if (ids.length !== 2) {
      return { problem: `--tempo needs two trace IDs, A then B: traceway diff A B --tempo URL (got ${ids.length})` };
    }
    for (const [label, id] of [
      ['A', ids[0]],
      ['B', ids[1]],
    ]) {
      const n = normalizeTraceId(id);
      if ('error' in n) {
        return { problem: `trace ${label}: ${n.error}` };
      }
    }
    const header = readers.headers(opts.header ?? []);
    if ('problem' in header) {
      return { problem: header.problem as string };
    }
    return { tempo: opts.tempo, ids: [ids[0], ids[1]], header: header as Record<string, string> };
  }
  if (opts.header !== undefined || opts.timeout !== undefined || opts.tenant !== undefined) {
    return { problem: '--header, --tenant and --timeout go with --tempo' };
  }
  if (ids.length > 0) {
    return {
      problem: `trace IDs (${ids.length} given) need --tempo URL; to compare files give --file FA --file FB`,
    };
  }
  if (files.length !== 2) {
    return {
      problem:
        files.length === 0
          ? 'give two traces: traceway diff A B --tempo URL, or traceway diff --file FA --file FB'
          : `--file is needed twice, A then B (got ${files.length})`,
    };
  }
  if (files[0] === '-' && files[1] === '-') {
    return { problem: 'only one of the two files can be stdin (-)' };
  }
  return { files: [files[0], files[1]] };
}

export function addDiffCommand(
  program: Command,
  io: DiffIo,
  setCode: (code: number) => void,
  readers: DiffReaders
): void {
  addTraceSourceOptions(
    program
      .command('diff')
      .description('compare two traces by service + operation path: what only A has, what only B has, what changed')
      .argument('[ids...]', 'with --tempo, the two trace IDs: A then B')
      .option(
        '-f, --file <path>',
        'a trace file, given twice: A then B (- for stdin, once)',
        (value: string, previous: string[] = []) => [...previous, value]
      ),
    readers,
    'two'
  )
    .option(
      '--json',
      'print {"added":[{"service","name","count"}],"removed":[...],' +
        '"changed":[{"service","name","countA","countB","durationMsA","durationMsB"}]}'
    )
    .addHelpText(
      'after',
      '\nSpans are matched by their path of service:operation from their root (gateway:GET /api > core:scan), not by\n' +
        'ID; repeated siblings on one path add up, and a span whose parent is missing starts a path of its own. The\n' +
        'table lists every path that differs, largest difference in total duration first. --json groups by service +\n' +
        'operation: added is in B only, removed in A only, changed in both with another count or total duration.\n\n' +
        'Examples:\n' +
        '  traceway diff --file fast.json --file slow.json\n' +
        '  traceway diff 5feb30ccfb3cdb0936f11324d886982a 2f3e0cdb8a1b4a5c9d7e6f5a4b3c2d1e --tempo http://tempo:3200 --json\n\n' +
        'Exit status: 0 ok (also when the traces differ), 1 a trace cannot be read, 2 usage error.\n'
    )
    .action(async (ids: string[], opts: DiffOptions) => {
      const p = plan(ids, opts, readers);
      if ('problem' in p) {
        io.err(`traceway: diff: ${p.problem}\n(run traceway diff --help for usage)\n`);
        setCode(2);
        return;
      }
      const names = 'files' in p ? p.files.map((f) => (f === '-' ? 'stdin' : f)) : p.ids;
      const read =
        'files' in p
          ? p.files.map((f) => readers.file(f, opts.maxBytes))
          : p.ids.map((id) => readers.tempo(id, { ...opts, tempo: p.tempo, header: p.header }));
      const [a, b] = await Promise.all(read);
      let failed = false;
      for (const [label, t, name] of [
        ['A', a, names[0]],
        ['B', b, names[1]],
      ] as const) {
        if (typeof t === 'string') {
          io.err(`traceway: diff: trace ${label} (${name}): ${t}\n`);
          failed = true;
        }
      }
      if (failed || typeof a === 'string' || typeof b === 'string') {
        setCode(1);
        return;
      }
      const diff = diffTraces(a, b);
      io.out(opts.json ? diffJson(diff) + '\n' : diffTable(a, b, diff));
    });
}
