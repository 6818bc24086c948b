import React from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { AppRootProps, PluginType } from '@grafana/data';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';
import App from './App';
import { testIds } from '../components/testIds';
import { AppJsonData } from '../types';

const props = {
  basename: '/a/traceway-explorer-app',
  meta: {
    id: 'traceway-explorer-app',
    name: 'Traceway',
    type: PluginType.app,
    enabled: true,
    jsonData: { tempoDatasourceUid: 'tempo-eu', prometheusDatasourceUid: 'prom-eu' },
  },
  query: {},
  path: '',
  onNavChanged: jest.fn(),
} as unknown as AppRootProps<AppJsonData>;

// Grafana's data source registry, as the app sees it: what the page checks a configured UID against.
const dataSources = [
  { uid: 'tempo-eu', name: 'Tempo EU', type: 'tempo' },
  { uid: 'prom-eu', name: 'Prometheus EU', type: 'prometheus' },
];
setDataSourceSrv({
  getInstanceSettings: (uid: string) => dataSources.find((d) => d.uid === uid),
  getList: ({ type }: { type?: string } = {}) => dataSources.filter((d) => !type || d.type === type),
} as unknown as DataSourceSrv);

// The Search page's pickers (Grafana's Combobox) measure text on a canvas, which jsdom lacks.
HTMLCanvasElement.prototype.getContext = (() => ({
  measureText: (text: string) => ({ width: text.length * 7 }),
})) as unknown as HTMLCanvasElement['getContext'];

function LocationProbe() {
  return <div data-testid="location">{useLocation().pathname}</div>;
}

// Grafana mounts the app under /a/<id>/*, so its routes are relative to that.
function renderAt(path: string, jsonData?: AppJsonData) {
  const appProps = jsonData ? { ...props, meta: { ...props.meta, jsonData } } : props;
  return render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path="/a/traceway-explorer-app/*" element={<App {...appProps} />} />
      </Routes>
      <LocationProbe />
    </MemoryRouter>
  );
}

describe('App routing', () => {
  it('shows the search page with the configured Tempo data source', async () => {
    renderAt('/a/traceway-explorer-app/search');
    // The configured data source is the picker's choice.
    const picker = await screen.findByTestId(testIds.searchPage.datasource);
    expect(within(picker).getByRole('combobox')).toHaveValue('Tempo EU');
  });

  it.each(['/a/traceway-explorer-app', '/a/traceway-explorer-app/nope'])('lands on search at %s', async (path) => {
    renderAt(path);
    expect(await screen.findByTestId(testIds.searchPage.container)).toBeInTheDocument();
  });

  it('opens the trace page for a trace ID pasted as a request ID on search', async () => {
    renderAt('/a/traceway-explorer-app/search');
    // Pasted at once, not typed key by key: each key re-renders the whole Search page, slow on a busy machine.
    await userEvent.click(await screen.findByTestId(testIds.searchPage.requestId));
    await userEvent.paste('  ABCDEF0123ABCDEF0123  ');
    // Tempo's canonical form: lower case, padded to 32 characters.
    const canonical = '000000000000abcdef0123abcdef0123';
    // Loading the trace itself is covered by the browser tests, against the sandbox's replayed Tempo.
    expect(await screen.findByTestId(testIds.tracePage.container)).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(`/a/traceway-explorer-app/trace/${canonical}`);
  });

  it.each([
    ['nope', 'There is no data source with UID "nope". Tempo data sources here: "Tempo EU" (uid tempo-eu).'],
    ['prom-eu', 'Data source "Prometheus EU" (uid prom-eu) is a prometheus data source, not Tempo.'],
  ])('says the configured data source %s cannot be used, rather than "trace not found"', async (uid, message) => {
    renderAt('/a/traceway-explorer-app/trace/abcdef0123', { tempoDatasourceUid: uid });
    const error = await screen.findByTestId(testIds.tracePage.error);
    expect(error).toHaveTextContent('No such Tempo data source');
    expect(error).toHaveTextContent(message);
  });

  it('does not offer a request ID that is not hexadecimal as a trace ID', async () => {
    renderAt('/a/traceway-explorer-app/search');
    const input = await screen.findByTestId(testIds.searchPage.requestId);
    await userEvent.click(input);
    await userEvent.paste('req-1234567890abcdef');
    expect(input).toHaveValue('req-1234567890abcdef');
    expect(screen.queryByTestId(testIds.searchPage.openTrace)).not.toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/a/traceway-explorer-app/search');
  });

  it('shows the service map page with the configured Prometheus data source', async () => {
    renderAt('/a/traceway-explorer-app/service-map');
    const page = await screen.findByTestId(testIds.serviceMapPage.container);
    // Routing only (the page's own tests load real answers): it asks the configured Prometheus, which this
    // test does not serve, and says it could not reach it.
    await waitFor(() => expect(page).toHaveTextContent('/api/datasources/proxy/uid/prom-eu/api/v1/query'));
    expect(page).toHaveTextContent('Prometheus is unreachable');
  });
});
