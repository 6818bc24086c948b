import React, { Suspense, lazy, useMemo } from 'react';
import { Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import { ROUTES } from '../routes';
import { AppJsonData } from '../types';
import { AppSettingsContext } from '../components/AppSettingsContext';
import { resolveSettings } from '../grafana';

const SearchPage = lazy(() => import('../pages/search/SearchPage'));
const TracePage = lazy(() => import('../pages/trace/TracePage'));
const FileTracePage = lazy(() => import('../pages/trace/FileTracePage'));
const ServiceMapPage = lazy(() => import('../pages/servicemap/ServiceMapPage'));
const ComparePage = lazy(() => import('../pages/compare/ComparePage'));

function App({ meta }: AppRootProps<AppJsonData>) {
  const settings = useMemo(() => resolveSettings(meta.jsonData), [meta.jsonData]);
  return (
    <AppSettingsContext.Provider value={settings}>
      {/* Pages load lazily: without this boundary, navigating to one would blank the whole app. */}
      <Suspense fallback={<LoadingPlaceholder text="Loading page…" />}>
        <Routes>
          <Route path={ROUTES.Search} element={<SearchPage />} />
          <Route path={`${ROUTES.Trace}/:traceId`} element={<TracePage />} />
          <Route path={`${ROUTES.TraceFile}/:key`} element={<FileTracePage />} />
          <Route path={ROUTES.ServiceMap} element={<ServiceMapPage />} />
          <Route path={ROUTES.Compare} element={<ComparePage />} />
          {/* Search is the landing page. Not a <Navigate>: a redirect to a lazy page loops under
              react-router's startTransition mode. */}
          <Route path="*" element={<SearchPage />} />
        </Routes>
      </Suspense>
    </AppSettingsContext.Provider>
  );
}

export default App;
