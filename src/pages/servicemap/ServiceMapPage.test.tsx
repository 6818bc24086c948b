import React from 'react';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { useNavigate } from 'react-router-dom';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import ServiceMapPage from './ServiceMapPage';
import { testIds } from '../../components/testIds';
import { setTestDataSources } from '../../testing/dataSources';
import { fetchVia, unreachableUrl } from '../../testing/jsdomFetch';
import { currentLocation, renderPage } from '../../testing/renderPage';
import { Reply, SeenRequest, startReplayServer } from '../../testing/replayServer';
import { withJsdomLayout } from '../../testing/jsdomLayout';

const ids = testIds.serviceMapPage;
const mapIds = testIds.serviceMap;
const PROXY = '/api/datasources/proxy/uid';
const RECORDED_TRACE = '5feb30ccfb3cdb0936f11324d886982a';

const dataSources = [
  // The Tempo data source names its service-graph Prometheus, as Grafana's Tempo settings do.
  { uid: 'tempo-eu', name: 'Tempo EU', type: 'tempo', jsonData: { serviceMap: { datasourceUid: 'prom-eu' } } },
  { uid: 'tempo-empty', name: 'Tempo empty', type: 'tempo', jsonData: {} },
  { uid: 'prom-eu', name: 'Prometheus EU', type: 'prometheus', jsonData: {} },
  { uid: 'prom-empty', name: 'Prometheus without service graphs', type: 'prometheus', jsonData: {} },
  { uid: 'prom-down', name: 'Prometheus down', type: 'prometheus', jsonData: {} },
  { uid: 'prom-slow', name: 'Prometheus slow', type: 'prometheus', jsonData: {} },
  { uid: 'prom-bad', name: 'Prometheus refusing', type: 'prometheus', jsonData: {} },
];
setTestDataSources(dataSources);
// Grafana's pickers measure text on a canvas, which jsdom lacks; the map draws nothing here.
HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
withJsdomLayout({ width: 1200, height: 600 });
jest.setTimeout(30_000);

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const promBody = (name: string) =>
  readFileSync(path.join(FIXTURES, 'prometheus-2.42-service-graph', `${name}.json`), 'utf8');

/** The query of a GET, or of a form POST (long queries go as POST). */
const promqlOf = (r: SeenRequest) => (r.method === 'POST' ? new URLSearchParams(r.body) : r.query).get('query') ?? '';
const timeOf = (r: SeenRequest) => (r.method === 'POST' ? new URLSearchParams(r.body) : r.query).get('time');

/** Prometheus 2.42's recorded answers, picked by the PromQL asked (whatever its range); the rest found nothing. */
function prometheus(request: SeenRequest): Reply {
  const promql = promqlOf(request);
  const name = /^histogram_quantile\(0\.95, sum by \(client, server, le\)/.test(promql)
    ? 'server-p95'
    : promql.includes('request_failed_total')
      ? 'failed-rate'
      : /^group by \(client, server, connection_type\)/.test(promql)
        ? 'connection-types'
        : promql.includes('rate(traces_service_graph_request_total')
          ? 'request-rate'
          : promql.includes('rate(traces_service_graph_request_server_seconds_sum')
            ? 'server-seconds-rate'
            : 'no-series';
  return { status: 200, contentType: 'application/json', body: promBody(name) };
}

let server: Awaited<ReturnType<typeof startReplayServer>>;
let releaseSlow: () => void = () => {};
const aborted: string[] = [];
let slowWaiting = 0;

beforeAll(async () => {
  server = await startReplayServer({
    [`${PROXY}/prom-eu/api/v1/query`]: prometheus,
    [`${PROXY}/prom-slow/api/v1/query`]: prometheus,
    [`${PROXY}/prom-empty/api/v1/query`]: { status: 200, contentType: 'application/json', body: promBody('no-series') },
    // Prometheus's recorded refusal of a query (only the body was recorded; Prometheus sends it with 400).
    [`${PROXY}/prom-bad/api/v1/query`]: { status: 400, contentType: 'application/json', body: promBody('bad-promql') },
    // One recorded search result whose whole trace was recorded too: a sample of one trace.
    [`${PROXY}/tempo-eu/api/search`]: { fixture: 'tempo-2.7.2/search-request-id' },
    [`${PROXY}/tempo-eu/api/v2/traces/${RECORDED_TRACE}`]: { fixture: 'tempo-2.7.2/trace-v2' },
    [`${PROXY}/tempo-empty/api/search`]: { fixture: 'tempo-2.7.2/search-empty' },
  });
  // `prom-down` goes to a port where nothing listens (a real connection refused); `prom-slow` answers only when
  // the test releases it, or rejects as fetch does when the page aborts it first.
  const replay = fetchVia({ '/': server.url, [`${PROXY}/prom-down/`]: await unreachableUrl() });
  window.fetch = (async (input: string, init?: RequestInit) => {
    if (input.includes('/uid/prom-slow/')) {
      slowWaiting += 1;
      await new Promise<void>((resolve, reject) => {
        releaseSlow = resolve;
        init?.signal?.addEventListener('abort', () => {
          aborted.push(input);
          reject(new DOMException('The operation was aborted.', 'AbortError'));
        });
      });
    }
    return replay(input, init);
  }) as typeof fetch;
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.splice(0);
  aborted.splice(0);
  slowWaiting = 0;
});

/** Another time range, as the time picker sets it. */
function LastSixHours() {
  const navigate = useNavigate();
  return <button data-testid="last-6h" onClick={() => navigate(`${PAGE}?from=now-6h&to=now`)} />;
}

const renderAt = (pathAndQuery: string, jsonData: Record<string, unknown> = { tempoDatasourceUid: 'tempo-eu' }) =>
  renderPage(pathAndQuery, <ServiceMapPage />, { route: PAGE, jsonData, extra: <LastSixHours /> });
const PAGE = '/a/traceway-explorer-app/service-map';
const queries = (uid: string) => server.requests.filter((r) => r.path === `${PROXY}/${uid}/api/v1/query`);
const listed = async () => {
  const list = await screen.findByTestId(mapIds.nodeList, {}, { timeout: 10_000 });
  // The list fills when the map has been laid out.
  const buttons = await within(list).findAllByRole('button', {}, { timeout: 10_000 });
  return buttons.map((b) => b.getAttribute('data-testid')!.replace('data-testid traceway-servicemap-node-', ''));
};

describe('Service map page', () => {
  it("maps the Tempo data source's Prometheus over the last hour, and links a node to its traces", async () => {
    renderAt(PAGE);
    expect((await listed()).sort()).toEqual(['core', 'gateway', 'harbor-ui', 'jobservice', 'postgresql', 'registry']);
    expect(screen.getByTestId(ids.caption)).toHaveTextContent(
      /^From Tempo's service-graph metrics in "Prometheus EU": requests per second between \d\d:\d\d and \d\d:\d\d$/
    );
    // Every query at the range's end, each rate over the hour.
    const asked = queries('prom-eu');
    expect(asked.length).toBeGreaterThanOrEqual(5);
    for (const r of asked) {
      expect(Math.abs(Number(timeOf(r)) - Date.now() / 1000)).toBeLessThan(10);
    }
    expect(asked.map(promqlOf)).toContainEqual(
      'sum by (client, server) (rate(traces_service_graph_request_total[1h]))'
    );
    await userEvent.click(screen.getByTestId(mapIds.node('core')));
    const menu = await screen.findByTestId(mapIds.menu);
    const hrefs = within(menu)
      .getAllByRole('menuitem')
      .map((a) => [a.textContent, a.getAttribute('href')]);
    expect(hrefs).toContainEqual([
      'Search traces of this service',
      '/a/traceway-explorer-app/search?ds=tempo-eu&from=now-1h&to=now&service=core',
    ]);
    expect(hrefs).toContainEqual([
      'Errors only',
      '/a/traceway-explorer-app/search?ds=tempo-eu&from=now-1h&to=now&service=core&status=error',
    ]);
    const explore = hrefs.find(([label]) => label === 'Open in Explore')![1]!;
    const pane = JSON.parse(new URLSearchParams(explore.split('?')[1]).get('panes')!).search;
    expect(pane.queries[0].query).toBe('{ resource.service.name = "core" }');
    expect(pane.range).toEqual({ from: 'now-1h', to: 'now' });
  });

  it('links a call to the Search page with the structural TraceQL of that call', async () => {
    renderAt(`${PAGE}?from=now-6h&to=now`);
    await listed();
    await userEvent.click(screen.getByTestId(mapIds.edge('gateway', 'core')));
    const link = within(await screen.findByTestId(mapIds.menu)).getByRole('menuitem', {
      // names are bidi-isolated in the label, as all trace text in UI text
      name: 'Search traces from \u2068gateway\u2069 to \u2068core\u2069',
    });
    const params = new URLSearchParams(link.getAttribute('href')!.split('?')[1]);
    expect(params.get('q')).toBe(
      '{ resource.service.name = "gateway" && kind = client } > { resource.service.name = "core" && kind = server }'
    );
    expect(params.get('from')).toBe('now-6h');
    // A database writes no spans: the call to it is core's client spans that name it.
    await userEvent.keyboard('{Escape}');
    await userEvent.click(screen.getByTestId(mapIds.edge('core', 'postgresql')));
    const peer = within(await screen.findByTestId(mapIds.menu)).getByRole('menuitem', {
      name: 'Search traces from \u2068core\u2069 to \u2068postgresql\u2069',
    });
    const peerQuery = new URLSearchParams(peer.getAttribute('href')!.split('?')[1]).get('q')!;
    expect(peerQuery).toMatch(
      /^\{ resource\.service\.name = "core" && \(kind = client \|\| kind = producer\) && \(.*= "postgresql".*\) \}$/
    );
    expect(queries('prom-eu').map(promqlOf)).toContainEqual(
      'sum by (client, server) (rate(traces_service_graph_request_total[6h]))'
    );
  });

  it('says Prometheus has no service-graph series and switches to sampled traces, which say their sample', async () => {
    renderAt(`${PAGE}?prometheus=prom-empty`);
    const state = await screen.findByTestId(ids.noSeries, {}, { timeout: 10_000 });
    expect(state).toHaveTextContent('No service-graph metrics in "Prometheus without service graphs"');
    expect(state).toHaveTextContent("Tempo's metrics-generator probably does not run its service-graphs processor");
    await userEvent.click(screen.getByTestId(ids.useTraces));
    expect(currentLocation()).toBe(`${PAGE}?prometheus=prom-empty&source=traces`);
    // The one recorded trace: the Harbor "scan" request through gateway, core, registry and jobservice.
    expect(await listed()).toEqual(expect.arrayContaining(['core', 'gateway', 'jobservice', 'registry']));
    const caption = screen.getByTestId(ids.caption);
    expect(caption).toHaveTextContent(/^From 1 trace between \d\d:\d\d and \d\d:\d\d in "Tempo EU"/);
    expect(caption).toHaveTextContent('in "Tempo EU": calls counted in the sample');
    const search = server.requests.find((r) => r.path === `${PROXY}/tempo-eu/api/search`)!;
    // The last hour, in whole seconds rounded outwards.
    const seconds = Number(search.query.get('end')) - Number(search.query.get('start'));
    expect(seconds >= 3600 && seconds <= 3601).toBe(true);
  });

  it('says there are no traces in the range, and offers a longer one', async () => {
    renderAt(`${PAGE}?ds=tempo-empty&source=traces`);
    const state = await screen.findByTestId(ids.noTraces, {}, { timeout: 10_000 });
    expect(state).toHaveTextContent(/No traces in "Tempo empty" between \d\d:\d\d and \d\d:\d\d/);
    await userEvent.click(within(state).getByRole('button', { name: 'Map the last 3 hours' }));
    expect(currentLocation()).toBe(`${PAGE}?ds=tempo-empty&source=traces&from=now-3h&to=now`);
  });

  it('says no Prometheus data source is configured, and offers the traces and the configuration page', async () => {
    renderAt(`${PAGE}?ds=tempo-empty`, { tempoDatasourceUid: 'tempo-empty' });
    const state = screen.getByTestId(ids.noPrometheus);
    expect(state).toHaveTextContent('No Prometheus data source for the service map');
    expect(within(state).getByRole('link', { name: /Traceway configuration/ })).toHaveAttribute(
      'href',
      '/plugins/traceway-explorer-app'
    );
    expect(screen.getByTestId(ids.useTraces)).toBeInTheDocument();
    expect(server.requests).toEqual([]);
  });

  it('names a Prometheus UID that no data source has', () => {
    renderAt(`${PAGE}?prometheus=gone`);
    expect(screen.getByTestId(ids.noPrometheus)).toHaveTextContent('There is no Prometheus data source "gone"');
  });

  it('names a Prometheus UID that is a data source of another type', () => {
    renderAt(`${PAGE}?prometheus=tempo-eu`);
    expect(screen.getByTestId(ids.noPrometheus)).toHaveTextContent('"Tempo EU" is a tempo data source, not Prometheus');
  });

  it.each([
    ['gone', 'There is no Tempo data source "gone"'],
    ['prom-eu', '"Prometheus EU" is a prometheus data source, not Tempo'],
  ])('sampled traces from ds=%s say why there is no Tempo, and ask nothing', (ds, title) => {
    renderAt(`${PAGE}?source=traces&ds=${ds}`);
    expect(within(screen.getByTestId(ids.error)).getByRole('heading')).toHaveTextContent(title);
    expect(server.requests).toEqual([]);
  });

  it('says Prometheus cannot be reached, with what to check', async () => {
    renderAt(`${PAGE}?prometheus=prom-down`);
    const state = await screen.findByTestId(ids.error, {}, { timeout: 10_000 });
    expect(within(state).getByRole('heading')).toHaveTextContent('Prometheus is unreachable');
    expect(state).toHaveTextContent('ECONNREFUSED');
    expect(state).toHaveTextContent("Check that Prometheus is running and that the data source's URL reaches it");
    expect(screen.getByTestId(ids.useTraces)).toBeInTheDocument();
  });

  it("says Prometheus refused the query, in Prometheus's own words", async () => {
    renderAt(`${PAGE}?prometheus=prom-bad`);
    const state = await screen.findByTestId(ids.error, {}, { timeout: 10_000 });
    expect(state).toHaveTextContent('bad_data');
    expect(state).toHaveTextContent('parse error: unclosed left parenthesis');
  });

  it('cancels the load in flight when the range changes, and keeps the focus and toggles in the URL', async () => {
    renderAt(`${PAGE}?prometheus=prom-slow&focus=core&hops=1&hideVirtual=1`);
    expect(screen.getByTestId(ids.loading)).toHaveTextContent('Reading the service graph from "Prometheus slow"');
    await waitFor(() => expect(slowWaiting).toBeGreaterThan(0));
    await userEvent.click(within(screen.getByTestId(ids.source)).getByLabelText('Sampled traces'));
    // Every query still waiting for the slow Prometheus was cancelled.
    await waitFor(() => expect(aborted).toHaveLength(slowWaiting));
    expect(currentLocation()).toBe(`${PAGE}?prometheus=prom-slow&source=traces&focus=core&hops=1&hideVirtual=1`);
    releaseSlow();
    expect((await listed()).length).toBeGreaterThan(0);
  });

  it('keeps the view in the URL: hiding virtual nodes replaces the entry, a new focus is a new one', async () => {
    renderAt(`${PAGE}?from=now-3h&to=now`);
    await listed();
    await userEvent.click(screen.getByTestId(mapIds.hideVirtual));
    expect(currentLocation()).toBe(`${PAGE}?from=now-3h&to=now&hideVirtual=1`);
    expect(await listed()).not.toContain('postgresql');
    await userEvent.click(screen.getByTestId(mapIds.node('core')));
    await userEvent.click(within(await screen.findByTestId(mapIds.menu)).getByRole('menuitem', { name: /Focus/ }));
    expect(currentLocation()).toBe(`${PAGE}?from=now-3h&to=now&focus=core&hideVirtual=1`);
    // Back leaves the focus; the toggle had replaced the first entry, so there is nothing before it.
    await userEvent.click(screen.getByTestId('back'));
    expect(currentLocation()).toBe(`${PAGE}?from=now-3h&to=now&hideVirtual=1`);
    await userEvent.click(screen.getByTestId('back'));
    expect(currentLocation()).toBe(`${PAGE}?from=now-3h&to=now&hideVirtual=1`);
    // Only one load: the view changes only what is shown.
    expect(
      queries('prom-eu').filter((r) =>
        promqlOf(r).startsWith('sum by (client, server) (rate(traces_service_graph_request_total')
      )
    ).toHaveLength(1);
  });

  it('keeps the map on screen while another time range loads, so its positions stay', async () => {
    renderAt(PAGE);
    await listed();
    const canvas = screen.getByTestId(mapIds.canvas);
    await userEvent.click(screen.getByTestId('last-6h'));
    await waitFor(() =>
      expect(queries('prom-eu').map(promqlOf)).toContainEqual(
        'sum by (client, server) (rate(traces_service_graph_request_total[6h]))'
      )
    );
    await waitFor(() => expect(screen.getByTestId(ids.caption)).toHaveTextContent('requests per second between'));
    // The same element throughout: the map was never unmounted.
    expect(screen.getByTestId(mapIds.canvas)).toBe(canvas);
    expect(screen.queryByTestId(ids.loading)).toBeNull();
  });

  it('lists the parts of a link it could not read', () => {
    renderAt(`${PAGE}?prometheus=gone&hops=99&source=logs`);
    const problems = screen.getByTestId(ids.urlProblems);
    expect(problems).toHaveTextContent('The source "logs" is not one of metrics, traces; the default is used.');
    expect(problems).toHaveTextContent('The hops "99" is not a whole number from 1 to 5; the default is used.');
  });
});
