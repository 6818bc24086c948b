import { readFileSync } from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { parseTrace } from '../trace';
import { buildSpanLinks, planSpanLinks } from './traceToLinks';

// The demo stack's own data sources (docker compose up): the metrics links a user of the stack sees.
const ROOT = path.resolve(__dirname, '../..');
interface ProvisionedDataSource {
  uid: string;
  type: string;
  name: string;
  jsonData?: unknown;
}
// Grafana's provisioning expands environment variables first, `$$` being a literal `$`.
const provisioned = parse(
  readFileSync(path.join(ROOT, 'provisioning/datasources/datasources.yaml'), 'utf8').replace(/\$\$/g, '$')
) as { datasources: ProvisionedDataSource[] };
const tempo = provisioned.datasources.find((d) => d.type === 'tempo')!;
const trace = parseTrace(readFileSync(path.join(ROOT, 'fixtures/tempo-2.7.2/trace-v2.json'), 'utf8'));

function queryOf(href: string): { expr: string; range: { from: string; to: string } } {
  const panes = JSON.parse(new URLSearchParams(href.slice(href.indexOf('?') + 1)).get('panes')!);
  const pane = Object.values(panes)[0] as { queries: Array<{ expr: string }>; range: { from: string; to: string } };
  return { expr: pane.queries[0].expr, range: pane.range };
}

describe("span links from the demo stack's provisioned Tempo data source", () => {
  const plan = planSpanLinks(tempo.jsonData, (uid) => provisioned.datasources.find((d) => d.uid === uid));

  it('gives each recorded span the three trace-to-metrics links, scoped to its service', () => {
    for (let i = 0; i < trace.spans.length; i++) {
      const links = buildSpanLinks(plan, trace, i);
      expect(links.map((l) => [l.kind, l.title])).toEqual([
        ['metrics', 'Request rate'],
        ['metrics', 'Error rate'],
        ['metrics', 'p95 latency'],
      ]);
      const service = trace.services[trace.serviceIndex[i]];
      expect(queryOf(links[0].href).expr).toBe(
        `sum by (span_name) (rate(traces_spanmetrics_calls_total{service="${service}"}[5m]))`
      );
      expect(queryOf(links[1].href).expr).toBe(
        `sum by (span_name) (rate(traces_spanmetrics_calls_total{service="${service}", status_code="STATUS_CODE_ERROR"}[5m]))`
      );
    }
  });

  it("opens Prometheus over the span's time with the provisioned quarter hour either side", () => {
    const { range } = queryOf(buildSpanLinks(plan, trace, 0).at(-1)!.href);
    const startMs = trace.epochMs + trace.start[0] / 1e6;
    const endMs = trace.epochMs + trace.end[0] / 1e6;
    expect(Number(range.from)).toBe(Math.floor(startMs - 15 * 60_000));
    expect(Number(range.to)).toBe(Math.floor(endMs + 15 * 60_000));
  });
});
