import React from 'react';
import { MemoryRouter, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { render, screen } from '@testing-library/react';
import { AppSettingsContext } from '../components/AppSettingsContext';
import { resolveSettings } from '../grafana';

export interface RenderPageOptions {
  /** The route the page is mounted on, e.g. `/a/traceway-explorer-app/search` or `/trace/:traceId`. */
  route: string;
  /** The app's settings as Grafana stores them; resolved as the app resolves them. */
  jsonData?: Record<string, unknown>;
  /** More in the router, e.g. buttons that navigate as Grafana's time picker would. */
  extra?: React.ReactNode;
}

/**
 * One page in a memory router, as the app mounts it, with the app's settings, a catch-all route
 * (`data-testid="elsewhere"`) for links that leave the page, the location shown for `currentLocation()`, and
 * a `data-testid="back"` button that is the browser's Back.
 */
export function renderPage(path: string, page: React.ReactElement, { route, jsonData = {}, extra }: RenderPageOptions) {
  return render(
    <AppSettingsContext.Provider value={resolveSettings(jsonData)}>
      <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path={route} element={page} />
          <Route path="*" element={<div data-testid="elsewhere" />} />
        </Routes>
        <LocationProbe />
        <BackButton />
        {extra}
      </MemoryRouter>
    </AppSettingsContext.Provider>
  );
}

/** The router's path and query, as the address bar would show them. */
export const currentLocation = () => screen.getByTestId('location').textContent!;

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{`${location.pathname}${location.search}`}</div>;
}

function BackButton() {
  const navigate = useNavigate();
  return <button data-testid="back" onClick={() => navigate(-1)} />;
}
