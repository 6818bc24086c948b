/** @jest-environment node */
import { nextSort } from './sorting';

describe('nextSort', () => {
  it('starts a column in its natural direction and reverses it on each further click', () => {
    const first = nextSort(null, 'duration', true);
    expect(first).toEqual({ column: 'duration', desc: true });
    const second = nextSort(first, 'duration', true);
    expect(second).toEqual({ column: 'duration', desc: false });
    expect(nextSort(second, 'duration', true)).toEqual({ column: 'duration', desc: true });
    expect(nextSort(second, 'name', false)).toEqual({ column: 'name', desc: false });
    expect(nextSort({ column: 'name', desc: false }, 'name', false)).toEqual({ column: 'name', desc: true });
  });
});
