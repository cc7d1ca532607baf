// Column alignment of Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3,
// pad with spaces): a column is as wide as its widest cell plus 3, at least 6; the last cell
// of a line is never padded. A line without tabs ends every column block.

const MIN_WIDTH = 6;
const PADDING = 3;

function width(text: string): number {
  return [...text].length;
}

/** Aligns rows of cells (already split) into text with a trailing newline per row. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const out: string[] = [];
  let block: (readonly string[])[] = [];
  const flush = (): void => {
    if (block.length === 0) return;
    const columns = Math.max(...block.map((row) => row.length));
    const widths: number[] = [];
    for (let column = 0; column < columns - 1; column++) {
      let widest = 0;
      for (const row of block) {
        if (column < row.length - 1) widest = Math.max(widest, width(row[column] ?? ''));
      }
      widths.push(Math.max(widest + PADDING, MIN_WIDTH));
    }
    for (const row of block) {
      let line = '';
      row.forEach((cell, index) => {
        line += index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - width(cell));
      });
      out.push(line);
    }
    block = [];
  };
  for (const row of rows) {
    if (row.length <= 1) {
      flush();
      out.push(row[0] ?? '');
    } else {
      block.push(row);
    }
  }
  flush();
  return out.map((line) => `${line}\n`).join('');
}
