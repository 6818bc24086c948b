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
  /** the service name (`service.name`), or the peer or `user` for a virtual node; unique in the map */
  id: string;
  /**
   * The service name, only when it differs from `id`: Grafana's node-graph frames give `namespace/name` ids, and
   * when two namespaces hold the same name the id must stay `namespace/name`. Searches use this name.
   */
  name?: string;
  /** a database, an uninstrumented peer or `user`: drawn differently */
  virtual: boolean;
  /** incoming requests per second */
  requests: number;
  /** incoming failed requests per second */
  errors: number;
  p50Ms?: number;
  p95Ms?: number;
  /** `service.namespace` (from the traces' resources, or Prometheus's `*_service_namespace` labels) */
  namespace?: string;
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

/**
 * What `requests` and `errors` count: 'per-second' rates over the time range (metrics), or 'calls' counted in
 * a sample of traces (not rates: the sample is not all the traffic). Absent means 'per-second'.
 */
export type ServiceMapUnit = 'per-second' | 'calls';

export interface ServiceMap {
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
  unit?: ServiceMapUnit;
}

/** Failed share of requests, 0..1; 0 when there were none. */
export function errorShare(x: { requests: number; errors: number }): number {
  return x.requests > 0 ? Math.min(1, x.errors / x.requests) : 0;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Nodes and edges in a stable order (by id; edges by source, then target), so maps compare and render stably. */
export function sortServiceMap<M extends ServiceMap>(map: M): M {
  return {
    ...map,
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
  return mapOfGraph(graph, seconds, 'per-second');
}

/**
 * The same map with `requests` and `errors` as the calls counted in the graph (`unit: 'calls'`): for a
 * sample of traces, whose counts are not the traffic's rate.
 */
export function serviceMapCountsFromGraph(graph: ServiceGraph): ServiceMap {
  return mapOfGraph(graph, 1, 'calls');
}

function mapOfGraph(graph: ServiceGraph, seconds: number, unit: ServiceMapUnit): ServiceMap {
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
    nodes.set(n.name, {
      id: n.name,
      virtual: n.virtual || n.name === USER_NODE,
      requests: 0,
      errors: 0,
      ...(n.namespace !== undefined ? { namespace: n.namespace } : {}),
    });
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
  return sortServiceMap({ nodes: [...nodes.values()], edges, unit });
}

/**
 * The graphs of several traces (a search's sample) as one: edges with the same client, server and
 * connection type add up; a node is virtual only if it is virtual in every graph it appears in (a peer
 * named by a client span in one trace may be an instrumented service in another).
 */
export function mergeServiceGraphs(graphs: ServiceGraph[]): ServiceGraph {
  const edges = new Map<string, ServiceGraph['edges'][number]>();
  const virtual = new Map<string, boolean>();
  const namespaces = new Map<string, string>();
  for (const g of graphs) {
    for (const n of g.nodes) {
      virtual.set(n.name, (virtual.get(n.name) ?? true) && n.virtual);
      if (n.namespace !== undefined && !namespaces.has(n.name)) {
        namespaces.set(n.name, n.namespace);
      }
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
    nodes: [...virtual]
      .sort(([a], [b]) => byId(a, b))
      .map(([name, v]) => {
        const namespace = namespaces.get(name);
        return namespace !== undefined ? { name, virtual: v, namespace } : { name, virtual: v };
      }),
    edges: [...edges.values()].sort(
      (a, b) => byId(a.client, b.client) || byId(a.server, b.server) || byId(a.connectionType, b.connectionType)
    ),
  };
}

export type FocusDirection = 'upstream' | 'downstream' | 'both';

export interface FocusOptions {
  /** the focused node's id */
  id: string;
  /** how many calls away from it; 0 keeps the node alone, Infinity everything reachable */
  hops: number;
  /** upstream: its callers (and theirs); downstream: its callees; both: the two together */
  direction: FocusDirection;
}

/**
 * The focused node and the nodes within `hops` calls of it, upstream (callers), downstream (callees) or both
 * (the union of the two: the call paths through the node, not its callers' other callees), with every edge
 * between kept nodes. Figures are not recomputed: a node's rates stay those of all its traffic. An id that is
 * not in the map gives an empty map.
 */
export function focusServiceMap<M extends ServiceMap>(map: M, options: FocusOptions): M {
  const { id, direction } = options;
  if (Number.isNaN(options.hops) || options.hops < 0) {
    throw new RangeError(`Focus hops must be 0 or more; got ${String(options.hops)}.`);
  }
  const hops = Math.floor(options.hops);
  if (!map.nodes.some((n) => n.id === id)) {
    return { ...map, nodes: [], edges: [] };
  }
  const callees = new Map<string, string[]>();
  const callers = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, from: string, to: string) => {
    const list = m.get(from);
    if (list) {
      list.push(to);
    } else {
      m.set(from, [to]);
    }
  };
  for (const e of map.edges) {
    add(callees, e.source, e.target);
    add(callers, e.target, e.source);
  }
  const keep = new Set<string>([id]);
  const walk = (next: Map<string, string[]>) => {
    const seen = new Set<string>([id]);
    let frontier = [id];
    for (let hop = 0; hop < hops && frontier.length > 0; hop++) {
      const following: string[] = [];
      for (const from of frontier) {
        for (const to of next.get(from) ?? []) {
          if (!seen.has(to)) {
            seen.add(to);
            keep.add(to);
            following.push(to);
          }
        }
      }
      frontier = following;
    }
  };
  if (direction !== 'downstream') {
    walk(callers);
  }
  if (direction !== 'upstream') {
    walk(callees);
  }
  return {
    ...map,
    nodes: map.nodes.filter((n) => keep.has(n.id)),
    edges: map.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
  };
}

/** The map without its virtual nodes (databases, uninstrumented peers, `user`) and their edges. */
export function withoutVirtualNodes<M extends ServiceMap>(map: M): M {
  const gone = new Set(map.nodes.filter((n) => n.virtual).map((n) => n.id));
  return {
    ...map,
    nodes: map.nodes.filter((n) => !gone.has(n.id)),
    edges: map.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
  };
}
