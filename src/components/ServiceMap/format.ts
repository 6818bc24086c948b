import { ServiceMap, errorShare } from '../../trace';

/** How the map's figures read: rates per second from metrics, or counts in a sample of traces. */
export type MapUnit = NonNullable<ServiceMap['unit']>;

export function unitOf(map: ServiceMap): MapUnit {
  return map.unit ?? 'per-second';
}

// One formatter per digit count: toLocaleString with options builds a new formatter per call, which cost
// about 0.4 s of labels (and much of the garbage) on a 1,000-service map.
const formatters: Intl.NumberFormat[] = [];
const num = (v: number, digits: number) =>
  (formatters[digits] ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: digits })).format(v);

/** A request figure with its unit: `12.3 req/s` for rates, `1,234 calls` for counts in a sample. */
export function formatRequests(v: number, unit: MapUnit): string {
  if (unit === 'calls') {
    return `${num(Math.round(v), 0)} ${Math.round(v) === 1 ? 'call' : 'calls'}`;
  }
  const digits = v >= 100 ? 0 : v >= 1 ? 1 : v >= 0.01 ? 2 : 3;
  return `${num(v, digits)} req/s`;
}

/** Error share in percent, with a decimal below 10 % so that 0.4 % does not read as 0 %. */
export function formatErrorShare(x: { requests: number; errors: number }): string {
  const pct = errorShare(x) * 100;
  if (pct === 0) {
    return '0% errors';
  }
  return `${pct < 10 ? num(pct, 1) : num(pct, 0)}% errors`;
}

export function formatMs(ms: number): string {
  if (ms >= 1000) {
    return `${num(ms / 1000, 2)} s`;
  }
  return `${num(ms, ms >= 10 ? 0 : 1)} ms`;
}

/** The figures of a node or an edge as short lines: rate, error share, then the latencies that are known. */
export function figureLines(
  x: { requests: number; errors: number; p50Ms?: number; p95Ms?: number; meanMs?: number },
  unit: MapUnit
): string[] {
  const lines = [formatRequests(x.requests, unit), formatErrorShare(x)];
  const latency: string[] = [];
  if (x.p50Ms !== undefined) {
    latency.push(`p50 ${formatMs(x.p50Ms)}`);
  }
  if (x.p95Ms !== undefined) {
    latency.push(`p95 ${formatMs(x.p95Ms)}`);
  }
  if (latency.length === 0 && x.meanMs !== undefined) {
    latency.push(`mean ${formatMs(x.meanMs)}`);
  }
  if (latency.length > 0) {
    lines.push(latency.join(' · '));
  }
  return lines;
}

/** `1,000 services, 5,000 calls; layout 340 ms`, the map's summary line. */
export function summaryLine(
  shown: { nodes: number; edges: number },
  total: { nodes: number; edges: number },
  layoutMs?: number
): string {
  const count = (n: number, one: string, many: string) => `${num(n, 0)} ${n === 1 ? one : many}`;
  const part = (s: number, t: number, one: string, many: string) =>
    s === t ? count(t, one, many) : `${num(s, 0)} of ${count(t, one, many)}`;
  const layout = layoutMs === undefined ? '' : `; layout ${num(Math.round(layoutMs), 0)} ms`;
  return `${part(shown.nodes, total.nodes, 'service', 'services')}, ${part(shown.edges, total.edges, 'call', 'calls')}${layout}`;
}
