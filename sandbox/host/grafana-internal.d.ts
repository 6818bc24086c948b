// Grafana's own start-up code sets the PluginPage component; the package does not export the setter.
declare module '*/@grafana/runtime/dist/esm/components/PluginPage.mjs' {
  import type { ComponentType } from 'react';
  import type { PluginPageProps } from '@grafana/runtime';
  export function setPluginPage(component: ComponentType<PluginPageProps>): void;
}
