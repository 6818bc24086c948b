import React from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import SearchPage from './SearchPage';
import { clearSearchCache } from './searchCache';
import { forgetTagValues } from './useTagValues';
import { testIds } from '../../components/testIds';
import { setTestDataSources } from '../../testing/dataSources';
import { fetchVia, unreachableUrl } from '../../testing/jsdomFetch';
import { currentLocation, renderPage } from '../../testing/renderPage';
import { SeenRequest, startReplayServer } from '../../testing/replayServer';
import { withJsdomLayout } from '../../testing/jsdomLayout';

const ids = testIds.searchPage;
const RECORDED = '5feb30ccfb3cdb0936f11324d886982a';
const PROXY = '/api/datasources/proxy/uid';

const dataSources = [
  { uid: 'tempo-eu', name: 'Tempo EU', type: 'tempo' },
  { uid: 'tempo-mt', name: 'Tempo multi-tenant', type: 'tempo' },
  { uid: 'tempo-down', name: 'Tempo down', type: 'tempo' },
  { uid: 'tempo-slow', name: 'Tempo slow', type: 'tempo' },
  { uid: 'tempo-auth', name: 'Tempo with a login', type: 'tempo' },
  { uid: 'prom-eu', name: 'Prometheus EU', type: 'prometheus' },
];
let known = dataSources;
setTestDataSources(() => known);

// Grafana's Combobox measures text on a canvas, which jsdom lacks.
HTMLCanvasElement.prototype.getContext = (() => ({
  measureText: (text: string) => ({ width: text.length * 7 }),
})) as unknown as HTMLCanvasElement['getContext'];
withJsdomLayout({ width: 1200, height: 600 });
jest.setTimeout(30_000);

/** Tempo's recorded search answers, picked by the TraceQL asked, as the real Tempo would answer it. */
function search({ query }: SeenRequest) {
  const q = query.get('q') ?? '';
  if (!q.includes('}')) {
    return { fixture: 'tempo-2.7.2/search-bad-traceql' };
  }
  if (q.includes('status = error')) {
    return { fixture: 'tempo-2.7.2/search-error-select' };
  }
  if (q.includes('no-such-service')) {
    return { fixture: 'tempo-2.7.2/search-empty' };
  }
  if (q.includes('request_id')) {
    return { fixture: 'tempo-2.7.2/search-request-id' };
  }
  if (q.includes('"core"') && !q.includes('duration')) {
    return { fixture: 'tempo-2.7.2/search-service' };
  }
  return { fixture: 'tempo-2.7.2/search-service-duration' };
}

let server: Awaited<ReturnType<typeof startReplayServer>>;
let releaseSlow: () => void = () => {};

beforeAll(async () => {
  server = await startReplayServer({
    [`${PROXY}/tempo-eu/api/search`]: search,
    [`${PROXY}/tempo-slow/api/search`]: search,
    [`${PROXY}/tempo-eu/api/v2/search/tag/resource.service.name/values`]: {
      fixture: 'tempo-2.7.2/tag-values-service',
    },
    [`${PROXY}/tempo-mt/api/search`]: { fixture: 'tempo-2.7.2-edge/mt-search-no-org' },
    // What Grafana's data source proxy answers in place of Tempo's 401 (not recorded: Grafana's own words).
    [`${PROXY}/tempo-auth/api/search`]: {
      status: 400,
      contentType: 'text/plain; charset=utf-8',
      body: 'Authentication to data source failed',
    },
  });
  // `tempo-down` goes to a port where nothing listens (a real connection refused); `tempo-slow` answers only
  // when the test releases it.
  const replay = fetchVia({ '/': server.url, [`${PROXY}/tempo-down/`]: await unreachableUrl() });
  window.fetch = (async (input: string, init?: RequestInit) => {
    if (input.includes('/uid/tempo-slow/')) {
      await new Promise<void>((resolve) => (releaseSlow = resolve));
    }
    return replay(input, init);
  }) as typeof fetch;
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.splice(0);
  server.requests.splice(0);
  known = dataSources;
  window.localStorage.clear();
  clearSearchCache();
  forgetTagValues();
});

const renderAt = (path: string) =>
  renderPage(path, <SearchPage />, {
    route: '/a/traceway-explorer-app/search',
    jsonData: { tempoDatasourceUid: 'tempo-eu' },
  });
const searches = () => server.requests.filter((r) => r.path.endsWith('/api/search'));
const summary = () => screen.findByTestId(ids.summary, {}, { timeout: 5000 });

describe('Search page', () => {
  it('searches the configured data source over the last hour, and marks the traces the companion query found failed', async () => {
    renderAt('/a/traceway-explorer-app/search?service=core');
    expect(await summary()).toHaveTextContent('5 traces, 2 failed');
    expect(screen.getByTestId(ids.query)).toHaveTextContent('{ resource.service.name = "core" }');
    const asked = searches().map((r) => r.query.get('q'));
    expect(asked.sort()).toEqual([
      '{ resource.service.name = "core" }',
      '{ resource.service.name = "core" } && { status = error }',
    ]);
    for (const r of searches()) {
      expect(r.path).toBe(`${PROXY}/tempo-eu/api/search`);
      expect(Number(r.query.get('end')) - Number(r.query.get('start'))).toBe(3600);
      expect(Math.abs(Number(r.query.get('end')) - Date.now() / 1000)).toBeLessThan(10);
    }
    // The search's limit; the companion query has its own, larger one (see searchProgressively).
    const main = searches().find((r) => !r.query.get('q')!.includes('status = error'))!;
    expect(main.query.get('limit')).toBe('50');
    expect(screen.getAllByTestId(ids.errorMark)).toHaveLength(2);
    expect(screen.getByTestId(ids.scatterErrorPoint)).toHaveAttribute('data-count', '2');
    expect(screen.getByTestId(ids.scatterPoint)).toHaveAttribute('data-count', '3');
    // Open in Explore: the same data source, query, range and limit.
    const explore = decodeURIComponent(screen.getByTestId(ids.explore).getAttribute('href')!);
    expect(explore).toContain('"uid":"tempo-eu"');
    expect(explore).toContain('"query":"{ resource.service.name = \\"core\\" }"');
    expect(explore).toContain('"range":{"from":"now-1h","to":"now"}');
  });

  it('marks every trace failed when the search asks for errors, without a companion query', async () => {
    renderAt('/a/traceway-explorer-app/search?status=error&limit=5');
    expect(await summary()).toHaveTextContent('5 traces, 5 failed');
    expect(searches().map((r) => r.query.get('q'))).toEqual(['{ status = error }']);
    // Five of at most five: the limit is said.
    expect(screen.getByTestId(ids.summary)).toHaveTextContent('the limit: raise it or narrow the search');
  });

  it('builds the TraceQL live, says a bad duration under its field, and puts the search in the URL', async () => {
    renderAt('/a/traceway-explorer-app/search?service=core');
    await summary();
    const min = screen.getByTestId(ids.minDuration);
    await userEvent.type(min, '30x');
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toContainEqual(expect.stringContaining('"30x" is not a duration'));
    expect(screen.getByTestId(ids.submit)).toBeDisabled();
    await userEvent.clear(min);
    await userEvent.type(min, '30ms');
    expect(screen.getByTestId(ids.query)).toHaveTextContent('{ resource.service.name = "core" && duration >= 30ms }');
    await userEvent.click(screen.getByTestId(ids.submit));
    expect(currentLocation()).toBe('/a/traceway-explorer-app/search?ds=tempo-eu&service=core&minDuration=30ms');
    expect(await screen.findByText('20 traces')).toBeInTheDocument();
  });

  it('resolves "now" again for a new search submitted later', async () => {
    renderAt('/a/traceway-explorer-app/search?service=core');
    await summary();
    // Two hours pass before the next search: "now-1h" must mean the new last hour.
    const realNow = Date.now.bind(Date);
    const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 7_200_000);
    try {
      server.requests.splice(0);
      await userEvent.type(screen.getByTestId(ids.minDuration), '30ms');
      await userEvent.click(screen.getByTestId(ids.submit));
      expect(await screen.findByText('20 traces')).toBeInTheDocument();
      expect(searches().length).toBeGreaterThan(0);
      for (const r of searches()) {
        expect(Math.abs(Number(r.query.get('end')) - (realNow() + 7_200_000) / 1000)).toBeLessThan(10);
      }
    } finally {
      later.mockRestore();
    }
  });

  it('opens a trace on the Trace page with the data source and the searched range', async () => {
    renderAt('/a/traceway-explorer-app/search?requestId=c3f3de22-5ca0-4e9d-9dcb-dfcdd33ef212');
    expect(await summary()).toHaveTextContent('1 trace');
    const q = searches()
      .find((r) => !r.query.get('q')!.includes('status = error'))!
      .query.get('q')!;
    expect(q).toContain('span.request_id = "c3f3de22-5ca0-4e9d-9dcb-dfcdd33ef212"');
    expect(q).toContain('span."http.request.header.x-request-id" = "c3f3de22-5ca0-4e9d-9dcb-dfcdd33ef212"');
    await userEvent.click(screen.getByTestId(ids.row(RECORDED)));
    expect(currentLocation()).toMatch(
      new RegExp(`^/a/traceway-explorer-app/trace/${RECORDED}\\?ds=tempo-eu&from=\\d+&to=\\d+$`)
    );
    const params = new URLSearchParams(currentLocation().split('?')[1]);
    expect(Number(params.get('to')) - Number(params.get('from'))).toBeGreaterThanOrEqual(3_600_000);
  });

  it('returns on Back from a trace to the same results, sorted and opened as they were, without searching again', async () => {
    renderAt('/a/traceway-explorer-app/search?service=core');
    await summary();
    await userEvent.click(screen.getByTestId(ids.sort('durationMs')));
    const rowIds = () =>
      screen.getAllByTestId(/traceway-search-row-/).map((r) => r.getAttribute('data-testid')!.split('row-')[1]);
    const order = rowIds();
    const first = order[0];
    await userEvent.click(screen.getByTestId(ids.expand(first)));
    expect(screen.getByTestId(ids.matchedSpans(first))).toBeInTheDocument();
    const asked = searches().length;
    await waitFor(() => expect(server.requests.some((r) => r.path.includes('/tag/'))).toBe(true));
    const requests = server.requests.length;

    await userEvent.click(screen.getByTestId(ids.row(order[1])));
    expect(await screen.findByTestId('elsewhere')).toBeInTheDocument();
    await userEvent.click(screen.getByTestId('back'));

    expect(screen.getByTestId(ids.summary)).toHaveTextContent('5 traces, 2 failed');
    expect(rowIds()).toEqual(order);
    expect(screen.getByTestId(ids.sort('durationMs')).closest('[aria-sort]')).toHaveAttribute(
      'aria-sort',
      'descending'
    );
    expect(screen.getByTestId(ids.matchedSpans(first))).toBeInTheDocument();
    // Give a request a moment to arrive, were one sent.
    await act(() => new Promise((r) => setTimeout(r, 300)));
    // Neither the search nor the pickers' values asked again.
    expect(server.requests).toHaveLength(requests);
    expect(searches()).toHaveLength(asked);

    // Refresh asks Tempo again.
    await userEvent.click(within(screen.getByTestId(ids.timeRange)).getByTestId(/RefreshPicker run button/));
    await waitFor(() => expect(searches().length).toBeGreaterThan(asked));
    expect(await summary()).toHaveTextContent('5 traces, 2 failed');
  });

  it('opens the trace of a trace ID pasted as a request ID', async () => {
    renderAt('/a/traceway-explorer-app/search');
    await userEvent.click(screen.getByTestId(ids.requestId));
    await userEvent.paste(`  ${RECORDED.toUpperCase()}\n`);
    expect(currentLocation()).toMatch(new RegExp(`^/a/traceway-explorer-app/trace/${RECORDED}\\?ds=tempo-eu&from=`));
  });

  it('keeps a pasted request ID that is no trace ID in the field', async () => {
    renderAt('/a/traceway-explorer-app/search');
    await userEvent.click(screen.getByTestId(ids.requestId));
    await userEvent.paste('c3f3de22-5ca0-4e9d-9dcb-dfcdd33ef212');
    expect(screen.getByTestId(ids.requestId)).toHaveValue('c3f3de22-5ca0-4e9d-9dcb-dfcdd33ef212');
    expect(currentLocation()).toBe('/a/traceway-explorer-app/search');
  });

  it('offers a trace ID typed as a request ID as the trace to open', async () => {
    renderAt('/a/traceway-explorer-app/search');
    await userEvent.type(screen.getByTestId(ids.requestId), RECORDED.toUpperCase());
    await userEvent.click(screen.getByTestId(ids.openTrace));
    expect(currentLocation()).toMatch(new RegExp(`^/a/traceway-explorer-app/trace/${RECORDED}\\?ds=tempo-eu&from=`));
  });

  it("shows Tempo's TraceQL error next to the query, with the line and column", async () => {
    renderAt(`/a/traceway-explorer-app/search?q=${encodeURIComponent('{ resource.service.name = "core"')}`);
    const error = await screen.findByTestId(ids.queryError, {}, { timeout: 5000 });
    expect(error).toHaveTextContent('Tempo refused the query');
    expect(error).toHaveTextContent('At line 1, column 34');
    expect(error).toHaveTextContent('syntax error: unexpected $end');
    expect(screen.getByTestId(ids.queryEditor)).toHaveValue('{ resource.service.name = "core"');
    // In advanced mode the fields are off, and no companion query runs for a query that is not one spanset.
    expect(screen.getByTestId(ids.minDuration)).toBeDisabled();
    expect(searches()).toHaveLength(1);
  });

  it('keeps the limit editable with hand-written TraceQL, and searches with it', async () => {
    renderAt(`/a/traceway-explorer-app/search?q=${encodeURIComponent('{ status = error }')}`);
    await summary();
    const limit = screen.getByTestId(ids.limit);
    expect(limit).toBeEnabled();
    await userEvent.clear(limit);
    await userEvent.type(limit, '5');
    server.requests.splice(0);
    await userEvent.click(screen.getByTestId(ids.submit));
    const params = new URLSearchParams(currentLocation().split('?')[1]);
    expect(params.get('q')).toBe('{ status = error }');
    expect(params.get('limit')).toBe('5');
    await waitFor(() => expect(searches().map((r) => r.query.get('limit'))).toContain('5'));
  });

  it("edits the TraceQL by hand, starting from the fields' query, and goes back to the fields", async () => {
    renderAt('/a/traceway-explorer-app/search?service=core');
    await summary();
    await userEvent.click(within(screen.getByTestId(ids.editQuery)).getByText('Edit TraceQL'));
    const editor = screen.getByTestId(ids.queryEditor);
    expect(editor).toHaveValue('{ resource.service.name = "core" }');
    await userEvent.clear(editor);
    await userEvent.type(editor, '{{ status = error } | count() > 1');
    await userEvent.click(screen.getByTestId(ids.submit));
    expect(new URLSearchParams(currentLocation().split('?')[1]).get('q')).toBe('{ status = error } | count() > 1');
    await userEvent.click(within(screen.getByTestId(ids.editQuery)).getByText('From the fields'));
    expect(screen.getByTestId(ids.query)).toHaveTextContent('{ resource.service.name = "core" }');
  });

  it('says a tenant is required when a multi-tenant Tempo answers "no org id"', async () => {
    renderAt('/a/traceway-explorer-app/search?ds=tempo-mt');
    const error = await screen.findByTestId(ids.error, {}, { timeout: 5000 });
    expect(error).toHaveTextContent('This Tempo needs a tenant');
    expect(error).toHaveTextContent('Tempo answered HTTP 401 "no org id": it runs with multi-tenancy');
    expect(error).toHaveTextContent('Add the header X-Scope-OrgID with your tenant to the Tempo data source');
    expect(error).not.toHaveTextContent('--tenant');
  });

  it("says Tempo refused the data source when Grafana's proxy hides a 401, and what to check", async () => {
    renderAt('/a/traceway-explorer-app/search?ds=tempo-auth');
    const error = await screen.findByTestId(ids.error, {}, { timeout: 5000 });
    expect(error).toHaveTextContent('Tempo refused the data source');
    expect(error).toHaveTextContent("Tempo refused the data source's credentials, or it is a multi-tenant Tempo");
    expect(error).toHaveTextContent('X-Scope-OrgID');
    expect(error).toHaveTextContent('Its settings are under Connections > Data sources.');
    // Not a TraceQL error next to the query.
    expect(screen.queryByTestId(ids.queryError)).not.toBeInTheDocument();
  });

  it('says Tempo cannot be reached, and what to check', async () => {
    renderAt('/a/traceway-explorer-app/search?ds=tempo-down');
    const error = await screen.findByTestId(ids.error, {}, { timeout: 5000 });
    expect(error).toHaveTextContent('Could not reach Tempo');
    expect(error).toHaveTextContent("Check that Tempo is running and that the data source's URL reaches it");
  });

  it('says nothing matched, and widens the range on request', async () => {
    renderAt('/a/traceway-explorer-app/search?service=no-such-service');
    const empty = await screen.findByTestId(ids.empty, {}, { timeout: 5000 });
    expect(empty).toHaveTextContent('No trace in Tempo EU matched this search');
    await userEvent.click(screen.getByTestId(ids.widen));
    expect(new URLSearchParams(currentLocation().split('?')[1]).get('from')).toBe('now-3h');
    await waitFor(() => expect(screen.getByTestId(ids.widen)).toHaveTextContent('Search the last 6 hours'));
  });

  it('says which parts of a link it could not read, and searches the rest', async () => {
    renderAt('/a/traceway-explorer-app/search?service=core&status=broken&limit=5000');
    const problems = screen.getByTestId(ids.urlProblems);
    expect(problems).toHaveTextContent('The status "broken" is not one of any, error, ok; it was left out');
    expect(problems).toHaveTextContent('The limit "5000" is not a whole number from 1 to 1000');
    expect(await summary()).toHaveTextContent('5 traces, 2 failed');
  });

  it('says each bad part of a link, a repeated one too, without a React warning', async () => {
    const consoleError = jest.spyOn(console, 'error');
    try {
      renderAt('/a/traceway-explorer-app/search?service=core&attr=broken&attr=broken');
      const problems = screen.getByTestId(ids.urlProblems);
      expect(within(problems).getAllByText(/The attribute filter broken is not/)).toHaveLength(2);
      await summary();
      expect(consoleError.mock.calls.flat().join(' ')).not.toContain('same key');
    } finally {
      consoleError.mockRestore();
    }
  });

  it('remembers the data source picked last when the URL names none', async () => {
    window.localStorage.setItem('traceway.search.datasource', 'tempo-mt');
    renderAt('/a/traceway-explorer-app/search');
    expect(within(screen.getByTestId(ids.datasource)).getByRole('combobox')).toHaveValue('Tempo multi-tenant');
    await screen.findByTestId(ids.error, {}, { timeout: 5000 });
  });

  it('says it is still searching after 5 seconds, and Cancel keeps the page usable', async () => {
    renderAt('/a/traceway-explorer-app/search?ds=tempo-slow');
    expect(await screen.findByTestId(ids.progress)).toHaveTextContent('Searching Tempo slow');
    const slow = await screen.findByTestId(ids.slow, {}, { timeout: 8000 });
    expect(slow).toHaveTextContent('Tempo is taking a while');
    await userEvent.click(screen.getByTestId(ids.cancel));
    expect(await screen.findByTestId(ids.empty)).toHaveTextContent('Search cancelled');
    act(() => releaseSlow());
  });

  it('says there is no Tempo data source, and where to add one', async () => {
    known = dataSources.filter((d) => d.type !== 'tempo');
    renderAt('/a/traceway-explorer-app/search');
    const none = screen.getByTestId(ids.noDatasource);
    expect(none).toHaveTextContent('No Tempo data source');
    expect(within(none).getByText('Traceway configuration').closest('a')).toHaveAttribute(
      'href',
      '/plugins/traceway-explorer-app'
    );
    expect(searches()).toHaveLength(0);
  });
});
