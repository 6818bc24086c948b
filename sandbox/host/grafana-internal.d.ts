// Module names that sandbox/build-host.ts resolves in the chosen host's packages.

// Grafana's own start-up code sets the PluginPage component; the package does not export the setter.
declare module 'sandbox-shared:plugin-page' {
  import type { ComponentType } from 'react';
  import type { PluginPageProps } from '@grafana/runtime';
  export function setPluginPage(component: ComponentType<PluginPageProps>): void;
}

// react-router-dom v5, shared with plugins under "react-router-dom" as Grafana does; the host only passes it on.
declare module 'sandbox-shared:react-router-dom-v5' {
  const v5: Record<string, unknown>;
  export = v5;
}
