import { type ConnectionType, type ServiceGraph, USER_NODE } from './graph';

/**
 * The service map as the UI and the CLI show it, whichever source it came from: Tempo's service-graph
 * metrics in Prometheus (src/prometheus) or the model's graph of sampled traces (serviceMapFromGraph).
 * Rates are per second over the map's time range; `errors` is failed requests per second, so the error
 * share is errors / requests (errorShare).
 */

/** Tempo's `connection_type` label: '' for an instrumented pair, and `database` from Tempo 2.4 on. */
export type ServiceMapConnectionType = ConnectionType | 'database';

export interface ServiceMapNode {
  /** the service name (`service.name`), or the peer or `user` for a virtual node */
  id: string;
  /** a database, an uninstrumented peer or `user`: drawn differently */
  virtual: boolean;
  /** incoming requests per second */
  requests: number;
  /** incoming failed requests per second */
  errors: number;
  p50Ms?: number;
  p95Ms?: number;
}

export interface ServiceMapEdge {
  source: string;
  target: string;
  requests: number;
  errors: number;
  connectionType: ServiceMapConnectionType;
  /** server-side latency of the calls on this edge, where known */
  p50Ms?: number;
  p95Ms?: number;
  meanMs?: number;
}

export interface ServiceMap {
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
}

/** Failed share of requests, 0..1; 0 when there were none. */
export function errorShare(x: { requests: number; errors: number }): number {
  return x.requests > 0 ? Math.min(1, x.errors / x.requests) : 0;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Nodes and edges in a stable order (by id; edges by source, then target), so maps compare and render stably. */
export function sortServiceMap(map: ServiceMap): ServiceMap {
  return {
    nodes: [...map.nodes].sort((a, b) => byId(a.id, b.id)),
    edges: [...map.edges].sort((a, b) => byId(a.source, b.source) || byId(a.target, b.target)),
  };
}

/**
 * The model's graph of sampled traces (serviceGraph, possibly merged over many traces) as a map, counts
 * turned into rates over `seconds` (the sampled time range). Percentiles are not known from the graph's
 * sums, so only the mean server latency is given; a node's figures are those of its incoming edges.
 */
export function serviceMapFromGraph(graph: ServiceGraph, seconds: number): ServiceMap {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`A service map's time range must be a positive number of seconds; got ${String(seconds)}.`);
  }
  const edges: ServiceMapEdge[] = graph.edges.map((e) => ({
    source: e.client,
    target: e.server,
    requests: e.requests / seconds,
    errors: e.failed / seconds,
    connectionType: e.connectionType,
    ...(e.serverSamples > 0 ? { meanMs: e.serverNs / e.serverSamples / 1e6 } : {}),
  }));
  const nodes = new Map<string, ServiceMapNode>();
  for (const n of graph.nodes) {
    nodes.set(n.name, { id: n.name, virtual: n.virtual || n.name === USER_NODE, requests: 0, errors: 0 });
  }
  for (const e of edges) {
    for (const id of [e.source, e.target]) {
      if (!nodes.has(id)) {
        nodes.set(id, { id, virtual: id === USER_NODE, requests: 0, errors: 0 });
      }
    }
    const target = nodes.get(e.target)!;
    target.requests += e.requests;
    target.errors += e.errors;
  }
  return sortServiceMap({ nodes: [...nodes.values()], edges });
}

/**
 * The graphs of several traces (a search's sample) as one: edges with the same client, server and
 * connection type add up; a node is virtual only if it is virtual in every graph it appears in (a peer
 * named by a client span in one trace may be an instrumented service in another).
 */
export function mergeServiceGraphs(graphs: ServiceGraph[]): ServiceGraph {
  const edges = new Map<string, ServiceGraph['edges'][number]>();
  const virtual = new Map<string, boolean>();
  for (const g of graphs) {
    for (const n of g.nodes) {
      virtual.set(n.name, (virtual.get(n.name) ?? true) && n.virtual);
    }
    for (const e of g.edges) {
      const key = `${e.client}\u0000${e.server}\u0000${e.connectionType}`;
      const m = edges.get(key);
      if (!m) {
        edges.set(key, { ...e });
        continue;
      }
      m.requests += e.requests;
      m.failed += e.failed;
      m.clientNs += e.clientNs;
      m.serverNs += e.serverNs;
      m.serverSamples += e.serverSamples;
      m.maxClientNs = Math.max(m.maxClientNs, e.maxClientNs);
      m.maxServerNs = Math.max(m.maxServerNs, e.maxServerNs);
    }
  }
  return {
    nodes: [...virtual].sort(([a], [b]) => byId(a, b)).map(([name, v]) => ({ name, virtual: v })),
    edges: [...edges.values()].sort(
      (a, b) => byId(a.client, b.client) || byId(a.server, b.server) || byId(a.connectionType, b.connectionType)
    ),
  };
}
