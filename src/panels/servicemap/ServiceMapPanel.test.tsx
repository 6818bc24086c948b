import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DataFrame,
  FieldType,
  LoadingState,
  PanelProps,
  createDataFrame,
  dataFrameFromJSON,
  dateTime,
} from '@grafana/data';
import { ServiceMapPanel, tempoUidOf } from './ServiceMapPanel';
import { testIds } from '../../components/testIds';
import { mergeServiceGraphs, parseTrace, serviceGraph, serviceMapFromGraph } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { serviceMapFrames } from '../../testing/serviceMapFrames';

jest.setTimeout(30_000);
const ids = testIds.serviceMap;
const FROM = 1795240000000;
const TO = 1795243600000;

/** Node-graph frames, as Grafana's Tempo data source returns them, of two recorded Harbor requests. */
function recordedFrames(): DataFrame[] {
  const traces = ['tempo-2.7.2/trace-v2.json', 'tempo-2.7.2/trace-v2-error.json'].map((f) =>
    parseTrace(fixtureJson(f))
  );
  const map = serviceMapFromGraph(mergeServiceGraphs(traces.map((t) => serviceGraph(t))), 60);
  return serviceMapFrames(map).map((f) => dataFrameFromJSON(f));
}

function renderPanel(series: DataFrame[], datasource?: { type: string; uid: string }) {
  const props = {
    data: {
      state: LoadingState.Done,
      series,
      timeRange: { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-1h', to: 'now' } },
      request: datasource ? { targets: [{ refId: 'A', datasource }] } : undefined,
    },
    width: 900,
    height: 600,
  } as unknown as PanelProps;
  return render(<ServiceMapPanel {...props} />);
}

const laidOut = () => waitFor(() => expect(screen.getByTestId(ids.summary)).toHaveTextContent(/layout \d+ ms/));
const menuLink = (name: RegExp | string) =>
  within(screen.getByTestId(ids.menu)).getByRole('menuitem', { name }).closest('a')!.getAttribute('href')!;

describe('ServiceMapPanel', () => {
  it('draws the map of Tempo node-graph frames', async () => {
    renderPanel(recordedFrames());
    await laidOut();
    expect(screen.getByTestId(ids.summary)).toHaveTextContent(/^6 services, 5 calls/);
    expect(screen.getByTestId(ids.node('core'))).toHaveTextContent('50% errors');
  });

  it('links a service to Traceway Search in the panel time range, with the Tempo data source queried', async () => {
    const user = userEvent.setup();
    renderPanel(recordedFrames(), { type: 'tempo', uid: 'tempo-1' });
    await laidOut();
    await user.click(screen.getByTestId(ids.node('core')));
    expect(menuLink(/Search traces of this service/)).toBe(
      `/a/traceway-explorer-app/search?ds=tempo-1&from=${FROM}&to=${TO}&service=core`
    );
    expect(menuLink(/Errors only/)).toBe(
      `/a/traceway-explorer-app/search?ds=tempo-1&from=${FROM}&to=${TO}&service=core&status=error`
    );
    const explore = new URL(menuLink(/Open in Explore/), 'http://grafana.example');
    expect(explore.pathname).toBe('/explore');
    expect(explore.searchParams.get('panes')).toContain('{ resource.service.name = \\"core\\" }');
  });

  it('links a call to Search with the structural TraceQL from caller to callee', async () => {
    const user = userEvent.setup();
    renderPanel(recordedFrames());
    await laidOut();
    await user.click(screen.getByTestId(ids.edge('gateway', 'core')));
    const href = menuLink(/Search traces from/);
    const url = new URL(href, 'http://grafana.example');
    expect(url.pathname).toBe('/a/traceway-explorer-app/search');
    expect(url.searchParams.get('q')).toBe(
      '{ resource.service.name = "gateway" && kind = client } > { resource.service.name = "core" && kind = server }'
    );
    expect(url.searchParams.get('from')).toBe(String(FROM));
    // without a Tempo query, Search uses the app's data source
    expect(url.searchParams.has('ds')).toBe(false);
  });

  it('offers no trace search for a virtual node, and the client spans naming it for a call to one', async () => {
    const user = userEvent.setup();
    renderPanel(recordedFrames());
    await laidOut();
    await user.click(screen.getByTestId(ids.node('postgresql')));
    expect(within(screen.getByTestId(ids.menu)).queryByRole('menuitem', { name: /Search/ })).toBeNull();
    await user.keyboard('{Escape}');
    await user.click(screen.getByTestId(ids.edge('core', 'postgresql')));
    const url = new URL(menuLink(/Search traces from/), 'http://grafana.example');
    const q = url.searchParams.get('q')!;
    expect(q).toMatch(/^\{ resource\.service\.name = "core" && \(kind = client \|\| kind = producer\) && \(/);
    expect(q).toContain('span.db.name = "postgresql"');
    expect(url.searchParams.get('to')).toBe(String(TO));
  });

  it('searches by the service name when two namespaces hold a service of the same name', async () => {
    // CONSTRUCTED frames in the shape of Grafana's Tempo data source with the namespace dimension: ids
    // `namespace/name`, the name as title, the namespace as subtitle; two services are titled `api`.
    const user = userEvent.setup();
    const meta = { preferredVisualisationType: 'nodeGraph' as const };
    renderPanel(
      [
        createDataFrame({
          name: 'Nodes',
          meta,
          fields: [
            { name: 'id', type: FieldType.string, values: ['edge/gateway', 'shop/api', 'billing/api'] },
            { name: 'title', type: FieldType.string, values: ['gateway', 'api', 'api'] },
            { name: 'subtitle', type: FieldType.string, values: ['edge', 'shop', 'billing'] },
            { name: 'mainstat', type: FieldType.number, values: [NaN, 20, 30] },
            { name: 'secondarystat', type: FieldType.number, values: [NaN, 2, 1] },
          ],
        }),
        createDataFrame({
          name: 'Edges',
          meta,
          fields: [
            { name: 'id', type: FieldType.string, values: ['e1', 'e2'] },
            { name: 'source', type: FieldType.string, values: ['edge/gateway', 'edge/gateway'] },
            { name: 'target', type: FieldType.string, values: ['shop/api', 'billing/api'] },
            { name: 'mainstat', type: FieldType.number, values: [20, 30] },
            { name: 'secondarystat', type: FieldType.number, values: [2, 1] },
          ],
        }),
      ],
      { type: 'tempo', uid: 'tempo-1' }
    );
    await laidOut();
    await user.click(screen.getByTestId(ids.node('billing/api')));
    expect(menuLink(/Search traces of this service/)).toBe(
      `/a/traceway-explorer-app/search?ds=tempo-1&from=${FROM}&to=${TO}&service=api`
    );
    const explore = new URL(menuLink(/Open in Explore/), 'http://grafana.example');
    expect(explore.searchParams.get('panes')).toContain('{ resource.service.name = \\"api\\" }');
    await user.keyboard('{Escape}');
    await user.click(screen.getByTestId(ids.edge('edge/gateway', 'shop/api')));
    const url = new URL(menuLink(/Search traces from/), 'http://grafana.example');
    expect(url.searchParams.get('q')).toBe(
      '{ resource.service.name = "gateway" && kind = client } > { resource.service.name = "api" && kind = server }'
    );
  });

  it('says what it needs when there is no data', () => {
    renderPanel([]);
    expect(screen.getByTestId(testIds.serviceMapPanel.container)).toHaveTextContent(
      "No service graph in this panel's data"
    );
    expect(screen.getByTestId(testIds.serviceMapPanel.container)).toHaveTextContent("Tempo's Service Graph");
  });

  it('says why frames that are not a service graph cannot be read', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1] },
        { name: 'Value', type: FieldType.number, values: [3] },
      ],
    });
    renderPanel([frame]);
    const panel = screen.getByTestId(testIds.serviceMapPanel.container);
    expect(panel).toHaveTextContent("This panel's data is not a service graph it can read");
    expect(panel).toHaveTextContent('"Time", "Value"');
  });

  it('tells a Tempo query from another data source', () => {
    expect(tempoUidOf(undefined)).toBeUndefined();
    expect(
      tempoUidOf({ targets: [{ refId: 'A', datasource: { type: 'prometheus', uid: 'p' } }] } as never)
    ).toBeUndefined();
    expect(tempoUidOf({ targets: [{ refId: 'A', datasource: { type: 'tempo', uid: 't' } }] } as never)).toBe('t');
  });
});
