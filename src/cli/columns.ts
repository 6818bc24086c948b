/**
 * A plain-text table's line printer: each column as wide as its widest cell (header included, counted in code
 * points so that names outside the BMP line up), the columns flagged in `right` right-aligned, two spaces apart,
 * no trailing spaces.
 */
export function columnPrinter(header: string[], rows: string[][], right: boolean[]): (cells: string[]) => string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]].length)));
  return (cells) =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(widths[i] - [...c].length);
        return right[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
}
