import { parseTrace } from '../trace';
import { tempoV2 } from '../../tests/traces';
import { setTestDataSources } from '../testing/dataSources';
import { spanLinksFor } from './spanLinks';

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

  it('gives no factory when nothing is configured, the Tempo data source or the targets are missing', () => {
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
    expect(spanLinksFor('tempo')).toBeUndefined();
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
});
