import { parseTrace } from '../trace';
import { T0_MS, tempoV2 } from '../../tests/traces';
import {
  LinkTarget,
  buildSpanLinks,
  formattedTags,
  interpolate,
  parseTimeShift,
  planSpanLinks,
  spanVars,
} from './traceToLinks';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT = '00f067aa0ba902b7';
const SPAN = '00000000000000b1';

/** gateway → core; core's span starts 100.25 ms after T0 and lasts 20 ms. */
const trace = parseTrace(
  tempoV2(TRACE_ID, [
    { id: ROOT, name: 'GET /api/v2.0/projects', service: 'gateway', kind: 'server', startMs: 0, durationMs: 200 },
    {
      id: SPAN,
      parent: ROOT,
      name: 'SELECT artifact',
      service: 'core',
      kind: 'client',
      startMs: 100.25,
      durationMs: 20,
      attributes: {
        pod: 'core-7f9',
        'http.method': 'GET',
        cluster: 'eu-1',
        quoted: 'say "hi" \\o/',
        // a quote, a backslash, a line break, a pipe, a space and a colon
        hostile: 'a"b\\c\nd|e f:g',
        breakout: 'x"} or {job=~".+',
      },
    },
  ])
);
const span = trace.spans.findIndex((s) => s.spanId === SPAN);

const DATA_SOURCES: LinkTarget[] = [
  { uid: 'loki', type: 'loki', name: 'Loki' },
  { uid: 'es', type: 'elasticsearch', name: 'Elasticsearch' },
  { uid: 'os', type: 'grafana-opensearch-datasource', name: 'OpenSearch' },
  { uid: 'splunk', type: 'grafana-splunk-datasource', name: 'Splunk' },
  { uid: 'vl', type: 'victoriametrics-logs-datasource', name: 'VictoriaLogs' },
  { uid: 'prom', type: 'prometheus', name: 'Prometheus' },
  { uid: 'x', type: 'graphite', name: 'Graphite' },
];
const lookup = (uid: string) => DATA_SOURCES.find((d) => d.uid === uid);

/** The links of the span for these Tempo jsonData, each as its pane: the query and the range. */
function links(jsonData: unknown) {
  return buildSpanLinks(planSpanLinks(jsonData, lookup), trace, span).map((l) => {
    const params = new URLSearchParams(l.href.slice(l.href.indexOf('?') + 1));
    expect(l.href.startsWith('/explore?')).toBe(true);
    expect(params.get('schemaVersion')).toBe('1');
    const panes = JSON.parse(params.get('panes')!);
    const [pane] = Object.values(panes) as Array<{
      datasource: string;
      queries: Array<Record<string, unknown>>;
      range: { from: string; to: string };
    }>;
    return { kind: l.kind, title: l.title, pane: Object.keys(panes)[0], ...pane };
  });
}

const rel = (range: { from: string; to: string }) => [Number(range.from) - T0_MS, Number(range.to) - T0_MS];

describe('trace to logs (Loki)', () => {
  it('selects by the configured tags, mapped to label names, in the span order', () => {
    const [link] = links({
      tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'service.name', value: 'service_name' }, { key: 'pod' }] },
    });
    expect(link).toEqual({
      kind: 'logs',
      title: 'Logs for this span',
      pane: 'logs',
      datasource: 'loki',
      queries: [
        { refId: 'A', expr: '{service_name="core", pod="core-7f9"}', datasource: { type: 'loki', uid: 'loki' } },
      ],
      range: { from: String(T0_MS + 100), to: String(T0_MS + 120) },
    });
  });

  it('writes the whole Explore URL', () => {
    const [link] = buildSpanLinks(
      planSpanLinks({ tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'pod' }] } }, lookup),
      trace,
      span
    );
    // Encoded as Grafana's urlUtil does (`:` and `,` kept), so Explore reads it back.
    expect(link.href).toBe(
      '/explore?schemaVersion=1&panes=%7B%22logs%22:%7B%22datasource%22:%22loki%22,%22queries%22:%5B%7B%22refId%22:' +
        '%22A%22,%22expr%22:%22%7Bpod%3D%5C%22core-7f9%5C%22%7D%22,%22datasource%22:%7B%22type%22:%22loki%22,%22uid' +
        '%22:%22loki%22%7D%7D%5D,%22range%22:%7B%22from%22:%221763712000100%22,%22to%22:%221763712000120%22%7D%7D%7D'
    );
  });

  it("uses Grafana's default tags when none are set", () => {
    const [link] = links({ tracesToLogsV2: { datasourceUid: 'loki' } });
    // cluster and pod from the span, service.name and service.namespace from the resource, mapped with _.
    expect(link.queries[0].expr).toBe(
      '{service_name="core", service_namespace="traceway-test", pod="core-7f9", cluster="eu-1"}'
    );
  });

  it('escapes quotes and backslashes in tag values', () => {
    const [link] = links({ tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'quoted', value: 'q' }] } });
    expect(link.queries[0].expr).toBe('{q="say \\"hi\\" \\\\o/"}');
  });

  it('filters by trace ID and span ID as Grafana writes it', () => {
    const [link] = links({
      tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'pod' }], filterByTraceID: true, filterBySpanID: true },
    });
    expect(link.queries[0].expr).toBe(
      '{pod="core-7f9"}' +
        ` | label_format log_line_contains_trace_id=\`{{ contains "${TRACE_ID}" __line__  }}\`` +
        ` | log_line_contains_trace_id="true" or trace_id="${TRACE_ID}"` +
        ` | label_format log_line_contains_span_id=\`{{ contains "${SPAN}" __line__  }}\`` +
        ` | log_line_contains_span_id="true" or span_id="${SPAN}"`
    );
  });

  it('shifts the range by the span start and end time shifts', () => {
    const [link] = links({
      tracesToLogsV2: {
        datasourceUid: 'loki',
        tags: [{ key: 'pod' }],
        spanStartTimeShift: '-5m',
        spanEndTimeShift: '1.5s',
      },
    });
    expect(rel(link.range)).toEqual([100 - 300_000, 120 + 1500]);
  });

  it('interpolates a custom query', () => {
    const query =
      '{svc="${__span.tags["service.name"]}", m="${__span.tags.http.method}", pod="$__span.tags.pod"} ' +
      '|= "${__span.traceId}" |= "${__span.spanId}" | name="${__span.name}" | t="${__trace.traceId}" | ${__tags}';
    const [link] = links({
      tracesToLogsV2: {
        datasourceUid: 'loki',
        tags: [{ key: 'pod' }],
        customQuery: true,
        query,
        filterByTraceID: true,
      },
    });
    // `$__span` without braces has no path: Grafana leaves it, so the link is dropped; take it out.
    expect(link).toBeUndefined();
    const [ok] = links({
      tracesToLogsV2: {
        datasourceUid: 'loki',
        tags: [{ key: 'pod' }],
        customQuery: true,
        query: query.replace(', pod="$__span.tags.pod"', ''),
        filterByTraceID: true,
      },
    });
    expect(ok.queries[0].expr).toBe(
      `{svc="core", m="GET"} |= "${TRACE_ID}" |= "${SPAN}" | name="SELECT artifact" | t="${TRACE_ID}" | pod="core-7f9"`
    );
  });

  it('gives no link when a custom query names a tag the span lacks, or no tag selects the stream', () => {
    expect(
      links({ tracesToLogsV2: { datasourceUid: 'loki', customQuery: true, query: '{job="${__span.tags.job}"}' } })
    ).toEqual([]);
    expect(links({ tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'k8s.pod.name' }] } })).toEqual([]);
    // and says why, when asked
    const problems: string[] = [];
    const plan = planSpanLinks(
      {
        tracesToLogsV3: [
          { datasourceUid: 'loki', customQuery: true, query: '{job="${__span.tags.job}"} $foo' },
          { name: 'Pods', datasourceUid: 'loki', tags: [{ key: 'k8s.pod.name' }, { key: 'pod.name' }] },
        ],
      },
      lookup
    );
    expect(buildSpanLinks(plan, trace, span, problems)).toEqual([]);
    expect(problems).toEqual([
      'No link "Logs for this span": its query names ${__span.tags.job}, $foo, which this span does not have',
      'No link "Pods": this span has none of the tags it selects by (k8s.pod.name, pod.name)',
    ]);
  });

  it('ignores a custom query that is not switched on', () => {
    const [link] = links({ tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'pod' }], query: '{a="b"}' } });
    expect(link.queries[0].expr).toBe('{pod="core-7f9"}');
  });

  it('reads the older tracesToLogs settings (tags as keys, or mapped tags)', () => {
    expect(
      links({ tracesToLogs: { datasourceUid: 'loki', tags: ['pod'], filterByTraceID: true } })[0].queries[0].expr
    ).toBe(
      '{pod="core-7f9"}' +
        ` | label_format log_line_contains_trace_id=\`{{ contains "${TRACE_ID}" __line__  }}\`` +
        ` | log_line_contains_trace_id="true" or trace_id="${TRACE_ID}"`
    );
    expect(
      links({
        tracesToLogs: {
          datasourceUid: 'loki',
          mapTagNamesEnabled: true,
          mappedTags: [{ key: 'pod', value: 'k8s_pod' }],
        },
      })[0].queries[0].expr
    ).toBe('{k8s_pod="core-7f9"}');
  });
});

describe('span values in custom queries', () => {
  const custom = (uid: string, query: string) =>
    links({ tracesToLogsV2: { datasourceUid: uid, customQuery: true, query } });

  it('Loki: escaped for a LogQL double-quoted string, so a value cannot end the string', () => {
    expect(custom('loki', '{app="${__span.tags.hostile}"}')[0].queries[0].expr).toBe('{app="a\\"b\\\\c\\nd|e f:g"}');
    expect(custom('loki', '{app="${__span.tags["breakout"]}"}')[0].queries[0].expr).toBe(
      '{app="x\\"} or {job=~\\".+"}'
    );
    // ${__tags} is a fragment of its own, its values escaped the same way.
    expect(
      links({
        tracesToLogsV2: {
          datasourceUid: 'loki',
          tags: [{ key: 'hostile', value: 'h' }],
          customQuery: true,
          query: '{${__tags}}',
        },
      })[0].queries[0].expr
    ).toBe('{h="a\\"b\\\\c\\nd|e f:g"}');
  });

  it('writes a value as it is only where the query asks for :raw', () => {
    expect(custom('loki', '{app="${__span.tags.hostile:raw}"}')[0].queries[0].expr).toBe('{app="a"b\\c\nd|e f:g"}');
  });

  it('Elasticsearch and OpenSearch: every Lucene operator and white space escaped', () => {
    for (const uid of ['es', 'os']) {
      expect(custom(uid, 'app:${__span.tags.hostile} AND "${__span.name}"')[0].queries[0].query).toBe(
        'app:a\\"b\\\\c\\\nd\\|e\\ f\\:g AND "SELECT\\ artifact"'
      );
    }
  });

  it('Splunk: quotes, backslashes and pipes escaped', () => {
    expect(custom('splunk', 'app="${__span.tags.hostile}" ${__span.tags.breakout}')[0].queries[0].query).toBe(
      'app="a\\"b\\\\c\nd\\|e f:g" x\\"} or {job=~\\".+'
    );
  });

  it('metrics: escaped for a PromQL double-quoted string', () => {
    const [link] = links({
      tracesToMetrics: { datasourceUid: 'prom', queries: [{ name: 'a', query: 'x{a="${__span.tags.hostile}"}' }] },
    });
    expect(link.queries[0].expr).toBe('x{a="a\\"b\\\\c\\nd|e f:g"}');
  });
});

describe('trace to logs (several targets)', () => {
  it('gives a link per entry of tracesToLogsV3, titled by its name, before tracesToLogsV2', () => {
    const result = links({
      tracesToLogsV3: [
        { name: 'App logs', datasourceUid: 'loki', tags: [{ key: 'pod' }] },
        { datasourceUid: 'es', tags: [{ key: 'pod' }], filterByTraceID: true, spanEndTimeShift: 'later' },
      ],
      tracesToLogsV2: { datasourceUid: 'splunk' },
    });
    expect(result.map((l) => [l.title, l.datasource, l.queries[0].expr ?? l.queries[0].query])).toEqual([
      ['App logs', 'loki', '{pod="core-7f9"}'],
      ['Logs for this span', 'es', `"${TRACE_ID}" AND pod:"core-7f9"`],
    ]);
    expect(
      planSpanLinks(
        { tracesToLogsV3: [{ datasourceUid: 'loki' }, { datasourceUid: 'es', spanEndTimeShift: 'later' }] },
        lookup
      ).problems
    ).toEqual(['Trace to logs 2: span end time shift "later" is not a time shift such as -5m or 30s; using 0s']);
  });
});

describe('trace to logs (other data sources)', () => {
  const settings = (uid: string, extra: object = {}) => ({
    tracesToLogsV2: { datasourceUid: uid, tags: [{ key: 'pod' }, { key: 'service.name', value: 'service' }], ...extra },
  });
  const both = { filterByTraceID: true, filterBySpanID: true };

  it('Elasticsearch and OpenSearch: Lucene terms joined by AND, as a logs query', () => {
    for (const uid of ['es', 'os']) {
      const [link] = links(settings(uid, both));
      expect(link.queries[0]).toEqual({
        refId: 'A',
        query: `"${SPAN}" AND "${TRACE_ID}" AND service:"core" AND pod:"core-7f9"`,
        metrics: [{ id: '1', type: 'logs' }],
        datasource: { type: lookup(uid)!.type, uid },
      });
    }
    expect(links(settings('es'))[0].queries[0].query).toBe('service:"core" AND pod:"core-7f9"');
  });

  it('Splunk: terms joined by spaces, over at least one second', () => {
    const [link] = links(settings('splunk', both));
    expect(link.queries[0].query).toBe(`service="core" pod="core-7f9" "${TRACE_ID}" "${SPAN}"`);
    expect(rel(link.range)).toEqual([100, 1100]);
  });

  it('VictoriaLogs: exact filters joined by AND', () => {
    expect(links(settings('vl', both))[0].queries[0].expr).toBe(
      `span_id:="${SPAN}" AND trace_id:="${TRACE_ID}" AND service:="core" AND pod:="core-7f9"`
    );
  });

  it('says why a target of another type or a missing one gives no link', () => {
    expect(planSpanLinks(settings('x'), lookup).problems).toEqual([
      'Trace to logs: data source "Graphite" is of type graphite, which has no span query here',
    ]);
    expect(planSpanLinks(settings('gone'), lookup).problems).toEqual([
      'Trace to logs: there is no data source with UID "gone"',
    ]);
    expect(links(settings('gone'))).toEqual([]);
  });
});

describe('trace to metrics', () => {
  it('gives one link per query, named, with $__tags and a -2m/+2m range by default', () => {
    const result = links({
      tracesToMetrics: {
        datasourceUid: 'prom',
        tags: [
          { key: 'service.name', value: 'service' },
          { key: 'http.method', value: 'method' },
        ],
        queries: [
          { name: 'Request rate', query: 'sum(rate(traces_spanmetrics_calls_total{$__tags}[5m]))' },
          {
            name: 'By span',
            query: 'x{span_name="${__span.name}", trace="${__trace.traceId}", job="${__span.tags.job}"}',
          },
          { name: '', query: '' },
        ],
      },
    });
    expect(result.map((l) => [l.kind, l.title, l.pane, l.queries[0].expr])).toEqual([
      [
        'metrics',
        'Request rate',
        'metrics',
        'sum(rate(traces_spanmetrics_calls_total{service="core", method="GET"}[5m]))',
      ],
      // As Grafana: a variable the span lacks stays as written.
      [
        'metrics',
        'By span',
        'metrics',
        `x{span_name="SELECT artifact", trace="${TRACE_ID}", job="\${__span.tags.job}"}`,
      ],
      [
        'metrics',
        'Metrics for this span',
        'metrics',
        'histogram_quantile(0.5, sum(rate(traces_spanmetrics_latency_bucket{service="core"}[5m])) by (le))',
      ],
    ]);
    expect(result[0].queries[0].datasource).toEqual({ type: 'prometheus', uid: 'prom' });
    expect(rel(result[0].range)).toEqual([100 - 120_000, 120 + 120_000]);
  });

  it('uses the configured time shifts', () => {
    const [link] = links({
      tracesToMetrics: {
        datasourceUid: 'prom',
        spanStartTimeShift: '-1h',
        spanEndTimeShift: '10m',
        queries: [{ name: 'a', query: 'up' }],
      },
    });
    expect(rel(link.range)).toEqual([100 - 3_600_000, 120 + 600_000]);
  });

  it('orders logs before metrics', () => {
    expect(
      links({
        tracesToMetrics: { datasourceUid: 'prom', queries: [{ name: 'a', query: 'up' }] },
        tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'pod' }] },
      }).map((l) => l.kind)
    ).toEqual(['logs', 'metrics']);
  });
});

describe('nothing configured', () => {
  it('gives no links and no problems', () => {
    for (const jsonData of [
      undefined,
      null,
      'x',
      {},
      { tracesToLogsV2: {} },
      { tracesToMetrics: { datasourceUid: 'prom' } },
    ]) {
      const plan = planSpanLinks(jsonData, lookup);
      expect(plan).toEqual({ logs: [], metrics: [], problems: [] });
      expect(buildSpanLinks(plan, trace, span)).toEqual([]);
    }
  });

  it('falls back to the default shift for a bad one, and says so', () => {
    const plan = planSpanLinks(
      { tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'pod' }], spanStartTimeShift: 'soon' } },
      lookup
    );
    expect(plan.problems).toEqual([
      'Trace to logs: span start time shift "soon" is not a time shift such as -5m or 30s; using 0s',
    ]);
    expect(plan.logs).toHaveLength(1);
  });
});

describe('the parts', () => {
  it('reads time shifts in Grafana units', () => {
    expect(['-5m', '30s', '1.5h', '500ms', '2d', '1w', ' -1h ', '5', 'm', '-'].map(parseTimeShift)).toEqual([
      -300_000,
      30_000,
      5_400_000,
      500,
      172_800_000,
      604_800_000,
      -3_600_000,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('interpolates the variables Grafana offers, and names the unknown ones', () => {
    const vars = spanVars(trace, span);
    expect(
      interpolate('${__span.duration} ${__trace.duration} ${__trace.name} [[__tags]] ${__span.traceId:raw}', vars, 'T')
    ).toEqual({
      text: `20000 200000 gateway: GET /api/v2.0/projects T ${TRACE_ID}`,
      missing: [],
    });
    expect(interpolate('$foo ${__span} ${__span.nope} ${__trace.tags.x}', vars, '').missing).toEqual([
      '$foo',
      '${__span}',
      '${__span.nope}',
      '${__trace.tags.x}',
    ]);
  });

  it('leaves the variables the data source fills at query time', () => {
    const vars = spanVars(trace, span);
    expect(interpolate('rate(x{a="${__span.name}"}[$__rate_interval]) [${__range}] $__auto', vars, '')).toEqual({
      text: 'rate(x{a="SELECT artifact"}[$__rate_interval]) [${__range}] $__auto',
      missing: [],
    });
  });

  it('formats the tags in the span order, duplicates kept', () => {
    const vars = spanVars(trace, span);
    expect(formattedTags(vars, [{ key: 'name' }, { key: 'pod', value: 'p' }], { sign: ':', joinBy: ' | ' })).toBe(
      'p:"core-7f9" | name:"SELECT artifact"'
    );
  });
});
