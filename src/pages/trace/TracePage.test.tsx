import React from 'react';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import TracePage from './TracePage';
import { testIds } from '../../components/testIds';
import { setTestDataSources } from '../../testing/dataSources';
import { fetchVia } from '../../testing/jsdomFetch';
import { currentLocation, renderPage } from '../../testing/renderPage';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { startReplayServer } from '../../testing/replayServer';

const TRACE_ID = '5feb30ccfb3cdb0936f11324d886982a';

const dataSources = [
  { uid: 'tempo-eu', name: 'Tempo EU', type: 'tempo' },
  { uid: 'tempo-us', name: 'Tempo US', type: 'tempo' },
  { uid: 'prom-eu', name: 'Prometheus EU', type: 'prometheus' },
];
setTestDataSources(dataSources);

let server: Awaited<ReturnType<typeof startReplayServer>>;
beforeAll(async () => {
  // Only the US data source has the trace: the page must ask the one named in ?ds=.
  server = await startReplayServer({
    [`/api/datasources/proxy/uid/tempo-us/api/v2/traces/${TRACE_ID}`]: { fixture: 'tempo-2.7.2/trace-v2' },
    [`/api/datasources/proxy/uid/tempo-eu/api/v2/traces/${TRACE_ID}`]: { fixture: 'tempo-2.7.2/trace-v2-not-found' },
  });
  window.fetch = fetchVia(server.url);
});
afterAll(() => server.close());
beforeEach(() => server.seen.splice(0));

const renderAt = (path: string) =>
  renderPage(path, <TracePage />, { route: '/trace/:traceId', jsonData: { tempoDatasourceUid: 'tempo-eu' } });

describe('Trace page data source', () => {
  it('reads the trace from the data source in ?ds=, with its time range', async () => {
    renderAt(`/trace/${TRACE_ID}?ds=tempo-us&from=1700000000000&to=1700000600000`);
    expect(await screen.findByTestId(testIds.tracePage.header, {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByTestId(testIds.tracePage.traceId)).toHaveTextContent(TRACE_ID);
    expect(server.seen).toEqual([
      `GET /api/datasources/proxy/uid/tempo-us/api/v2/traces/${TRACE_ID}?start=1700000000&end=1700000600`,
    ]);
    // Open in Explore goes to the same data source.
    expect(screen.getByTestId(testIds.tracePage.explore).getAttribute('href')).toContain('tempo-us');
  });

  it('falls back to the configured data source without ?ds=', async () => {
    renderAt(`/trace/${TRACE_ID}`);
    expect(await screen.findByTestId(testIds.tracePage.notFound, {}, { timeout: 5000 })).toHaveTextContent(
      'Tempo data source "Tempo EU" (uid tempo-eu) has no trace'
    );
    expect(server.seen).toEqual([`GET /api/datasources/proxy/uid/tempo-eu/api/v2/traces/${TRACE_ID}`]);
  });

  it.each(['?ds=', '?ds=%20%20'])('treats an empty %s as absent', async (query) => {
    renderAt(`/trace/${TRACE_ID}${query}`);
    expect(await screen.findByTestId(testIds.tracePage.notFound, {}, { timeout: 5000 })).toHaveTextContent(
      'Tempo data source "Tempo EU" (uid tempo-eu) has no trace'
    );
  });

  it('says a ?ds= that is no Tempo data source cannot be used, without a request', async () => {
    renderAt(`/trace/${TRACE_ID}?ds=prom-eu`);
    expect(await screen.findByTestId(testIds.tracePage.error)).toHaveTextContent(
      'Data source "Prometheus EU" (uid prom-eu) is a prometheus data source, not Tempo.'
    );
    expect(server.seen).toEqual([]);
  });
});

describe('Trace page views', () => {
  withJsdomLayout();
  const SELECT = 'e1ff702a5a2c8ac4';
  const isShown = (view: string) =>
    screen.getByTestId(testIds.traceViews.view(view)).getAttribute('data-shown') === 'true';

  it('opens the view in ?view=, and writes the switch back keeping ?span=', async () => {
    renderAt(`/trace/${TRACE_ID}?ds=tempo-us&view=stats&span=${SELECT}`);
    expect(await screen.findByTestId(testIds.traceViews.statsTable, {}, { timeout: 5000 })).toBeInTheDocument();
    expect(isShown('stats')).toBe(true);
    expect(isShown('timeline')).toBe(false);
    // The timeline underneath already has the linked span selected.
    expect(screen.getByTestId(testIds.waterfall.row(SELECT))).toHaveAttribute('aria-selected', 'true');

    await userEvent.click(screen.getByTestId(testIds.traceViews.switch('timeline')));
    expect(isShown('timeline')).toBe(true);
    expect(currentLocation()).toBe(`/trace/${TRACE_ID}?ds=tempo-us&span=${SELECT}`);
    await userEvent.click(screen.getByTestId(testIds.traceViews.switch('stats')));
    expect(currentLocation()).toBe(`/trace/${TRACE_ID}?ds=tempo-us&span=${SELECT}&view=stats`);
  }, 30_000);

  it('a view switch is a history entry: Back returns to the view before; a selected span replaces', async () => {
    renderAt(`/trace/${TRACE_ID}?ds=tempo-us`);
    expect(await screen.findByTestId(testIds.waterfall.container, {}, { timeout: 5000 })).toBeInTheDocument();
    await userEvent.click(screen.getByTestId(testIds.waterfall.row(SELECT)));
    expect(currentLocation()).toBe(`/trace/${TRACE_ID}?ds=tempo-us&span=${SELECT}`);
    await userEvent.click(screen.getByTestId(testIds.traceViews.switch('stats')));
    // A statistics row switches back to the timeline: one more entry.
    await userEvent.click(screen.getByTestId(testIds.traceViews.statsRow('core/SELECT harbor.project')));
    expect(isShown('timeline')).toBe(true);
    expect(currentLocation()).toBe(`/trace/${TRACE_ID}?ds=tempo-us&span=${SELECT}`);

    await userEvent.click(screen.getByTestId('back'));
    expect(currentLocation()).toBe(`/trace/${TRACE_ID}?ds=tempo-us&span=${SELECT}&view=stats`);
    expect(isShown('stats')).toBe(true);
    // Selecting the span did not add an entry: the one before is the timeline with it.
    await userEvent.click(screen.getByTestId('back'));
    expect(currentLocation()).toBe(`/trace/${TRACE_ID}?ds=tempo-us&span=${SELECT}`);
    expect(isShown('timeline')).toBe(true);
  }, 30_000);

  it('treats an unknown ?view= as the timeline', async () => {
    renderAt(`/trace/${TRACE_ID}?ds=tempo-us&view=nonsense`);
    expect(await screen.findByTestId(testIds.waterfall.container, {}, { timeout: 5000 })).toBeInTheDocument();
    expect(isShown('timeline')).toBe(true);
    expect(screen.queryByTestId(testIds.traceViews.view('stats'))).toBeNull();
  }, 30_000);
});
