import React, { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';
import { AppJsonData } from '../../types';
import { AppSettingsContext } from './AppSettingsContext';

const SearchPage = lazy(() => import('../../pages/SearchPage'));
const TracePage = lazy(() => import('../../pages/TracePage'));
const ServiceMapPage = lazy(() => import('../../pages/ServiceMapPage'));

function App({ meta }: AppRootProps<AppJsonData>) {
  return (
    <AppSettingsContext.Provider value={meta.jsonData ?? {}}>
      <Routes>
        <Route path={ROUTES.Search} element={<SearchPage />} />
        <Route path={`${ROUTES.Trace}/:traceId`} element={<TracePage />} />
        <Route path={ROUTES.ServiceMap} element={<ServiceMapPage />} />
        <Route path="*" element={<Navigate replace to={ROUTES.Search} />} />
      </Routes>
    </AppSettingsContext.Provider>
  );
}

export default App;
