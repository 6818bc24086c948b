import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import type { AppConfigProps } from './components/AppConfig/AppConfig';
import type { AppJsonData } from './types';
// Small and pure: the app preloads, so this runs on every Grafana page (see src/extensions/README.md).
import { registerLinks } from './extensions/register';

// Pages load on demand so that opening Grafana does not pay for the app's code.
const LazyApp = lazy(() => import('./app/App'));
const LazyAppConfig = lazy(() => import('./components/AppConfig/AppConfig'));

const App = (props: AppRootProps<AppJsonData>) => (
  <Suspense fallback={<LoadingPlaceholder text="Loading Traceway…" />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: AppConfigProps) => (
  <Suspense fallback={<LoadingPlaceholder text="Loading configuration…" />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

export const plugin = registerLinks(
  new AppPlugin<AppJsonData>().setRootPage(App).addConfigPage({
    title: 'Configuration',
    icon: 'cog',
    body: AppConfig,
    id: 'configuration',
  })
);
