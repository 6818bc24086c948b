import { AppPlugin, PluginExtensionPoints } from '@grafana/data';
import pluginJson from '../plugin.json';
import { plugin } from '../module';
import { EXTENSION_POINTS } from './register';
import { LINK_TITLE } from './links';

describe('extension links', () => {
  const links = plugin.addedLinkConfigs;

  it('registers "Open in Traceway" on Explore, the trace view and panel menus', () => {
    expect(plugin).toBeInstanceOf(AppPlugin);
    expect(links.map((l) => [l.title, l.targets])).toEqual([
      [LINK_TITLE, ['grafana/explore/toolbar/action']],
      [LINK_TITLE, ['grafana/traceview/header/actions']],
      [LINK_TITLE, ['grafana/dashboard/panel/menu']],
    ]);
    for (const link of links) {
      // What Grafana checks at registration: a description, a function to configure, a path under the app.
      expect(link.description).not.toBe('');
      expect(typeof link.configure).toBe('function');
      expect(link.path).toBe('/a/traceway-explorer-app/search');
    }
  });

  it("uses Grafana's extension point IDs", () => {
    expect(EXTENSION_POINTS).toEqual({
      exploreToolbar: PluginExtensionPoints.ExploreToolbarAction,
      traceViewHeader: PluginExtensionPoints.TraceViewHeaderActions,
      panelMenu: PluginExtensionPoints.DashboardPanelMenu,
    });
  });

  it('declares every link in plugin.json, by title and targets, and preloads', () => {
    // Grafana refuses a link that plugin.json's extensions.addedLinks does not list with its title and targets.
    expect(pluginJson.preload).toBe(true);
    for (const link of links) {
      const declared = pluginJson.extensions.addedLinks.find((l) => l.title === link.title);
      expect(declared).toBeDefined();
      expect(declared!.targets).toEqual(expect.arrayContaining([link.targets].flat()));
    }
  });

  it('hides every link without a context', () => {
    for (const link of links) {
      expect(link.configure?.(undefined)).toBeUndefined();
    }
  });
});
