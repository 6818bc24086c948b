/**
 * @jest-environment node
 */
import { RecentCache } from './recent';

describe('RecentCache', () => {
  it('keeps the entries used last, dropping the one used longest ago', () => {
    const cache = new RecentCache<number>(3);
    for (const [i, key] of ['a', 'b', 'c'].entries()) {
      cache.set(key, i);
    }
    expect(cache.get('a')).toBe(0); // a is now the newest
    cache.set('d', 3); // drops b
    expect(cache.keys()).toEqual(['c', 'a', 'd']);
    expect(cache.get('b')).toBeUndefined();
    cache.set('c', 9); // rewriting refreshes too
    cache.set('e', 4); // drops a
    expect(cache.keys()).toEqual(['d', 'c', 'e']);
    expect(cache.get('c')).toBe(9);
  });

  it('never holds more than its size, however many views are tried', () => {
    const cache = new RecentCache<number>(8);
    for (let i = 0; i < 1000; i++) {
      cache.set(`view-${i}`, i);
    }
    expect(cache.keys()).toHaveLength(8);
    expect(cache.keys()[0]).toBe('view-992');
  });
});
