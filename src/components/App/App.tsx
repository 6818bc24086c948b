import React, { Suspense, lazy } from 'react';
import { Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import { ROUTES } from '../../constants';
import { AppJsonData } from '../../types';
import { AppSettingsContext } from './AppSettingsContext';

const SearchPage = lazy(() => import('../../pages/SearchPage'));
const TracePage = lazy(() => import('../../pages/TracePage'));
const ServiceMapPage = lazy(() => import('../../pages/ServiceMapPage'));

function App({ meta }: AppRootProps<AppJsonData>) {
  return (
    <AppSettingsContext.Provider value={meta.jsonData ?? {}}>
      {/* Pages load lazily: without this boundary, navigating to one would blank the whole app. */}
      <Suspense fallback={<LoadingPlaceholder text="Loading page…" />}>
        <Routes>
          <Route path={ROUTES.Search} element={<SearchPage />} />
          <Route path={`${ROUTES.Trace}/:traceId`} element={<TracePage />} />
          <Route path={ROUTES.ServiceMap} element={<ServiceMapPage />} />
          {/* Search is the landing page. Not a <Navigate>: a redirect to a lazy page loops under
              react-router's startTransition mode. */}
          <Route path="*" element={<SearchPage />} />
        </Routes>
      </Suspense>
    </AppSettingsContext.Provider>
  );
}

export default App;
