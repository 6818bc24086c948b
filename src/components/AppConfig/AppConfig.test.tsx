import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AppPluginMeta } from '@grafana/data';
import { DataSourceSrv, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';
import { parseKeyLines, validateUrl } from './AppConfig';
import { startGrafanaStandIn, type GrafanaStandIn, type StoredDataSource } from './grafanaStandIn';
import { backendSrvOverFetch, renderConfigPage, stubCanvasText } from './standInPage';
import { testIds } from '../testIds';
import { fetchVia } from '../../testing/jsdomFetch';
import { startTracePath, type TracePath } from '../../testing/tracePathServer';
import { AppJsonData } from '../../types';

const ids = testIds.appConfig;
jest.setTimeout(30_000);

stubCanvasText();

const registry: Array<{ uid: string; name: string; type: string }> = [];
let reloads = 0;
setDataSourceSrv({
  getInstanceSettings: (ref: string | { uid?: string } | null) => {
    const uid = typeof ref === 'string' ? ref : ref?.uid;
    const ds = registry.find((d) => d.uid === uid);
    return ds && { ...ds, meta: { id: ds.type, info: { logos: {} } }, jsonData: {} };
  },
  getList: ({ pluginId, type }: { pluginId?: string; type?: string } = {}) =>
    registry
      .filter((d) => (!pluginId || d.type === pluginId) && (!type || d.type === type))
      .map((d) => ({ ...d, meta: { id: d.type, info: { logos: {} } }, jsonData: {} })),
  reload: async () => {
    reloads++;
  },
} as unknown as DataSourceSrv);
setBackendSrv(backendSrvOverFetch());

let grafana: GrafanaStandIn;

async function startGrafana(
  saved: { jsonData?: Record<string, unknown>; secureJsonData?: Record<string, string> } = {},
  dataSources: StoredDataSource[] = []
) {
  grafana = await startGrafanaStandIn(saved, dataSources);
  window.fetch = fetchVia(grafana.url);
}

afterEach(async () => {
  registry.splice(0);
  await grafana?.close();
});

/** The meta the page was given: Grafana's cached settings, which a save updates in place. */
let lastMeta: AppPluginMeta<AppJsonData>;

/** The page as Grafana mounts it: meta from what the stand-in holds. */
function renderConfig() {
  const page = renderConfigPage(grafana);
  lastMeta = page.meta;
  return page;
}

const settingsPosts = () => grafana.requests.filter((r) => r.path === '/api/plugins/traceway-explorer-app/settings');

describe('validateUrl', () => {
  it.each([
    ['', undefined],
    ['http://tempo:3200', undefined],
    ['https://tempo.example.com/prefix', undefined],
    ['tempo:3200', 'Start with http:// or https://, e.g. http://tempo:3200'],
    ['http:tempo', 'Write the scheme with two slashes: http://tempo'],
    ['http:/tempo:3200', 'Write the scheme with two slashes: http://tempo:3200'],
    ['javascript:alert(1)', 'Only http:// and https:// URLs are allowed, not javascript:'],
    ['ftp://tempo', 'Only http:// and https:// URLs are allowed, not ftp:'],
    ['http://my tempo:3200', 'A URL has no spaces: remove them.'],
    ['http://tempo:99999', '"http://tempo:99999" is not a URL: check the host name and port, e.g. http://tempo:3200'],
    [
      'http://admin:secret@tempo:3200',
      'Remove the user and password from the URL and choose basic auth below: a URL is shown, a secret is not.',
    ],
    ['http://tempo:3200/?x=1', 'Remove the query (?…) or fragment (#…): the checks add their own paths to this URL.'],
  ])('%p -> %p', (input, expected) => {
    expect(validateUrl(input)).toBe(expected);
  });
});

describe('parseKeyLines', () => {
  it('reads one key a line, trimmed, without blank lines or repeats', () => {
    expect(parseKeyLines(' request_id \n\n  \nx-request-id\r\nrequest_id\n')).toEqual(['request_id', 'x-request-id']);
    expect(parseKeyLines('')).toEqual([]);
  });
});

describe('AppConfig: steps', () => {
  it('numbers the steps, marks the open one, and opens each', async () => {
    await startGrafana();
    renderConfig();
    const steps = within(screen.getByTestId(ids.steps)).getAllByRole('button');
    expect(steps.map((s) => s.textContent)).toEqual(['1Endpoints', '2Checks', '3Tempo data source', '4Done']);
    expect(screen.getByTestId(ids.step(1))).toHaveAttribute('aria-current', 'step');
    await userEvent.click(screen.getByTestId(ids.step(4)));
    expect(screen.getByTestId(ids.step(4))).toHaveAttribute('aria-current', 'step');
    expect(screen.getByTestId(ids.step(1))).not.toHaveAttribute('aria-current');
    expect(within(screen.getByTestId(ids.doneLink('search'))).getByRole('link')).toHaveAttribute(
      'href',
      '/a/traceway-explorer-app/search'
    );
    expect(within(screen.getByTestId(ids.doneLink('service-map'))).getByRole('link')).toHaveAttribute(
      'href',
      '/a/traceway-explorer-app/service-map'
    );
    // The stand-in has no dashboards: the demo dashboard's card is left out (DoneStep.test.tsx shows it).
    await waitFor(() => expect(grafana.requests.map((r) => r.path)).toContain('/api/dashboards/uid/traceway-demo'));
    expect(screen.queryByTestId(ids.doneLink('dashboard'))).not.toBeInTheDocument();
  });
});

describe('AppConfig: endpoints', () => {
  it('shows the saved settings and which secrets are set, never their values', async () => {
    await startGrafana({
      jsonData: { tempoUrl: 'http://tempo:3200', tenant: 'team-a', collectorAuth: 'privateToken' },
      secureJsonData: { tempoAuthorization: 'Bearer s3cret', collectorPrivateToken: 'glpat-1' },
    });
    renderConfig();
    expect(screen.getByTestId(ids.field('tempoUrl'))).toHaveValue('http://tempo:3200');
    expect(screen.getByTestId(ids.field('tenant'))).toHaveValue('team-a');
    // A stored Authorization without a saved kind cannot be told basic or bearer: it is shown as provisioned.
    expect(
      within(screen.getByTestId(ids.authKind('tempo'))).getByLabelText('Authorization header (provisioned)')
    ).toBeChecked();
    expect(screen.getByTestId(ids.secret('tempo'))).toHaveValue('configured');
    expect(within(screen.getByTestId(ids.authKind('collector'))).getByLabelText('PRIVATE-TOKEN header')).toBeChecked();
    expect(screen.getByTestId(ids.secret('collector'))).toHaveValue('configured');
    expect(within(screen.getByTestId(ids.authKind('prometheus'))).getByLabelText('None')).toBeChecked();
    expect(document.body.textContent).not.toContain('s3cret');
    expect(screen.getByTestId(ids.submit)).toBeDisabled();
  });

  it('says what is wrong with a URL as it is typed, and blocks saving', async () => {
    await startGrafana();
    renderConfig();
    await userEvent.type(screen.getByTestId(ids.field('collectorHealthUrl')), 'otel-collector:13133');
    expect(screen.getByText('Start with http:// or https://, e.g. http://otel-collector:13133')).toBeInTheDocument();
    await userEvent.type(screen.getByTestId(ids.field('tempoUrl')), 'http:tempo');
    expect(screen.getByText('Write the scheme with two slashes: http://tempo')).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId(ids.field('tempoUrl')));
    await userEvent.type(screen.getByTestId(ids.field('tempoUrl')), 'http://tem po:3200');
    expect(screen.getByText('A URL has no spaces: remove them.')).toBeInTheDocument();
    expect(screen.getByTestId(ids.submit)).toBeDisabled();
  });

  it('saves without reloading: trimmed settings, /v1/traces stripped and said, only the typed secrets', async () => {
    await startGrafana({
      jsonData: { tempoDatasourceUid: 'tempo', prometheusAuth: 'bearer' },
      secureJsonData: { prometheusAuthorization: 'Bearer keep-me' },
    });
    const reload = jest.fn();
    const location = window.location;
    Object.defineProperty(window, 'location', { value: { ...location, reload }, configurable: true });
    renderConfig();
    // A trailing slash would make the routes ask Tempo for //ready: saved without it.
    await userEvent.type(screen.getByTestId(ids.field('tempoUrl')), ' http://tempo:3200/ ');
    await userEvent.type(screen.getByTestId(ids.field('collectorOtlpHttpUrl')), 'http://otel-collector:4318/v1/traces');
    await userEvent.click(within(screen.getByTestId(ids.authKind('tempo'))).getByLabelText('Bearer token'));
    await userEvent.type(screen.getByTestId(ids.secret('tempo')), 'abc');
    await userEvent.click(screen.getByTestId(ids.submit));

    expect(await screen.findByTestId(ids.saved)).toHaveTextContent(
      "The Collector's OTLP/HTTP URL is saved without /v1/traces (http://otel-collector:4318): the checks add it."
    );
    expect(settingsPosts()).toHaveLength(1);
    expect(settingsPosts()[0].body).toEqual({
      enabled: true,
      pinned: true,
      jsonData: {
        tempoDatasourceUid: 'tempo',
        tempoUrl: 'http://tempo:3200',
        collectorOtlpHttpUrl: 'http://otel-collector:4318',
        tempoAuth: 'bearer',
        prometheusAuth: 'bearer',
      },
      // prometheusAuthorization was stored and untouched: not sent, so Grafana keeps it.
      secureJsonData: { tempoAuthorization: 'Bearer abc' },
    });
    expect(grafana.settings.secureJsonData).toEqual({
      prometheusAuthorization: 'Bearer keep-me',
      tempoAuthorization: 'Bearer abc',
    });
    expect(reload).not.toHaveBeenCalled();
    // Grafana's cached settings, which the app's pages read, are the saved ones.
    expect(lastMeta.jsonData).toEqual(grafana.settings.jsonData);
    expect(lastMeta.secureJsonFields).toEqual({ prometheusAuthorization: true, tempoAuthorization: true });
    // The fields keep their values; the typed secret is now "configured".
    expect(screen.getByTestId(ids.field('tempoUrl'))).toHaveValue('http://tempo:3200');
    expect(screen.getByTestId(ids.field('collectorOtlpHttpUrl'))).toHaveValue('http://otel-collector:4318');
    expect(screen.getByTestId(ids.secret('tempo'))).toHaveValue('configured');
    expect(screen.getByTestId(ids.submit)).toBeDisabled();
    Object.defineProperty(window, 'location', { value: location, configurable: true });
  });

  it('composes basic auth and a PRIVATE-TOKEN header into the secrets the routes send', async () => {
    await startGrafana();
    renderConfig();
    await userEvent.click(within(screen.getByTestId(ids.authKind('tempo'))).getByLabelText('Basic'));
    await userEvent.type(screen.getByTestId(ids.field('tempoUser')), 'grafana');
    await userEvent.type(screen.getByTestId(ids.secret('tempo')), 'pässword');
    await userEvent.click(within(screen.getByTestId(ids.authKind('collector'))).getByLabelText('PRIVATE-TOKEN header'));
    await userEvent.type(screen.getByTestId(ids.secret('collector')), 'glpat-123');
    await userEvent.click(screen.getByTestId(ids.submit));
    await screen.findByTestId(ids.saved);
    expect(settingsPosts()[0].body.jsonData).toMatchObject({
      tempoAuth: 'basic',
      tempoUser: 'grafana',
      collectorAuth: 'privateToken',
    });
    expect(grafana.settings.secureJsonData).toEqual({
      tempoAuthorization: `Basic ${Buffer.from('grafana:pässword').toString('base64')}`,
      collectorPrivateToken: 'glpat-123',
    });
  });

  it('an empty secret field keeps the stored one; Reset, then no auth, wipes it', async () => {
    await startGrafana({
      jsonData: { collectorAuth: 'bearer' },
      secureJsonData: { collectorAuthorization: 'Bearer x' },
    });
    renderConfig();
    await userEvent.type(screen.getByTestId(ids.field('tenant')), 'team-a');
    await userEvent.click(screen.getByTestId(ids.submit));
    await screen.findByTestId(ids.saved);
    expect(settingsPosts()[0].body.secureJsonData).toEqual({});
    expect(grafana.settings.secureJsonData).toEqual({ collectorAuthorization: 'Bearer x' });

    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
    // Reset alone would leave bearer auth without a token: the form asks for one.
    expect(screen.getByText('Type the token, or choose no auth.')).toBeInTheDocument();
    expect(screen.getByTestId(ids.submit)).toBeDisabled();
    await userEvent.click(within(screen.getByTestId(ids.authKind('collector'))).getByLabelText('None'));
    await userEvent.click(screen.getByTestId(ids.submit));
    await waitFor(() => expect(settingsPosts()).toHaveLength(2));
    expect(settingsPosts()[1].body.secureJsonData).toEqual({ collectorAuthorization: '' });
    expect(settingsPosts()[1].body.jsonData.collectorAuth).toBe('none');
    // Grafana stores the '' (encrypted): the route then sends an empty Authorization.
    expect(grafana.settings.secureJsonData).toEqual({ collectorAuthorization: '' });
    // Saved: nothing left to save.
    expect(screen.getByTestId(ids.submit)).toBeDisabled();
  });

  it('opening the page changes nothing: with both Tempo secrets stored, saving the Prometheus URL sends neither', async () => {
    await startGrafana({
      jsonData: { tempoUrl: 'http://tempo:3200' },
      secureJsonData: { tempoAuthorization: 'Basic abc', tempoPrivateToken: 'glpat-1' },
    });
    renderConfig();
    expect(screen.getByTestId(ids.submit)).toBeDisabled();
    await userEvent.type(screen.getByTestId(ids.field('prometheusUrl')), 'http://prometheus:9090');
    expect(screen.queryByTestId(ids.wipes)).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId(ids.submit));
    await screen.findByTestId(ids.saved);
    expect(settingsPosts()[0].body.secureJsonData).toEqual({});
    expect(settingsPosts()[0].body.jsonData).toEqual({
      tempoUrl: 'http://tempo:3200',
      prometheusUrl: 'http://prometheus:9090',
    });
    expect(grafana.settings.secureJsonData).toEqual({ tempoAuthorization: 'Basic abc', tempoPrivateToken: 'glpat-1' });

    // Changing the kind wipes the other kind's secret, and says so before the click.
    await userEvent.click(within(screen.getByTestId(ids.authKind('tempo'))).getByLabelText('PRIVATE-TOKEN header'));
    expect(screen.getByTestId(ids.wipes)).toHaveTextContent('tempoAuthorization');
  });

  it('says why a save failed, and keeps what was typed', async () => {
    await startGrafana();
    grafana.failNextSave = { status: 403, message: 'Permission denied' };
    renderConfig();
    await userEvent.type(screen.getByTestId(ids.field('tempoUrl')), 'http://tempo:3200');
    await userEvent.click(screen.getByTestId(ids.submit));
    expect(await screen.findByTestId(ids.error)).toHaveTextContent('Permission denied (HTTP 403)');
    expect(screen.getByTestId(ids.field('tempoUrl'))).toHaveValue('http://tempo:3200');
    expect(screen.getByTestId(ids.submit)).toBeEnabled();
  });
});

describe('AppConfig: checks', () => {
  let path: TracePath;
  afterEach(async () => {
    await path?.close();
  });

  it('draws every planned row at once, then each result through the proxy routes of the saved settings', async () => {
    path = await startTracePath({ exportDelayMs: 300 });
    await startGrafana(
      {
        jsonData: {
          tempoUrl: path.tempoUrl,
          collectorOtlpHttpUrl: path.collectorUrl,
          collectorHealthUrl: path.collectorHealthUrl,
          tempoDatasourceUid: 'tempo',
        },
      },
      [{ id: 1, uid: 'tempo', name: 'Tempo', type: 'tempo', url: path.tempoUrl }]
    );
    renderConfig();
    await userEvent.click(screen.getByTestId(ids.step(2)));
    // At once: every planned row, those without an answer yet spinning; the canary only on its button.
    const rows = within(screen.getByRole('list', { name: 'Setup checks' })).getAllByRole('listitem');
    expect(rows.map((row) => row.getAttribute('data-testid'))).toEqual(
      [
        'collector-health',
        'collector-otlp',
        'tempo-ready',
        'tempo-echo',
        'tempo-version',
        'tempo-tenant',
        'tempo-search',
        'tempo-tags',
        'tempo-metrics',
        'grafana-datasource',
        'grafana-datasource-health',
        'grafana-service-map',
        'prometheus-service-graph',
      ].map(ids.checkRow)
    );
    expect(screen.getByTestId(ids.checksProgress)).toHaveTextContent(/^\d+ of \d+ checks done$/);
    expect(screen.getByTestId(ids.checksCancel)).toBeInTheDocument();

    await waitFor(() => expect(screen.getByTestId(ids.checksRerun)).toBeInTheDocument(), { timeout: 20_000 });
    const health = screen.getByTestId(ids.checkRow('collector-health'));
    expect(health).toHaveAttribute('data-status', 'pass');
    // The upstream URL is shown, and that Grafana's server asked it.
    expect(health).toHaveTextContent(`GET ${path.collectorHealthUrl.replace(/\/$/, '')}`);
    expect(health).toHaveTextContent('(through Grafana)');
    expect(health).toHaveTextContent(/\d+ ms/);
    expect(screen.getByTestId(ids.checkRow('collector-otlp'))).toHaveAttribute('data-status', 'pass');
    expect(screen.getByTestId(ids.checkRow('tempo-ready'))).toHaveAttribute('data-status', 'pass');
    // Grafana has no health check for Tempo (501): the check asks /api/echo through the data source proxy.
    expect(screen.getByTestId(ids.checkRow('grafana-datasource-health'))).toHaveAttribute('data-status', 'pass');
    expect(grafana.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/api/datasources/uid/tempo/health', '/api/datasources/proxy/uid/tempo/api/echo'])
    );
    await userEvent.click(screen.getByTestId(ids.checksCanary));
    await waitFor(() => expect(screen.getByTestId(ids.checkRow('canary'))).toHaveAttribute('data-status', 'pass'), {
      timeout: 20_000,
    });
    // The requests went through the app's routes, never to Tempo from the browser.
    const proxied = grafana.requests.filter((r) => r.path.startsWith('/api/plugin-proxy/traceway-explorer-app/'));
    expect(proxied.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/api/plugin-proxy/traceway-explorer-app/collector-health',
        '/api/plugin-proxy/traceway-explorer-app/collector-otlp/v1/traces',
        '/api/plugin-proxy/traceway-explorer-app/tempo/ready',
      ])
    );
    expect(path.seen.health.length).toBeGreaterThan(0);
  });

  it('shows a failed check with its hint and documentation link', async () => {
    path = await startTracePath({ receiverStatus: 415 });
    await startGrafana({ jsonData: { collectorOtlpHttpUrl: path.collectorUrl } });
    renderConfig();
    await userEvent.click(screen.getByTestId(ids.step(2)));
    await waitFor(() =>
      expect(screen.getByTestId(ids.checkRow('collector-otlp'))).toHaveAttribute('data-status', 'fail')
    );
    const row = screen.getByTestId(ids.checkRow('collector-otlp'));
    expect(row).toHaveTextContent('415');
    const docs = within(row).getByRole('link', { name: /Documentation/ });
    expect(docs).toHaveAttribute('href', expect.stringMatching(/^https:\/\//));
    expect(docs).toHaveAttribute('target', '_blank');
  });

  it('asks to save first when the form has changes, and "Save and run checks" does both', async () => {
    path = await startTracePath();
    await startGrafana();
    renderConfig();
    await userEvent.type(screen.getByTestId(ids.field('collectorHealthUrl')), path.collectorHealthUrl);
    await userEvent.click(screen.getByTestId(ids.step(2)));
    expect(screen.getByTestId(ids.checksUnsaved)).toBeInTheDocument();
    expect(screen.queryByTestId(ids.checkRow('collector-health'))).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId(ids.saveAndRun));
    await waitFor(() =>
      expect(screen.getByTestId(ids.checkRow('collector-health'))).toHaveAttribute('data-status', 'pass')
    );
    expect(screen.queryByTestId(ids.checksUnsaved)).not.toBeInTheDocument();
    expect(grafana.settings.jsonData.collectorHealthUrl).toBe(path.collectorHealthUrl);
  });

  it('cancels the running checks when the page is left, and on Cancel', async () => {
    // A Tempo that never answers: the checks would wait for their 10 s timeout.
    const http = await import('node:http');
    const open = new Set<import('node:http').IncomingMessage>();
    let closed = 0;
    const silent = http.createServer((req) => {
      open.add(req);
      req.socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const tempoUrl = `http://127.0.0.1:${(silent.address() as import('node:net').AddressInfo).port}`;
    await startGrafana({ jsonData: { tempoUrl } });
    const { unmount } = renderConfig();
    await userEvent.click(screen.getByTestId(ids.step(2)));
    await waitFor(() => expect(open.size).toBeGreaterThanOrEqual(5));
    await userEvent.click(screen.getByTestId(ids.checksCancel));
    await waitFor(() =>
      expect(screen.getByTestId(ids.checkRow('tempo-ready'))).toHaveAttribute('data-status', 'cancelled')
    );
    expect(screen.getByTestId(ids.checkRow('tempo-ready'))).toHaveTextContent(/Cancelled/);
    await waitFor(() => expect(closed).toBeGreaterThanOrEqual(5));

    closed = 0;
    open.clear();
    await userEvent.click(screen.getByTestId(ids.checksRerun));
    await waitFor(() => expect(open.size).toBeGreaterThanOrEqual(5));
    const started = open.size;
    act(() => unmount());
    await waitFor(() => expect(closed).toBeGreaterThanOrEqual(started));
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});

describe('AppConfig: the Tempo data source', () => {
  const openStep3 = async () => {
    renderConfig();
    await userEvent.click(screen.getByTestId(ids.step(3)));
  };

  it('shows the YAML from the preset and the saved endpoints, to download and copy', async () => {
    await startGrafana({
      jsonData: { tempoUrl: 'http://tempo.example:3200', tenant: 'team-a', collectorAuth: 'privateToken' },
      secureJsonData: { collectorPrivateToken: 'glpat-1' },
    });
    let blob: Blob | undefined;
    URL.createObjectURL = jest.fn((b: Blob) => {
      blob = b;
      return 'blob:yaml';
    });
    URL.revokeObjectURL = jest.fn();
    const user = userEvent.setup();
    renderConfig();
    await user.click(screen.getByTestId(ids.step(3)));
    const yaml = screen.getByTestId(ids.yaml('datasource')).textContent!;
    expect(yaml).toContain('url: http://tempo.example:3200');
    expect(yaml).toContain('httpHeaderName1: X-Scope-OrgID');
    expect(yaml).toContain('httpHeaderValue1: team-a');
    const app = screen.getByTestId(ids.yaml('app')).textContent!;
    expect(app).toContain('tempoUrl: http://tempo.example:3200');
    expect(app).toContain('tenant: team-a');
    expect(app).toContain('collectorAuth: privateToken');
    // A stored secret becomes an environment variable reference, never its value.
    expect(app).toContain('collectorPrivateToken: ${COLLECTOR_PRIVATE_TOKEN}');
    expect(app).not.toContain('glpat-1');
    // The exporter sends to the OTLP port of the Tempo host typed, not the preset's host.
    expect(screen.getByTestId(ids.yaml('collector')).textContent).toContain(
      'otlphttp/tempo:\n    endpoint: http://tempo.example:4318'
    );

    await user.click(screen.getByTestId(ids.download('datasource')));
    const read = new FileReader();
    const written = new Promise<string>((resolve) => (read.onload = () => resolve(String(read.result))));
    read.readAsText(blob!);
    expect(await written).toBe(yaml);
    // Revoked once the download has had time (files.test.ts).
    expect(URL.revokeObjectURL).not.toHaveBeenCalled();

    // Grafana's ClipboardButton uses the Clipboard API in a secure context (https, localhost), as here.
    Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
    await user.click(screen.getByTestId(ids.copy('datasource')));
    expect(await navigator.clipboard.readText()).toBe(yaml);
  });

  it('creates the data source with the typed secret, links to it, and makes it the app’s', async () => {
    await startGrafana({ jsonData: { tempoUrl: 'http://tempo:3200' } });
    reloads = 0;
    await openStep3();
    await userEvent.click(screen.getByLabelText('Bearer token'));
    // Create needs the token; the YAML's environment variable does not block it.
    expect(screen.getByTestId(ids.dsCreate)).toBeDisabled();
    expect(screen.getByText('Type the token: Create sends it once to Grafana.')).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId(ids.dsField('secretEnv')));
    await userEvent.type(screen.getByTestId(ids.dsField('secret')), 'p$$w$&rd');
    expect(screen.getByTestId(ids.yamlError('datasource'))).toBeInTheDocument();
    expect(screen.getByTestId(ids.dsCreate)).toBeEnabled();
    expect(screen.getByTestId(ids.dsCreate)).toHaveTextContent('Create data source');
    await userEvent.click(screen.getByTestId(ids.dsCreate));
    const saved = await screen.findByTestId(ids.dsSaved);
    expect(saved).toHaveTextContent('Created Tempo (uid tempo). Traceway now reads it.');
    expect(within(saved).getByRole('link', { name: 'Tempo' })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/tempo'
    );
    const post = grafana.requests.find((r) => r.method === 'POST' && r.path === '/api/datasources')!;
    expect(post.body).toMatchObject({
      name: 'Tempo',
      type: 'tempo',
      uid: 'tempo',
      access: 'proxy',
      url: 'http://tempo:3200',
    });
    // The secret as typed: `$$` and `$&` are not replacement patterns.
    expect(post.body.secureJsonData).toEqual({ httpHeaderValue1: 'Bearer p$$w$&rd' });
    // Not the org's default unless ticked.
    expect(post.body.isDefault).toBeUndefined();
    expect(reloads).toBe(1);
    expect(grafana.settings.jsonData.tempoDatasourceUid).toBe('tempo');
    // The YAML never holds the secret.
    expect(document.body.textContent).not.toContain('p$$w$&rd');
  });

  it('updates from the data source as it is: only what the form changed, its auth and headers kept', async () => {
    await startGrafana({ jsonData: { tempoUrl: 'http://tempo:3200', tempoDatasourceUid: 'other', tenant: 'team-a' } }, [
      {
        id: 7,
        uid: 'tempo',
        name: 'Tempo',
        type: 'tempo',
        isDefault: true,
        url: 'http://old:3200',
        basicAuth: true,
        basicAuthUser: 'grafana',
        jsonData: {
          httpHeaderName1: 'X-Custom',
          tlsSkipVerify: true,
          tracesToProfiles: { datasourceUid: 'pyro' },
          search: { hide: true },
          serviceMap: { datasourceUid: 'prom', extra: 1 },
        },
        secureJsonData: { basicAuthPassword: 'pw', httpHeaderValue1: 'custom' },
      },
    ]);
    await openStep3();
    // The form starts from the data source Grafana has.
    await waitFor(() => expect(screen.getByTestId(ids.dsField('url'))).toHaveValue('http://old:3200'));
    expect(screen.getByTestId(ids.dsCreate)).toHaveTextContent('Update data source "Tempo" (uid tempo)');
    expect(screen.getByLabelText('Basic')).toBeChecked();
    // What will change, before the click: the app's tenant, which the data source lacks, is proposed.
    expect(screen.getByTestId(ids.dsChanges)).toHaveTextContent('sends the tenant team-a as X-Scope-OrgID');
    await userEvent.clear(screen.getByTestId(ids.dsField('url')));
    await userEvent.type(screen.getByTestId(ids.dsField('url')), 'http://tempo:3200');
    expect(screen.getByTestId(ids.dsChanges)).toHaveTextContent('sets the URL to http://tempo:3200');
    await userEvent.click(screen.getByTestId(ids.dsCreate));
    expect(await screen.findByTestId(ids.dsSaved)).toHaveTextContent('Updated Tempo (uid tempo).');
    const put = grafana.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/api/datasources/uid/tempo');
    // Grafana replaced it with the body: auth, headers and the settings the form does not show survive.
    const ds = grafana.dataSources.find((d) => d.uid === 'tempo')!;
    expect(ds).toMatchObject({
      id: 7,
      url: 'http://tempo:3200',
      isDefault: true,
      basicAuth: true,
      basicAuthUser: 'grafana',
    });
    expect(ds.jsonData).toEqual({
      httpHeaderName1: 'X-Custom',
      httpHeaderName2: 'X-Scope-OrgID',
      tlsSkipVerify: true,
      tracesToProfiles: { datasourceUid: 'pyro' },
      search: { hide: true },
      serviceMap: { datasourceUid: 'prom', extra: 1 },
    });
    expect(ds.secureJsonData).toEqual({
      basicAuthPassword: 'pw',
      httpHeaderValue1: 'custom',
      httpHeaderValue2: 'team-a',
    });
    // The app already reads another data source: left as it is.
    expect(grafana.settings.jsonData.tempoDatasourceUid).toBe('other');
    // Loaded again: nothing left to update.
    await waitFor(() => expect(screen.getByTestId(ids.dsCreate)).toBeDisabled());
  });

  it('an update that changes the auth kind needs the new secret and replaces the old header by name', async () => {
    await startGrafana({}, [
      {
        id: 2,
        uid: 'tempo',
        name: 'Tempo',
        type: 'tempo',
        url: 'http://tempo:3200',
        jsonData: { httpHeaderName1: 'X-Scope-OrgID', httpHeaderName2: 'Authorization' },
        secureJsonData: { httpHeaderValue1: 'team-a', httpHeaderValue2: 'Bearer old' },
      },
    ]);
    await openStep3();
    await waitFor(() => expect(screen.getByLabelText('Bearer token')).toBeChecked());
    await userEvent.type(screen.getByTestId(ids.dsField('secret')), 'new');
    await userEvent.click(screen.getByTestId(ids.dsCreate));
    await screen.findByTestId(ids.dsSaved);
    const ds = grafana.dataSources.find((d) => d.uid === 'tempo')!;
    expect(ds.jsonData).toEqual({ httpHeaderName1: 'X-Scope-OrgID', httpHeaderName2: 'Authorization' });
    expect(ds.secureJsonData).toEqual({ httpHeaderValue1: 'team-a', httpHeaderValue2: 'Bearer new' });
    await userEvent.click(screen.getByLabelText('Basic'));
    await userEvent.type(screen.getByLabelText('User'), 'grafana');
    expect(screen.getByTestId(ids.dsChanges)).toHaveTextContent('Type the password');
    expect(screen.getByTestId(ids.dsCreate)).toBeDisabled();
  });

  it('"Make it the default data source" drives both the API and the YAML; basic auth says what the exporter needs', async () => {
    await startGrafana({ jsonData: { tempoUrl: 'http://tempo:3200' } });
    await openStep3();
    expect(screen.getByTestId(ids.yaml('datasource')).textContent).toContain('isDefault: false');
    await userEvent.click(screen.getByRole('checkbox', { name: /Make it the default data source/ }));
    expect(screen.getByTestId(ids.yaml('datasource')).textContent).toContain('isDefault: true');
    expect(screen.queryByTestId(ids.yamlError('collector-basic'))).not.toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Basic'));
    expect(screen.getByTestId(ids.yamlError('collector-basic'))).toHaveTextContent('basicauth extension');
    await userEvent.click(screen.getByLabelText('None'));
    await userEvent.click(screen.getByTestId(ids.dsCreate));
    await screen.findByTestId(ids.dsSaved);
    const post = grafana.requests.find((r) => r.method === 'POST' && r.path === '/api/datasources')!;
    expect(post.body.isDefault).toBe(true);
  });

  it('explains a name that another data source holds (409)', async () => {
    await startGrafana({}, [{ id: 3, uid: 'tempo-prod', name: 'Tempo', type: 'tempo' }]);
    await openStep3();
    await userEvent.click(screen.getByTestId(ids.dsCreate));
    expect(await screen.findByTestId(ids.dsError)).toHaveTextContent(
      'A data source named "Tempo" already exists (uid tempo-prod): Grafana names must be unique. Choose another name, or set the uid to tempo-prod to update that one.'
    );
    expect(screen.queryByTestId(ids.dsSaved)).not.toBeInTheDocument();
  });

  it('refuses a uid held by a provisioned data source, saying where to change it', async () => {
    await startGrafana({}, [{ id: 1, uid: 'tempo', name: 'Tempo', type: 'tempo', readOnly: true }]);
    await openStep3();
    await waitFor(() => expect(screen.getByTestId(ids.dsCreate)).toHaveTextContent('Update data source'));
    await userEvent.type(screen.getByTestId(ids.dsField('url')), 'http://tempo:3200');
    await userEvent.click(screen.getByTestId(ids.dsCreate));
    expect(await screen.findByTestId(ids.dsError)).toHaveTextContent('is provisioned from a file');
    expect(grafana.requests.some((r) => r.method === 'PUT')).toBe(false);
  });
});
