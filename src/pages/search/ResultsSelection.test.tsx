import React from 'react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import SearchPage from './SearchPage';
import { clearSearchCache } from './searchCache';
import { testIds } from '../../components/testIds';
import { setTestDataSources } from '../../testing/dataSources';
import { fetchVia } from '../../testing/jsdomFetch';
import { currentLocation, renderPage } from '../../testing/renderPage';
import { SeenRequest, startReplayServer } from '../../testing/replayServer';
import { withJsdomLayout } from '../../testing/jsdomLayout';

const ids = testIds.searchPage;
const select = testIds.compare.select;
const PROXY = '/api/datasources/proxy/uid';
// Three of the five traces Tempo returned for service core.
const [T1, T2, T3] = [
  '1d21d473bf2b0f088141344693356b5a',
  '2a9949f99c729ca9394c691fa9298218',
  '1dcc21899fafbe30175d792a50351bb1',
];

setTestDataSources([{ uid: 'tempo-eu', name: 'Tempo EU', type: 'tempo' }]);
// Grafana's Combobox measures text on a canvas, which jsdom lacks.
HTMLCanvasElement.prototype.getContext = (() => ({
  measureText: (text: string) => ({ width: text.length * 7 }),
})) as unknown as HTMLCanvasElement['getContext'];
withJsdomLayout({ width: 1200, height: 600 });
jest.setTimeout(30_000);

let server: Awaited<ReturnType<typeof startReplayServer>>;
beforeAll(async () => {
  server = await startReplayServer({
    [`${PROXY}/tempo-eu/api/search`]: ({ query }: SeenRequest) =>
      query.get('q')!.includes('status = error')
        ? { fixture: 'tempo-2.7.2/search-error-select' }
        : query.get('q')!.includes('duration')
          ? { fixture: 'tempo-2.7.2/search-service-duration' }
          : { fixture: 'tempo-2.7.2/search-service' },
    [`${PROXY}/tempo-eu/api/v2/search/tag/resource.service.name/values`]: {
      fixture: 'tempo-2.7.2/tag-values-service',
    },
  });
  window.fetch = fetchVia(server.url);
});
afterAll(() => server.close());
beforeEach(() => {
  window.localStorage.clear();
  clearSearchCache();
});

describe('Search results: two selected for Compare', () => {
  it('compares two selected results, the first picked as A, in the same data source and time range', async () => {
    const path = '/a/traceway-explorer-app/search?service=core&ds=tempo-eu&from=1763700000000&to=1763710000000';
    renderPage(path, <SearchPage />, {
      route: '/a/traceway-explorer-app/search',
      jsonData: { tempoDatasourceUid: 'tempo-eu' },
    });
    expect(await screen.findByTestId(ids.summary, {}, { timeout: 5000 })).toHaveTextContent('5 traces');
    const compare = screen.getByTestId(testIds.compare.searchCompare);
    expect(compare).toHaveAttribute('aria-disabled', 'true');

    // Ticking a row's box selects it; it does not open the trace.
    await userEvent.click(screen.getByTestId(select(T3)));
    expect(currentLocation()).toBe(path);
    expect(compare).toHaveAttribute('aria-disabled', 'true');
    // One is not a comparison: Compare does nothing yet (Grafana's Button keeps its tooltip by aria-disabled).
    await userEvent.click(compare);
    expect(currentLocation()).toBe(path);
    await userEvent.click(screen.getByTestId(select(T1)));
    expect(compare).not.toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId(select(T3))).toHaveAccessibleName(`Compare trace ${T3} (as A)`);
    expect(screen.getByTestId(select(T1))).toHaveAccessibleName(`Compare trace ${T1} (as B)`);
    // Two at most: the others wait until one is cleared.
    expect(screen.getByTestId(select(T2))).toBeDisabled();
    await userEvent.click(screen.getByTestId(select(T1)));
    expect(screen.getByTestId(select(T2))).toBeEnabled();
    expect(compare).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(screen.getByTestId(select(T2)));

    // A then B, in the order picked.
    expect(within(screen.getByTestId(ids.row(T2))).getByRole('checkbox')).toBeChecked();
    await userEvent.click(compare);
    expect(currentLocation()).toBe(
      `/a/traceway-explorer-app/compare?a=${T3}&b=${T2}&ds=tempo-eu&from=1763700000000&to=1763710000000`
    );
  });
  it('after a new search, the two picked before are gone and two new results can be picked', async () => {
    const path = '/a/traceway-explorer-app/search?service=core&ds=tempo-eu&from=1763700000000&to=1763710000000';
    renderPage(path, <SearchPage />, {
      route: '/a/traceway-explorer-app/search',
      jsonData: { tempoDatasourceUid: 'tempo-eu' },
    });
    expect(await screen.findByTestId(ids.summary, {}, { timeout: 5000 })).toHaveTextContent('5 traces');
    // Neither of these two is in the next search's results.
    await userEvent.click(screen.getByTestId(select(T3)));
    await userEvent.click(screen.getByTestId(select(T2)));
    expect(screen.getByTestId(testIds.compare.searchCompare)).not.toHaveAttribute('aria-disabled', 'true');

    await userEvent.type(screen.getByTestId(ids.minDuration), '30ms');
    await userEvent.click(screen.getByTestId(ids.submit));
    expect(await screen.findByText('20 traces', {}, { timeout: 5000 })).toBeInTheDocument();
    const compare = screen.getByTestId(testIds.compare.searchCompare);
    expect(compare).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByText('Select two traces to compare them')).toBeInTheDocument();

    const [N1, N2] = ['c1237319394e4173572ced5eda632168', 'b1fd69f69e8e640f247cde163c677f0d'];
    await userEvent.click(screen.getByTestId(select(N1)));
    expect(screen.getByTestId(select(N1))).toBeChecked();
    await userEvent.click(screen.getByTestId(select(N2)));
    expect(screen.getByTestId(select(N2))).toBeChecked();
    await userEvent.click(compare);
    expect(currentLocation()).toBe(
      `/a/traceway-explorer-app/compare?a=${N1}&b=${N2}&ds=tempo-eu&from=1763700000000&to=1763710000000`
    );
  });
});
