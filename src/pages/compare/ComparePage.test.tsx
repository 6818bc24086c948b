import React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import ComparePage from './ComparePage';
import { testIds } from '../../components/testIds';
import { setTestDataSources } from '../../testing/dataSources';
import { fetchVia } from '../../testing/jsdomFetch';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { currentLocation, renderPage } from '../../testing/renderPage';
import { startReplayServer } from '../../testing/replayServer';
import { fixtureText } from '../../testing/traces';

const ids = testIds.compare;
// Two recorded requests from the same click: a scan (5 services, a job) and a failed "boom".
const SCAN = '5feb30ccfb3cdb0936f11324d886982a';
const BOOM = 'cc0f27b1800ba01de70dbd56394cd4bc';
const MISSING = '00000000000000000000000000000001';

setTestDataSources([
  { uid: 'tempo-eu', name: 'Tempo EU', type: 'tempo' },
  { uid: 'tempo-us', name: 'Tempo US', type: 'tempo' },
  { uid: 'prom-eu', name: 'Prometheus EU', type: 'prometheus' },
]);
withJsdomLayout({ width: 1200, height: 800 });
// Grafana's Combobox (the data source picker) measures text on a canvas, which jsdom lacks.
HTMLCanvasElement.prototype.getContext = (() => ({
  measureText: (text: string) => ({ width: text.length * 7 }),
})) as unknown as HTMLCanvasElement['getContext'];
// ... and its open menu watches its scroll edges with an IntersectionObserver, which jsdom lacks too.
window.IntersectionObserver = class {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
} as unknown as typeof IntersectionObserver;
jest.setTimeout(30_000);

let server: Awaited<ReturnType<typeof startReplayServer>>;
let replay: typeof window.fetch;
beforeAll(async () => {
  const traces = (uid: string) => ({
    [`/api/datasources/proxy/uid/${uid}/api/v2/traces/${SCAN}`]: { fixture: 'tempo-2.7.2/trace-v2' },
    [`/api/datasources/proxy/uid/${uid}/api/v2/traces/${BOOM}`]: { fixture: 'tempo-2.7.2/trace-v2-error' },
    [`/api/datasources/proxy/uid/${uid}/api/v2/traces/${MISSING}`]: { fixture: 'tempo-2.7.2/trace-v2-not-found' },
  });
  server = await startReplayServer({ ...traces('tempo-us'), ...traces('tempo-eu') });
  replay = fetchVia(server.url);
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.splice(0);
  window.fetch = replay;
});

const renderAt = (path: string) =>
  renderPage(path, <ComparePage />, { route: '/compare', jsonData: { tempoDatasourceUid: 'tempo-eu' } });
// Mounted where the app mounts it: the page stays on screen after it navigates.
const PAGE = '/a/traceway-explorer-app/compare';
const renderInApp = (search: string) =>
  renderPage(`${PAGE}${search}`, <ComparePage />, { route: PAGE, jsonData: { tempoDatasourceUid: 'tempo-eu' } });

const side = (s: 'a' | 'b') => screen.getByTestId(ids.side(s));
const loaded = (s: 'a' | 'b') =>
  waitFor(() => expect(side(s)).toHaveAttribute('data-status', 'loaded'), { timeout: 5000 });

describe('Compare page', () => {
  it('loads both traces at once from the data source in ?ds=, in the time range, and merges them', async () => {
    // Neither answer is let through before both requests have arrived: loading one after the other would hang.
    let started = 0;
    let release!: () => void;
    const both = new Promise<void>((resolve) => (release = resolve));
    window.fetch = async (input, init) => {
      if (++started === 2) {
        release();
      }
      await both;
      return replay(input, init);
    };
    renderAt(`/compare?a=${SCAN}&b=${BOOM}&ds=tempo-us&from=1700000000000&to=1700000600000`);
    expect(side('a')).toHaveAttribute('data-status', 'loading');
    expect(side('b')).toHaveAttribute('data-status', 'loading');
    await loaded('a');
    await loaded('b');
    expect(server.seen.sort()).toEqual(
      [SCAN, BOOM]
        .map((id) => `GET /api/datasources/proxy/uid/tempo-us/api/v2/traces/${id}?start=1700000000&end=1700000600`)
        .sort()
    );
    expect(side('a')).toHaveTextContent('harbor-ui click push');
    expect(side('a')).toHaveTextContent('54.8 ms, 11 spans');
    expect(side('b')).toHaveTextContent('28.1 ms, 8 spans, 4 failed');
    expect(await screen.findByTestId(ids.summary)).toHaveTextContent(
      '18 paths: 7 added, 10 removed, 1 changed, 0 the same'
    );
    // Each side links to its Trace page in the same data source and range.
    const traceLink = `/a/traceway-explorer-app/trace/${SCAN}?ds=tempo-us&from=1700000000000&to=1700000600000`;
    expect(within(side('a')).getByTestId(ids.sideOpen('a'))).toHaveAttribute('href', traceLink);
    // A path's totals open its span there: the root path, each trace's root span.
    expect(within(screen.getByTestId(ids.row(0))).getByTestId(ids.openA)).toHaveAttribute(
      'href',
      `/a/traceway-explorer-app/trace/${SCAN}?span=19ac6dec20641bb9&ds=tempo-us&from=1700000000000&to=1700000600000`
    );
    expect(
      within(screen.getByTestId(ids.row(0)))
        .getByTestId(ids.openB)
        .getAttribute('href')
    ).toContain(`/trace/${BOOM}?span=5605a67342d76d94&ds=tempo-us`);
  });

  it('says which side is not found, with no diff, and uses the configured data source without ?ds=', async () => {
    renderAt(`/compare?a=${SCAN}&b=${MISSING}`);
    await loaded('a');
    await waitFor(() => expect(side('b')).toHaveAttribute('data-status', 'not-found'), { timeout: 5000 });
    expect(side('b')).toHaveTextContent(
      `Tempo data source "Tempo EU" (uid tempo-eu) has no trace ${MISSING} within its retention`
    );
    expect(screen.queryByTestId(ids.diff)).not.toBeInTheDocument();
    expect(server.seen.sort()).toEqual(
      [SCAN, MISSING].map((id) => `GET /api/datasources/proxy/uid/tempo-eu/api/v2/traces/${id}`).sort()
    );
  });

  it('says a bad trace ID in the link is one, and still loads the other side', async () => {
    renderAt(`/compare?a=not-an-id&b=${BOOM}`);
    expect(side('a')).toHaveAttribute('data-status', 'error');
    expect(side('a')).toHaveTextContent('Not a trace ID');
    await loaded('b');
    expect(server.seen).toEqual([`GET /api/datasources/proxy/uid/tempo-eu/api/v2/traces/${BOOM}`]);
  });

  it('says a ?ds= that is no Tempo data source cannot be used, on both sides, without a request', async () => {
    renderAt(`/compare?a=${SCAN}&b=${BOOM}&ds=prom-eu`);
    await waitFor(() => expect(side('a')).toHaveAttribute('data-status', 'error'));
    expect(side('b')).toHaveAttribute('data-status', 'error');
    expect(side('a')).toHaveTextContent('is a prometheus data source, not Tempo');
    expect(server.seen).toEqual([]);
  });

  it('compares two trace IDs typed in, and refuses one that is not an ID', async () => {
    renderAt('/compare');
    expect(screen.getByTestId(ids.intro)).toBeInTheDocument();
    await userEvent.type(screen.getByTestId(ids.input('a')), 'zzz');
    await userEvent.type(screen.getByTestId(ids.input('b')), BOOM.toUpperCase());
    await userEvent.click(screen.getByTestId(ids.submit));
    expect(screen.getByTestId(ids.inputError('a'))).toBeInTheDocument();
    expect(currentLocation()).toBe('/compare');
    await userEvent.clear(screen.getByTestId(ids.input('a')));
    await userEvent.type(screen.getByTestId(ids.input('a')), SCAN);
    await userEvent.click(screen.getByTestId(ids.submit));
    expect(currentLocation()).toBe(`/a/traceway-explorer-app/compare?a=${SCAN}&b=${BOOM}`);
  });

  it('looks both IDs up in the Tempo data source picked', async () => {
    renderAt(`/compare?a=${SCAN}&b=${BOOM}`);
    const picker = within(screen.getByTestId(ids.datasource)).getByRole('combobox');
    expect(picker).toHaveValue('Tempo EU');
    await userEvent.click(picker);
    await userEvent.click(await screen.findByRole('option', { name: /Tempo US/ }));
    expect(currentLocation()).toBe(`/a/traceway-explorer-app/compare?a=${SCAN}&b=${BOOM}&ds=tempo-us`);
  });

  it('swaps A and B', async () => {
    renderAt(`/compare?a=${SCAN}&b=${BOOM}&ds=tempo-us`);
    await userEvent.click(screen.getByTestId(ids.swap));
    expect(currentLocation()).toBe(`/a/traceway-explorer-app/compare?a=${BOOM}&b=${SCAN}&ds=tempo-us`);
  });

  it('swaps A and B without loading either trace again', async () => {
    renderInApp(`?a=${SCAN}&b=${BOOM}&ds=tempo-us`);
    await loaded('a');
    await loaded('b');
    expect(await screen.findByTestId(ids.summary)).toHaveTextContent('7 added, 10 removed, 1 changed');
    expect(server.seen).toHaveLength(2);
    await userEvent.click(screen.getByTestId(ids.swap));
    expect(currentLocation()).toBe(`${PAGE}?a=${BOOM}&b=${SCAN}&ds=tempo-us`);
    // The loaded traces change sides: nothing to load, no request.
    expect(side('a')).toHaveAttribute('data-status', 'loaded');
    expect(side('a')).toHaveTextContent('28.1 ms, 8 spans, 4 failed');
    expect(side('b')).toHaveTextContent('54.8 ms, 11 spans');
    expect(screen.getByTestId(ids.summary)).toHaveTextContent('10 added, 7 removed, 1 changed');
    expect(server.seen).toHaveLength(2);
  });

  describe('while a file is still being read', () => {
    // Holds every file read until released, as a large file would.
    let release: () => void;
    let hold: jest.SpyInstance;
    beforeEach(() => {
      const read = FileReader.prototype.readAsArrayBuffer;
      const held = new Promise<void>((resolve) => (release = resolve));
      function heldRead(this: FileReader, blob: Blob) {
        void held.then(() => read.call(this, blob));
      }
      hold = jest.spyOn(FileReader.prototype, 'readAsArrayBuffer').mockImplementation(heldRead);
    });
    // Only this spy: the layout's (withJsdomLayout) stay.
    afterEach(() => hold.mockRestore());
    const scanFile = () =>
      new File([fixtureText('tempo-2.7.2/trace-v2.json')], 'scan.json', { type: 'application/json' });

    it('keeps what Compare put in the URL meanwhile when the file takes its side', async () => {
      renderInApp(`?a=${MISSING}`);
      await userEvent.upload(screen.getByTestId(ids.fileInput('a')), scanFile());
      expect(side('a')).toHaveTextContent('Reading scan.json');
      // A cleared (it keeps its file), B typed, Compare, before the file is read.
      await userEvent.clear(screen.getByTestId(ids.input('a')));
      await userEvent.type(screen.getByTestId(ids.input('b')), BOOM);
      await userEvent.click(screen.getByTestId(ids.submit));
      expect(currentLocation()).toBe(`${PAGE}?b=${BOOM}`);
      release();
      await loaded('a');
      await loaded('b');
      expect(side('a')).toHaveTextContent('From the file scan.json');
      expect(currentLocation()).toBe(`${PAGE}?b=${BOOM}`);
      expect(await screen.findByTestId(ids.summary)).toHaveTextContent('7 added, 10 removed, 1 changed');
    });

    it('keeps a data source picked meanwhile', async () => {
      renderInApp(`?a=${MISSING}&b=${BOOM}`);
      await userEvent.upload(screen.getByTestId(ids.fileInput('a')), scanFile());
      await userEvent.click(within(screen.getByTestId(ids.datasource)).getByRole('combobox'));
      await userEvent.click(await screen.findByRole('option', { name: /Tempo US/ }));
      expect(currentLocation()).toBe(`${PAGE}?a=${MISSING}&b=${BOOM}&ds=tempo-us`);
      release();
      await loaded('a');
      // A is the file's now: its ID leaves the URL, the data source stays.
      await waitFor(() => expect(currentLocation()).toBe(`${PAGE}?b=${BOOM}&ds=tempo-us`));
    });

    it('drops the file when Compare gives its side a trace ID', async () => {
      renderInApp('');
      await userEvent.upload(screen.getByTestId(ids.fileInput('a')), scanFile());
      await userEvent.type(screen.getByTestId(ids.input('a')), BOOM);
      await userEvent.type(screen.getByTestId(ids.input('b')), SCAN);
      await userEvent.click(screen.getByTestId(ids.submit));
      release();
      await loaded('a');
      await loaded('b');
      expect(side('a')).not.toHaveTextContent('From the file');
      expect(side('a')).toHaveTextContent('28.1 ms, 8 spans, 4 failed');
      expect(currentLocation()).toBe(`${PAGE}?a=${BOOM}&b=${SCAN}`);
    });
  });

  it('compares two trace files, without a request', async () => {
    renderAt('/compare');
    const file = (name: string, fixture: string) =>
      new File([fixtureText(`tempo-2.7.2/${fixture}.json`)], name, { type: 'application/json' });
    await userEvent.upload(screen.getByTestId(ids.fileInput('a')), file('scan.json', 'trace-v2'));
    await userEvent.upload(screen.getByTestId(ids.fileInput('b')), file('boom.json', 'trace-v2-error'));
    await loaded('a');
    await loaded('b');
    expect(side('a')).toHaveTextContent('From the file scan.json');
    expect(await screen.findByTestId(ids.summary)).toHaveTextContent('A 54.8 ms, 11 spans');
    // A file's trace has no Trace page to open.
    expect(screen.queryByTestId(ids.openA)).not.toBeInTheDocument();
    expect(server.seen).toEqual([]);
  });

  it('offers the traces of a file that holds several, and compares the one picked', async () => {
    renderAt('/compare');
    // The Collector's JSON Lines export of the scan and the boom request.
    const jsonl = () =>
      new File([fixtureText('otlp-file/two-traces.jsonl')], 'export.jsonl', { type: 'application/jsonl' });
    await userEvent.upload(screen.getByTestId(ids.fileInput('a')), jsonl());
    await userEvent.upload(screen.getByTestId(ids.fileInput('b')), jsonl());
    await loaded('a');
    await loaded('b');
    // A starts at the file's first trace; B, the same file, at its second, and says why.
    expect(side('a')).toHaveTextContent('From the file export.jsonl, trace 1 of 2');
    expect(side('a')).toHaveTextContent(SCAN);
    expect(side('b')).toHaveTextContent('From the file export.jsonl, trace 2 of 2');
    expect(side('b')).toHaveTextContent(BOOM);
    expect(screen.getByTestId(ids.sideNote('b'))).toHaveTextContent('Trace 2 picked: trace 1 is the one A has.');
    expect(screen.queryByTestId(ids.sideNote('a'))).not.toBeInTheDocument();
    expect(await screen.findByTestId(ids.summary)).toHaveTextContent(
      '18 paths: 7 added, 10 removed, 1 changed, 0 the same'
    );
    // The options tell the traces apart by start, duration and spans first; picking A's trace for B says so.
    await userEvent.click(within(side('b')).getByRole('combobox'));
    const options = await screen.findAllByRole('option');
    // (the names from the trace come isolated: U+2068 … U+2069)
    expect(options.map((o) => o.textContent!.replace(/[\u2068\u2069]/g, ''))).toEqual([
      expect.stringMatching(/^1\. \d\d:\d\d:\d\d\.\d{3} · 54\.8 ms, 11 spansharbor-ui click push · 5feb30cc/),
      expect.stringMatching(/^2\. \d\d:\d\d:\d\d\.\d{3} · 28\.1 ms, 8 spansharbor-ui click push · cc0f27b1/),
    ]);
    await userEvent.click(options[0]);
    expect(side('b')).toHaveTextContent(SCAN);
    expect(screen.queryByTestId(ids.sideNote('b'))).not.toBeInTheDocument();
    expect(screen.getByTestId(ids.sameTrace)).toHaveTextContent('A and B are the same trace');
  });

  it('says A and B are the same trace for one ID on both sides', async () => {
    renderAt(`/compare?a=${SCAN}&b=${SCAN}`);
    await loaded('a');
    await loaded('b');
    expect(await screen.findByTestId(ids.sameTrace)).toHaveTextContent(
      `A and B are the same trace (${SCAN}): pick another for one side.`
    );
    expect(screen.queryByTestId(ids.noDifferences)).not.toBeInTheDocument();
  });

  it('says why a file cannot be compared', async () => {
    renderAt('/compare');
    await userEvent.upload(
      screen.getByTestId(ids.fileInput('b')),
      new File(['<html>sign in</html>'], 'page.html', { type: 'text/html' })
    );
    await waitFor(() => expect(side('b')).toHaveAttribute('data-status', 'error'));
    expect(side('b')).toHaveTextContent('"page.html" is not a trace Traceway can read');
    expect(side('a')).toHaveAttribute('data-status', 'empty');
  });
});
