import { parseTrace } from '../trace';
import { tempoV2 } from '../../tests/traces';
import { setTestDataSources } from '../testing/dataSources';
import { panelDatasource, spanLinksFor } from './spanLinks';

const trace = parseTrace(
  tempoV2('4bf92f3577b34da6a3ce929d0e0e4736', [
    {
      id: '00f067aa0ba902b7',
      name: 'GET /',
      service: 'core',
      startMs: 0,
      durationMs: 10,
      attributes: { pod: 'core-1' },
    },
  ])
);

const loki = { uid: 'loki', name: 'Loki', type: 'loki' };
const prometheus = { uid: 'prom', name: 'Prometheus', type: 'prometheus' };
const tempo = (jsonData: Record<string, unknown>) => ({ uid: 'tempo', name: 'Tempo', type: 'tempo', jsonData });

describe('spanLinksFor', () => {
  it("builds the links from the Tempo data source's settings and the target data sources' types", () => {
    setTestDataSources([
      tempo({
        tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'pod' }] },
        tracesToMetrics: { datasourceUid: 'prom', queries: [{ name: 'Rate', query: 'rate(x{$__tags}[5m])' }] },
      }),
      loki,
      prometheus,
    ]);
    const links = spanLinksFor('tempo')!(trace, 0);
    expect(links.map((l) => [l.kind, l.title])).toEqual([
      ['logs', 'Logs for this span'],
      ['metrics', 'Rate'],
    ]);
    expect(links.every((l) => l.href.startsWith('/explore?schemaVersion=1&panes='))).toBe(true);
  });

  it('gives no factory when nothing is configured or the Tempo data source is missing, no links when the targets are', () => {
    setTestDataSources([tempo({}), loki, prometheus]);
    expect(spanLinksFor(undefined)).toBeUndefined();
    expect(spanLinksFor('tempo')).toBeUndefined();
    expect(spanLinksFor('no-such-tempo')).toBeUndefined();
    setTestDataSources([
      tempo({
        tracesToLogsV2: { datasourceUid: 'gone', tags: [{ key: 'pod' }] },
        tracesToMetrics: { datasourceUid: 'also-gone', queries: [{ name: 'Rate', query: 'up' }] },
      }),
    ]);
    expect(spanLinksFor('tempo')!(trace, 0)).toHaveLength(0);
  });

  it('gives the reasons a configured link is missing with the links of each span', () => {
    setTestDataSources([
      tempo({
        tracesToLogsV2: { datasourceUid: 'loki', customQuery: true, query: '{job="${__span.tags.job}"}' },
        tracesToMetrics: { datasourceUid: 'gone', queries: [{ name: 'Rate', query: 'up' }] },
      }),
      loki,
    ]);
    const links = spanLinksFor('tempo')!(trace, 0);
    expect(links).toHaveLength(0);
    expect(links.problems).toEqual([
      'Trace to metrics: there is no data source with UID "gone"',
      'No link "Logs for this span": its query names ${__span.tags.job}, which this span does not have',
    ]);
  });

  it('keeps the links whose target exists', () => {
    setTestDataSources([
      tempo({
        tracesToLogsV2: { datasourceUid: 'gone', tags: [{ key: 'pod' }] },
        tracesToMetrics: { datasourceUid: 'prom', queries: [{ name: 'Rate', query: 'up' }] },
      }),
      prometheus,
    ]);
    expect(spanLinksFor('tempo')!(trace, 0).map((l) => l.kind)).toEqual(['metrics']);
  });

  describe('in a dashboard', () => {
    const configured = {
      tracesToLogsV2: { datasourceUid: 'loki', tags: [{ key: 'pod' }] },
    };
    const other = { ...tempo({}), uid: 'tempo-bare', name: 'Tempo without links' };

    it('resolves a template variable data source, the panel scoped value first', () => {
      setTestDataSources([tempo(configured), other, loki], { ds: 'tempo' });
      for (const ref of ['${ds}', '$ds', '[[ds]]', '${ds:text}']) {
        expect(spanLinksFor(ref)?.(trace, 0).map((l) => l.kind)).toEqual(['logs']);
      }
      // A repeated panel's own value of the variable wins over the dashboard's.
      expect(spanLinksFor('${ds}', { ds: { text: 'Tempo without links', value: 'tempo-bare' } })).toBeUndefined();
      setTestDataSources([tempo(configured), other, loki], { ds: 'tempo-bare' });
      expect(spanLinksFor('${ds}')).toBeUndefined();
      expect(spanLinksFor('${ds}', { ds: { text: 'Tempo', value: 'tempo' } })?.(trace, 0)).toHaveLength(1);
      expect(spanLinksFor('${nope}')).toBeUndefined();
    });

    it("takes the first query's data source, else the default one", () => {
      setTestDataSources([other, { ...tempo(configured), isDefault: true }, loki]);
      expect(panelDatasource([{ refId: 'A' }, { refId: 'B', datasource: { uid: '${ds}' } }])).toBe('${ds}');
      expect(panelDatasource([{ refId: 'A', datasource: { uid: 'tempo-bare' } }])).toBe('tempo-bare');
      expect(panelDatasource([{ refId: 'A' }])).toBe('tempo');
      expect(panelDatasource([])).toBe('tempo');
      expect(panelDatasource(undefined)).toBeUndefined();
      expect(spanLinksFor(panelDatasource([{ refId: 'A' }]))?.(trace, 0)).toHaveLength(1);
    });
  });
});
