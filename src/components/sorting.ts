/**
 * One rule for every sortable table header (Statistics, Span table): a click on another column sorts by it in its
 * natural direction (numbers, and the span table's status, largest first, so the slowest and the failed come
 * first; names A to Z); a click on the sorted column reverses it. Two states only: a click never takes the sort
 * away, and each table has its own way back to its default order (the span table's "Trace order" button).
 */
export interface ColumnSort<C> {
  column: C;
  desc: boolean;
}

export function nextSort<C>(sort: ColumnSort<C> | null, column: C, naturalDesc: boolean): ColumnSort<C> {
  if (sort === null || sort.column !== column) {
    return { column, desc: naturalDesc };
  }
  return { column, desc: !sort.desc };
}
