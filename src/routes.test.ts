import { exploreTraceUrl, prefixRoute, ROUTES, tracePagePath } from './routes';

function explorePane(url: string) {
  const params = new URLSearchParams(url.slice(url.indexOf('?') + 1));
  expect(url.startsWith('/explore?')).toBe(true);
  expect(params.get('schemaVersion')).toBe('1');
  return JSON.parse(params.get('panes')!).trace;
}

describe('routes and links', () => {
  it('builds app paths under /a/<plugin id>', () => {
    expect(prefixRoute(ROUTES.Search)).toBe('/a/traceway-explorer-app/search');
    expect(tracePagePath('4bf92f3577b34da6a3ce929d0e0e4736')).toBe(
      '/a/traceway-explorer-app/trace/4bf92f3577b34da6a3ce929d0e0e4736'
    );
    expect(tracePagePath('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7')).toBe(
      '/a/traceway-explorer-app/trace/4bf92f3577b34da6a3ce929d0e0e4736?span=00f067aa0ba902b7'
    );
  });

  it("opens Explore at the trace's own time with half an hour either side, so an old trace is found", () => {
    const start = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const pane = explorePane(exploreTraceUrl('tempo-eu', 'abc123', { startMs: start + 0.4, endMs: start + 1500.2 }));
    expect(pane).toEqual({
      datasource: 'tempo-eu',
      queries: [{ refId: 'A', datasource: { type: 'tempo', uid: 'tempo-eu' }, queryType: 'traceql', query: 'abc123' }],
      range: { from: String(start - 1_800_000), to: String(start + 1501 + 1_800_000) },
    });
  });

  it('falls back to the last hour without the trace time', () => {
    expect(explorePane(exploreTraceUrl('tempo', 'abc')).range).toEqual({ from: 'now-1h', to: 'now' });
  });
});
