import {
  DEFAULT_SERVICE_MAP_HOPS,
  MAX_SERVICE_MAP_HOPS,
  readServiceMapUrl,
  serviceMapPagePath,
  exploreSearchUrl,
  exploreTraceUrl,
  fileTracePath,
  comparePagePath,
  readCompareUrl,
  readTraceView,
  prefixRoute,
  readSearchUrl,
  ROUTES,
  searchPagePath,
  tracePagePath,
} from './routes';

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

  it('links a trace with where to find it: data source and whole-millisecond time range', () => {
    expect(
      tracePagePath('4bf92f3577b34da6a3ce929d0e0e4736', undefined, { datasource: 'tempo eu', from: 1000.7, to: 2000.2 })
    ).toBe('/a/traceway-explorer-app/trace/4bf92f3577b34da6a3ce929d0e0e4736?ds=tempo+eu&from=1000&to=2001');
    // Half a range is no range: the page would search all of Tempo's retention with a wrong bound.
    expect(tracePagePath('4bf92f3577b34da6a3ce929d0e0e4736', 'ab', { from: 1000 })).toBe(
      '/a/traceway-explorer-app/trace/4bf92f3577b34da6a3ce929d0e0e4736?span=ab'
    );
    expect(fileTracePath('f/1', '00f067aa0ba902b7')).toBe(
      '/a/traceway-explorer-app/trace-file/f%2F1?span=00f067aa0ba902b7'
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

describe('the Search page URL', () => {
  it('writes only the fields that are set, in a stable order, and reads them back', () => {
    const state = {
      datasource: 'tempo-eu',
      from: 'now-6h',
      to: 'now',
      service: 'core',
      spanName: 'GET /api/v2.0/projects',
      minDuration: '250ms',
      status: 'error' as const,
      requestId: '54bda23a-db3c-455f-95da-75a4884fbc28',
      filters: [{ scope: 'span' as const, key: 'http.route', operator: '=~' as const, value: '/api/.*"x"&y' }],
      limit: 200,
    };
    const path = searchPagePath(state);
    expect(path).toBe(
      '/a/traceway-explorer-app/search?ds=tempo-eu&from=now-6h&to=now&service=core&name=GET+%2Fapi%2Fv2.0%2Fprojects' +
        '&minDuration=250ms&requestId=54bda23a-db3c-455f-95da-75a4884fbc28&status=error' +
        '&attr=%5B%22span%22%2C%22http.route%22%2C%22%3D%7E%22%2C%22%2Fapi%2F.*%5C%22x%5C%22%26y%22%5D&limit=200'
    );
    expect(readSearchUrl(new URLSearchParams(path.split('?')[1]))).toEqual({ state, problems: [] });
  });

  it('leaves defaults out: an empty search is the bare page', () => {
    expect(searchPagePath({ status: 'any', limit: 50, filters: [] })).toBe('/a/traceway-explorer-app/search');
  });

  it('reports what it cannot read from a hand-edited link instead of failing', () => {
    const { state, problems } = readSearchUrl(
      new URLSearchParams('service=core&status=broken&limit=5000&attr=nope&attr=["span","","=","x"]')
    );
    expect(state).toEqual({ service: 'core' });
    expect(problems).toEqual([
      'status "broken" is not one of any, error, ok',
      'attribute filter nope is not ["scope","key","operator","value"]',
      'attribute filter ["span","","=","x"] is not ["scope","key","operator","value"]',
      'limit "5000" is not a whole number from 1 to 1000',
    ]);
  });

  it('opens a search in Explore with the same data source, TraceQL, range and limit', () => {
    const url = exploreSearchUrl(
      'tempo-eu',
      '{ resource.service.name = "core" && status = error }',
      {
        from: 'now-6h',
        to: 'now',
      },
      200
    );
    const params = new URLSearchParams(url.slice(url.indexOf('?') + 1));
    expect(url.startsWith('/explore?')).toBe(true);
    expect(JSON.parse(params.get('panes')!)).toEqual({
      search: {
        datasource: 'tempo-eu',
        queries: [
          {
            refId: 'A',
            datasource: { type: 'tempo', uid: 'tempo-eu' },
            queryType: 'traceql',
            query: '{ resource.service.name = "core" && status = error }',
            limit: 200,
          },
        ],
        range: { from: 'now-6h', to: 'now' },
      },
    });
    // The exact URL: Explore reads `panes` as JSON, with the query's quotes escaped.
    expect(url).toBe(
      '/explore?schemaVersion=1&panes=%7B%22search%22:%7B%22datasource%22:%22tempo-eu%22,%22queries%22:%5B%7B%22refId%22:%22A%22,%22datasource%22:%7B%22type%22:%22tempo%22,%22uid%22:%22tempo-eu%22%7D,%22queryType%22:%22traceql%22,%22query%22:%22%7B%20resource.service.name%20%3D%20%5C%22core%5C%22%20%26%26%20status%20%3D%20error%20%7D%22,%22limit%22:200%7D%5D,%22range%22:%7B%22from%22:%22now-6h%22,%22to%22:%22now%22%7D%7D%7D'
    );
  });
});

describe('the Service map page URL', () => {
  it('writes only what differs from the defaults, in a stable order, and reads it back', () => {
    const state = {
      datasource: 'tempo eu',
      prometheus: 'mimir',
      source: 'traces' as const,
      from: 'now-6h',
      to: 'now',
      focus: 'core & co',
      hops: 3,
      direction: 'upstream' as const,
      hideVirtual: true,
      groupByNamespace: true,
    };
    const path = serviceMapPagePath(state);
    expect(path).toBe(
      '/a/traceway-explorer-app/service-map?ds=tempo+eu&prometheus=mimir&source=traces&from=now-6h&to=now' +
        '&focus=core+%26+co&hops=3&direction=upstream&hideVirtual=1&groupByNamespace=1'
    );
    expect(readServiceMapUrl(new URLSearchParams(path.split('?')[1]))).toEqual({ state, problems: [] });
  });

  it('leaves the defaults out: metrics, two hops, both directions, virtual nodes shown, no grouping', () => {
    expect(serviceMapPagePath()).toBe('/a/traceway-explorer-app/service-map');
    expect(
      serviceMapPagePath({
        source: 'metrics',
        focus: 'core',
        hops: DEFAULT_SERVICE_MAP_HOPS,
        direction: 'both',
        hideVirtual: false,
        groupByNamespace: false,
      })
    ).toBe('/a/traceway-explorer-app/service-map?focus=core');
    // Hops and direction without a focus say nothing: not written.
    expect(serviceMapPagePath({ hops: 4, direction: 'downstream' })).toBe('/a/traceway-explorer-app/service-map');
  });

  it('reports what it cannot read and keeps the rest', () => {
    const { state, problems } = readServiceMapUrl(
      new URLSearchParams(
        'ds=tempo&source=logs&hops=0&direction=sideways&hideVirtual=yes&groupByNamespace=0&focus=&prometheus=prom'
      )
    );
    expect(state).toEqual({ datasource: 'tempo', prometheus: 'prom', groupByNamespace: false });
    expect(problems).toEqual([
      'source "logs" is not one of metrics, traces',
      `hops "0" is not a whole number from 1 to ${MAX_SERVICE_MAP_HOPS}`,
      'direction "sideways" is not one of upstream, downstream, both',
      'hideVirtual "yes" is not 1 or 0',
    ]);
    expect(readServiceMapUrl(new URLSearchParams('hops=2.5')).problems).toEqual([
      `hops "2.5" is not a whole number from 1 to ${MAX_SERVICE_MAP_HOPS}`,
    ]);
    expect(readServiceMapUrl(new URLSearchParams(`hops=${MAX_SERVICE_MAP_HOPS + 1}`)).state).toEqual({});
  });

  it('keeps the chosen view of a trace in its link, and reads only known views back', () => {
    expect(tracePagePath('4bf92f3577b34da6a3ce929d0e0e4736', 'ab', { view: 'stats' })).toBe(
      '/a/traceway-explorer-app/trace/4bf92f3577b34da6a3ce929d0e0e4736?span=ab&view=stats'
    );
    expect(tracePagePath('abc', undefined, { view: 'timeline' })).toBe('/a/traceway-explorer-app/trace/abc');
    expect(readTraceView('flame')).toBe('flame');
    expect(readTraceView('table')).toBe('table');
    expect(readTraceView('Stats')).toBe('timeline');
    expect(readTraceView(null)).toBe('timeline');
  });

  it('links two traces to compare, and reads the link back', () => {
    const path = comparePagePath({ a: 'aaa', b: 'bbb', datasource: 'tempo eu', from: 1000.5, to: 2000.5 });
    expect(path).toBe('/a/traceway-explorer-app/compare?a=aaa&b=bbb&ds=tempo+eu&from=1000&to=2001');
    expect(readCompareUrl(new URLSearchParams(path.split('?')[1]))).toEqual({
      a: 'aaa',
      b: 'bbb',
      datasource: 'tempo eu',
      from: 1000,
      to: 2001,
    });
    expect(comparePagePath()).toBe('/a/traceway-explorer-app/compare');
    expect(readCompareUrl(new URLSearchParams('a=%20x%20&from=5'))).toEqual({
      a: 'x',
      b: undefined,
      datasource: undefined,
    });
  });
});
