import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parseTrace } from '../../trace';
import { SpanSketch, sketchToOtlp } from '../../testing/traces';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { testIds } from '../testIds';
import { StatsView } from './StatsView';

const ids = testIds.traceViews;

withJsdomLayout({ width: 1200, height: 700 });
jest.setTimeout(30_000);

describe('StatsView', () => {
  it('by service, moving the active row re-renders that row, not every row in view', async () => {
    // 20 services, one span each, all in view.
    const spans: SpanSketch[] = [{ id: 'root', start: 0, end: 1000, service: 's00' }];
    for (let i = 1; i < 20; i++) {
      spans.push({
        id: `c${i}`,
        parent: 'root',
        start: i * 10,
        end: i * 10 + 5,
        service: `s${String(i).padStart(2, '0')}`,
      });
    }
    const trace = parseTrace(sketchToOtlp(spans));
    const onFilter = jest.fn();
    render(<StatsView trace={trace} height={800} onFilter={onFilter} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Service' }));
    const grid = screen.getByTestId(ids.statsTable);
    expect(within(grid).getAllByRole('row')).toHaveLength(21);

    // Each row's render writes its span count with toLocaleString (the summary line writes two numbers).
    const toLocale = jest.spyOn(Number.prototype, 'toLocaleString');
    try {
      fireEvent.keyDown(grid, { key: 'ArrowDown' });
      expect(within(grid).getAllByRole('row', { selected: true })).toHaveLength(1);
      expect(toLocale.mock.calls.length).toBeLessThan(8);
    } finally {
      toLocale.mockRestore();
    }
  });

  it('header and rows scroll in one box (a sideways scroll moves both), at least as wide as the columns need', () => {
    const trace = parseTrace(
      sketchToOtlp([
        { id: 'root', start: 0, end: 1000, service: 'gateway', name: 'GET /' },
        { id: 'c', parent: 'root', start: 10, end: 900, service: 'gateway', name: 'GET /' },
      ])
    );
    render(<StatsView trace={trace} height={600} onFilter={jest.fn()} />);
    const grid = screen.getByTestId(ids.statsTable);
    const [header, firstRow] = within(grid).getAllByRole('row');
    // The same scrolling ancestor: the one the header sticks to is the one the rows move in.
    const scroller = (el: HTMLElement) => {
      let p = el.parentElement;
      while (p && getComputedStyle(p).overflow !== 'auto') {
        p = p.parentElement;
      }
      return p;
    };
    expect(scroller(header)).not.toBeNull();
    expect(scroller(header)).toBe(scroller(firstRow));
    expect(parseInt((header.parentElement!.parentElement as HTMLElement).style.minWidth, 10)).toBeGreaterThan(800);
    // Total is explained: nested spans of one group each count (here 1,000 + 890 µs in a 1,000 µs trace).
    expect(screen.getByTestId(ids.statsHeader('totalNs')).querySelector('button')!.title).toMatch(/can exceed the trace/);
  });
});
