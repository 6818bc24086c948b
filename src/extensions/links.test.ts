import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dateTime } from '@grafana/data';
import { parseTrace, toDataFrame } from '../trace';
import { configureExploreLink, configurePanelLink, configureTraceViewLink, traceIdOf, traceIdInFrames } from './links';

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const SCAN_TRACE = '5feb30ccfb3cdb0936f11324d886982a';
// Tempo 2.7.2's recorded trace, as Grafana's Tempo data source hands it to a panel: one trace frame.
const traceFrame = toDataFrame(parseTrace(readFileSync(path.join(FIXTURES, 'tempo-2.7.2/trace-v2.json'), 'utf8')));

const tempo = { type: 'tempo', uid: 'tempo-eu' };
const loki = { type: 'loki', uid: 'loki' };
const BASE = '/a/traceway-explorer-app';

describe('traceIdOf', () => {
  it.each([
    [SCAN_TRACE, SCAN_TRACE],
    [' 5FEB30CCFB3CDB0936F11324D886982A ', SCAN_TRACE],
    ['0x36f11324d886982a', '000000000000000036f11324d886982a'],
    ['36f11324d886982a', '000000000000000036f11324d886982a'],
    ['36f11324d88698', undefined], // 14 characters: too short to be a trace ID someone pasted
    ['{ span.http.status_code = 500 }', undefined],
    [`${SCAN_TRACE}0`, undefined],
  ])('%p -> %p', (query, expected) => {
    expect(traceIdOf(query)).toBe(expected);
  });
});

describe("Explore's toolbar", () => {
  // As Explore builds it: the pane's queries and raw range (text, or DateTimes after picking absolute times).
  const explore = (targets: unknown[], timeRange: unknown = { from: 'now-1h', to: 'now' }) =>
    configureExploreLink({ exploreId: 'left', targets, timeRange } as never);

  it('opens a trace ID query on the Trace page, in its data source', () => {
    expect(explore([{ refId: 'A', datasource: tempo, queryType: 'traceql', query: SCAN_TRACE }])).toEqual({
      path: `${BASE}/trace/${SCAN_TRACE}?ds=tempo-eu`,
      description: "Open this trace in Traceway's waterfall",
    });
  });

  it('opens TraceQL on the Search page with the data source and time range', () => {
    expect(explore([{ refId: 'A', datasource: tempo, queryType: 'traceql', query: '{ status = error }' }])?.path).toBe(
      `${BASE}/search?ds=tempo-eu&from=now-1h&to=now&q=%7B+status+%3D+error+%7D`
    );
  });

  it('writes an absolute range as epoch milliseconds', () => {
    const range = { from: dateTime(1795247266000), to: dateTime(1795250866000) };
    expect(explore([{ refId: 'A', datasource: tempo, queryType: 'traceql', query: '{ }' }], range)?.path).toBe(
      `${BASE}/search?ds=tempo-eu&from=1795247266000&to=1795250866000&q=%7B+%7D`
    );
  });

  it('opens the Search page on the data source for a Tempo query it cannot read (search builder, empty)', () => {
    expect(
      explore([{ refId: 'A', datasource: tempo, queryType: 'traceqlSearch', filters: [{ id: 'service-name' }] }])
    ).toEqual({
      path: `${BASE}/search?ds=tempo-eu&from=now-1h&to=now`,
      description: "Search this data source's traces in Traceway",
    });
  });

  it('takes the first Tempo query with text, skipping hidden ones and other data sources', () => {
    expect(
      explore([
        { refId: 'A', datasource: loki, query: '{job="x"}' },
        { refId: 'B', datasource: tempo, query: '' },
        { refId: 'C', datasource: tempo, query: '{ name = "hidden" }', hide: true },
        { refId: 'D', datasource: { type: 'tempo', uid: 'tempo-us' }, queryType: 'traceql', query: SCAN_TRACE },
      ])?.path
    ).toBe(`${BASE}/trace/${SCAN_TRACE}?ds=tempo-us`);
  });

  it('leaves out a data source or a query that is a template variable', () => {
    expect(explore([{ refId: 'A', datasource: { type: 'tempo', uid: '${tempo}' }, query: '$traceId' }])?.path).toBe(
      `${BASE}/search?from=now-1h&to=now`
    );
  });

  it.each([
    ['no queries', []],
    ['only other data sources', [{ refId: 'A', datasource: loki, query: '{job="x"}' }]],
    ['a hidden Tempo query', [{ refId: 'A', datasource: tempo, query: SCAN_TRACE, hide: true }]],
    ['targets that are not a list', 'nope'],
  ])('is hidden with %s', (_, targets) => {
    expect(explore(targets as unknown[])).toBeUndefined();
  });

  it('is hidden without a context', () => {
    expect(configureExploreLink(undefined)).toBeUndefined();
  });
});

describe("the trace view's header", () => {
  // As Grafana's TracePageHeader builds it: the trace view's trace (times in microseconds) and its data source.
  const context = {
    traceID: SCAN_TRACE,
    startTime: 1795247266434000,
    endTime: 1795247266501000,
    duration: 67000,
    traceName: 'gateway: GET /api/v2.0/projects',
    spans: [],
    processes: {},
    datasource: { name: 'Tempo EU', uid: 'tempo-eu', type: 'tempo' },
  };

  it("opens the trace on the Trace page, in its data source, around the trace's own time", () => {
    expect(configureTraceViewLink(context)).toEqual({
      // 30 minutes either side of 1795247266434 ms .. 1795247266501 ms
      path: `${BASE}/trace/${SCAN_TRACE}?ds=tempo-eu&from=1795245466434&to=1795249066501`,
      description: "Open this trace in Traceway's waterfall",
    });
  });

  it('leaves the time out when the trace has none', () => {
    expect(configureTraceViewLink({ ...context, startTime: undefined })?.path).toBe(
      `${BASE}/trace/${SCAN_TRACE}?ds=tempo-eu`
    );
  });

  it.each([
    ['a Jaeger trace', { ...context, datasource: { name: 'Jaeger', uid: 'jaeger', type: 'jaeger' } }],
    ['no data source', { ...context, datasource: undefined }],
    ['a trace ID that is not hex', { ...context, traceID: 'not-a-trace' }],
    ['no trace', undefined],
  ])('is hidden for %s', (_, ctx) => {
    expect(configureTraceViewLink(ctx)).toBeUndefined();
  });
});

describe("a dashboard panel's menu", () => {
  const panel = (targets: unknown[], series: unknown[] = []) =>
    configurePanelLink({
      pluginId: 'traces',
      id: 4,
      title: 'Scan request',
      timeRange: { from: 'now-6h', to: 'now' },
      timeZone: 'browser',
      dashboard: { uid: 'd', title: 'Harbor', tags: [] },
      targets,
      data: { state: 'Done', series },
    } as never);

  it('finds the trace ID in a trace frame', () => {
    expect(traceIdInFrames([traceFrame] as never)).toBe(SCAN_TRACE);
    expect(traceIdInFrames([{ ...traceFrame, meta: { preferredVisualisationType: 'table' } }] as never)).toBe(
      undefined
    );
    // Older Grafana versions hand fields over as Vectors.
    const vector = { length: 1, get: () => SCAN_TRACE };
    expect(
      traceIdInFrames([
        { meta: { preferredVisualisationType: 'trace' }, fields: [{ name: 'traceID', values: vector }] },
      ])
    ).toBe(SCAN_TRACE);
  });

  it("opens a Tempo trace panel's trace, even when its query is a dashboard variable", () => {
    expect(panel([{ refId: 'A', datasource: tempo, queryType: 'traceql', query: '${traceId}' }], [traceFrame])).toEqual(
      {
        path: `${BASE}/trace/${SCAN_TRACE}?ds=tempo-eu`,
        description: "Open this trace in Traceway's waterfall",
      }
    );
  });

  it("opens a Tempo search panel's TraceQL on the Search page", () => {
    expect(panel([{ refId: 'A', datasource: tempo, queryType: 'traceql', query: '{ duration > 1s }' }])?.path).toBe(
      `${BASE}/search?ds=tempo-eu&from=now-6h&to=now&q=%7B+duration+%3E+1s+%7D`
    );
  });

  it("reads a query's data source from the request when it uses the panel's", () => {
    const query = { refId: 'A', queryType: 'traceql', query: '{ status = error }' };
    expect(
      configurePanelLink({
        targets: [query],
        timeRange: { from: 'now-6h', to: 'now' },
        data: { series: [], request: { targets: [{ ...query, datasource: tempo }] } },
      })?.path
    ).toBe(`${BASE}/search?ds=tempo-eu&from=now-6h&to=now&q=%7B+status+%3D+error+%7D`);
    // Without the request, a query without a data source is not known to be Tempo's.
    expect(configurePanelLink({ targets: [query], data: { series: [] } })).toBeUndefined();
  });

  it("opens the trace of another trace data source's panel by its ID, in the configured Tempo", () => {
    expect(
      panel([{ refId: 'A', datasource: { type: 'jaeger', uid: 'jaeger' }, query: SCAN_TRACE }], [traceFrame])
    ).toEqual({ path: `${BASE}/trace/${SCAN_TRACE}`, description: "Open this trace in Traceway's waterfall" });
  });

  it.each([
    ['a Loki panel', [{ refId: 'A', datasource: loki, expr: '{job="x"}' }], []],
    ['a Jaeger panel without a trace', [{ refId: 'A', datasource: { type: 'jaeger', uid: 'j' } }], []],
    ['a panel with no queries', [], []],
  ])('is hidden for %s', (_, targets, series) => {
    expect(panel(targets, series)).toBeUndefined();
  });
});
