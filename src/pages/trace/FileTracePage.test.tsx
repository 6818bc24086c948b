import React from 'react';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import FileTracePage from './FileTracePage';
import { OpenTraceFile } from '../../components/OpenTraceFile/OpenTraceFile';
import { clearFileTraces } from '../../components/OpenTraceFile/fileTraces';
import { testIds } from '../../components/testIds';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const SCAN_TRACE = '5feb30ccfb3cdb0936f11324d886982a';
const OTHER_TRACE = 'cc0f27b1800ba01de70dbd56394cd4bc';
const ids = testIds.openTraceFile;

function LocationProbe() {
  const { pathname, search } = useLocation();
  return <div data-testid="location">{pathname + search}</div>;
}

function renderAt(entry = '/open') {
  return render(
    <MemoryRouter initialEntries={[entry]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path="/open" element={<OpenTraceFile />} />
        <Route path="/a/traceway-explorer-app/trace-file/:key" element={<FileTracePage />} />
      </Routes>
      <LocationProbe />
    </MemoryRouter>
  );
}

async function pick(file: File) {
  await userEvent.upload(screen.getByTestId(ids.input), file);
}

const location = () => screen.getByTestId('location').textContent;

afterEach(clearFileTraces);

describe('opening a trace file', () => {
  it.each([
    ['trace-v2.json', 'tempo-2.7.2/trace-v2.json'],
    ['trace-v2.zipkin.json', 'zipkin/trace-v2.zipkin.json'],
    ['trace-v2.jsonl', 'otlp-file/trace-v2.jsonl'],
  ])('opens %s on the file trace page, named, without Explore', async (name, file) => {
    renderAt();
    await pick(new File([fixture(file)], name));
    const header = await screen.findByTestId(testIds.tracePage.header, {}, { timeout: 5000 });
    expect(location()).toMatch(/^\/a\/traceway-explorer-app\/trace-file\/[0-9a-f]{16}$/);
    expect(within(header).getByTestId(testIds.tracePage.traceId)).toHaveTextContent(SCAN_TRACE);
    expect(within(header).getByTestId(testIds.fileTracePage.fileName)).toHaveTextContent(name);
    expect(within(header).getByTestId(testIds.tracePage.fact('Services'))).toHaveTextContent('5');
    expect(screen.queryByTestId(testIds.tracePage.explore)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.waterfall.container)).toBeInTheDocument();
  });

  it('lets the user pick one trace of a JSON Lines file that holds several', async () => {
    renderAt();
    await pick(new File([fixture('otlp-file/two-traces.jsonl')], 'two-traces.jsonl'));
    const choices = await screen.findByTestId(ids.choices);
    expect(choices).toHaveTextContent('two-traces.jsonl holds 2 traces. Open one:');
    expect(within(choices).getAllByTestId(/traceway-open-file-choice-/)).toHaveLength(2);
    expect(location()).toBe('/open');
    await userEvent.click(within(choices).getByTestId(ids.choice(OTHER_TRACE)));
    expect(await screen.findByTestId(testIds.tracePage.traceId)).toHaveTextContent(OTHER_TRACE);
  });

  it('opens a malformed trace with what can be read, and the model says what was skipped', async () => {
    const doc = JSON.parse(fixture('tempo-2.7.2/trace-v2.json').toString('utf8'));
    doc.trace.resourceSpans[0].scopeSpans[0].spans[0].spanId = 'xyz';
    renderAt();
    await pick(new File([JSON.stringify(doc)], 'broken.json'));
    const warnings = await screen.findByTestId(testIds.waterfall.warnings);
    expect(warnings).toHaveTextContent('This trace has problems: unreadable spans (1)');
    await userEvent.click(within(warnings).getByRole('button', { name: 'Show details' }));
    expect(warnings).toHaveTextContent('trace.resourceSpans[0].scopeSpans[0].spans[0].spanId');
    expect(screen.getByTestId(testIds.tracePage.traceId)).toHaveTextContent(SCAN_TRACE);
  });

  it.each([
    [
      'notes.txt',
      'hello, this is not a trace\n',
      '"notes.txt" is not a trace Traceway can read: the input is not JSON (unexpected text early on); it begins with a letter; 27 characters, 2 lines.',
    ],
    [
      'export.json.gz',
      new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]),
      '"export.json.gz" is not a trace Traceway can read: the input looks binary (gzip?), not JSON text (decompress it first, e.g. with gunzip).',
    ],
    ['empty.json', '', '"empty.json" is empty: there is no trace in it.'],
    ['list.json', '[1, 2, 3]', '"list.json" is not a trace Traceway can read:'],
  ])('refuses %s, saying what was wrong, and stays', async (name, body, message) => {
    renderAt();
    await pick(new File([body], name));
    expect(await screen.findByTestId(ids.error)).toHaveTextContent(message);
    expect(location()).toBe('/open');
  });

  it('refuses a file over the size cap before reading it', async () => {
    renderAt();
    const file = new File(['{}'], 'huge.jsonl');
    Object.defineProperty(file, 'size', { value: 300 * 1024 * 1024 });
    await pick(file);
    expect(await screen.findByTestId(ids.error)).toHaveTextContent(
      '"huge.jsonl" is 300.0 MB; the browser opens trace files up to 100 MB. Pick one trace out of it with the CLI: traceway trace FILE --trace-id ID --json > trace.json'
    );
  });

  it('opens a dropped file, and refuses several at once', async () => {
    renderAt();
    const zone = screen.getByTestId(ids.container);
    const a = new File([fixture('zipkin/trace-v2.zipkin.json')], 'a.json');
    fireEvent.drop(zone, { dataTransfer: { files: [a, a], types: ['Files'] } });
    expect(await screen.findByTestId(ids.error)).toHaveTextContent(
      '2 files were dropped: drop one trace file at a time.'
    );
    fireEvent.drop(zone, { dataTransfer: { files: [a], types: ['Files'] } });
    expect(await screen.findByTestId(testIds.fileTracePage.fileName, {}, { timeout: 5000 })).toHaveTextContent(
      'a.json'
    );
  });

  it('says a trace lost to a reload is gone, with the picker right there', async () => {
    renderAt('/a/traceway-explorer-app/trace-file/0123456789abcdef');
    expect(screen.getByTestId(testIds.fileTracePage.missing)).toHaveTextContent(
      'This trace was opened from a file and was kept only in the memory of the browser tab that opened it'
    );
    await pick(new File([fixture('tempo-2.7.2/trace-v2.json')], 'again.json'));
    expect(await screen.findByTestId(testIds.fileTracePage.fileName)).toHaveTextContent('again.json');
  });
});
