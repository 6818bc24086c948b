import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Trace, parseTrace, spanIndexById } from '../../trace';
import { fixtureJson, sketchId, sketchToOtlp } from '../../testing/traces';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { testIds } from '../testIds';
import { SpanTable } from './SpanTable';
import { BIDI_CONTROLS } from '../DataText/DataText';
import { IMG, PDI_ESCAPE, RLO_KEY, RLO_SERVICE, RLO_VALUE, SCRIPT, payloadTrace } from '../../../tests/traces';

const ids = testIds.spanTable;
const ROOT = '19ac6dec20641bb9'; // click push (harbor-ui), the longest
const SELECT = 'e1ff702a5a2c8ac4'; // SELECT harbor.project (core), db.system=postgresql
const JOB = 'e776bb12bf61a2d2'; // job scan (jobservice), last in display order

const recorded = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));
const failed = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2-error.json'));

withJsdomLayout();
jest.setTimeout(30_000);

function renderTable(trace: Trace) {
  const onOpenSpan = jest.fn();
  render(<SpanTable trace={trace} height={600} onOpenSpan={onOpenSpan} />);
  return onOpenSpan;
}

/** The span IDs of the rows, top to bottom. */
const rowIds = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.getAttribute('data-testid')!.replace(ids.row(''), ''));
const header = (column: string) => screen.getByTestId(ids.sort(column)).closest('[role="columnheader"]')!;
const displayOrder = (trace: Trace) => Array.from(trace.order, (i) => trace.spans[i].spanId);

describe('SpanTable', () => {
  it('shows every span in the display order with its service, name, kind, status, start, duration and self time', () => {
    const trace = recorded();
    renderTable(trace);
    expect(rowIds()).toEqual(displayOrder(trace));
    expect(screen.getByTestId(ids.count)).toHaveTextContent('11 of 11 spans');
    const cells = within(screen.getByTestId(ids.row(SELECT)))
      .getAllByRole('gridcell')
      .map((c) => c.textContent);
    expect(cells).toEqual(['core', 'SELECT harbor.project', 'client', 'unset', '1.00 ms', '7.28 ms', '7.28 ms']);
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Service',
      'Name',
      'Kind',
      'Status',
      'Start',
      'Duration',
      'Self time',
    ]);
    expect(screen.queryByTestId(ids.errorMark)).toBeNull();
  });

  it('marks failed spans', () => {
    renderTable(failed());
    expect(screen.getAllByTestId(ids.errorMark)).toHaveLength(4);
    expect(within(screen.getByTestId(ids.row('3784cbd3c3f6b79a'))).getByTestId(ids.errorMark)).toHaveTextContent(
      'error'
    );
  });

  it("filters with Find's syntax and says how many spans match", async () => {
    renderTable(recorded());
    await userEvent.type(screen.getByTestId(ids.filter), 'db.system=postgresql');
    expect(await screen.findByText('1 of 11 spans')).toBeInTheDocument();
    expect(rowIds()).toEqual([SELECT]);
    await userEvent.clear(screen.getByTestId(ids.filter));
    await userEvent.type(screen.getByTestId(ids.filter), 'jobservice{Enter}');
    expect(screen.getByTestId(ids.count)).toHaveTextContent('2 of 11 spans');
    await userEvent.type(screen.getByTestId(ids.filter), ' nothing-like-this{Enter}');
    expect(screen.getByTestId(ids.count)).toHaveTextContent('0 of 11 spans');
    expect(screen.getByTestId(ids.noMatch)).toBeInTheDocument();
    await userEvent.type(screen.getByTestId(ids.filter), '{Escape}');
    expect(screen.getByTestId(ids.count)).toHaveTextContent('11 of 11 spans');
  });

  it('sorts by a column from its header: largest first, then smallest and back; "Trace order" restores the trace order', async () => {
    const trace = recorded();
    renderTable(trace);
    expect(header('duration')).toHaveAttribute('aria-sort', 'none');
    await userEvent.click(screen.getByTestId(ids.sort('duration')));
    expect(header('duration')).toHaveAttribute('aria-sort', 'descending');
    const desc = rowIds();
    expect(desc[0]).toBe(ROOT);
    await userEvent.click(screen.getByTestId(ids.sort('duration')));
    expect(header('duration')).toHaveAttribute('aria-sort', 'ascending');
    expect(rowIds()).toEqual([...desc].reverse());
    // a third click reverses again, as in Statistics: a click never takes the sort away
    await userEvent.click(screen.getByTestId(ids.sort('duration')));
    expect(header('duration')).toHaveAttribute('aria-sort', 'descending');
    expect(rowIds()).toEqual(desc);
    await userEvent.click(screen.getByRole('button', { name: 'Trace order' }));
    expect(header('duration')).toHaveAttribute('aria-sort', 'none');
    expect(rowIds()).toEqual(displayOrder(trace));
    expect(screen.queryByRole('button', { name: 'Trace order' })).toBeNull();
    // text: A to Z first
    await userEvent.click(screen.getByTestId(ids.sort('service')));
    expect(header('service')).toHaveAttribute('aria-sort', 'ascending');
    const services = screen
      .getAllByRole('row')
      .slice(1)
      .map((r) => within(r).getAllByRole('gridcell')[0].textContent);
    expect(services).toEqual([...services].sort());
    expect(services[0]).toBe('core');
  });

  it('sorts and filters together', async () => {
    const trace = recorded();
    renderTable(trace);
    await userEvent.click(screen.getByTestId(ids.sort('start')));
    await userEvent.type(screen.getByTestId(ids.filter), 'url.path=/api{Enter}');
    // the SERVER spans of /api paths (not registry's /v2), the latest start first
    const shown = rowIds();
    expect([...shown].sort()).toEqual(['3846b10d2d53dec8', '5f444e34311f28f0', 'd12360d388667380']);
    const starts = shown.map((id) => trace.start[spanIndexById(trace, id)]);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(shown[0]).toBe('5f444e34311f28f0');
  });

  it('adds an attribute column from the keys of the trace, the most common first, sorts by it and removes it', async () => {
    const trace = recorded();
    renderTable(trace);
    await userEvent.click(screen.getByTestId(ids.addColumn));
    const picker = screen.getByTestId(ids.picker);
    const keyList = () => within(within(picker).getByRole('list')).getAllByRole('button');
    const keys = keyList()
      .map((b) => b.getAttribute('data-testid')!.replace(ids.pickerKey(''), ''));
    expect(keys.slice(0, 4)).toEqual([
      'deployment.environment',
      'service.name',
      'service.namespace',
      'http.request.method',
    ]);
    expect(keys).toHaveLength(12);
    expect(within(screen.getByTestId(ids.pickerKey('db.system'))).getByText('1 span')).toBeInTheDocument();

    await userEvent.type(screen.getByTestId(ids.pickerFind), 'port');
    expect(keyList()).toHaveLength(1);
    await userEvent.click(screen.getByTestId(ids.pickerKey('server.port')));
    // the picker stays open for another key, its find box emptied and focused; Done closes it
    expect(within(picker).queryByTestId(ids.pickerKey('server.port'))).toBeNull();
    expect(screen.getByTestId(ids.pickerFind)).toHaveFocus();
    expect(screen.getByTestId(ids.pickerFind)).toHaveValue('');
    expect(keyList()).toHaveLength(11);
    await userEvent.click(within(picker).getByRole('button', { name: 'Done' }));
    expect(screen.queryByTestId(ids.picker)).toBeNull();
    const portCell = (spanId: string) => within(screen.getByTestId(ids.row(spanId))).getAllByRole('gridcell')[7];
    expect(portCell('219b339f995084c0')).toHaveTextContent('18080');
    expect(portCell(ROOT)).toHaveTextContent('–');
    // ports are numbers: right-aligned as soon as the column is added, like the duration column, before any sort
    const durationCell = within(screen.getByTestId(ids.row(ROOT))).getAllByRole('gridcell')[5];
    expect(getComputedStyle(durationCell).justifyContent).toBe('flex-end');
    expect(getComputedStyle(portCell('219b339f995084c0')).justifyContent).toBe('flex-end');
    expect(getComputedStyle(screen.getByTestId(ids.sort('attr:server.port'))).justifyContent).toBe('flex-end');

    // ports are numbers: the largest first, spans without one last
    await userEvent.click(screen.getByTestId(ids.sort('attr:server.port')));
    expect(header('attr:server.port')).toHaveAttribute('aria-sort', 'descending');
    expect(
      rowIds()
        .slice(0, 5)
        .map((id) => portCell(id).textContent)
    ).toEqual(['18083', '18082', '18081', '18080', '–']);

    // the picker no longer lists a key that has a column
    await userEvent.click(screen.getByTestId(ids.addColumn));
    expect(screen.queryByTestId(ids.pickerKey('server.port'))).toBeNull();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByTestId(ids.picker)).toBeNull();

    await userEvent.click(screen.getByTestId(ids.removeColumn('server.port')));
    expect(screen.queryByTestId(ids.sort('attr:server.port'))).toBeNull();
    expect(within(screen.getByTestId(ids.row(ROOT))).getAllByRole('gridcell')).toHaveLength(7);
    // its sort went with it
    expect(rowIds()).toEqual(displayOrder(trace));
  });

  it("opens a row's span on click", async () => {
    const trace = recorded();
    const onOpenSpan = renderTable(trace);
    await userEvent.click(screen.getByTestId(ids.row(SELECT)));
    expect(onOpenSpan).toHaveBeenCalledWith(spanIndexById(trace, SELECT));
    expect(screen.getByTestId(ids.row(SELECT))).toHaveAttribute('aria-selected', 'true');
  });

  it('moves through the rows with the arrow keys, Home and End, and opens the focused one with Enter', async () => {
    const trace = recorded();
    const onOpenSpan = renderTable(trace);
    const grid = screen.getByTestId(ids.grid);
    grid.focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    const second = trace.order[1];
    expect(grid).toHaveAttribute('aria-activedescendant', screen.getByTestId(ids.row(trace.spans[second].spanId)).id);
    await userEvent.keyboard('{Enter}');
    expect(onOpenSpan).toHaveBeenLastCalledWith(second);
    await userEvent.keyboard('{End}{Enter}');
    expect(onOpenSpan).toHaveBeenLastCalledWith(spanIndexById(trace, JOB));
    await userEvent.keyboard('{ArrowUp}{Home}{ArrowUp}{Enter}');
    expect(onOpenSpan).toHaveBeenLastCalledWith(spanIndexById(trace, ROOT));
  });

  it('keeps the focused row in view when the order changes', async () => {
    // a root and 99 children, one after the other, lasting 1..100 ms in a shuffled order
    const children = Array.from({ length: 99 }, (_, k) => ({
      id: `c${k + 1}`,
      parent: 'root',
      start: k + 1,
      end: k + 1 + (((k + 1) * 37) % 100) + 1,
    }));
    const trace = parseTrace(sketchToOtlp([{ id: 'root', start: 0, end: 1000 }, ...children]));
    renderTable(trace);
    const grid = screen.getByTestId(ids.grid);
    // jsdom lays nothing out: the grid's content is its header and 100 rows of 28 px
    Object.defineProperty(grid, 'scrollHeight', { get: () => 30 + 100 * 28 });
    grid.focus();
    await userEvent.keyboard('{End}');
    // jsdom moves scrollTop without the scroll event a browser sends: send it
    fireEvent.scroll(grid);
    const last = screen.getByTestId(ids.row(sketchId('c99')));
    expect(grid).toHaveAttribute('aria-activedescendant', last.id);
    // c99 lasts 64 ms: 38th by duration, far below the first screen of rows
    await userEvent.click(screen.getByTestId(ids.sort('duration')));
    fireEvent.scroll(grid);
    const moved = screen.getByTestId(ids.row(sketchId('c99')));
    expect(moved).toHaveAttribute('aria-rowindex', String(37 + 2));
    expect(grid).toHaveAttribute('aria-activedescendant', moved.id);
    expect(grid.scrollTop).toBeGreaterThan(0);
  });

  it('keeps Service and Name in view when the grid scrolls sideways', () => {
    renderTable(recorded());
    const [service, name, kind] = within(screen.getByTestId(ids.row(ROOT))).getAllByRole('gridcell');
    expect(getComputedStyle(service).position).toBe('sticky');
    expect(getComputedStyle(service).left).toBe('0px');
    expect(getComputedStyle(name).position).toBe('sticky');
    expect(getComputedStyle(name).left).toBe('150px');
    expect(getComputedStyle(kind).position).not.toBe('sticky');
    // opaque, so that the columns scrolled under them do not show through
    expect(getComputedStyle(name).backgroundColor).not.toMatch(/^(transparent|rgba\(0, 0, 0, 0\))?$/);
    expect(getComputedStyle(header('name')).position).toBe('sticky');
  });

  it('shows hostile span text as text, its bidirectional controls isolated', async () => {
    renderTable(parseTrace(payloadTrace()));
    await userEvent.click(screen.getByTestId(ids.addColumn));
    // two columns in one opening of the picker
    await userEvent.click(screen.getByTestId(ids.pickerKey(RLO_KEY)));
    await userEvent.click(screen.getByTestId(ids.pickerKey('escape.text')));
    const grid = screen.getByTestId(ids.grid);
    // markup in names stays text
    expect(grid).toHaveTextContent(IMG);
    expect(grid).toHaveTextContent(`GET /search?q=${SCRIPT}`);
    expect(grid.querySelector('img, script')).toBeNull();
    const row = screen.getByTestId(ids.row('00000000000000a1'));
    expect(row).toHaveTextContent(RLO_SERVICE);
    expect(row).toHaveTextContent(RLO_VALUE);
    expect(row).toHaveTextContent(PDI_ESCAPE.slice(1)); // the stray PDI dropped
    // every text node with a bidi control is inside a <bdi>; titles hold theirs inside FSI ... PDI
    const walker = document.createTreeWalker(screen.getByTestId(ids.container), NodeFilter.SHOW_TEXT);
    let isolated = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (BIDI_CONTROLS.test((node as Text).data)) {
        expect(node.parentElement?.closest('bdi')).not.toBeNull();
        isolated++;
      }
    }
    expect(isolated).toBeGreaterThanOrEqual(4); // service, key header, value, escape text
    for (const el of Array.from(screen.getByTestId(ids.container).querySelectorAll('[title], [aria-label]'))) {
      for (const attr of ['title', 'aria-label']) {
        const text = el.getAttribute(attr) ?? '';
        let depth = 0;
        for (const ch of text) {
          depth += ch === '\u2068' ? 1 : ch === '\u2069' ? -1 : 0;
          if (depth === 0 && ch !== '\u2069' && BIDI_CONTROLS.test(ch)) {
            throw new Error(`${attr} ${JSON.stringify(text)} lets a bidi control out`);
          }
        }
      }
    }
  });
});
