import { getDataSourceSrv } from '@grafana/runtime';

import { HttpError, isHttpError } from '../http';
import { PrometheusClient, PrometheusQueryError, fetchServiceGraph } from '../prometheus';
import { ServiceMapSampleInfo, TempoClient, sampleServiceMap } from '../tempo';
import type { ServiceMap } from '../trace';
import { findDataSource, tempoDataSourceProblem } from './datasources';
import type { ResolvedSettings } from './settings';
import { grafanaTransport } from './transport';
import { dataSourceProxyUrl } from './urls';

/**
 * Where to load the map from: Tempo's service-graph metrics in Prometheus, or a sample of traces from Tempo, with
 * the data source to ask (routes.ts's `ServiceMapSource` is only the page's choice, 'metrics' | 'traces').
 */
export type ServiceMapRequest =
  { kind: 'metrics'; prometheusUid: string } | { kind: 'traces'; tempoUid: string; limit?: number };

export interface LoadedServiceMap {
  map: ServiceMap;
  kind: ServiceMapRequest['kind'];
  /** metrics: Prometheus has no service-graph series in the range at all (not an error; see describeEmptyServiceMap) */
  noSeries?: boolean;
  /** traces: the sample the map was built from */
  sample?: ServiceMapSampleInfo;
}

export type ServiceMapProblem =
  | 'no-prometheus' // no Prometheus data source configured
  | 'not-prometheus' // the UID is missing or another type
  | 'no-tempo'; // the Tempo UID is missing or another type

/**
 * A failed load, with which side failed: an HttpError (code, status, URL and the server's words as the
 * cause's) plus `source`, and `problem` for a setup that cannot work before any request.
 */
export class ServiceMapError extends HttpError {
  /** Prometheus's own `errorType` when it refused or could not finish a query (`timeout`, `bad_data`, ...) */
  readonly errorType?: string;

  constructor(
    readonly source: 'prometheus' | 'tempo',
    cause: HttpError,
    readonly problem?: ServiceMapProblem
  ) {
    super(cause.code, cause.message, cause.status, cause.url);
    this.name = 'ServiceMapError';
    if (cause instanceof PrometheusQueryError) {
      this.errorType = cause.errorType;
    }
  }
}

function setupError(source: 'prometheus' | 'tempo', problem: ServiceMapProblem, message: string): ServiceMapError {
  return new ServiceMapError(source, new HttpError('not-found', message), problem);
}

/**
 * The Prometheus data source the service map reads: the app's setting, else the one the Tempo data source
 * uses for its own service graph (`jsonData.serviceMap.datasourceUid`), else undefined.
 */
export function prometheusUidFor(
  settings: Pick<ResolvedSettings, 'prometheusDatasourceUid'>,
  tempoUid: string
): string | undefined {
  if (settings.prometheusDatasourceUid) {
    return settings.prometheusDatasourceUid;
  }
  const tempo = getDataSourceSrv().getInstanceSettings(tempoUid);
  const serviceMap = (tempo?.jsonData as { serviceMap?: { datasourceUid?: unknown } } | undefined)?.serviceMap;
  const uid = serviceMap?.datasourceUid;
  return typeof uid === 'string' && uid.trim() !== '' ? uid.trim() : undefined;
}

/**
 * Loads the service map over Grafana's data source proxy: from metrics (rates over the range) or from a
 * sample of traces (calls counted). Rejects with a ServiceMapError (an HttpError) saying which side failed;
 * a cancelled load rejects with the `aborted` HttpError.
 */
export async function loadServiceMap(
  source: ServiceMapRequest,
  options: { fromMs: number; toMs: number; signal?: AbortSignal }
): Promise<LoadedServiceMap> {
  const { fromMs, toMs, signal } = options;
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new RangeError(
      `The service map's time range must end after it starts; got ${String(fromMs)} to ${String(toMs)} (epoch ms).`
    );
  }
  if (source.kind === 'metrics') {
    const uid = source.prometheusUid.trim();
    if (uid === '') {
      throw setupError('prometheus', 'no-prometheus', 'No Prometheus data source is configured for the service map.');
    }
    const ds = findDataSource(uid);
    if (!ds || ds.type !== 'prometheus') {
      throw setupError(
        'prometheus',
        'not-prometheus',
        ds
          ? `Data source "${ds.name}" (uid ${uid}) is a ${ds.type} data source, not Prometheus.`
          : `There is no data source with UID "${uid}".`
      );
    }
    const client = new PrometheusClient(dataSourceProxyUrl(uid), grafanaTransport('Prometheus'));
    try {
      const map = await fetchServiceGraph(client, { rangeSec: (toMs - fromMs) / 1000, timeSec: toMs / 1000, signal });
      const { noSeries, ...rest } = map;
      return { map: rest, kind: 'metrics', noSeries };
    } catch (e) {
      throw rethrown('prometheus', e);
    }
  }
  const problem = tempoDataSourceProblem(source.tempoUid);
  if (problem) {
    throw setupError('tempo', 'no-tempo', problem);
  }
  const client = new TempoClient(dataSourceProxyUrl(source.tempoUid), grafanaTransport());
  try {
    const { map, sample } = await sampleServiceMap(client, { fromMs, toMs, limit: source.limit, signal });
    return { map, kind: 'traces', sample };
  } catch (e) {
    throw rethrown('tempo', e);
  }
}

function rethrown(source: 'prometheus' | 'tempo', e: unknown): unknown {
  return isHttpError(e) && e.code !== 'aborted' && !(e instanceof ServiceMapError) ? new ServiceMapError(source, e) : e;
}

export interface ServiceMapMessage {
  title: string;
  advice: string;
}

const CONFIG_PAGE = "Traceway's configuration page";

const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** A failed load in an operator's words: what is wrong, and what to check. */
export function describeServiceMapFailure(error: unknown): ServiceMapMessage {
  if (!isHttpError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return { title: 'The service map could not be built', advice: message };
  }
  const source = error instanceof ServiceMapError ? error.source : 'prometheus';
  const name = source === 'prometheus' ? 'Prometheus' : 'Tempo';
  if (error instanceof ServiceMapError && error.problem) {
    switch (error.problem) {
      case 'no-prometheus':
        return {
          title: 'No Prometheus data source configured',
          advice:
            `The service map reads Tempo's service-graph metrics from Prometheus. Pick the Prometheus data source on ` +
            `${CONFIG_PAGE}, or set it under the Tempo data source's "Service graph" settings; or show the map ` +
            'from a sample of traces instead.',
        };
      case 'not-prometheus':
        return {
          title: 'The Prometheus data source is not usable',
          advice: `${error.message} Pick a Prometheus data source on ${CONFIG_PAGE}.`,
        };
      case 'no-tempo':
        return { title: 'The Tempo data source is not usable', advice: error.message };
    }
  }
  const errorType = error instanceof PrometheusQueryError || error instanceof ServiceMapError ? error.errorType : '';
  if (source === 'prometheus' && errorType === 'timeout') {
    // Prometheus answered (503, errorType "timeout"): it is reachable, the queries were too slow for it
    return {
      title: 'Prometheus ran out of time for the service map',
      advice:
        `${sentence(error.message)} The service map's queries read every call over the whole time range: pick a ` +
        'shorter time range, or show the map from a sample of traces. An administrator can raise the limit ' +
        "(Prometheus's --query.timeout, 2 minutes by default).",
    };
  }
  switch (error.code) {
    case 'unavailable':
    case 'network':
    case 'timeout':
    case 'redirect':
      return {
        title: `${name} is unreachable`,
        advice:
          `${sentence(error.message)} Check that ${name} is running and that the data source's URL reaches it from ` +
          "Grafana's server (Connections > Data sources > Save & test).",
      };
    case 'unauthorized':
      // said in our words: the proxy's own message (transport.ts) names Tempo whichever data source it was
      return {
        title: `${name} refused the credentials`,
        advice:
          `Grafana's proxy to ${name} was refused access` +
          (error.status ? ` (HTTP ${error.status})` : '') +
          `. Check the data source's authentication (and, for a multi-tenant ${name} or Mimir, its X-Scope-OrgID ` +
          'header) under Connections > Data sources; you may also lack permission to query it.',
      };
    case 'bad-request':
      return {
        title: `${name} refused the query`,
        advice:
          source === 'prometheus'
            ? `${sentence(error.message)} The service map's queries need Prometheus 2.x or Mimir; the words above are Prometheus's own.`
            : `${sentence(error.message)} The words above are Tempo's own.`,
      };
    case 'not-found':
      return {
        title: `${name} was not found`,
        advice: `${sentence(error.message)} Check the data source's URL: it must point at ${name} itself.`,
      };
    case 'bad-response':
    case 'too-large':
      return { title: `${name} answered with something unexpected`, advice: error.message };
    case 'aborted':
      return { title: 'Cancelled', advice: 'The service map was not loaded because the request was cancelled.' };
  }
  return { title: 'The service map could not be loaded', advice: error.message };
}

/**
 * What to say instead of an empty map, or undefined when the map has something to show: no service-graph
 * series (the metrics-generator is probably off), or no traces in the range.
 */
export function describeEmptyServiceMap(loaded: LoadedServiceMap): ServiceMapMessage | undefined {
  if (loaded.kind === 'metrics' && loaded.noSeries) {
    return {
      title: 'No service-graph metrics',
      advice:
        'Prometheus has no traces_service_graph_* series in this time range. Tempo writes them only when its ' +
        "metrics-generator runs the service-graphs processor (enabled per tenant in Tempo's overrides) and " +
        'remote-writes to this Prometheus; the processor is probably off. Widen the time range, turn it on, or ' +
        'show the map from a sample of traces.',
    };
  }
  if (loaded.kind === 'traces' && loaded.sample && loaded.sample.traces === 0) {
    return {
      title: 'No traces in this time range',
      advice: 'Tempo found no traces to sample. Widen the time range, or check that traces reach Tempo.',
    };
  }
  if (loaded.map.nodes.length === 0) {
    return {
      title: 'No calls between services',
      advice: 'The source answered, but no service called another in this time range.',
    };
  }
  return undefined;
}
