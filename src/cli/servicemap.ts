/**
 * `traceway servicemap`: printing the service map that src/prometheus builds from Tempo's service-graph
 * metrics, or src/tempo from a sample of traces. Nothing here talks HTTP.
 */
import type { ServiceMapSampleInfo } from '../tempo/serviceMapSample';
import { type ServiceMap, errorShare } from '../trace/serviceMap';
import { columnPrinter } from './columns';
import { printable } from './search';

/**
 * `--json`: exactly `{"nodes":[{"id","virtual","requests","errors","p95Ms"}],
 * "edges":[{"source","target","requests","errors","connectionType"}]}`; rates per second over the range,
 * p95Ms null when unknown (virtual nodes, no latency series), so every node has the same keys. A map of a
 * sample of traces adds `"unit":"calls"` and `"sample"`: its figures are calls counted, not rates.
 */
export function servicemapJson(map: ServiceMap, sample?: ServiceMapSampleInfo): string {
  return JSON.stringify({
    nodes: map.nodes.map((n) => ({
      id: n.id,
      virtual: n.virtual,
      requests: n.requests,
      errors: n.errors,
      p95Ms: n.p95Ms ?? null,
    })),
    edges: map.edges.map((e) => ({
      source: e.source,
      target: e.target,
      requests: e.requests,
      errors: e.errors,
      connectionType: e.connectionType,
    })),
    ...(sample ? { unit: 'calls', sample } : {}),
  });
}

/** The line above a sample's table: how many traces, over which range, and that the figures are counts. */
export function sampleLine(sample: ServiceMapSampleInfo): string {
  const range = `${new Date(sample.fromMs).toISOString()} to ${new Date(sample.toMs).toISOString()}`;
  const asked = sample.traces + sample.failed < sample.asked ? `; ${sample.traces + sample.failed} found` : '';
  const failed = sample.failed > 0 ? `, ${sample.failed} could not be loaded` : '';
  return (
    `A sample of ${sample.traces} trace${sample.traces === 1 ? '' : 's'} from ${range} ` +
    `(asked for ${sample.asked}${asked}${failed}): calls counted in the sample, not rates.`
  );
}

/** A rate with three significant digits: 0.1125 → "0.113", 1234.5 → "1235". */
function rate(perSecond: number): string {
  return perSecond >= 1000 ? perSecond.toFixed(0) : String(Number(perSecond.toPrecision(3)));
}

function latency(ms: number | undefined): string {
  if (ms === undefined) {
    return '-';
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Number(ms.toFixed(1))} ms`;
}

/**
 * The edges as a table: source → target, connection type, requests/s (or calls, for a sample), error share,
 * and the server p95 (or, for a sample, the mean server time: a sample's graph has no percentiles).
 */
export function servicemapTable(map: ServiceMap): string {
  const calls = map.unit === 'calls';
  const rows = map.edges.map((e) => [
    `${printable(e.source, 60)} → ${printable(e.target, 60)}`,
    e.connectionType === '' ? '-' : e.connectionType,
    calls ? String(e.requests) : rate(e.requests),
    `${(errorShare(e) * 100).toFixed(1)}%`,
    latency(calls ? e.meanMs : e.p95Ms),
  ]);
  const header = ['EDGE', 'TYPE', calls ? 'CALLS' : 'REQ/S', 'ERRORS', calls ? 'MEAN' : 'P95'];
  const right = [false, false, true, true, true];
  const line = columnPrinter(header, rows, right);
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
