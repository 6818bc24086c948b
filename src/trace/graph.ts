import { Attribute, SpanKind, StatusCode, Trace } from './types';
import { findAttribute, valueToString } from './values';

/**
 * The service graph of one trace, by the rules of Tempo's `service-graphs` processor so that it
 * agrees with the `traces_service_graph_*` metrics:
 * - an edge is a CLIENT or PRODUCER span and the SERVER or CONSUMER span whose parent it is
 *   (Tempo pairs them by the client's span ID; the first such child in time order counts);
 * - `messaging_system` when either side is PRODUCER/CONSUMER;
 * - a client span without such a child but with a peer attribute becomes an edge to a virtual
 *   node named by the attribute's value (Tempo's defaults `peer.service`, `db.name`, `db.system`,
 *   then `db.system.name` and `server.address`); connection type `virtual_node`;
 * - a SERVER/CONSUMER root span becomes an edge from the virtual node `user`;
 * - failed when either side has status ERROR.
 * Like Tempo, edges within one service count (`sameService: false` leaves them out).
 */
export const PEER_ATTRIBUTES = ['peer.service', 'db.name', 'db.system', 'db.system.name', 'server.address'];
export const USER_NODE = 'user';

export type ConnectionType = '' | 'messaging_system' | 'virtual_node';

export interface ServiceGraphEdge {
  client: string;
  server: string;
  connectionType: ConnectionType;
  requests: number;
  failed: number;
  /** sum of client span durations, and of server span durations where there is a server span */
  clientNs: number;
  serverNs: number;
  serverSamples: number;
  maxClientNs: number;
  maxServerNs: number;
}

export interface ServiceGraphNode {
  name: string;
  /** true for peers seen only from the client side, and for `user` */
  virtual: boolean;
  /** the resource's `service.namespace`, for services whose spans carry one */
  namespace?: string;
}

export interface ServiceGraph {
  nodes: ServiceGraphNode[];
  edges: ServiceGraphEdge[];
}

function peerOf(attrs: Attribute[]): string {
  for (const key of PEER_ATTRIBUTES) {
    const a = findAttribute(attrs, key);
    if (a) {
      const v = valueToString(a);
      if (v !== '') {
        return v;
      }
    }
  }
  return '';
}

const isClient = (k: number) => k === SpanKind.Client || k === SpanKind.Producer;
const isServer = (k: number) => k === SpanKind.Server || k === SpanKind.Consumer;

/**
 * The service graph of many traces at once (a search's sample), without a graph per trace: edges with the
 * same client, server and connection type add up; a node is virtual only if no trace has it as a service (a
 * peer named by client spans in one trace may be instrumented in another); a service's namespace is the first
 * seen. `serviceGraph(trace)` is one trace through it.
 */
export class ServiceGraphBuilder {
  private readonly edges = new Map<string, ServiceGraphEdge>();
  /** instrumented services, with their namespace once one is seen */
  private readonly real = new Map<string, string | undefined>();
  private readonly peers = new Set<string>();
  private readonly sameService: boolean;

  constructor(options: { sameService?: boolean } = {}) {
    this.sameService = options.sameService ?? true;
  }

  private edge(client: string, server: string, type: ConnectionType): ServiceGraphEdge {
    const key = `${client}\u0000${server}\u0000${type}`;
    let e = this.edges.get(key);
    if (!e) {
      e = {
        client,
        server,
        connectionType: type,
        requests: 0,
        failed: 0,
        clientNs: 0,
        serverNs: 0,
        serverSamples: 0,
        maxClientNs: 0,
        maxServerNs: 0,
      };
      this.edges.set(key, e);
    }
    return e;
  }

  add(trace: Trace): this {
    const { kind, statusCode, start, end, parent, childOffset, childIndex, spans, services, serviceIndex } = trace;
    const add = (
      client: string,
      server: string,
      type: ConnectionType,
      failed: boolean,
      clientNs: number,
      serverNs: number
    ) => {
      const e = this.edge(client, server, type);
      e.requests++;
      e.failed += failed ? 1 : 0;
      if (clientNs >= 0) {
        e.clientNs += clientNs;
        e.maxClientNs = Math.max(e.maxClientNs, clientNs);
      }
      if (serverNs >= 0) {
        e.serverNs += serverNs;
        e.serverSamples++;
        e.maxServerNs = Math.max(e.maxServerNs, serverNs);
      }
    };
    const dur = (i: number) => Math.max(0, end[i] - start[i]);

    for (let i = 0; i < spans.length; i++) {
      const k = kind[i];
      if (isClient(k)) {
        let server = -1;
        for (let c = childOffset[i]; c < childOffset[i + 1]; c++) {
          if (isServer(kind[childIndex[c]])) {
            server = childIndex[c];
            break;
          }
        }
        if (server >= 0) {
          const cs = services[serviceIndex[i]];
          const ss = services[serviceIndex[server]];
          if (cs === ss && !this.sameService) {
            continue;
          }
          const messaging = k === SpanKind.Producer || kind[server] === SpanKind.Consumer;
          add(
            cs,
            ss,
            messaging ? 'messaging_system' : '',
            statusCode[i] === StatusCode.Error || statusCode[server] === StatusCode.Error,
            dur(i),
            dur(server)
          );
        } else {
          const peer = peerOf(spans[i].attributes);
          if (peer !== '') {
            this.peers.add(peer);
            add(services[serviceIndex[i]], peer, 'virtual_node', statusCode[i] === StatusCode.Error, dur(i), -1);
          }
        }
      } else if (isServer(k) && parent[i] < 0 && spans[i].parentSpanId === '') {
        this.peers.add(USER_NODE);
        add(USER_NODE, services[serviceIndex[i]], 'virtual_node', statusCode[i] === StatusCode.Error, -1, dur(i));
      }
    }

    // a service's namespace: the first of its spans (in span order) whose resource names one
    let missing = 0;
    for (const name of services) {
      if (!this.real.has(name)) {
        this.real.set(name, undefined);
      }
      missing += this.real.get(name) === undefined ? 1 : 0;
    }
    let lastResource: unknown;
    for (let i = 0; i < spans.length && missing > 0; i++) {
      const resource = spans[i].resource;
      if (resource === lastResource) {
        continue;
      }
      lastResource = resource;
      const name = services[serviceIndex[i]];
      if (this.real.get(name) === undefined) {
        const a = findAttribute(resource.attributes, 'service.namespace');
        const v = a ? valueToString(a) : '';
        if (v !== '') {
          this.real.set(name, v);
          missing--;
        }
      }
    }
    return this;
  }

  /** Instrumented services first, then virtual nodes, each by name; edges by client, server, type. */
  graph(): ServiceGraph {
    const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const nodes: ServiceGraphNode[] = [...this.real.keys()].sort(byName).map((name) => {
      const namespace = this.real.get(name);
      return namespace !== undefined ? { name, virtual: false, namespace } : { name, virtual: false };
    });
    for (const v of [...this.peers].sort(byName)) {
      if (!this.real.has(v)) {
        nodes.push({ name: v, virtual: true });
      }
    }
    const edges = [...this.edges.values()].sort(
      (a, b) => byName(a.client, b.client) || byName(a.server, b.server) || byName(a.connectionType, b.connectionType)
    );
    return { nodes, edges };
  }
}

export function serviceGraph(trace: Trace, options: { sameService?: boolean } = {}): ServiceGraph {
  return new ServiceGraphBuilder(options).add(trace).graph();
}
