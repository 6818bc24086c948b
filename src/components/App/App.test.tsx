import React from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { AppRootProps, PluginType } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from './App';
import { testIds } from '../testIds';
import { AppJsonData } from '../../types';

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

function LocationProbe() {
  return <div data-testid="location">{useLocation().pathname}</div>;
}

// Grafana mounts the app under /a/<id>/*, so its routes are relative to that.
function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path="/a/traceway-explorer-app/*" element={<App {...props} />} />
      </Routes>
      <LocationProbe />
    </MemoryRouter>
  );
}

describe('App routing', () => {
  it('shows the search page with the configured Tempo data source', async () => {
    renderAt('/a/traceway-explorer-app/search');
    expect(await screen.findByTestId(testIds.searchPage.container)).toHaveTextContent(
      'It will query the Tempo data source "tempo-eu".'
    );
  });

  it.each(['/a/traceway-explorer-app', '/a/traceway-explorer-app/nope'])('lands on search at %s', async (path) => {
    renderAt(path);
    expect(await screen.findByTestId(testIds.searchPage.container)).toBeInTheDocument();
  });

  it('opens the trace page for a trace ID typed on search', async () => {
    renderAt('/a/traceway-explorer-app/search');
    const input = await screen.findByTestId(testIds.searchPage.traceIdInput);
    await userEvent.type(input, '  ABCDEF0123  ');
    await userEvent.click(screen.getByTestId(testIds.searchPage.openTrace));
    // Tempo's canonical form: lower case, padded to 32 characters.
    const canonical = '0000000000000000000000abcdef0123';
    // Loading the trace itself is covered by the browser tests, against the sandbox's replayed Tempo.
    expect(await screen.findByTestId(testIds.tracePage.container)).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent(`/a/traceway-explorer-app/trace/${canonical}`);
  });

  it('refuses a trace ID that is not hexadecimal', async () => {
    renderAt('/a/traceway-explorer-app/search');
    await userEvent.type(await screen.findByTestId(testIds.searchPage.traceIdInput), 'req-123');
    expect(
      screen.getByText('A trace ID is hexadecimal (0-9, a-f); "req-123" has "r" at position 1.')
    ).toBeInTheDocument();
    expect(screen.getByTestId(testIds.searchPage.openTrace)).toBeDisabled();
  });

  it('shows the service map page with the configured Prometheus data source', async () => {
    renderAt('/a/traceway-explorer-app/service-map');
    expect(await screen.findByTestId(testIds.serviceMapPage.container)).toHaveTextContent(
      'in the Prometheus data source "prom-eu"'
    );
  });
});
