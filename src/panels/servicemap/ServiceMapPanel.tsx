import React, { useMemo } from 'react';
import { DataQueryRequest, PanelProps } from '@grafana/data';
import { NoData } from '../../components/NoData/NoData';
import { ServiceMap } from '../../components/ServiceMap';
import { serviceMapLinks } from '../../components/ServiceMap/links';
import { testIds } from '../../components/testIds';
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

  const links = useMemo(
    () => (read.map ? serviceMapLinks(read.map, { datasource, from, to }) : undefined),
    [read.map, datasource, from, to]
  );

  return (
    <div data-testid={testIds.serviceMapPanel.container} style={{ width, height, overflow: 'hidden' }}>
      {read.map && links && read.map.nodes.length > 0 ? (
        <ServiceMap
          map={read.map}
          width={width}
          height={height}
          nodeLinks={links.nodeLinks}
          edgeLinks={links.edgeLinks}
        />
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
