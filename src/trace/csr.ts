/**
 * Children in CSR form from a parent array (-1 for none): `index[offset[p] .. offset[p + 1])` are p's children and
 * `roots` the ids without a parent, each in id order (a stable counting sort by parent). Linear; the path tree,
 * the flame graph's boxes and the diff's merged tree all need it.
 */
export interface CsrChildren {
  offset: Int32Array;
  index: Int32Array;
  roots: Int32Array;
}

export function csrChildren(parent: ArrayLike<number>, n = parent.length): CsrChildren {
  const offset = new Int32Array(n + 1);
  let rootCount = 0;
  for (let id = 0; id < n; id++) {
    if (parent[id] >= 0) {
      offset[parent[id] + 1]++;
    } else {
      rootCount++;
    }
  }
  for (let id = 0; id < n; id++) {
    offset[id + 1] += offset[id];
  }
  const index = new Int32Array(offset[n]);
  const fill = offset.slice(0, n);
  const roots = new Int32Array(rootCount);
  let r = 0;
  for (let id = 0; id < n; id++) {
    if (parent[id] >= 0) {
      index[fill[parent[id]]++] = id;
    } else {
      roots[r++] = id;
    }
  }
  return { offset, index, roots };
}
