import { expect, test, testIds } from './fixtures';

const APP = '/a/traceway-explorer-app';
const ids = testIds.serviceMapPage;
const map = testIds.serviceMap;
/** The services of the recorded traffic (fixtures/prometheus-2.42-service-graph), postgresql a virtual peer. */
const RECORDED_SERVICES = ['core', 'gateway', 'harbor-ui', 'jobservice', 'postgresql', 'registry'];

test.describe('service map page', () => {
  test("maps the recorded Prometheus answers: every service listed, a node's menu links to its traces", async ({
    sandbox,
    page,
  }) => {
    await sandbox.goto(`${APP}/service-map?from=now-1h&to=now`);
    const list = sandbox.byTestId(map.nodeList);
    await expect(list.getByRole('button')).toHaveCount(RECORDED_SERVICES.length);
    for (const service of RECORDED_SERVICES) {
      await expect(sandbox.byTestId(map.node(service))).toContainText(service);
    }
    await expect(sandbox.byTestId(map.node('postgresql'))).toContainText('(virtual)');
    await expect(sandbox.byTestId(map.edgeList).getByRole('button')).toHaveCount(5);
    await expect(sandbox.byTestId(ids.caption)).toContainText('"Prometheus"');
    await expect(sandbox.byTestId(map.canvas)).toBeVisible();
    await sandbox.expectThemeApplied();

    // The hidden list's button opens the same menu as a click on the node.
    await sandbox.byTestId(map.node('core')).evaluate((b: HTMLElement) => b.click());
    const menu = sandbox.byTestId(map.menu);
    await expect(menu).toBeVisible();
    const search = menu.getByRole('menuitem', { name: 'Search traces of this service' });
    await expect(search).toHaveAttribute(
      'href',
      /\/a\/traceway-explorer-app\/search\?ds=tempo&from=now-1h&to=now&service=core$/
    );
    await expect(menu.getByRole('menuitem', { name: 'Errors only' })).toHaveAttribute(
      'href',
      /service=core&status=error$/
    );
    const explore = decodeURIComponent(
      (await menu.getByRole('menuitem', { name: 'Open in Explore' }).getAttribute('href'))!
    );
    expect(explore).toContain('"query":"{ resource.service.name = \\"core\\" }"');
    await sandbox.screenshot('servicemap-page');

    // An edge's menu searches the calls from one service to the other, and the Search page opens with it.
    await page.keyboard.press('Escape');
    await sandbox.byTestId(map.edge('gateway', 'core')).evaluate((b: HTMLElement) => b.click());
    const edgeSearch = sandbox.byTestId(map.menu).getByRole('menuitem', {
      name: /^Search traces from \u2068?gateway\u2069? to \u2068?core\u2069?$/,
    });
    const href = decodeURIComponent((await edgeSearch.getAttribute('href'))!.replace(/\+/g, ' '));
    expect(href).toContain(
      'q={ resource.service.name = "gateway" && kind = client } > { resource.service.name = "core" && kind = server }'
    );
    await edgeSearch.click();
    await expect(sandbox.byTestId(testIds.searchPage.queryEditor)).toHaveValue(
      '{ resource.service.name = "gateway" && kind = client } > { resource.service.name = "core" && kind = server }'
    );
  });

  test('says when Prometheus has no service-graph series, and offers the sampled traces', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/service-map?prometheus=prometheus-empty`);
    const state = sandbox.byTestId(ids.noSeries);
    await expect(state).toContainText('No service-graph metrics in "Prometheus (no service graphs)"');
    await expect(state).toContainText('metrics-generator');
    await sandbox.screenshot('servicemap-page-no-series');
    // The sandbox's recorded search finds 27 traces, and Tempo's answer for only one of them was recorded: the
    // others answer 404, which Chromium logs, and which the caption counts.
    sandbox.allowConsoleError(/status of 404/);
    await sandbox.byTestId(ids.useTraces).click();
    await expect(sandbox.page).toHaveURL(/source=traces/);
    await expect(sandbox.byTestId(ids.caption)).toContainText(
      /^From 1 trace between \d\d:\d\d and \d\d:\d\d in "Tempo"/
    );
    await expect(sandbox.byTestId(ids.caption)).toContainText('more could not be read');
    for (const service of ['gateway', 'core', 'registry', 'jobservice']) {
      await expect(sandbox.byTestId(map.node(service))).toContainText('1 call');
    }
  });

  test('says which Prometheus data source is missing', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/service-map?prometheus=no-such-prometheus`);
    await expect(sandbox.byTestId(ids.noPrometheus)).toContainText(
      'There is no Prometheus data source "no-such-prometheus"'
    );
    await expect(sandbox.byTestId(ids.useTraces)).toBeVisible();
  });
});

test.describe('service map panel', () => {
  test('draws a generated map of 1,000 services without console errors', async ({ sandbox, page }) => {
    await sandbox.goto('/panel/servicemap?data=servicemap-1000');
    await expect(sandbox.byTestId(map.canvas)).toBeVisible({ timeout: 20_000 });
    await expect(sandbox.byTestId(map.pending)).toHaveCount(0, { timeout: 20_000 });
    await expect(sandbox.byTestId(map.nodeList).getByRole('button')).toHaveCount(1000);
    await expect(sandbox.byTestId(map.summary)).toContainText('1,000');
    // The canvas has something drawn on it: not one colour all over.
    const colours = await page.evaluate(() => {
      const canvas = document.querySelector('canvas')!;
      const { width, height } = canvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 97) {
        seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      return seen.size;
    });
    expect(colours).toBeGreaterThan(3);
    await sandbox.screenshot('servicemap-panel-1000');
  });
});

test.describe('sandbox answers for the service map', () => {
  const QUERY = '/api/datasources/proxy/uid/prometheus/api/v1/query';
  const REQUESTS = 'sum by (client, server) (rate(traces_service_graph_request_total[1h]))';

  test('Prometheus instant queries by their PromQL, as GET or form POST; prometheus-empty finds nothing', async ({
    request,
  }) => {
    const viaGet = await request.get(`${QUERY}?query=${encodeURIComponent(REQUESTS)}&time=1`);
    expect(viaGet.status()).toBe(200);
    const servers = (await viaGet.json()).data.result.map((r: { metric: { server: string } }) => r.metric.server);
    expect(servers.sort()).toEqual(['core', 'gateway', 'jobservice', 'postgresql', 'registry']);
    const viaPost = await request.post(QUERY, {
      form: { query: REQUESTS.replace('request_total', 'request_failed_total'), time: '1' },
    });
    expect((await viaPost.json()).data.result).toHaveLength(2);
    const empty = await request.get(
      `/api/datasources/proxy/uid/prometheus-empty/api/v1/query?query=${encodeURIComponent(REQUESTS)}`
    );
    expect(await empty.json()).toEqual({ status: 'success', data: { resultType: 'vector', result: [] } });
    const noQuery = await request.get(QUERY);
    expect(noQuery.status()).toBe(400);
    expect((await noQuery.json()).errorType).toBe('bad_data');
  });

  test('generated service maps as node-graph frames, within bounds', async ({ request }) => {
    const frames = await (await request.get('/sandbox/data/panels/servicemap-50.json')).json();
    expect(frames.map((f: { schema: { name: string } }) => f.schema.name)).toEqual(['Nodes', 'Edges']);
    expect(frames[0].data.values[0]).toHaveLength(50);
    const tooMany = await request.get('/sandbox/data/panels/servicemap-99999.json');
    expect(tooMany.status()).toBe(400);
    expect((await tooMany.json()).message).toContain('N must be from 2 to 5000');
    const unknown = await request.get('/sandbox/data/panels/no-such-data.json');
    expect((await unknown.json()).message).toContain('servicemap-<N>');
  });
});
