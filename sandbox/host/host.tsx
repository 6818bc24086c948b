/// <reference types="systemjs" />
/*
 * The sandbox host: a stand-in for the parts of Grafana's frontend that a plugin touches. It shares the
 * same packages with the plugin through SystemJS, as Grafana does, then loads the built AMD modules
 * from dist/ and renders the app's pages and each panel. See sandbox/README.md for what it fakes.
 */
import React, { ComponentType, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as jsxDevRuntime from 'react/jsx-dev-runtime';
// The v6 API: build-host.ts resolves it to react-router-dom-v5-compat, which Grafana shares as "react-router".
import * as ReactRouter from 'react-router-dom';
import { Link, Navigator, Route, Router, Routes, useLocation, useParams } from 'react-router-dom';
// react-router-dom v5, which Grafana still shares under its own name.
import * as ReactRouterDomV5 from 'sandbox-shared:react-router-dom-v5';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import lodash from 'lodash';
// Shared with plugins because Grafana shares it; the host itself does not use it.
// eslint-disable-next-line no-restricted-imports
import moment from 'moment';
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as grafanaRuntime from '@grafana/runtime';
// Not exported by the package's entry point: Grafana itself sets it at start-up.
import { setPluginPage } from 'sandbox-shared:plugin-page';
import {
  AppPlugin,
  AppPluginMeta,
  DataFrame,
  DataFrameJSON,
  DataSourceInstanceSettings,
  EventBusSrv,
  GrafanaTheme2,
  LoadingState,
  PanelData,
  PanelOptionsEditorBuilder,
  PanelPlugin,
  dataFrameFromJSON,
  getDefaultTimeRange,
  toDataFrame,
} from '@grafana/data';
import {
  BackendSrv,
  BackendSrvRequest,
  FetchResponse,
  PluginPageProps,
  config,
  locationService,
} from '@grafana/runtime';
import { GlobalStyles, ThemeContext, useStyles2 } from '@grafana/ui';

const APP_ID = 'traceway-explorer-app';
const APP_BASE = `/public/plugins/${APP_ID}`;
const PANELS: Record<string, { dir: string; title: string }> = {
  waterfall: { dir: 'panels/waterfall', title: 'Traceway waterfall' },
  servicemap: { dir: 'panels/servicemap', title: 'Traceway service map' },
};

declare global {
  interface Window {
    System: typeof System & { addImportMap(map: { imports: Record<string, string> }): void };
    __traceway_sandbox__: { ready: boolean; error?: string; host: SandboxHost };
  }
}

/** Which host this page is: set by build-host.ts from the installed packages (sandbox/hosts.ts). */
interface SandboxHost {
  host: string;
  grafana: string;
  packages: Record<string, string>;
  react: string;
  reactBuild: string;
  /** The React the page really runs, to compare with the packages the host was built from. */
  runningReact?: string;
}
declare const __SANDBOX_HOST__: SandboxHost;

window.__traceway_sandbox__ = { ready: false, host: { ...__SANDBOX_HOST__, runningReact: React.version } };

// Share the host's packages under their bare names, as Grafana's SystemJS import map does.
function shareModules() {
  const shared: Record<string, unknown> = {
    react: React,
    'react-dom': ReactDOM,
    'react-dom/client': ReactDOMClient,
    'react/jsx-runtime': jsxRuntime,
    'react/jsx-dev-runtime': jsxDevRuntime,
    'react-router': ReactRouter,
    'react-router-dom': ReactRouterDomV5,
    rxjs,
    'rxjs/operators': rxjsOperators,
    '@emotion/css': emotionCss,
    '@emotion/react': emotionReact,
    lodash,
    moment,
    '@grafana/data': grafanaData,
    '@grafana/ui': grafanaUi,
    '@grafana/runtime': grafanaRuntime,
  };
  const imports: Record<string, string> = {};
  for (const [name, mod] of Object.entries(shared)) {
    const id = `app:${name}`;
    window.System.set(id, { default: mod, __useDefault: true } as unknown as System.Module);
    imports[name] = id;
  }
  window.System.addImportMap({ imports });
}

/** What backendSrv.fetch rejects with in Grafana: the status and the parsed body. */
interface FetchError {
  status: number;
  statusText: string;
  data: unknown;
  config: BackendSrvRequest;
}

async function doFetch<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  const params = options.params ? `?${new URLSearchParams(options.params as Record<string, string>)}` : '';
  const isJsonBody = options.data !== undefined && typeof options.data !== 'string';
  const response = await fetch(`${options.url}${params}`, {
    method: options.method ?? 'GET',
    headers: { ...(isJsonBody ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
    body: options.data === undefined ? undefined : isJsonBody ? JSON.stringify(options.data) : options.data,
    signal: options.abortSignal,
  });
  const text = await response.text();
  let data: unknown = text;
  if (options.responseType !== 'text') {
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: keep the text, as Grafana does.
    }
  }
  if (!response.ok) {
    const error: FetchError = { status: response.status, statusText: response.statusText, data, config: options };
    throw error;
  }
  return {
    data: data as T,
    status: response.status,
    statusText: response.statusText,
    ok: true,
    headers: response.headers,
    redirected: response.redirected,
    type: response.type,
    url: response.url,
    config: options,
  };
}

const backendSrv = {
  fetch: <T,>(options: BackendSrvRequest) => rxjs.from(doFetch<T>(options)),
  datasourceRequest: <T,>(options: BackendSrvRequest) => doFetch<T>(options),
  request: async <T,>(options: BackendSrvRequest) => (await doFetch<T>(options)).data,
  get: async <T,>(url: string, params?: BackendSrvRequest['params']) =>
    (await doFetch<T>({ url, params, method: 'GET' })).data,
  post: async <T,>(url: string, data?: unknown) => (await doFetch<T>({ url, data, method: 'POST' })).data,
  put: async <T,>(url: string, data?: unknown) => (await doFetch<T>({ url, data, method: 'PUT' })).data,
  patch: async <T,>(url: string, data?: unknown) => (await doFetch<T>({ url, data, method: 'PATCH' })).data,
  delete: async <T,>(url: string, data?: unknown) => (await doFetch<T>({ url, data, method: 'DELETE' })).data,
} as unknown as BackendSrv;

interface SandboxInfo {
  datasources: Array<Pick<DataSourceInstanceSettings, 'uid' | 'name' | 'type' | 'jsonData' | 'url'> & { id?: number }>;
  tempo?: string;
  prometheus?: string;
}

/** Grafana's plugin metadata for the data source types the sandbox knows; others are plain. */
const DS_META: Record<string, { name: string; tracing?: boolean; metrics?: boolean; logs?: boolean }> = {
  tempo: { name: 'Tempo', tracing: true },
  prometheus: { name: 'Prometheus', metrics: true },
  loki: { name: 'Loki', logs: true },
};

function toInstanceSettings(list: SandboxInfo['datasources']): DataSourceInstanceSettings[] {
  return list.map(
    (ds) =>
      ({
        ...ds,
        id: ds.id ?? 0,
        // Grafana's instance settings always point the browser at the data source proxy.
        url: `/api/datasources/proxy/uid/${ds.uid}`,
        access: 'proxy',
        readOnly: true,
        meta: {
          id: ds.type,
          name: DS_META[ds.type]?.name ?? ds.type,
          type: 'datasource',
          tracing: DS_META[ds.type]?.tracing ?? false,
          metrics: DS_META[ds.type]?.metrics ?? false,
          logs: DS_META[ds.type]?.logs ?? false,
          info: { logos: { small: '', large: '' } },
          module: '',
          baseUrl: '',
        },
      }) as unknown as DataSourceInstanceSettings
  );
}

/** What `getDataSourceSrv().getList(filters)` honours: the filters Grafana's pickers pass. */
interface ListFilters {
  type?: string | string[];
  pluginId?: string;
  tracing?: boolean;
  metrics?: boolean;
  logs?: boolean;
  filter?: (ds: DataSourceInstanceSettings) => boolean;
}

/**
 * Grafana's data source service over the server's one store (`/sandbox/info`, the same list `GET /api/datasources`
 * answers). `reload()` re-reads it, as Grafana re-reads its frontend settings, so a data source created in the
 * wizard appears in the pickers.
 */
function installDataSourceSrv(info: SandboxInfo) {
  let list = toInstanceSettings(info.datasources);
  const find = (ref?: string | { uid?: string } | null) => {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    if (key === undefined || key === null || key === 'default') {
      // Grafana answers no reference (or "default") with the default data source, which always exists (its
      // built-in "-- Grafana --" when none is marked default): a picker with no current value is not an error.
      return list.find((ds) => ds.isDefault) ?? list[0];
    }
    return list.find((ds) => ds.uid === key || ds.name === key);
  };
  grafanaRuntime.setDataSourceSrv({
    getInstanceSettings: find,
    getList: (filters: ListFilters = {}) =>
      list.filter((ds) => {
        const types = filters.type === undefined ? undefined : ([] as string[]).concat(filters.type);
        return (
          (!types || types.includes(ds.type)) &&
          (!filters.pluginId || ds.meta.id === filters.pluginId) &&
          (!filters.tracing || ds.meta.tracing) &&
          (!filters.metrics || ds.meta.metrics) &&
          (!filters.logs || ds.meta.logs) &&
          (!filters.filter || filters.filter(ds))
        );
      }),
    get: async (ref: unknown) => {
      throw new Error(`The sandbox has no data source plugins; asked for ${JSON.stringify(ref)}`);
    },
    reload: async () => {
      list = toInstanceSettings((await backendSrv.get<SandboxInfo>('/sandbox/info')).datasources);
    },
    registerRuntimeDataSource: () => undefined,
  } as unknown as grafanaRuntime.DataSourceSrv);
}

/** A Router driven by Grafana's locationService, so locationService.push and <Link> agree. */
function HostRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((loc: typeof location) => setLocation(loc)), [history]);
  const navigator = useMemo<Navigator>(
    () => ({
      push: (to) => history.push(to),
      replace: (to) => history.replace(to),
      go: (n) => history.go(n),
      createHref: (to) => history.createHref(typeof to === 'string' ? { pathname: to } : to),
    }),
    [history]
  );
  return (
    <Router location={location} navigator={navigator}>
      {children}
    </Router>
  );
}

/** The app's page includes, for page titles: Grafana titles a page after its nav entry. */
let appIncludes: Array<{ name: string; path?: string }> = [];

function HostPluginPage({ children, pageNav }: PluginPageProps) {
  const styles = useStyles2(getStyles);
  const { pathname } = useLocation();
  const title = pageNav?.text ?? appIncludes.find((inc) => inc.path && pathname.startsWith(inc.path))?.name;
  return (
    <div className={styles.page}>
      {title && <h1 className={styles.pageTitle}>{title}</h1>}
      {children}
    </div>
  );
}

/** An Error's message, or the message of a FetchError's body, as Grafana shows it. */
function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    return e.message;
  }
  const message = (e as FetchError | undefined)?.data as { message?: unknown } | undefined;
  return typeof message?.message === 'string' ? message.message : JSON.stringify(e);
}

function useAsync<T>(load: () => Promise<T>, deps: React.DependencyList) {
  const [state, setState] = useState<{ value?: T; error?: string }>({});
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setState({ value }),
      (e) => live && setState({ error: errorMessage(e) })
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

async function loadAppPlugin(): Promise<{ plugin: AppPlugin; meta: AppPluginMeta }> {
  const meta = await backendSrv.get<AppPluginMeta>(`/api/plugins/${APP_ID}/settings`);
  const mod = await window.System.import(`${APP_BASE}/module.js`);
  const plugin = mod.plugin as AppPlugin;
  plugin.init(meta);
  plugin.meta = meta;
  appIncludes = meta.includes ?? [];
  return { plugin, meta };
}

function AppRootPage({ config: showConfig }: { config?: boolean }) {
  const { value, error } = useAsync(loadAppPlugin, []);
  const styles = useStyles2(getStyles);
  if (error) {
    return <HostError message={`Could not load the app plugin: ${error}`} />;
  }
  if (!value) {
    return <div className={styles.page}>Loading the app plugin…</div>;
  }
  const { plugin, meta } = value;
  if (showConfig) {
    const page = plugin.configPages?.[0];
    if (!page) {
      return <HostError message="The app plugin has no configuration page" />;
    }
    const Body = page.body;
    return (
      <HostPluginPage pageNav={{ text: `${meta.name}: ${page.title}` }}>
        <Body plugin={plugin} query={{}} />
      </HostPluginPage>
    );
  }
  const Root = plugin.root as ComponentType<grafanaData.AppRootProps>;
  return <Root meta={meta} basename={`/a/${APP_ID}`} query={{}} path={`/a/${APP_ID}`} onNavChanged={() => undefined} />;
}

async function loadPanel(name: string, dataName: string | null) {
  const panel = PANELS[name];
  if (!panel) {
    throw new Error(`No panel "${name}"; the sandbox knows ${Object.keys(PANELS).join(', ')}`);
  }
  const mod = await window.System.import(`${APP_BASE}/${panel.dir}/module.js`);
  const plugin = mod.plugin as PanelPlugin;
  const frames: DataFrame[] = [];
  if (dataName) {
    const json = await backendSrv.get<Array<DataFrameJSON | object>>(
      `/sandbox/data/panels/${encodeURIComponent(dataName)}.json`
    );
    for (const item of json) {
      frames.push('schema' in item ? dataFrameFromJSON(item as DataFrameJSON) : toDataFrame(item));
    }
  }
  // Grafana fills options from the builder's defaults before the first render.
  const builder = new PanelOptionsEditorBuilder();
  plugin.getPanelOptionsSupplier()(builder, { data: frames });
  const options: Record<string, unknown> = {};
  for (const item of builder.getItems()) {
    if (item.defaultValue !== undefined) {
      lodash.set(options, item.path, item.defaultValue);
    }
  }
  return { plugin, frames, options, title: panel.title };
}

function PanelPage() {
  const { name = '' } = useParams();
  const dataName = new URLSearchParams(window.location.search).get('data');
  const { value, error } = useAsync(() => loadPanel(name, dataName), [name, dataName]);
  const styles = useStyles2(getStyles);
  const [options, setOptions] = useState<Record<string, unknown>>();
  if (error) {
    return <HostError message={`Could not load panel ${name}: ${error}`} />;
  }
  if (!value || !value.plugin.panel) {
    return <div className={styles.page}>Loading panel…</div>;
  }
  const Panel = value.plugin.panel;
  const timeRange = getDefaultTimeRange();
  const data: PanelData = { state: LoadingState.Done, series: value.frames, timeRange };
  const width = 1000;
  const height = 560;
  return (
    <div className={styles.page}>
      <section className={styles.panel} data-testid="data-testid sandbox-panel" style={{ width }}>
        <header className={styles.panelHeader}>{value.title}</header>
        <Panel
          id={1}
          data={data}
          timeRange={timeRange}
          timeZone="browser"
          options={options ?? value.options}
          fieldConfig={{ defaults: {}, overrides: [] }}
          transparent={false}
          width={width - 16}
          height={height}
          renderCounter={0}
          title={value.title}
          eventBus={new EventBusSrv()}
          onOptionsChange={(o: Record<string, unknown>) => setOptions(o)}
          onFieldConfigChange={() => undefined}
          replaceVariables={(s: string) => s}
          onChangeTimeRange={() => undefined}
        />
      </section>
    </div>
  );
}

function HostError({ message }: { message: string }) {
  useEffect(() => {
    window.__traceway_sandbox__.error = message;
  }, [message]);
  return (
    <div role="alert" data-testid="data-testid sandbox-error" style={{ padding: 16 }}>
      {message}
    </div>
  );
}

function Home() {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.page}>
      <h1>Traceway sandbox</h1>
      <p>Pick a page or panel on the left. Add ?theme=light or ?theme=dark to switch themes.</p>
    </div>
  );
}

function Shell() {
  const styles = useStyles2(getStyles);
  const links: Array<[string, string]> = [
    ['Search', `/a/${APP_ID}/search`],
    ['Service map', `/a/${APP_ID}/service-map`],
    ['Configuration', `/plugins/${APP_ID}`],
    ['Waterfall panel', '/panel/waterfall'],
    ['Service map panel', '/panel/servicemap'],
  ];
  return (
    <div className={styles.shell}>
      <nav className={styles.nav} aria-label="Sandbox">
        <div className={styles.brand}>Traceway sandbox</div>
        {links.map(([label, href]) => (
          <Link key={href} to={href} className={styles.navLink}>
            {label}
          </Link>
        ))}
      </nav>
      <main className={styles.main}>
        <Routes>
          <Route path={`/a/${APP_ID}/*`} element={<AppRootPage />} />
          <Route path={`/plugins/${APP_ID}`} element={<AppRootPage config />} />
          <Route path="/panel/:name" element={<PanelPage />} />
          <Route path="*" element={<Home />} />
        </Routes>
      </main>
    </div>
  );
}

function ReadyMarker() {
  useEffect(() => {
    window.__traceway_sandbox__.ready = true;
  }, []);
  return null;
}

function getStyles(theme: GrafanaTheme2) {
  return {
    shell: emotionCss.css({ display: 'flex', minHeight: '100vh' }),
    nav: emotionCss.css({
      display: 'flex',
      flexDirection: 'column',
      width: 220,
      flexShrink: 0,
      padding: theme.spacing(2),
      gap: theme.spacing(1),
      background: theme.colors.background.primary,
      borderRight: `1px solid ${theme.colors.border.weak}`,
    }),
    brand: emotionCss.css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(2) }),
    navLink: emotionCss.css({ color: theme.colors.text.link }),
    main: emotionCss.css({ flex: 1, minWidth: 0, background: theme.colors.background.canvas }),
    page: emotionCss.css({ padding: theme.spacing(3) }),
    pageTitle: emotionCss.css({ marginBottom: theme.spacing(2) }),
    panel: emotionCss.css({
      background: theme.colors.background.primary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      padding: theme.spacing(1),
    }),
    panelHeader: emotionCss.css({ fontWeight: theme.typography.fontWeightMedium, padding: theme.spacing(0.5, 0, 1) }),
  };
}

/**
 * Grafana registers its panel option editors at start-up, and a panel's option builder looks them up
 * by id. The sandbox has no options pane, so stand-ins that render nothing are enough.
 */
function registerOptionEditors() {
  const editorIds = ['boolean', 'radio', 'slider', 'number', 'text', 'select', 'multi-select', 'color', 'unit'];
  grafanaData.standardEditorsRegistry.setInit(() => editorIds.map((id) => ({ id, name: id, editor: () => null })));
}

async function main() {
  shareModules();
  registerOptionEditors();
  grafanaRuntime.setBackendSrv(backendSrv);
  setPluginPage(HostPluginPage as ComponentType<PluginPageProps>);
  const info = await backendSrv.get<SandboxInfo>('/sandbox/info');
  installDataSourceSrv(info);
  const root = ReactDOMClient.createRoot(document.getElementById('reactRoot')!);
  root.render(
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <HostRouter>
        <Shell />
        <ReadyMarker />
      </HostRouter>
    </ThemeContext.Provider>
  );
}

main().catch((e) => {
  window.__traceway_sandbox__.error = String(e);
  console.error('Traceway sandbox failed to start', e);
});
