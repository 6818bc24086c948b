import React, { useRef } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { gridKeyTarget, pageRows, useKeepActiveInView, useSideOverflow, useVirtualRows } from './VirtualGrid';

withJsdomLayout({ height: 200 });

describe('gridKeyTarget', () => {
  it('moves the active row by arrows, pages, Home and End, clamped to the rows', () => {
    expect(gridKeyTarget('ArrowDown', 3, 10, 4)).toBe(4);
    expect(gridKeyTarget('ArrowDown', 9, 10, 4)).toBe(9);
    expect(gridKeyTarget('ArrowUp', 3, 10, 4)).toBe(2);
    expect(gridKeyTarget('ArrowUp', 0, 10, 4)).toBe(0);
    expect(gridKeyTarget('PageDown', 3, 10, 4)).toBe(7);
    expect(gridKeyTarget('PageDown', 8, 10, 4)).toBe(9);
    expect(gridKeyTarget('PageUp', 3, 10, 4)).toBe(0);
    expect(gridKeyTarget('Home', 5, 10, 4)).toBe(0);
    expect(gridKeyTarget('End', 5, 10, 4)).toBe(9);
  });

  it('without an active row, an arrow starts at the first row and Enter does nothing', () => {
    expect(gridKeyTarget('ArrowDown', -1, 10, 4)).toBe(0);
    expect(gridKeyTarget('ArrowUp', -1, 10, 4)).toBe(0);
    expect(gridKeyTarget('PageDown', -1, 10, 4)).toBe(3);
    expect(gridKeyTarget('Enter', -1, 10, 4)).toBeNull();
    expect(gridKeyTarget('Enter', 2, 10, 4)).toBe('open');
  });

  it('leaves other keys, and every key of an empty grid, to the page', () => {
    expect(gridKeyTarget('a', 2, 10, 4)).toBeNull();
    expect(gridKeyTarget('Tab', 2, 10, 4)).toBeNull();
    expect(gridKeyTarget('ArrowDown', -1, 0, 4)).toBeNull();
    expect(gridKeyTarget('End', -1, 0, 4)).toBeNull();
  });

  it('a page is the rows in view less one, at least one', () => {
    expect(pageRows(320, 32)).toBe(9);
    expect(pageRows(0, 32)).toBe(1);
    expect(gridKeyTarget('PageDown', 0, 10, 0)).toBe(1);
  });
});

const ROW = 20;

/** A bare grid on the two hooks: `rows` in their order, `active` the active row's name. */
function Grid({ rows, active }: { rows: string[]; active: string | null }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualRows({ count: rows.length, rowHeight: ROW, scrollRef, height: 200 });
  const activePos = active === null ? -1 : rows.indexOf(active);
  useKeepActiveInView(rows, activePos, virtualizer, scrollRef);
  return (
    <div ref={scrollRef} data-testid="scroll">
      <div style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((it) => (
          <div key={rows[it.index]}>{rows[it.index]}</div>
        ))}
      </div>
    </div>
  );
}

describe('useKeepActiveInView', () => {
  const names = Array.from({ length: 100 }, (_, i) => `r${i}`);

  function setUp(rows: string[], active: string | null) {
    const view = render(<Grid rows={rows} active={active} />);
    const scroll = screen.getByTestId('scroll');
    // jsdom lays nothing out: the content is the rows' height
    Object.defineProperty(scroll, 'scrollHeight', { get: () => rows.length * ROW });
    return { ...view, scroll };
  }

  it('a new order scrolls to the active row where it went', () => {
    const { rerender, scroll } = setUp(names, 'r30');
    expect(scroll.scrollTop).toBe(0);
    rerender(<Grid rows={[...names].reverse()} active="r30" />);
    // r30 is now the 70th row, centred in the 200 px view
    expect(scroll.scrollTop).toBe(69 * ROW + ROW / 2 - 100);
    // jsdom moves scrollTop without the scroll event a browser sends: send it
    fireEvent.scroll(scroll);
    expect(screen.getByText('r30')).toBeInTheDocument();
  });

  it('a new order without an active row starts from the top', () => {
    const { rerender, scroll } = setUp(names, null);
    scroll.scrollTop = 700;
    rerender(<Grid rows={[...names].reverse()} active={null} />);
    expect(scroll.scrollTop).toBe(0);
  });

  it('the same rows leave the scroll alone, the first render too', () => {
    const { rerender, scroll } = setUp(names, 'r90');
    expect(scroll.scrollTop).toBe(0);
    scroll.scrollTop = 700;
    rerender(<Grid rows={names} active="r50" />);
    expect(scroll.scrollTop).toBe(700);
  });
});

describe('useSideOverflow', () => {
  function Wide() {
    const ref = useRef<HTMLDivElement>(null);
    const { left, right } = useSideOverflow(ref, 1600);
    return (
      <div ref={ref} data-testid="scroller" data-left={left} data-right={right}>
        <div style={{ width: 1600 }} />
      </div>
    );
  }

  it('says which side hides columns, and follows a sideways scroll', () => {
    // jsdom has no layout: the box is 1,000 px wide (withJsdomLayout), its content 1,600 px
    const scrollWidth = jest.spyOn(HTMLElement.prototype, 'scrollWidth', 'get').mockReturnValue(1600);
    try {
      render(<Wide />);
      const el = screen.getByTestId('scroller');
      expect(el).toHaveAttribute('data-left', 'false');
      expect(el).toHaveAttribute('data-right', 'true');
      el.scrollLeft = 300;
      fireEvent.scroll(el);
      expect(el).toHaveAttribute('data-left', 'true');
      expect(el).toHaveAttribute('data-right', 'true');
      el.scrollLeft = 600;
      fireEvent.scroll(el);
      expect(el).toHaveAttribute('data-left', 'true');
      expect(el).toHaveAttribute('data-right', 'false');
    } finally {
      scrollWidth.mockRestore();
    }
  });
});
