import { exploreSearchUrl, searchPagePath } from '../../routes';
import { edgeTraceQL, serviceTraceQL } from '../../tempo';
import type { ServiceMapEdge, ServiceMapNode } from '../../trace';

export interface MapLink {
  label: string;
  href: string;
  icon?: string;
}

/** Where the links search: the Tempo data source and the page's time range (as the URL writes it). */
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
 * A node's menu: its traces on the Search page, only its failed ones, and the same search in Explore.
 * A virtual node (a database, an uninstrumented peer, `user`) has no traces of its own, so no links.
 */
export function nodeLinks(node: ServiceMapNode, ctx: LinkContext): MapLink[] {
  if (node.virtual) {
    return [];
  }
  const { datasource, from, to } = ctx;
  const links: MapLink[] = [
    {
      label: 'Search traces of this service',
      href: searchPagePath({ datasource, from, to, service: node.id }),
      icon: 'search',
    },
    {
      label: 'Errors only',
      href: searchPagePath({ datasource, from, to, service: node.id, status: 'error' }),
      icon: 'exclamation-triangle',
    },
  ];
  const query = tryQuery(() => serviceTraceQL(node.id));
  if (datasource && query) {
    links.push({ label: 'Open in Explore', href: exploreSearchUrl(datasource, query, { from, to }), icon: 'compass' });
  }
  return links;
}

/**
 * An edge's menu: the traces with a call from one service to the other, by `edgeTraceQL`'s query for the
 * edge's connection type (client to server, producer to consumer, the client spans naming a database or an
 * uninstrumented peer, or the traces entering at a service from `user`).
 */
export function edgeLinks(edge: ServiceMapEdge, ctx: LinkContext): MapLink[] {
  const { datasource, from, to } = ctx;
  const query = tryQuery(() => edgeTraceQL(edge.source, edge.target, { connectionType: edge.connectionType }));
  return query
    ? [
        {
          label: `Search traces from ${edge.source} to ${edge.target}`,
          href: searchPagePath({ datasource, from, to, traceql: query }),
          icon: 'search',
        },
      ]
    : [];
}
