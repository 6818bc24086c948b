import type { AppPlugin, IconName, PluginExtensionAddedLinkConfig } from '@grafana/data';
import { prefixRoute, ROUTES } from '../routes';
import type { ExploreLinkContext, PanelLinkContext, TraceViewLinkContext } from './contexts';
import { LINK_TITLE, configureExploreLink, configurePanelLink, configureTraceViewLink } from './links';

/**
 * Extension points, by their IDs rather than @grafana/data's PluginExtensionPoints enum: the IDs are the contract
 * (plugin.json lists them too), and they exist from Grafana 12.3 on.
 */
export const EXTENSION_POINTS = {
  exploreToolbar: 'grafana/explore/toolbar/action',
  traceViewHeader: 'grafana/traceview/header/actions',
  panelMenu: 'grafana/dashboard/panel/menu',
} as const;

const ICON: IconName = 'external-link-alt';

/**
 * Traceway's links into itself from Explore, the trace view and dashboard panels. Grafana requires a path at
 * registration (under /a/<plugin id>/); `configure` replaces it with the one for the context, or hides the link.
 */
export function addedLinks(): Array<PluginExtensionAddedLinkConfig<object>> {
  const fallback = prefixRoute(ROUTES.Search);
  const links = [
    {
      targets: [EXTENSION_POINTS.exploreToolbar],
      title: LINK_TITLE,
      description: "Open this pane's Tempo query in Traceway",
      icon: ICON,
      path: fallback,
      configure: (context?: Readonly<ExploreLinkContext>) => configureExploreLink(context),
    } satisfies PluginExtensionAddedLinkConfig<ExploreLinkContext>,
    {
      targets: [EXTENSION_POINTS.traceViewHeader],
      title: LINK_TITLE,
      description: "Open this trace in Traceway's waterfall",
      icon: ICON,
      path: fallback,
      configure: (context?: Readonly<TraceViewLinkContext>) => configureTraceViewLink(context),
    } satisfies PluginExtensionAddedLinkConfig<TraceViewLinkContext>,
    {
      targets: [EXTENSION_POINTS.panelMenu],
      title: LINK_TITLE,
      description: "Open this panel's trace or query in Traceway",
      icon: ICON,
      path: fallback,
      configure: (context?: Readonly<PanelLinkContext>) => configurePanelLink(context),
    } satisfies PluginExtensionAddedLinkConfig<PanelLinkContext>,
  ];
  return links as Array<PluginExtensionAddedLinkConfig<object>>;
}

/** Registers every link on the app plugin. */
export function registerLinks<T extends AppPlugin<any>>(plugin: T): T {
  for (const link of addedLinks()) {
    plugin.addLink(link);
  }
  return plugin;
}
