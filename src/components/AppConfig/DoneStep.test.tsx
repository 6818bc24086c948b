import React from 'react';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { render, screen, waitFor, within } from '@testing-library/react';
import { setBackendSrv } from '@grafana/runtime';
import { dashboardExists } from '../../grafana/dashboards';
import { testIds } from '../testIds';
import { fetchVia } from '../../testing/jsdomFetch';
import { DoneStep } from './DoneStep';
import { backendSrvOverFetch } from './standInPage';

const ids = testIds.appConfig;
// backendSrv over the page's fetch, throwing an error answer as backendSrv does ({ status, data }).
setBackendSrv(backendSrvOverFetch());

/** Grafana's dashboard API with the given dashboards: 200 with { dashboard, meta }, else 404 "Dashboard not found". */
async function grafanaWith(uids: string[]): Promise<{ asked: string[]; close: () => Promise<void> }> {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    const uid = /^\/api\/dashboards\/uid\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    const found = uid !== undefined && uids.includes(decodeURIComponent(uid));
    res.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify(
        found
          ? { dashboard: { uid, title: 'Traceway demo' }, meta: { url: `/d/${uid}/traceway-demo` } }
          : { message: 'Dashboard not found' }
      )
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  window.fetch = fetchVia(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return { asked, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('DoneStep', () => {
  it('links to the demo dashboard when Grafana has it', async () => {
    const grafana = await grafanaWith(['traceway-demo']);
    try {
      render(<DoneStep />);
      const card = await screen.findByTestId(ids.doneLink('dashboard'));
      expect(within(card).getByRole('link')).toHaveAttribute('href', '/d/traceway-demo');
      expect(grafana.asked).toEqual(['/api/dashboards/uid/traceway-demo']);
      expect(within(screen.getByTestId(ids.doneLink('search'))).getByRole('link')).toHaveAttribute(
        'href',
        '/a/traceway-explorer-app/search'
      );
    } finally {
      await grafana.close();
    }
  });

  it('leaves the card out where Grafana answers 404 (any install but the compose stack)', async () => {
    const grafana = await grafanaWith([]);
    try {
      render(<DoneStep />);
      await waitFor(() => expect(grafana.asked).toHaveLength(1));
      // The answer has come back and been read before the card could show.
      await expect(dashboardExists('traceway-demo')).resolves.toBe(false);
      expect(screen.queryByTestId(ids.doneLink('dashboard'))).not.toBeInTheDocument();
      expect(screen.getByTestId(ids.doneLink('service-map'))).toBeInTheDocument();
    } finally {
      await grafana.close();
    }
  });
});
