import { exploreSearchUrl, searchPagePath } from '../../routes';
import { edgeTraceQL, serviceTraceQL } from '../../tempo';
import { type ServiceMap, type ServiceMapEdge, type ServiceMapNode, USER_NODE } from '../../trace';
import { isolate } from '../DataText/DataText';
import type { ServiceMapLink } from './view';

/** Where the links search: the Tempo data source, when known, and the time range as URLs write it. */
export interface LinkContext {
  datasource?: string;
  from: string;
  to: string;
}

/** TraceQL for a name, or undefined when the name cannot be written in TraceQL (the link is left out). */
function tryQuery(build: () => string): string | undefined {
  try {
    return build();
  } catch {
    return undefined;
  }
}

/**
 * The menus' links for one map, for the page and the panel alike: a service's traces on the Search page, its
 * failed ones, and the same search in Explore (when the Tempo data source is known); a call's traces by
 * `edgeTraceQL`'s query for its connection type. Searches use the service's name, not the node id (Grafana's
 * frames make it `namespace/name` when two namespaces share a name). A virtual node writes no spans of its own,
 * so it has no links, nor have calls from one.
 */
export function serviceMapLinks(map: ServiceMap, ctx: LinkContext) {
  const { datasource, from, to } = ctx;
  const base = { from, to, ...(datasource ? { datasource } : {}) };
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const nameOf = (id: string) => byId.get(id)?.name ?? id;

  const nodeLinks = (node: ServiceMapNode): ServiceMapLink[] => {
    if (node.virtual) {
      return [];
    }
    const service = node.name ?? node.id;
    const links: ServiceMapLink[] = [
      { label: 'Search traces of this service', href: searchPagePath({ ...base, service }), icon: 'search' },
      {
        label: 'Errors only',
        href: searchPagePath({ ...base, service, status: 'error' }),
        icon: 'exclamation-triangle',
      },
    ];
    const query = tryQuery(() => serviceTraceQL(service));
    if (datasource && query) {
      links.push({ label: 'Open in Explore', href: exploreSearchUrl(datasource, query, { from, to }), icon: 'compass' });
    }
    return links;
  };

  const edgeLinks = (edge: ServiceMapEdge): ServiceMapLink[] => {
    const fromUser = edge.source === USER_NODE;
    if (byId.get(edge.source)?.virtual && !fromUser) {
      return [];
    }
    // Grafana's node-graph frames do not say an edge's connection type: a call to a virtual node (or from
    // `user`) is searched as Tempo pairs it, by the client spans naming the peer (or the traces entering there).
    const connectionType =
      edge.connectionType || (fromUser || byId.get(edge.target)?.virtual ? 'virtual_node' : edge.connectionType);
    const [client, server] = [nameOf(edge.source), nameOf(edge.target)];
    const query = tryQuery(() => edgeTraceQL(client, server, { connectionType }));
    if (!query) {
      return [];
    }
    const label = fromUser
      ? `Search traces entering at ${isolate(server)}`
      : `Search traces from ${isolate(client)} to ${isolate(server)}`;
    return [{ label, href: searchPagePath({ ...base, traceql: query }), icon: 'search' }];
  };

  return { nodeLinks, edgeLinks };
}
