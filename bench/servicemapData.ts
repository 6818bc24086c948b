/**
 * Deterministic synthetic service maps for benches, the sandbox and tests: `generateServiceMap({ services: 1000,
 * edges: 5000, seed: 1 })` is the same map on every machine.
 *
 * Shape, as call layers of a real system: `user` → a few gateways → APIs → backends → databases, queues and
 * uninstrumented peers (the virtual nodes). Services belong to namespaces (`service.namespace`) and mostly call
 * within their own. Every node but `user` has at least one caller, so the map is connected; calls go down the
 * layers (mostly to the next one), never back up, so the call graph is acyclic like most real traffic. Rates are
 * heavy-tailed (a few hot edges, many quiet ones); a few edges fail a lot.
 */
import { rng } from './generate';
import type { ServiceMap, ServiceMapEdge, ServiceMapNode } from '../src/trace/serviceMap';

export interface GenerateServiceMapOptions {
  /** nodes in the map, virtual ones and `user` included (at least 2) */
  services: number;
  /** edges wanted; fewer when the layers cannot hold that many distinct caller → callee pairs */
  edges: number;
  seed: number;
  /** share of nodes that are virtual (databases, queues, uninstrumented peers); default 0.1 */
  virtualShare?: number;
  /** how many `service.namespace` values; default one per 40 services (at least 1); 0 leaves them out */
  namespaces?: number;
}

// ServiceMapNode gains `namespace` (issue 9); written so this file compiles before and after.
type GeneratedNode = ServiceMapNode & { namespace?: string };

const NAMESPACES = [
  'harbor',
  'ory',
  'harness',
  'payments',
  'platform',
  'search',
  'identity',
  'storage',
  'catalog',
  'messaging',
  'billing',
  'ml',
  'edge',
  'observability',
  'registry',
  'pipelines',
];
const WORDS = [
  'core',
  'auth',
  'users',
  'orders',
  'cart',
  'checkout',
  'ledger',
  'pricing',
  'quota',
  'audit',
  'notify',
  'scanner',
  'jobs',
  'webhooks',
  'tokens',
  'sessions',
  'inventory',
  'shipping',
  'reports',
  'export',
  'import',
  'index',
  'policy',
  'config',
];
const DATABASES = ['postgres', 'redis', 'mysql', 'kafka', 'rabbitmq', 'elasticsearch', 's3', 'memcached'];

/** Layer of each node: 0 user, 1 gateways, 2 APIs, 3 backends, 4 virtual peers. */
const USER = 0;
const GATEWAY = 1;
const API = 2;
const BACKEND = 3;
const PEER = 4;

export function generateServiceMap(options: GenerateServiceMapOptions): ServiceMap {
  const { services, edges: wantedEdges, seed } = options;
  if (!Number.isInteger(services) || services < 2) {
    throw new RangeError(`generateServiceMap: services must be an integer ≥ 2; got ${String(services)}.`);
  }
  if (!Number.isInteger(wantedEdges) || wantedEdges < 0) {
    throw new RangeError(`generateServiceMap: edges must be a non-negative integer; got ${String(wantedEdges)}.`);
  }
  const virtualShare = options.virtualShare ?? 0.1;
  if (!(virtualShare >= 0 && virtualShare <= 1)) {
    throw new RangeError(`generateServiceMap: virtualShare must be within 0..1; got ${String(virtualShare)}.`);
  }
  const nsCount = options.namespaces ?? Math.max(1, Math.round(services / 40));
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];

  // Layer sizes: the rest after user, gateways and peers split 40/60 between APIs and backends.
  const rest = services - 1;
  const peers = Math.min(rest - 1, Math.round(rest * virtualShare));
  const gateways = Math.max(1, Math.min(rest - peers, Math.round(rest * 0.01)));
  const apis = Math.round((rest - peers - gateways) * 0.4);
  const backends = rest - peers - gateways - apis;
  const sizes = [1, gateways, apis, backends, peers];

  const nsNames: string[] = [];
  for (let i = 0; i < nsCount; i++) {
    nsNames.push(i < NAMESPACES.length ? NAMESPACES[i] : `${NAMESPACES[i % NAMESPACES.length]}-${i}`);
  }

  const nodes: GeneratedNode[] = [];
  const layerOf: number[] = [];
  const nsOf: number[] = [];
  const byLayer: number[][] = [[], [], [], [], []];
  const used = new Set<string>();
  const unique = (base: string) => {
    let id = base;
    for (let k = 2; used.has(id); k++) {
      id = `${base}-${k}`;
    }
    used.add(id);
    return id;
  };
  for (let layer = USER; layer <= PEER; layer++) {
    for (let i = 0; i < sizes[layer]; i++) {
      const ns = nsCount > 0 ? Math.floor(r() * nsCount) : -1;
      let id: string;
      if (layer === USER) {
        id = unique('user');
      } else if (layer === GATEWAY) {
        id = unique(`${ns >= 0 ? nsNames[ns] : 'edge'}-gateway`);
      } else if (layer === PEER) {
        id = unique(`${pick(DATABASES)}${r() < 0.5 ? `-${ns >= 0 ? nsNames[ns] : 'shared'}` : ''}`);
      } else {
        const prefix = ns >= 0 ? `${nsNames[ns]}-` : '';
        id = unique(`${prefix}${pick(WORDS)}${layer === API ? '-api' : ''}`);
      }
      const virtual = layer === USER || layer === PEER;
      const node: GeneratedNode = { id, virtual, requests: 0, errors: 0 };
      // Virtual nodes have no service.namespace of their own (no resource of their own).
      if (!virtual && ns >= 0) {
        node.namespace = nsNames[ns];
      }
      byLayer[layer].push(nodes.length);
      layerOf.push(layer);
      nsOf.push(ns);
      nodes.push(node);
    }
  }

  const pairs = new Set<number>();
  const out: Array<[number, number]> = [];
  const n = nodes.length;
  const addEdge = (a: number, b: number) => {
    const key = a * n + b;
    if (a === b || pairs.has(key)) {
      return false;
    }
    pairs.add(key);
    out.push([a, b]);
    return true;
  };
  // A caller in a layer above `layer`, mostly the one just above and mostly in the same namespace.
  const callerFor = (b: number): number => {
    const layer = layerOf[b];
    if (layer === GATEWAY) {
      return byLayer[USER][0];
    }
    let from = layer - 1;
    while (from > GATEWAY && (r() < 0.25 || byLayer[from].length === 0)) {
      from--;
    }
    const candidates = byLayer[from];
    if (nsOf[b] >= 0 && r() < 0.8) {
      for (let tries = 0; tries < 8; tries++) {
        const a = pick(candidates);
        if (nsOf[a] === nsOf[b]) {
          return a;
        }
      }
    }
    return pick(candidates);
  };
  // Connected: every node below `user` gets one caller first.
  for (let layer = GATEWAY; layer <= PEER; layer++) {
    for (const b of byLayer[layer]) {
      if (out.length < wantedEdges) {
        addEdge(callerFor(b), b);
      }
    }
  }
  // Then more callees for random callers, as long as new pairs turn up.
  const callees = [...byLayer[API], ...byLayer[BACKEND], ...byLayer[PEER]];
  if (callees.length > 0) {
    for (let misses = 0; out.length < wantedEdges && misses < 1000;) {
      const b = pick(callees);
      if (addEdge(callerFor(b), b)) {
        misses = 0;
      } else {
        misses++;
      }
    }
  }

  const edgeList: ServiceMapEdge[] = out.map(([a, b]) => {
    // Heavy-tailed rates: most edges quiet, a few hot (per second).
    const requests = Math.round(0.05 * Math.exp(r() * 8) * 1000) / 1000;
    const failing = r() < 0.04;
    const share = failing ? 0.05 + r() * 0.5 : r() < 0.5 ? 0 : r() * 0.01;
    const p50 = Math.round((layerOf[b] === PEER ? 0.5 : 3) * Math.exp(r() * 3) * 10) / 10;
    const target = nodes[b];
    const connectionType =
      layerOf[b] === PEER
        ? /kafka|rabbitmq/.test(target.id)
          ? 'messaging_system'
          : /postgres|mysql|redis|elasticsearch|memcached/.test(target.id)
            ? 'database'
            : 'virtual_node'
        : layerOf[a] === USER
          ? 'virtual_node'
          : '';
    return {
      source: nodes[a].id,
      target: target.id,
      requests,
      errors: Math.round(requests * share * 1000) / 1000,
      connectionType,
      p50Ms: p50,
      p95Ms: Math.round(p50 * (2 + r() * 6) * 10) / 10,
    };
  });
  edgeList.forEach((e, i) => {
    const t = nodes[out[i][1]];
    t.requests += e.requests;
    t.errors += e.errors;
  });
  for (const node of nodes) {
    node.requests = Math.round(node.requests * 1000) / 1000;
    node.errors = Math.round(node.errors * 1000) / 1000;
    if (node.requests > 0 && node.id !== 'user') {
      node.p50Ms = Math.round(2 * Math.exp(r() * 3) * 10) / 10;
      node.p95Ms = Math.round(node.p50Ms * (2 + r() * 6) * 10) / 10;
    }
  }
  return { nodes, edges: edgeList };
}
