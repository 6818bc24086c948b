import React from 'react';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { checkPlanFromSettings } from '../../grafana';
import { testIds } from '../testIds';
import { fetchVia } from '../../testing/jsdomFetch';
import { startTracePath, type TracePath } from '../../testing/tracePathServer';
import { ChecksStep, automaticPlan } from './ChecksStep';
import { startGrafanaStandIn, type GrafanaStandIn } from './grafanaStandIn';

const ids = testIds.appConfig;
jest.setTimeout(30_000);

let grafana: GrafanaStandIn | undefined;
let path: TracePath | undefined;
const servers: http.Server[] = [];

afterEach(async () => {
  await grafana?.close();
  await path?.close();
  grafana = undefined;
  path = undefined;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function startGrafana(jsonData: Record<string, unknown>) {
  grafana = await startGrafanaStandIn({ jsonData }, [
    // The data source points at the Tempo checked: its health check (/api/echo through it) then behaves as Tempo does.
    {
      id: 1,
      uid: 'tempo',
      name: 'Tempo',
      type: 'tempo',
      url: path?.tempoUrl ?? (typeof jsonData.tempoUrl === 'string' ? jsonData.tempoUrl : 'http://127.0.0.1:9'),
    },
  ]);
  window.fetch = fetchVia(grafana.url);
}

/** A Tempo that takes every request and never answers. */
async function silentServer(): Promise<{ url: string; open: () => number }> {
  let open = 0;
  const server = http.createServer(() => {
    open++;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, open: () => open };
}

const rowIds = () =>
  within(screen.getByRole('list', { name: 'Setup checks' }))
    .getAllByRole('listitem')
    .map((row) => row.getAttribute('data-testid'));

const noop = async () => true;

describe('ChecksStep', () => {
  it('runs the checks without the canary; "Send a canary span" writes one span and shows its row, then its latency', async () => {
    path = await startTracePath({ exportDelayMs: 1500 });
    const jsonData = {
      tempoUrl: path.tempoUrl,
      collectorOtlpHttpUrl: path.collectorUrl,
      collectorHealthUrl: path.collectorHealthUrl,
    };
    await startGrafana(jsonData);
    render(<ChecksStep jsonData={jsonData} dirty={false} saveDisabled={false} onSave={noop} />);
    expect(rowIds()).not.toContain(ids.checkRow('canary'));
    await waitFor(() => expect(screen.getByTestId(ids.checksRerun)).toBeInTheDocument(), { timeout: 20_000 });
    expect(rowIds()).not.toContain(ids.checkRow('canary'));
    expect(screen.queryByTestId(ids.checksTrailingSlash)).not.toBeInTheDocument();
    // Nothing but the checks' own requests reached Tempo: no trace was looked up, so no canary was sent.
    expect(path.seen.tempo.filter((r) => r.includes('/traces/'))).toEqual([]);

    const button = screen.getByTestId(ids.checksCanary);
    expect(button).toHaveTextContent('Send a canary span');
    expect(screen.getByText(/writes one span, service/)).toHaveTextContent(/service traceway-canary/);
    await userEvent.click(button);
    const row = screen.getByTestId(ids.checkRow('canary'));
    expect(row).toHaveAttribute('data-status', 'running');
    expect(row).toHaveTextContent(/waiting for Tempo to return it: \d+ s/);
    expect(screen.getByTestId(ids.checksCanaryCancel)).toBeInTheDocument();
    // The span is held 1.5 s by the Collector: the row counts the seconds while it polls.
    await waitFor(() => expect(row).toHaveTextContent(/return it: [1-9]\d* s/), { timeout: 5_000 });
    await waitFor(() => expect(row).toHaveAttribute('data-status', 'pass'), { timeout: 20_000 });
    expect(row).toHaveTextContent(/\d+ ms/);
    expect(row).toHaveTextContent('(through Grafana)');
    expect(path.seen.tempo.filter((r) => r.includes('/api/v2/traces/')).length).toBeGreaterThan(0);
    // The summary counts the planned checks only; the canary is its own row.
    expect(screen.getByTestId(ids.checksProgress)).toHaveTextContent(/^\d+ checks: \d+ passed/);
    expect(screen.getByTestId(ids.checksCanary)).toBeInTheDocument();
  });

  it('counts cancelled checks as cancelled, not failed', async () => {
    const tempo = await silentServer();
    const jsonData = { tempoUrl: tempo.url };
    await startGrafana(jsonData);
    render(<ChecksStep jsonData={jsonData} dirty={false} saveDisabled={false} onSave={noop} />);
    await waitFor(() => expect(tempo.open()).toBeGreaterThanOrEqual(5));
    await userEvent.click(screen.getByTestId(ids.checksCancel));
    await waitFor(() => expect(screen.getByTestId(ids.checksRerun)).toBeInTheDocument());
    const ready = screen.getByTestId(ids.checkRow('tempo-ready'));
    expect(ready).toHaveAttribute('data-status', 'cancelled');
    expect(ready).toHaveTextContent('Cancelled before it ended.');
    expect(screen.getByTestId(ids.checksProgress)).toHaveTextContent(/, 0 failed, \d+ cancelled$/);
  });

  it("a run aborted by its effect's cleanup (StrictMode runs it twice) never touches the run after it", async () => {
    const tempo = await silentServer();
    const jsonData = { tempoUrl: tempo.url };
    await startGrafana(jsonData);
    render(
      <React.StrictMode>
        <ChecksStep jsonData={jsonData} dirty={false} saveDisabled={false} onSave={noop} />
      </React.StrictMode>
    );
    // The first run was aborted at once and its checks ended as cancelled; the second one waits on Tempo.
    await waitFor(() => expect(tempo.open()).toBeGreaterThanOrEqual(5));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const id of ['tempo-ready', 'tempo-echo', 'tempo-search']) {
      expect(screen.getByTestId(ids.checkRow(id))).toHaveAttribute('data-status', 'running');
    }
    expect(screen.getByTestId(ids.checksProgress)).toHaveTextContent(/^\d+ of \d+ checks done$/);
    expect(screen.getByTestId(ids.checksCancel)).toBeInTheDocument();
  });

  it('warns that a saved Tempo URL with a trailing slash makes the routes ask //ready and //api', async () => {
    path = await startTracePath();
    const jsonData = { tempoUrl: `${path.tempoUrl}/` };
    await startGrafana(jsonData);
    render(<ChecksStep jsonData={jsonData} dirty={false} saveDisabled={false} onSave={noop} />);
    expect(screen.getByTestId(ids.checksTrailingSlash)).toHaveTextContent(`${path.tempoUrl}//api/…`);
    // What the warning explains: Tempo is asked //ready, which it does not serve.
    await waitFor(() => expect(screen.getByTestId(ids.checkRow('tempo-ready'))).toHaveAttribute('data-status', 'fail'));
    expect(path.seen.tempo).toContain('GET //ready');
  });

  it('says "Nothing to check yet" when no endpoint is saved, and offers no canary', async () => {
    const jsonData = { tempoDatasourceUid: 'tempo' };
    await startGrafana(jsonData);
    render(<ChecksStep jsonData={jsonData} dirty={false} saveDisabled={false} onSave={noop} />);
    expect(screen.getByTestId(ids.checksNothing)).toHaveTextContent('Nothing to check yet');
    expect(screen.queryByTestId(ids.checksCanary)).not.toBeInTheDocument();
    expect(grafana!.requests).toEqual([]);
  });

  it('plans without the canary, and nothing when no endpoint is set', () => {
    const full = checkPlanFromSettings({ tempoUrl: 'http://tempo:3200', collectorOtlpHttpUrl: 'http://c:4318' });
    const plan = automaticPlan(full);
    expect(plan.canary).toBeUndefined();
    expect(plan.tempo?.url).toBe(full.tempo?.url);
    expect(plan.grafana).toEqual(full.grafana);
    const empty = automaticPlan(checkPlanFromSettings({ tempoDatasourceUid: 'tempo' }));
    expect(empty.grafana).toBeUndefined();
    expect(empty.tempo).toBeUndefined();
  });
});
