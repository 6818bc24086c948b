/**
 * Starting points for the setup form: the deployments Traceway is built for. Each gives the data source form, the
 * app's settings and the Collector's exporter; the user's own values (URL, uid, tenant, auth) override them.
 */
import type { AppSettingsForm, CollectorForm, TempoForm } from './provisioning';

export interface Preset {
  name: PresetName;
  description: string;
  dataSource: TempoForm;
  app: AppSettingsForm;
  collector: CollectorForm;
}

export const PRESET_NAMES = ['single-binary', 'harness', 'multi-tenant', 'gitlab'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Tempo's span metrics label the service `service`; `$__tags` is filled in by Grafana from `tags`. */
const SPAN_METRICS: NonNullable<TempoForm['tracesToMetrics']> = {
  datasourceUid: 'prometheus',
  spanStartTimeShift: '-15m',
  spanEndTimeShift: '15m',
  tags: [{ key: 'service.name', value: 'service' }],
  queries: [
    { name: 'Request rate', query: 'sum by (span_name) (rate(traces_spanmetrics_calls_total{$__tags}[5m]))' },
    {
      name: 'Error rate',
      query: 'sum by (span_name) (rate(traces_spanmetrics_calls_total{$__tags, status_code="STATUS_CODE_ERROR"}[5m]))',
    },
    {
      name: 'p95 latency',
      query: 'histogram_quantile(0.95, sum by (le, span_name) (rate(traces_spanmetrics_latency_bucket{$__tags}[5m])))',
    },
  ],
};

const COMMON: Omit<TempoForm, 'url'> = {
  name: 'Tempo',
  uid: 'tempo',
  serviceMapUid: 'prometheus',
  nodeGraph: true,
  search: { hide: false },
  streaming: { search: true, metrics: true },
  timeShift: { start: '-30m', end: '30m' },
  tracesToMetrics: SPAN_METRICS,
};

const HARNESS_TEMPO = 'http://tempo-distributed-gateway.tempo.svc.cluster.local:80';
const HARNESS_COLLECTOR = 'opentelemetry-collector.otel.svc.cluster.local';

export const PRESETS: Record<PresetName, Preset> = {
  'single-binary': {
    name: 'single-binary',
    description: "single-binary Tempo with a Collector, as in this repository's docker compose stack",
    dataSource: { ...COMMON, url: 'http://tempo:3200', isDefault: true, editable: false },
    app: {
      tempoDatasourceUid: 'tempo',
      prometheusDatasourceUid: 'prometheus',
      tempoUrl: 'http://tempo:3200',
      prometheusUrl: 'http://prometheus:9090',
      collectorOtlpHttpUrl: 'http://otel-collector:4318',
      collectorHealthUrl: 'http://otel-collector:13133',
    },
    collector: { endpoint: 'http://tempo:4318', protocol: 'http' },
  },
  harness: {
    name: 'harness',
    description: 'tempo-distributed behind its gateway on object storage, with a Collector in the otel namespace',
    // Streaming is gRPC to Tempo; a plain HTTP gateway on :80 may not pass it, so it is left off here.
    dataSource: { ...COMMON, url: HARNESS_TEMPO, streaming: undefined },
    app: {
      tempoDatasourceUid: 'tempo',
      prometheusDatasourceUid: 'prometheus',
      tempoUrl: HARNESS_TEMPO,
      collectorOtlpHttpUrl: `http://${HARNESS_COLLECTOR}:4318`,
      collectorHealthUrl: `http://${HARNESS_COLLECTOR}:13133`,
    },
    // Agents send to the Collector on :4317; the Collector exports to the distributor's OTLP/gRPC receiver.
    collector: { endpoint: 'tempo-distributed-distributor.tempo.svc.cluster.local:4317', protocol: 'grpc' },
  },
  'multi-tenant': {
    name: 'multi-tenant',
    description: 'a multi-tenant Tempo: every request carries the tenant as X-Scope-OrgID',
    dataSource: { ...COMMON, url: 'http://tempo:3200', tenant: 'tenant-1' },
    app: { tempoDatasourceUid: 'tempo', prometheusDatasourceUid: 'prometheus', tempoUrl: 'http://tempo:3200' },
    collector: { endpoint: 'http://tempo:4318', protocol: 'http', tenant: 'tenant-1' },
  },
  gitlab: {
    name: 'gitlab',
    description: 'GitLab-style OTLP/HTTP ingestion authenticated by a PRIVATE-TOKEN header',
    dataSource: {
      ...COMMON,
      url: 'http://tempo:3200',
      auth: { kind: 'header', headerName: 'PRIVATE-TOKEN', secretEnv: 'GITLAB_TOKEN' },
    },
    app: { tempoDatasourceUid: 'tempo', prometheusDatasourceUid: 'prometheus', tempoUrl: 'http://tempo:3200' },
    collector: {
      // otlphttp appends /v1/traces to the endpoint.
      endpoint: 'https://gitlab.example.com/api/v4/projects/1/observability',
      protocol: 'http',
      auth: { kind: 'header', headerName: 'PRIVATE-TOKEN', secretEnv: 'GITLAB_TOKEN' },
    },
  },
};

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}
