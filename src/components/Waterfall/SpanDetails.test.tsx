import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GrafanaConfig, RawTimeRange, locationUtil } from '@grafana/data';
import { parseTrace } from '../../trace';
import { tempoV2 } from '../../../tests/traces';
import { setTestDataSources } from '../../testing/dataSources';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { spanLinksFor } from '../../grafana/spanLinks';
import { testIds } from '../testIds';
import { SpanDetails } from './SpanDetails';
import { Waterfall } from './Waterfall';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROOT = '00f067aa0ba902b7';
const trace = parseTrace(
  tempoV2(TRACE_ID, [
    {
      id: ROOT,
      name: 'GET /api/v2.0/projects',
      service: 'core',
      kind: 'server',
      startMs: 0,
      durationMs: 10,
      attributes: { pod: 'core-1' },
    },
  ])
);

function useDataSources() {
  setTestDataSources([
    {
      uid: 'tempo',
      name: 'Tempo',
      type: 'tempo',
      jsonData: {
        tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'pod' }], filterByTraceID: true },
        tracesToMetrics: {
          datasourceUid: 'prom',
          queries: [
            { name: 'Request rate', query: 'rate(traces_spanmetrics_calls_total{$__tags}[5m])' },
            { name: '<b>Errors</b>', query: 'up' },
          ],
        },
      },
    },
    { uid: 'loki', name: 'Loki', type: 'loki' },
    { uid: 'prom', name: 'Prometheus', type: 'prometheus' },
  ]);
}

const details = (links = spanLinksFor('tempo')!(trace, 0)) =>
  render(
    <SpanDetails trace={trace} span={0} selfTimeNs={0} onClose={jest.fn()} onSelectSpan={jest.fn()} links={links} />
  );

function setSubPath(appSubUrl: string) {
  locationUtil.initialize({
    config: { appSubUrl } as GrafanaConfig,
    getTimeRangeForUrl: () => ({}) as RawTimeRange,
    getVariablesUrlParams: () => ({}),
  });
}

describe('SpanDetails: links to logs and metrics', () => {
  beforeEach(useDataSources);

  it('renders each link as a titled link to Explore, logs first', () => {
    const links = spanLinksFor('tempo')!(trace, 0);
    details(links);
    const list = screen.getByRole('list', { name: 'Logs and metrics' });
    const anchors = within(list).getAllByRole('link');
    expect(anchors.map((a) => a.textContent)).toEqual(['Logs for this span', 'Request rate', '<b>Errors</b>']);
    expect(anchors.map((a) => a.getAttribute('href'))).toEqual(links.map((l) => l.href));
    expect(screen.getByTestId(testIds.spanLinks.link('logs', 0))).toBe(anchors[0]);
    expect(screen.getByTestId(testIds.spanLinks.link('metrics', 1))).toBe(anchors[2]);
    // A query's name is data: text, never markup.
    expect(list.querySelector('b')).toBeNull();
    const pane = JSON.parse(new URLSearchParams(anchors[0].getAttribute('href')!.split('?')[1]).get('panes')!);
    expect(pane.logs.queries[0].expr).toContain(`{pod="core-1"} | label_format log_line_contains_trace_id=`);
  });

  it("puts Grafana's sub-path in front", () => {
    setSubPath('/grafana');
    try {
      details();
      expect(screen.getByTestId(testIds.spanLinks.link('logs', 0)).getAttribute('href')).toMatch(
        /^\/grafana\/explore\?schemaVersion=1&panes=/
      );
    } finally {
      setSubPath('');
    }
  });

  it('shows no list without links', () => {
    details([]);
    expect(screen.queryByTestId(testIds.spanLinks.container)).toBeNull();
    expect(screen.queryByTestId(testIds.spanLinks.problems)).toBeNull();
  });

  it('says once, muted, why a configured link is missing', () => {
    setTestDataSources([
      {
        uid: 'tempo',
        name: 'Tempo',
        type: 'tempo',
        jsonData: {
          tracesToLogsV3: [
            { name: 'Graphite', datasourceUid: 'graphite' },
            { name: 'Jobs', datasourceUid: 'loki', customQuery: true, query: '{job="${__span.tags.job}"}' },
            { name: 'Jobs', datasourceUid: 'loki', customQuery: true, query: '{job="${__span.tags.job}"}' },
          ],
        },
      },
      { uid: 'graphite', name: 'Graphite', type: 'graphite' },
      { uid: 'loki', name: 'Loki', type: 'loki' },
    ]);
    details();
    // No link at all, yet the reasons show.
    expect(screen.queryByTestId(testIds.spanLinks.container)).toBeNull();
    const problems = screen.getByRole('list', { name: 'Missing logs and metrics links' });
    expect(problems).toBe(screen.getByTestId(testIds.spanLinks.problems));
    expect(
      within(problems)
        .getAllByRole('listitem')
        .map((li) => li.textContent?.trim())
    ).toEqual([
      'Trace to logs: data source "Graphite" is of type graphite, which has no span query here',
      'No link "Jobs": its query names ${__span.tags.job}, which this span does not have',
    ]);
  });
});

describe('Waterfall: the span links of the selected span', () => {
  withJsdomLayout();
  jest.setTimeout(30_000);
  beforeEach(useDataSources);

  it("shows the links in the selected span's details", async () => {
    render(<Waterfall trace={trace} height={600} spanLinks={spanLinksFor('tempo')} />);
    expect(screen.queryByTestId(testIds.spanLinks.container)).toBeNull();
    await userEvent.click(screen.getByTestId(testIds.waterfall.row(ROOT)));
    expect(within(screen.getByTestId(testIds.spanLinks.container)).getAllByRole('link')).toHaveLength(3);
  });
});
