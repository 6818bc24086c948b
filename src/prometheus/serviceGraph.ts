import { USER_NODE } from '../trace/graph';
import {
  ServiceMap,
  ServiceMapConnectionType,
  ServiceMapEdge,
  ServiceMapNode,
  sortServiceMap,
} from '../trace/serviceMap';
import type { PrometheusClient, Sample } from './client';
import {
  LabelMatcher,
  LatencyQueries,
  ServiceGraphQueries,
  nativeLatencyQueries,
  serviceGraphQueries,
} from './queries';

/** The answers to serviceGraphQueries; only `requests` is required (a partial set gives a partial map). */
export type ServiceGraphAnswers = { requests: Sample[] } & Partial<Record<keyof ServiceGraphQueries, Sample[]>>;

export interface MetricsServiceMap extends ServiceMap {
  /**
   * Prometheus has no service-graph series in the range at all: Tempo's metrics-generator is off, does not
   * remote-write to this Prometheus, or nothing was traced. The UI says so rather than drawing nothing.
   */
  noSeries: boolean;
}

/** Tempo's values of `connection_type`; when a pair has several, the first in this order names the edge. */
const CONNECTION_TYPES: ServiceMapConnectionType[] = ['database', 'messaging_system', 'virtual_node', ''];

const key = (client: string, server: string) => `${client}\u0000${server}`;

/** Finite sample values by client and server; series without both labels are not edges and are skipped. */
function byPair(samples: Sample[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples ?? []) {
    const { client, server } = s.metric;
    if (client !== undefined && server !== undefined && Number.isFinite(s.value)) {
      out.set(key(client, server), s.value);
    }
  }
  return out;
}

function byServer(samples: Sample[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples ?? []) {
    if (s.metric.server !== undefined && Number.isFinite(s.value)) {
      out.set(s.metric.server, s.value);
    }
  }
  return out;
}

const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);

/**
 * The service map from the service-graph series: an edge for every client/server pair with a request rate
 * or a connection type. A node is virtual when it is `user` or appears only as the server of a
 * `virtual_node`/`database` edge (a peer named by client spans: Tempo records no server latency for it,
 * so such edges and nodes carry none). A node's rates are those of its incoming edges; its percentiles come
 * from the by-server quantiles, or from its one incoming edge.
 */
export function serviceGraphFromMetrics(answers: ServiceGraphAnswers): MetricsServiceMap {
  const requests = byPair(answers.requests);
  const failed = byPair(answers.failed);
  const p50 = byPair(answers.p50);
  const p95 = byPair(answers.p95);
  const sum = byPair(answers.serverSum);
  const count = byPair(answers.serverCount);
  const types = new Map<string, ServiceMapConnectionType>();
  const pairs = new Map<string, [string, string]>();
  for (const s of answers.requests) {
    if (s.metric.client !== undefined && s.metric.server !== undefined) {
      pairs.set(key(s.metric.client, s.metric.server), [s.metric.client, s.metric.server]);
    }
  }
  for (const s of answers.connectionTypes ?? []) {
    const { client, server } = s.metric;
    if (client === undefined || server === undefined) {
      continue;
    }
    const k = key(client, server);
    pairs.set(k, [client, server]);
    // an unknown type (a later Tempo's) is drawn as an ordinary call rather than dropped
    const type = CONNECTION_TYPES.find((t) => t === (s.metric.connection_type ?? '')) ?? '';
    const had = types.get(k);
    if (had === undefined || CONNECTION_TYPES.indexOf(type) < CONNECTION_TYPES.indexOf(had)) {
      types.set(k, type);
    }
  }

  // Virtual: seen only as the peer side of a virtual_node/database edge (or `user`).
  const real = new Set<string>();
  const peers = new Set<string>();
  for (const [k, [client, server]] of pairs) {
    const type = types.get(k) ?? '';
    real.add(client);
    if ((type === 'virtual_node' || type === 'database') && client !== USER_NODE) {
      peers.add(server);
    } else {
      real.add(server);
    }
  }
  const isVirtual = (id: string) => id === USER_NODE || (peers.has(id) && !real.has(id));

  const edges: ServiceMapEdge[] = [];
  for (const [k, [source, target]] of pairs) {
    const edge: ServiceMapEdge = {
      source,
      target,
      requests: requests.get(k) ?? 0,
      errors: failed.get(k) ?? 0,
      connectionType: types.get(k) ?? '',
    };
    if (!isVirtual(target)) {
      const c = count.get(k);
      const s = sum.get(k);
      const latency = {
        p50Ms: ms(p50.get(k)),
        p95Ms: ms(p95.get(k)),
        meanMs: c !== undefined && c > 0 && s !== undefined ? (s / c) * 1000 : undefined,
      };
      for (const [name, v] of Object.entries(latency)) {
        if (v !== undefined) {
          edge[name as keyof typeof latency] = v;
        }
      }
    }
    edges.push(edge);
  }

  const nodeP50 = byServer(answers.nodeP50);
  const nodeP95 = byServer(answers.nodeP95);
  const nodes = new Map<string, ServiceMapNode>();
  const incoming = new Map<string, ServiceMapEdge[]>();
  for (const e of edges) {
    for (const id of [e.source, e.target]) {
      if (!nodes.has(id)) {
        nodes.set(id, { id, virtual: isVirtual(id), requests: 0, errors: 0 });
      }
    }
    const node = nodes.get(e.target)!;
    node.requests += e.requests;
    node.errors += e.errors;
    incoming.set(e.target, [...(incoming.get(e.target) ?? []), e]);
  }
  for (const s of answers.namespaces ?? []) {
    for (const [label, id] of [
      ['client_service_namespace', s.metric.client],
      ['server_service_namespace', s.metric.server],
    ] as const) {
      const ns = s.metric[label];
      const node = id === undefined ? undefined : nodes.get(id);
      if (node && ns !== undefined && ns !== '' && node.namespace === undefined) {
        node.namespace = ns;
      }
    }
  }
  for (const node of nodes.values()) {
    if (node.virtual) {
      continue;
    }
    const only = incoming.get(node.id)?.length === 1 ? incoming.get(node.id)![0] : undefined;
    const q50 = ms(nodeP50.get(node.id)) ?? only?.p50Ms;
    const q95 = ms(nodeP95.get(node.id)) ?? only?.p95Ms;
    if (q50 !== undefined) {
      node.p50Ms = q50;
    }
    if (q95 !== undefined) {
      node.p95Ms = q95;
    }
  }
  const map = sortServiceMap({ nodes: [...nodes.values()], edges, unit: 'per-second' as const });
  return { ...map, noSeries: answers.requests.length === 0 && (answers.connectionTypes ?? []).length === 0 };
}

export interface FetchServiceGraphOptions {
  /** the time range's length: rates are over it */
  rangeSec: number;
  /** its end, epoch seconds */
  timeSec: number;
  matchers?: LabelMatcher[];
  signal?: AbortSignal;
}

/**
 * Runs the service graph's queries in parallel at the end of the range and builds the map; when there are
 * edges but none of the classic latency series, asks the native-histogram forms once more. The first
 * failure fails the whole (Prometheus unreachable, a refused query) and cancels the queries still running.
 */
export async function fetchServiceGraph(
  client: PrometheusClient,
  options: FetchServiceGraphOptions
): Promise<MetricsServiceMap> {
  const queries = serviceGraphQueries(options.rangeSec, options.matchers);
  const abort = new AbortController();
  const stop = () => abort.abort();
  options.signal?.addEventListener('abort', stop);
  if (options.signal?.aborted) {
    abort.abort();
  }
  try {
    const ask = async <K extends string>(set: Record<K, string>): Promise<Record<K, Sample[]>> => {
      const names = Object.keys(set) as K[];
      const results = await Promise.all(
        names.map((name) =>
          client.query(set[name], options.timeSec, abort.signal).catch((e: unknown) => {
            abort.abort();
            throw e;
          })
        )
      );
      return Object.fromEntries(names.map((name, i) => [name, results[i]])) as Record<K, Sample[]>;
    };
    const answers: ServiceGraphAnswers = await ask(queries);
    const latency = Object.keys(nativeLatencyQueries(options.rangeSec)) as Array<keyof LatencyQueries>;
    // Edges but no classic latency series at all: the histogram may be native only; ask it in that form.
    if (answers.requests.length > 0 && latency.every((k) => (answers[k] ?? []).length === 0)) {
      Object.assign(answers, await ask(nativeLatencyQueries(options.rangeSec, options.matchers)));
    }
    return serviceGraphFromMetrics(answers);
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
