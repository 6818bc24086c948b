import type { DataFrame, DataFrameJSON } from '@grafana/data';
import { isObject } from '../../http';

import { type Sample, type ServiceGraphAnswers, serviceGraphFromMetrics } from '../../prometheus';
import {
  type ServiceMap,
  type ServiceMapEdge,
  type ServiceMapNode,
  USER_NODE,
  errorShare,
  sortServiceMap,
} from '../../trace';

/**
 * The panel's data as a ServiceMap. Two kinds of frames are read:
 *
 * (a) the node-graph frames Grafana's Tempo data source returns for its service-map query. From Grafana's
 * source (`public/app/plugins/datasource/tempo/graphTransform.ts`): nodes `id` (`namespace/name` when Tempo has
 * the namespace dimension, else the name), `title` (the service name), `subtitle` (its `service.namespace`),
 * `mainstat` (mean server response time, ms per request; NaN for a node that only calls), `secondarystat`
 * (requests per second, rounded to 2 decimals), `arc__success`/`arc__failed` (shares 0..1 of its incoming
 * requests); edges `id`, `source`, `target` (node ids), `mainstat` (ms/r) and `secondarystat` (r/sec).
 * Grafana gives failures per node only: an edge gets its server's failure share (exact when the server has one
 * caller). `detail__errors` (failed/sec), `detail__p50`/`detail__p95` (ms) and `detail__virtual` are read where
 * present; other `detail__*` fields and `color` are display-only. Grafana does not mark databases and
 * uninstrumented peers: a node is taken as virtual when it is `user`, or calls nobody and has a mean server time
 * of exactly 0 (Tempo records 0 s server latency for peers named by client spans).
 *
 * (b) Prometheus frames of Tempo's service-graph series with `client`/`server` labels: tables (labels as
 * columns, `Value` or `Value #<refId>`) or series (labels on the value field; the last value counts). Which
 * series a frame holds is read from the metric name in its value field's name, its query
 * (`meta.executedQueryString`), name or refId: `..._request_total`, `..._request_failed_total`,
 * `..._server_seconds_sum`/`_count`, `histogram_quantile(0.5|0.95, ...)`; `connection_type` labels mark virtual
 * edges. Values are taken as per-second rates (`rate(...)`, as Grafana's Tempo data source asks them).
 *
 * Frames may be DataFrames (`fields[].values`) or DataFrameJSON (`schema.fields`, `data.values`).
 */
export interface FramesResult {
  map?: ServiceMap;
  /** why the frames could not be read: what was found and what was missing */
  problem?: string;
}

interface Column {
  name: string;
  values: unknown[];
  labels?: Record<string, string>;
  displayName?: string;
}

interface Frame {
  name?: string;
  refId?: string;
  query?: string;
  nodeGraph: boolean;
  columns: Column[];
  length: number;
}

function valuesOf(v: unknown): unknown[] {
  if (Array.isArray(v)) {
    return v;
  }
  // a typed array, or an old Grafana Vector
  if (isObject(v) && typeof (v as { toArray?: unknown }).toArray === 'function') {
    return (v as { toArray: () => unknown[] }).toArray();
  }
  if (ArrayBuffer.isView(v)) {
    return Array.from(v as unknown as ArrayLike<number>);
  }
  return [];
}

function labelsOf(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') {
      out[k] = x;
    }
  }
  return out;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A DataFrame or DataFrameJSON as columns; undefined for something that is neither. */
function readFrame(input: unknown): Frame | undefined {
  if (!isObject(input)) {
    return undefined;
  }
  const schema = isObject(input.schema) ? input.schema : undefined;
  const meta = isObject(schema?.meta) ? schema?.meta : isObject(input.meta) ? input.meta : undefined;
  const base = {
    name: text(schema?.name) ?? text(input.name),
    refId: text(schema?.refId) ?? text(input.refId),
    query: text(meta?.executedQueryString),
    nodeGraph: meta?.preferredVisualisationType === 'nodeGraph',
  };
  const rawFields = Array.isArray(input.fields)
    ? input.fields
    : Array.isArray(schema?.fields)
      ? schema?.fields
      : undefined;
  if (!rawFields) {
    return undefined;
  }
  const jsonValues = isObject(input.data) && Array.isArray(input.data.values) ? input.data.values : undefined;
  const columns: Column[] = [];
  rawFields.forEach((f: unknown, i: number) => {
    if (!isObject(f) || typeof f.name !== 'string') {
      return;
    }
    const config = isObject(f.config) ? f.config : {};
    columns.push({
      name: f.name,
      values: valuesOf(jsonValues ? jsonValues[i] : f.values),
      labels: labelsOf(f.labels),
      displayName: text(config.displayNameFromDS) ?? text(config.displayName),
    });
  });
  return { ...base, columns, length: Math.max(0, ...columns.map((c) => c.values.length)) };
}

const column = (frame: Frame, name: string) => frame.columns.find((c) => c.name === name);

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function serviceMapFromFrames(series: ReadonlyArray<DataFrame | DataFrameJSON> | undefined): FramesResult {
  const frames = (series ?? []).map(readFrame).filter((f): f is Frame => f !== undefined);
  if (frames.length === 0) {
    return { problem: 'The query returned no data frames.' };
  }
  const edgeFrame = frames.find((f) => column(f, 'source') && column(f, 'target'));
  const nodeFrame = frames.find(
    (f) =>
      f !== edgeFrame &&
      column(f, 'id') &&
      !column(f, 'source') &&
      (f.nodeGraph || column(f, 'title') || column(f, 'mainstat') || f.columns.some((c) => c.name.startsWith('arc__')))
  );
  if (edgeFrame) {
    return { map: fromNodeGraph(nodeFrame, edgeFrame) };
  }
  if (nodeFrame) {
    return {
      problem:
        'The node-graph frames have nodes but no edges frame (fields "source" and "target"): the query must return ' +
        "both, as the Tempo data source's Service Graph query does.",
    };
  }
  return fromPrometheus(frames);
}

function fromNodeGraph(nodeFrame: Frame | undefined, edgeFrame: Frame): ServiceMap {
  const nodes = new Map<string, ServiceMapNode>();
  const nodeIdOf = new Map<string, string>();
  const meanOf = new Map<string, number>();
  const declaredVirtual = new Map<string, boolean>();
  if (nodeFrame) {
    const ids = column(nodeFrame, 'id')!.values;
    const titles = column(nodeFrame, 'title')?.values;
    const at = (name: string) => column(nodeFrame, name)?.values;
    const [subtitle, mainstat, secondary, failedArc, errors, p50, p95, virtual] = [
      'subtitle',
      'mainstat',
      'secondarystat',
      'arc__failed',
      'detail__errors',
      'detail__p50',
      'detail__p95',
      'detail__virtual',
    ].map(at);
    // The service name is the title; the id may be `namespace/name`. Titles name nodes unless two collide.
    const titleList = ids.map((id, i) => str(titles?.[i]) || str(id) || '');
    const unique = new Set(titleList).size === titleList.length;
    ids.forEach((rawId, i) => {
      const frameId = str(rawId);
      if (frameId === undefined || frameId === '') {
        return;
      }
      const id = unique ? titleList[i] : frameId;
      nodeIdOf.set(frameId, id);
      const requests = num(secondary?.[i]) ?? 0;
      const failedShare = num(failedArc?.[i]);
      const node: ServiceMapNode = {
        id,
        virtual: false,
        requests,
        errors: num(errors?.[i]) ?? (failedShare !== undefined ? failedShare * requests : 0),
      };
      // two namespaces hold this name: the id stays `namespace/name`, searches need the name itself
      if (titleList[i] !== id && titleList[i] !== '') {
        node.name = titleList[i];
      }
      const namespace = str(subtitle?.[i]);
      if (namespace) {
        node.namespace = namespace;
      }
      const q50 = num(p50?.[i]);
      const q95 = num(p95?.[i]);
      if (q50 !== undefined) {
        node.p50Ms = q50;
      }
      if (q95 !== undefined) {
        node.p95Ms = q95;
      }
      const mean = num(mainstat?.[i]);
      if (mean !== undefined) {
        meanOf.set(id, mean);
      }
      const v = virtual?.[i];
      if (typeof v === 'boolean') {
        declaredVirtual.set(id, v);
      }
      nodes.set(id, node);
    });
  }

  const sources = column(edgeFrame, 'source')!.values;
  const targets = column(edgeFrame, 'target')!.values;
  const [mainstat, secondary, errors] = ['mainstat', 'secondarystat', 'detail__errors'].map(
    (name) => column(edgeFrame, name)?.values
  );
  const edges: ServiceMapEdge[] = [];
  const callers = new Set<string>();
  for (let i = 0; i < edgeFrame.length; i++) {
    const s = str(sources[i]);
    const t = str(targets[i]);
    if (!s || !t) {
      continue;
    }
    const source = nodeIdOf.get(s) ?? s;
    const target = nodeIdOf.get(t) ?? t;
    callers.add(source);
    const edge: ServiceMapEdge = {
      source,
      target,
      requests: num(secondary?.[i]) ?? 0,
      errors: num(errors?.[i]) ?? NaN,
      connectionType: '',
    };
    const mean = num(mainstat?.[i]);
    if (mean !== undefined) {
      edge.meanMs = mean;
    }
    edges.push(edge);
    for (const id of [source, target]) {
      if (!nodes.has(id)) {
        nodes.set(id, { id, virtual: false, requests: 0, errors: 0 });
      }
    }
  }

  for (const node of nodes.values()) {
    node.virtual =
      declaredVirtual.get(node.id) ?? (node.id === USER_NODE || (!callers.has(node.id) && meanOf.get(node.id) === 0));
  }
  const incoming = new Map<string, number>();
  for (const e of edges) {
    incoming.set(e.target, (incoming.get(e.target) ?? 0) + 1);
  }
  for (const e of edges) {
    const target = nodes.get(e.target)!;
    if (Number.isNaN(e.errors)) {
      // failures are known per node: the only caller has them all, several share the node's failure share
      e.errors = incoming.get(e.target) === 1 ? Math.min(target.errors, e.requests) : errorShare(target) * e.requests;
    }
    if (target.virtual) {
      e.connectionType = 'virtual_node';
      // a peer's "server time" is Tempo's 0 s placeholder, not a latency
      delete e.meanMs;
    }
  }
  return sortServiceMap({ nodes: [...nodes.values()], edges, unit: 'per-second' });
}

type Stat = keyof ServiceGraphAnswers;

/** Which service-graph series a text (field name, query, frame name, refId) names, if any. */
function statOf(textValue: string | undefined, byServerOnly: boolean): Stat | undefined {
  if (!textValue) {
    return undefined;
  }
  // `group by (...)` gives 1 for every pair: which pairs and labels exist, not a rate
  if (/\bgroup\s*(by\b|\()/.test(textValue)) {
    return textValue.includes('service_namespace') ? 'namespaces' : 'connectionTypes';
  }
  const quantile = /histogram_quantile\s*\(\s*([0-9.]+)/.exec(textValue);
  if (quantile) {
    const q = Number(quantile[1]);
    if (q === 0.5) {
      return byServerOnly ? 'nodeP50' : 'p50';
    }
    if (q === 0.95) {
      return byServerOnly ? 'nodeP95' : 'p95';
    }
    return undefined;
  }
  if (textValue.includes('_request_failed_total')) {
    return 'failed';
  }
  if (textValue.includes('_request_server_seconds_sum')) {
    return 'serverSum';
  }
  if (textValue.includes('_request_server_seconds_count')) {
    return 'serverCount';
  }
  if (textValue.includes('_request_total')) {
    return 'requests';
  }
  return undefined;
}

function fromPrometheus(frames: Frame[]): FramesResult {
  const answers: Partial<Record<Stat, Sample[]>> = {};
  const unnamed: Sample[] = [];
  let labelled = 0;
  const add = (stat: Stat | undefined, sample: Sample) => {
    if (sample.metric.connection_type !== undefined && stat !== 'connectionTypes') {
      (answers.connectionTypes ??= []).push(sample);
    }
    if (stat) {
      (answers[stat] ??= []).push(sample);
    } else {
      unnamed.push(sample);
    }
  };
  for (const frame of frames) {
    const client = column(frame, 'client');
    const server = column(frame, 'server');
    const numeric = frame.columns.filter(
      (c) => c.name !== 'Time' && c.name !== 'time' && c.values.some((v) => typeof v === 'number')
    );
    if (server) {
      // a table: labels as columns, one row a series
      const labelColumns = frame.columns.filter((c) => !numeric.includes(c) && c.name !== 'Time' && c.name !== 'time');
      for (const value of numeric) {
        const context = [value.name, frame.query, frame.name, frame.refId];
        for (let row = 0; row < frame.length; row++) {
          const v = num(value.values[row]);
          const metric: Record<string, string> = {};
          for (const c of labelColumns) {
            const s = str(c.values[row]);
            if (s !== undefined) {
              metric[c.name] = s;
            }
          }
          if (value.values[row] === null || value.values[row] === undefined) {
            continue;
          }
          labelled++;
          const stat = context.map((t) => statOf(t, client === undefined)).find((s) => s !== undefined);
          add(stat, { metric, timeSec: 0, value: v ?? NaN });
        }
      }
      continue;
    }
    // series: the labels are on the value field, the last value is the instant's
    for (const value of numeric) {
      if (!value.labels || value.labels.server === undefined) {
        continue;
      }
      const last = [...value.values].reverse().find((v) => v !== null && v !== undefined);
      labelled++;
      const context = [value.name, value.displayName, frame.query, frame.name, frame.refId, value.labels.__name__];
      const stat = context.map((t) => statOf(t, value.labels!.client === undefined)).find((s) => s !== undefined);
      add(stat, { metric: value.labels, timeSec: 0, value: num(last) ?? NaN });
    }
  }
  if (labelled === 0) {
    const names = [...new Set(frames.flatMap((f) => f.columns.map((c) => c.name)))].slice(0, 12);
    return {
      problem:
        'These frames are neither node-graph frames (fields "id", "source", "target") nor Prometheus series with ' +
        `"client" and "server" labels; their fields: ${names.map((n) => `"${n.slice(0, 40)}"`).join(', ')}. Query ` +
        "Tempo's Service Graph, or Prometheus for sum by (client, server) (rate(traces_service_graph_request_total[$__range])).",
    };
  }
  // a single unnamed query is the request rate, as a dashboard's one query usually is
  if (!answers.requests && unnamed.length > 0) {
    answers.requests = unnamed;
  }
  if (!answers.requests && !answers.connectionTypes) {
    return {
      problem:
        'The Prometheus frames have client/server series but none of traces_service_graph_request_total: the map ' +
        'needs the request rate, sum by (client, server) (rate(traces_service_graph_request_total[$__range])).',
    };
  }
  const read = serviceGraphFromMetrics({ requests: [], ...answers });
  return { map: { nodes: read.nodes, edges: read.edges, unit: read.unit } };
}
