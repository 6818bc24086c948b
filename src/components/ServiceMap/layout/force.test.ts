/** @jest-environment node */
import { boundsOf, callRanks } from './force';

/** callRanks' input from edges between nodes 0..n-1. */
function ranksOf(n: number, edges: Array<[number, number]>): number[] {
  const out: number[][] = Array.from({ length: n }, () => []);
  const inDegree = new Array<number>(n).fill(0);
  for (const [s, t] of edges) {
    out[s].push(t);
    inDegree[t]++;
  }
  return callRanks(n, out, inDegree);
}

describe('callRanks', () => {
  it('ranks by the nearest caller, over several entry points and a cycle no one enters', () => {
    // 0 -> 1 -> 2 -> 3 and 4 -> 3 (3 is one call from 4); 5 <-> 6 has no entry: starts at 5
    expect(
      ranksOf(7, [
        [0, 1],
        [1, 2],
        [2, 3],
        [4, 3],
        [5, 6],
        [6, 5],
      ])
    ).toEqual([0, 1, 2, 3, 0, 0, 1]);
  });

  it('ranks a wide fan-out and a long chain (one queue for all visits)', () => {
    const n = 20_001;
    // node 0 calls 10,000 services, each of which calls one more
    const edges: Array<[number, number]> = [];
    for (let i = 1; i <= 10_000; i++) {
      edges.push([0, i], [i, i + 10_000]);
    }
    const rank = ranksOf(n, edges);
    expect(rank[0]).toBe(0);
    expect(rank.slice(1, 10_001).every((r) => r === 1)).toBe(true);
    expect(rank.slice(10_001).every((r) => r === 2)).toBe(true);
    const chain = ranksOf(
      5_000,
      Array.from({ length: 4_999 }, (_, i) => [i, i + 1] as [number, number])
    );
    expect(chain[4_999]).toBe(4_999);
  });
});

describe('boundsOf', () => {
  it('is the tightest box around nodes centred on their positions; zero for none', () => {
    const nodes = [
      { id: 'a', width: 10, height: 20 },
      { id: 'b', width: 4, height: 2 },
    ];
    expect(boundsOf(nodes, { a: { x: 0, y: 0 }, b: { x: 100, y: -50 } })).toEqual({
      x: -5,
      y: -51,
      width: 107,
      height: 61,
    });
    expect(boundsOf([], {})).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });
});
