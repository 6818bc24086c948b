/**
 * `traceway search`: parsing its options and printing its results. The query is built by src/tempo's
 * TraceQL builder and run by its progressive search; nothing here talks HTTP.
 */
import { InvalidArgumentError } from 'commander';

import { AttributeFilter, FILTER_OPERATORS, FilterOperator, FilterScope } from '../tempo/traceql';
import type { SearchTrace } from '../tempo';

/** What the Search page allows: Tempo answers more only slowly, and a terminal shows less. */
export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 50;

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** A span of time as `1h`, `30m`, `7d`, `2w`, `90s` (one number and a unit), in seconds. */
export function parseSpan(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(value);
  const seconds = m ? Number(m[1]) * UNIT_SECONDS[m[2]] : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** --since: how far back from now, such as 1h, 30m, 7d. */
export function parseSinceOption(value: string): number {
  const seconds = parseSpan(value);
  if (seconds === undefined || seconds > 100 * 365 * 86_400) {
    throw new InvalidArgumentError('expected how far back to search: a number and a unit, such as 15m, 1h, 7d, 2w');
  }
  return seconds;
}

/** The latest epoch second accepted (year 9999): a larger number is milliseconds, most likely. */
const MAX_EPOCH_SECONDS = 253_402_300_799;

/** --start/--end: RFC 3339 (2026-11-22T10:00:00Z, with an offset or Z) or epoch seconds; epoch seconds out. */
export function parseTimeOption(value: string): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (seconds > MAX_EPOCH_SECONDS) {
      throw new InvalidArgumentError('expected epoch seconds; this number is too large (milliseconds? divide by 1000)');
    }
    return seconds;
  }
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
  const ms = rfc3339.test(text) ? Date.parse(text.replace(' ', 'T')) : NaN;
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentError(
      'expected an RFC 3339 time with its zone, such as 2026-11-22T10:00:00Z, or epoch seconds'
    );
  }
  return ms / 1000;
}

/** --limit: 1 to MAX_LIMIT traces. */
export function parseLimitOption(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n < 1 || n > MAX_LIMIT) {
    throw new InvalidArgumentError(`expected a number of traces from 1 to ${MAX_LIMIT.toLocaleString('en-US')}`);
  }
  return n;
}

// Two-character operators first, so that `a>=1` is not read as `a > "=1"`.
const OPERATORS = [...FILTER_OPERATORS].sort((a, b) => b.length - a.length);

/**
 * --attr `key=value`, or with any operator of the Search page (`!=`, `=~`, `!~`, `>`, `>=`, `<`, `<=`):
 * the first operator in the text splits it. `resource.` and `span.` pick the scope (span when neither).
 */
export function parseAttrOption(value: string, previous: AttributeFilter[] = []): AttributeFilter[] {
  let found: { at: number; op: FilterOperator } | undefined;
  for (let at = 0; at < value.length && !found; at++) {
    const op = OPERATORS.find((o) => value.startsWith(o, at));
    if (op) {
      found = { at, op };
    }
  }
  const usage = `expected key=value, or another operator (${FILTER_OPERATORS.join(' ')}), with resource. or span. before the key to choose its scope`;
  if (!found) {
    throw new InvalidArgumentError(usage);
  }
  let key = value.slice(0, found.at).trim();
  let scope: FilterScope = 'span';
  const prefix = /^(resource|span)\./.exec(key);
  if (prefix) {
    scope = prefix[1] as FilterScope;
    key = key.slice(prefix[0].length);
  }
  if (key === '') {
    throw new InvalidArgumentError(`the attribute name is missing: ${usage}`);
  }
  return [...previous, { scope, key, operator: found.op, value: value.slice(found.at + found.op.length) }];
}

/** Text from Tempo for a terminal: control characters (escape sequences) dropped, cut to `max`. */
export function printable(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** `--json`: exactly `{"query","traces":[{"traceId","rootService","rootName","startMs","durationMs"}]}`. */
export function searchJson(query: string, traces: readonly SearchTrace[]): string {
  return JSON.stringify({
    query,
    traces: traces.map((t) => ({
      traceId: t.traceId,
      rootService: t.rootService ?? null,
      rootName: t.rootName ?? null,
      startMs: t.startMs,
      durationMs: t.durationMs ?? null,
    })),
  });
}

function formatDuration(ms: number | undefined): string {
  if (ms === undefined) {
    return '-';
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Number(ms.toFixed(3))} ms`;
}

/** The results as a table: trace ID, root service, root span name, start (ISO, UTC), duration. */
export function searchTable(traces: readonly SearchTrace[]): string {
  const rows = traces.map((t) => [
    t.traceId,
    t.rootService === undefined ? '(root not yet received)' : printable(t.rootService, 40),
    t.rootName === undefined ? '' : printable(t.rootName, 60),
    new Date(Math.floor(t.startMs)).toISOString(),
    formatDuration(t.durationMs),
  ]);
  const header = ['TRACE ID', 'ROOT SERVICE', 'ROOT NAME', 'START', 'DURATION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i]) : c + ' '.repeat(widths[i] - [...c].length)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
