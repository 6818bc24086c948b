import type { DataFrameJSON, FieldConfig, FieldType } from '@grafana/data';
import type { ServiceMap } from '../trace/serviceMap';

/**
 * A service map as the node-graph frames Grafana's Tempo data source returns for its service-map query
 * (`Nodes` and `Edges`, `preferredVisualisationType: 'nodeGraph'`), for the sandbox's panel data and for
 * tests: nodes `id`, `title`, `subtitle` (the namespace), `mainstat` (mean response time, ms/r),
 * `secondarystat` (requests per second), `arc__success`/`arc__failed` (shares, summing to 1) and `detail__*`;
 * edges `id` (`source_target`), `source`, `target`, `mainstat` and `secondarystat`. Values are numbers where
 * known and null where not, as in Grafana's frames.
 */
export function serviceMapFrames(map: ServiceMap): DataFrameJSON[] {
  const meta = { preferredVisualisationType: 'nodeGraph' as const };
  const meanOf = new Map<string, number>();
  for (const e of map.edges) {
    if (e.meanMs !== undefined) {
      // A node's mean response time: the request-weighted mean of its incoming edges', as Tempo's query gives it.
      meanOf.set(e.target, (meanOf.get(e.target) ?? 0) + e.meanMs * e.requests);
    }
  }
  const ok = (n: { requests: number; errors: number }) => (n.requests > 0 ? 1 - Math.min(1, n.errors / n.requests) : 1);
  const nodes = map.nodes;
  // FieldType's values as strings: the sandbox's server loads this without @grafana/data's runtime.
  const field = (name: string, type: 'string' | 'number' | 'boolean', config: FieldConfig = {}) => ({
    name,
    type: type as unknown as FieldType,
    config,
  });
  const nodesFrame: DataFrameJSON = {
    schema: {
      name: 'Nodes',
      meta,
      fields: [
        field('id', 'string'),
        field('title', 'string', { displayName: 'Service name' }),
        field('subtitle', 'string', { displayName: 'Service namespace' }),
        field('mainstat', 'number', { unit: 'ms/r', displayName: 'Average response time' }),
        field('secondarystat', 'number', { unit: 'r/sec', displayName: 'Requests per second' }),
        field('arc__success', 'number', { displayName: 'Success', color: { mode: 'fixed', fixedColor: 'green' } }),
        field('arc__failed', 'number', { displayName: 'Failed', color: { mode: 'fixed', fixedColor: 'red' } }),
        field('detail__errors', 'number', { unit: 'r/sec', displayName: 'Failed requests per second' }),
        field('detail__p50', 'number', { unit: 'ms', displayName: 'p50 response time' }),
        field('detail__p95', 'number', { unit: 'ms', displayName: 'p95 response time' }),
        field('detail__virtual', 'boolean', { displayName: 'Not instrumented' }),
      ],
    },
    data: {
      values: [
        nodes.map((n) => n.id),
        nodes.map((n) => n.id),
        nodes.map((n) => n.namespace ?? null),
        nodes.map((n) => {
          const sum = meanOf.get(n.id);
          return sum !== undefined && n.requests > 0 ? sum / n.requests : null;
        }),
        nodes.map((n) => n.requests),
        nodes.map((n) => ok(n)),
        nodes.map((n) => 1 - ok(n)),
        nodes.map((n) => n.errors),
        nodes.map((n) => n.p50Ms ?? null),
        nodes.map((n) => n.p95Ms ?? null),
        nodes.map((n) => n.virtual),
      ],
    },
  };
  const edges = map.edges;
  const edgesFrame: DataFrameJSON = {
    schema: {
      name: 'Edges',
      meta,
      fields: [
        field('id', 'string'),
        field('source', 'string'),
        field('target', 'string'),
        field('mainstat', 'number', { unit: 'ms/r', displayName: 'Average response time' }),
        field('secondarystat', 'number', { unit: 'r/sec', displayName: 'Requests per second' }),
        field('detail__errors', 'number', { unit: 'r/sec', displayName: 'Failed requests per second' }),
      ],
    },
    data: {
      values: [
        edges.map((e) => `${e.source}_${e.target}`),
        edges.map((e) => e.source),
        edges.map((e) => e.target),
        edges.map((e) => e.meanMs ?? null),
        edges.map((e) => e.requests),
        edges.map((e) => e.errors),
      ],
    },
  };
  return [nodesFrame, edgesFrame];
}
