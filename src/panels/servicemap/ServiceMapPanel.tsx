import React, { useCallback, useMemo } from 'react';
import { DataQueryRequest, PanelProps } from '@grafana/data';
import { isolate } from '../../components/DataText/DataText';
import { NoData } from '../../components/NoData/NoData';
import { ServiceMap, ServiceMapLink } from '../../components/ServiceMap';
import { testIds } from '../../components/testIds';
import { exploreSearchUrl, searchPagePath } from '../../routes';
import { edgeTraceQL, serviceTraceQL } from '../../tempo';
import { ServiceMapEdge, ServiceMapNode, USER_NODE } from '../../trace';
import { serviceMapFromFrames } from './frames';

/** The Tempo data source the panel's query went to, when it was one: links then search the same one. */
export function tempoUidOf(request: DataQueryRequest | undefined): string | undefined {
  for (const target of request?.targets ?? []) {
    const ds = target.datasource;
    if (ds?.type === 'tempo' && ds.uid) {
      return ds.uid;
    }
  }
  return undefined;
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
 * The panel: Grafana Tempo's service-map (node-graph) frames or Prometheus tables of Tempo's
 * service-graph series, read by serviceMapFromFrames, drawn by the ServiceMap component; its links open
 * Traceway Search for a service or for the calls on an edge, in the panel's time range.
 */
export function ServiceMapPanel({ data, width, height }: PanelProps) {
  const read = useMemo(() => serviceMapFromFrames(data.series), [data.series]);
  const from = String(data.timeRange.from.valueOf());
  const to = String(data.timeRange.to.valueOf());
  const datasource = tempoUidOf(data.request);

  // The service name to search by: a node's id is `namespace/name` when two namespaces share a name.
  const nameOf = useMemo(() => new Map(read.map?.nodes.map((n) => [n.id, n.name ?? n.id])), [read.map]);

  const nodeLinks = useCallback(
    (node: ServiceMapNode): ServiceMapLink[] => {
      if (node.virtual) {
        // A database or an uninstrumented peer writes no spans of its own to search for.
        return [];
      }
      const service = node.name ?? node.id;
      const base = { service, from, to, ...(datasource ? { datasource } : {}) };
      const links: ServiceMapLink[] = [
        { label: 'Search traces of this service', href: searchPagePath(base), icon: 'search' },
        { label: 'Errors only', href: searchPagePath({ ...base, status: 'error' }), icon: 'exclamation-triangle' },
      ];
      const query = tryQuery(() => serviceTraceQL(service));
      if (datasource && query) {
        links.push({
          label: 'Open in Explore',
          href: exploreSearchUrl(datasource, query, { from, to }),
          icon: 'compass',
        });
      }
      return links;
    },
    [from, to, datasource]
  );

  const virtual = useMemo(() => new Set(read.map?.nodes.filter((n) => n.virtual).map((n) => n.id)), [read.map]);
  const edgeLinks = useCallback(
    (edge: ServiceMapEdge): ServiceMapLink[] => {
      // Node-graph frames do not say an edge's connection type: a call to a virtual node (or from `user`) is
      // searched as Tempo pairs it, by the client spans naming the peer (or the traces entering at the server).
      const fromUser = edge.source === USER_NODE;
      if (virtual.has(edge.source) && !fromUser) {
        return [];
      }
      const connectionType =
        edge.connectionType || (fromUser || virtual.has(edge.target) ? 'virtual_node' : edge.connectionType);
      const [client, server] = [edge.source, edge.target].map((id) => nameOf.get(id) ?? id);
      const query = tryQuery(() => edgeTraceQL(client, server, { connectionType }));
      return query
        ? [
            {
              label: `Search traces from ${isolate(edge.source)} to ${isolate(edge.target)}`,
              href: searchPagePath({ traceql: query, from, to, ...(datasource ? { datasource } : {}) }),
              icon: 'search',
            },
          ]
        : [];
    },
    [from, to, datasource, virtual, nameOf]
  );

  return (
    <div data-testid={testIds.serviceMapPanel.container} style={{ width, height, overflow: 'hidden' }}>
      {read.map && read.map.nodes.length > 0 ? (
        <ServiceMap map={read.map} width={width} height={height} nodeLinks={nodeLinks} edgeLinks={edgeLinks} />
      ) : read.map ? (
        <NoData title="No calls between services in this time range">
          The service graph is empty: widen the time range, or check that Tempo&apos;s metrics-generator writes the
          service-graph series.
        </NoData>
      ) : read.problem && data.series.length > 0 ? (
        <NoData title="This panel's data is not a service graph it can read">{read.problem}</NoData>
      ) : (
        <NoData title="No service graph in this panel's data">
          Query Tempo&apos;s Service Graph (the node-graph frames), or Prometheus tables of Tempo&apos;s
          traces_service_graph_request_total series, with client and server labels.
        </NoData>
      )}
    </div>
  );
}
