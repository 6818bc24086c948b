/**
 * `traceway trace --stats`: printing the statistics that src/trace computes (`traceStats`). Nothing is computed
 * here but units and order.
 */
import { type GroupStats, type Trace, type TraceStats, bySelfTime, traceStats } from '../trace';
import { columnPrinter } from './columns';
import { printable } from './search';

const toMs = (ns: number) => ns / 1e6;

function groupJson(g: GroupStats, withName: boolean): Record<string, unknown> {
  return {
    service: g.service,
    ...(withName ? { name: g.operation } : {}),
    count: g.count,
    totalMs: toMs(g.totalNs),
    selfMs: toMs(g.selfNs),
    errors: g.errors,
    avgMs: toMs(g.avgNs),
    minMs: toMs(g.minNs),
    maxMs: toMs(g.maxNs),
    share: g.share,
  };
}

/** The per-service rows, sorted as the operations are: the largest self time first. */
function servicesBySelf(stats: TraceStats): GroupStats[] {
  return stats.byService.slice().sort(bySelfTime);
}

/**
 * `--stats --json`: `{"traceId","durationMs","groups":[{"service","name","count","totalMs","selfMs","errors",
 * "avgMs","minMs","maxMs","share"}],"services":[...the same without "name"]}`, each list sorted by self time,
 * the largest first. Times in ms; `share` is selfMs / durationMs (the trace's first start to its last end).
 */
export function statsJson(trace: Trace, stats: TraceStats = traceStats(trace)): string {
  return JSON.stringify({
    traceId: trace.traceId,
    durationMs: toMs(stats.durationNs),
    groups: stats.byOperation.map((g) => groupJson(g, true)),
    services: servicesBySelf(stats).map((g) => groupJson(g, false)),
  });
}

const fixed = (ns: number) => toMs(ns).toFixed(3);

/**
 * Two tables, per service + operation then per service, each sorted by self time: count, total, average, min,
 * max and self time in ms, self time's share of the trace's duration, and errors.
 */
export function statsTable(trace: Trace, stats: TraceStats = traceStats(trace)): string {
  const header = ['SERVICE', 'NAME', 'COUNT', 'TOTAL ms', 'AVG ms', 'MIN ms', 'MAX ms', 'SELF ms', 'SHARE', 'ERRORS'];
  const right = header.map((_, i) => i >= 2);
  const row = (g: GroupStats, name: string) => [
    printable(g.service, 40),
    name,
    String(g.count),
    fixed(g.totalNs),
    fixed(g.avgNs),
    fixed(g.minNs),
    fixed(g.maxNs),
    fixed(g.selfNs),
    `${(g.share * 100).toFixed(1)}%`,
    String(g.errors),
  ];
  const ops = stats.byOperation.map((g) => row(g, printable(g.operation, 60)));
  const services = servicesBySelf(stats).map((g) => row(g, '(all)'));
  const line = columnPrinter(header, [...ops, ...services], right);
  return (
    [
      `trace ${trace.traceId}: ${trace.spans.length.toLocaleString('en-US')} spans, ${fixed(stats.durationNs)} ms; ` +
        "SHARE is self time's share of the trace's duration",
      line(header),
      ...ops.map(line),
      '',
      'per service:',
      line(header),
      ...services.map(line),
    ].join('\n') + '\n'
  );
}
