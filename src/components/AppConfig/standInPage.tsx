/**
 * Test-only: what the configuration page's tests set up around `grafanaStandIn.ts`: backendSrv over the page's
 * fetch, a canvas for Grafana's Combobox, and the page mounted as Grafana mounts it over what the stand-in holds.
 * (The tests point `window.fetch` at the stand-in themselves, with src/testing/jsdomFetch's `fetchVia`.)
 */
import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { from } from 'rxjs';
import { render } from '@testing-library/react';
import { AppPluginMeta, PluginType } from '@grafana/data';
import type { BackendSrv } from '@grafana/runtime';
import AppConfig, { AppConfigProps } from './AppConfig';
import type { GrafanaStandIn } from './grafanaStandIn';
import type { AppJsonData } from '../../types';

/**
 * backendSrv over the page's fetch: its requests (method, JSON body) reach the stand-in for real, and an error
 * answer is thrown as backendSrv throws it ({ status, data }). For `setBackendSrv`.
 */
export function backendSrvOverFetch(): BackendSrv {
  return {
    fetch: (options: { url: string; method?: string; data?: unknown }) =>
      from(
        (async () => {
          const r = await window.fetch(options.url, {
            method: options.method ?? 'GET',
            headers: { 'Content-Type': 'application/json' },
            body: options.data === undefined ? undefined : JSON.stringify(options.data),
          });
          const text = await r.text();
          const data = text ? JSON.parse(text) : {};
          if (r.status >= 400) {
            throw { status: r.status, data };
          }
          return { status: r.status, data };
        })()
      ),
  } as unknown as BackendSrv;
}

/** Grafana's Combobox measures text on a canvas, which jsdom lacks. */
export function stubCanvasText(): void {
  HTMLCanvasElement.prototype.getContext = (() => ({
    measureText: (text: string) => ({ width: text.length * 7 }),
  })) as unknown as HTMLCanvasElement['getContext'];
}

/**
 * The page as Grafana mounts it, inside its router (internal links are router links), with meta from what the
 * stand-in holds: its saved jsonData, and its secrets as secureJsonFields. `meta` is the object the page was
 * given: Grafana's cached settings, which a save updates in place.
 */
export function renderConfigPage(grafana: GrafanaStandIn) {
  const secureJsonFields = Object.fromEntries(Object.keys(grafana.settings.secureJsonData).map((k) => [k, true]));
  const props = {
    plugin: {
      meta: {
        id: 'traceway-explorer-app',
        name: 'Traceway',
        type: PluginType.app,
        enabled: true,
        pinned: true,
        jsonData: grafana.settings.jsonData as AppJsonData,
        secureJsonFields,
      } as AppPluginMeta<AppJsonData>,
    },
    query: {},
  } as unknown as AppConfigProps;
  const rendered = render(
    <MemoryRouter>
      <AppConfig {...props} />
    </MemoryRouter>
  );
  return { ...rendered, meta: props.plugin.meta };
}
