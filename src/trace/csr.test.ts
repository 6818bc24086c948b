import { csrChildren } from './csr';

describe('csrChildren', () => {
  it('lists each id’s children and the roots in id order', () => {
    //        0   1  2  3  4   5  6
    const parent = [-1, 0, 0, 1, -1, 4, 0];
    const { offset, index, roots } = csrChildren(Int32Array.from(parent));
    const children = (p: number) => Array.from(index.subarray(offset[p], offset[p + 1]));
    expect(children(0)).toEqual([1, 2, 6]);
    expect(children(1)).toEqual([3]);
    expect(children(4)).toEqual([5]);
    expect(children(3)).toEqual([]);
    expect(Array.from(roots)).toEqual([0, 4]);
    expect(Array.from(offset)).toEqual([0, 3, 4, 4, 4, 5, 5, 5]);
  });

  it('takes the first n ids of a longer array, and a plain array', () => {
    const { offset, index, roots } = csrChildren([-1, 0, 0, 9], 3);
    expect(Array.from(offset)).toEqual([0, 2, 2, 2]);
    expect(Array.from(index)).toEqual([1, 2]);
    expect(Array.from(roots)).toEqual([0]);
    expect(csrChildren([]).roots.length).toBe(0);
  });
});
