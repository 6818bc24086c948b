import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DataSourceSrv,
  HistoryWrapper,
  locationService,
  setBackendSrv,
  setDataSourceSrv,
  setLocationService,
} from '@grafana/runtime';
import { UNSAVED_LEAVE_PROMPT } from './AppConfig';
import { startGrafanaStandIn, type GrafanaStandIn } from './grafanaStandIn';
import { backendSrvOverFetch, renderConfigPage, stubCanvasText } from './standInPage';
import { testIds } from '../testIds';
import { fetchVia } from '../../testing/jsdomFetch';

const ids = testIds.appConfig;
jest.setTimeout(30_000);

stubCanvasText();

setDataSourceSrv({
  getInstanceSettings: () => undefined,
  getList: () => [],
  reload: async () => undefined,
} as unknown as DataSourceSrv);
// backendSrv over the page's fetch: the save reaches the stand-in Grafana for real.
setBackendSrv(backendSrvOverFetch());

/**
 * Grafana's history is a browser history, which asks window.confirm; jsdom has no dialogs, so the question goes to
 * this getUserConfirmation, which answers as `answer` says and records what was asked.
 */
type GrafanaHistory = NonNullable<ConstructorParameters<typeof HistoryWrapper>[0]>;
// history 4 (what @grafana/runtime's locationService wraps) ships without type declarations.
const { createMemoryHistory } = jest.requireActual('history') as {
  createMemoryHistory: (options: {
    initialEntries: string[];
    getUserConfirmation: (message: string, callback: (ok: boolean) => void) => void;
  }) => GrafanaHistory;
};
const asked: string[] = [];
let answer = false;
setLocationService(
  new HistoryWrapper(
    createMemoryHistory({
      initialEntries: ['/plugins/traceway-explorer-app'],
      getUserConfirmation: (message, callback) => {
        asked.push(message);
        callback(answer);
      },
    })
  )
);

let grafana: GrafanaStandIn;
afterEach(async () => {
  await grafana?.close();
});

const renderConfig = () => renderConfigPage(grafana);

/** Whether the page asks the browser to confirm a reload or close (a cancelled beforeunload). */
function unloadAsks(): boolean {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}

describe('AppConfig: leaving with unsaved changes', () => {
  it('asks before Grafana navigates away or the tab closes while step 1 has changes; not once they are saved', async () => {
    grafana = await startGrafanaStandIn({});
    window.fetch = fetchVia(grafana.url);
    const { unmount } = renderConfig();
    const here = locationService.getLocation().pathname;

    // Nothing typed: leaving is free.
    expect(unloadAsks()).toBe(false);

    await userEvent.type(screen.getByTestId(ids.field('tempoUrl')), 'http://tempo:3200');
    expect(unloadAsks()).toBe(true);
    answer = false;
    locationService.push('/a/traceway-explorer-app/search');
    expect(asked).toEqual([UNSAVED_LEAVE_PROMPT]);
    expect(locationService.getLocation().pathname).toBe(here);
    // Moving between the wizard's steps is not leaving.
    await userEvent.click(screen.getByTestId(ids.step(2)));
    expect(asked).toHaveLength(1);
    await userEvent.click(screen.getByTestId(ids.step(1)));

    // Saved: nothing to lose, so no question.
    await userEvent.click(screen.getByTestId(ids.submit));
    await waitFor(() => expect(screen.getByTestId(ids.saved)).toBeInTheDocument());
    expect(unloadAsks()).toBe(false);
    locationService.push('/a/traceway-explorer-app/search');
    expect(asked).toHaveLength(1);
    expect(locationService.getLocation().pathname).toBe('/a/traceway-explorer-app/search');
    locationService.push(here);

    // Confirming the question leaves.
    await userEvent.type(screen.getByTestId(ids.field('prometheusUrl')), 'http://prometheus:9090');
    answer = true;
    locationService.push('/a/traceway-explorer-app/service-map');
    expect(asked).toHaveLength(2);
    expect(locationService.getLocation().pathname).toBe('/a/traceway-explorer-app/service-map');
    unmount();
    expect(unloadAsks()).toBe(false);
  });
});
