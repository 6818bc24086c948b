import { readFileSync } from 'node:fs';
import path from 'node:path';

import { labelSelector, promDuration, promString, serviceGraphQueries, servicesMatcher } from './queries';

describe('promDuration', () => {
  it('writes seconds in the largest unit that divides them', () => {
    expect(promDuration(300)).toBe('5m');
    expect(promDuration(3600)).toBe('1h');
    expect(promDuration(90)).toBe('90s');
    expect(promDuration(86400)).toBe('1d');
    expect(promDuration(5400)).toBe('90m');
    expect(promDuration(1.5)).toBe('1500ms');
  });
  it('refuses a range that is not a positive number', () => {
    expect(() => promDuration(0)).toThrow('positive number of seconds; got 0');
    expect(() => promDuration(NaN)).toThrow('got NaN');
    expect(() => promDuration(-60)).toThrow('got -60');
  });
});

describe('label filters', () => {
  it('escapes values as PromQL strings', () => {
    expect(promString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(
      labelSelector([
        { label: 'client', value: 'say "hi"' },
        { label: 'server', op: '!=', value: 'x' },
      ])
    ).toBe('{client="say \\"hi\\"",server!="x"}');
    expect(labelSelector([])).toBe('');
  });
  it('matches any of several services, regex characters escaped', () => {
    expect(labelSelector([servicesMatcher('server', ['core', 'api.v2'])])).toBe('{server=~"core|api\\\\.v2"}');
  });
  it('refuses a label name PromQL cannot hold, saying which', () => {
    expect(() =>
      labelSelector([
        { label: 'ok', value: '' },
        { label: 'service.name', value: 'x' },
      ])
    ).toThrow('Label filter 2: "service.name" is not a Prometheus label name');
  });
});

describe('serviceGraphQueries', () => {
  it('builds the rates Grafana computes over the range', () => {
    expect(serviceGraphQueries(300)).toEqual({
      requests: 'sum by (client, server) (rate(traces_service_graph_request_total[5m]))',
      failed: 'sum by (client, server) (rate(traces_service_graph_request_failed_total[5m]))',
      namespaces:
        'group by (client, server, client_service_namespace, server_service_namespace) (last_over_time(traces_service_graph_request_total[5m]))',
      p50: 'histogram_quantile(0.5, sum by (client, server, le) (rate(traces_service_graph_request_server_seconds_bucket[5m])))',
      p95: 'histogram_quantile(0.95, sum by (client, server, le) (rate(traces_service_graph_request_server_seconds_bucket[5m])))',
      nodeP50:
        'histogram_quantile(0.5, sum by (server, le) (rate(traces_service_graph_request_server_seconds_bucket[5m])))',
      nodeP95:
        'histogram_quantile(0.95, sum by (server, le) (rate(traces_service_graph_request_server_seconds_bucket[5m])))',
      serverSum: 'sum by (client, server) (rate(traces_service_graph_request_server_seconds_sum[5m]))',
      serverCount: 'sum by (client, server) (rate(traces_service_graph_request_server_seconds_count[5m]))',
      connectionTypes:
        'group by (client, server, connection_type) (last_over_time(traces_service_graph_request_total[5m]))',
    });
  });
  it('is the query of the recorded answers', () => {
    const dir = path.resolve(__dirname, '../../fixtures/prometheus-2.42-service-graph');
    const promql = (name: string) => readFileSync(path.join(dir, `${name}.promql`), 'utf8').trim();
    const q = serviceGraphQueries(300);
    expect(q.requests).toBe(promql('request-rate'));
    expect(q.failed).toBe(promql('failed-rate'));
    expect(q.serverSum).toBe(promql('server-seconds-rate'));
  });
  it('narrows every series by the filter', () => {
    const q = serviceGraphQueries(3600, [{ label: 'client', value: 'no-such-service' }]);
    expect(q.requests).toBe(
      'sum by (client, server) (rate(traces_service_graph_request_total{client="no-such-service"}[1h]))'
    );
    expect(q.p95).toContain('traces_service_graph_request_server_seconds_bucket{client="no-such-service"}[1h]');
    expect(q.connectionTypes).toBe(
      'group by (client, server, connection_type) (last_over_time(traces_service_graph_request_total{client="no-such-service"}[1h]))'
    );
  });
});
