import { gridKeyTarget, pageRows } from './VirtualGrid';

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
