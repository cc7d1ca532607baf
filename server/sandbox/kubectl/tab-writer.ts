// Go's text/tabwriter, as kubectl configures it: cells end at tabs, and a column is formatted
// per block of consecutive lines that all have a tab-terminated cell in it, as wide as its
// widest cell plus the padding (at least minwidth). The text after a line's last tab is
// never padded. `get` uses minwidth 6 and padding 3; `describe` minwidth 0 and padding 2.

export interface TabWriterOptions {
  minWidth: number;
  padding: number;
}

const TABLE: TabWriterOptions = { minWidth: 6, padding: 3 };

function width(text: string): number {
  return [...text].length;
}

/** Formats text whose cells are separated by tabs, line by line. */
export function tabwrite(text: string, options: TabWriterOptions = TABLE): string {
  const trailingNewline = text.endsWith('\n');
  const lines = (trailingNewline ? text.slice(0, -1) : text).split('\n').map((line) => line.split('\t'));
  const out: string[] = new Array(lines.length);
  const widths: number[] = [];
  const writeLines = (from: number, to: number): void => {
    for (let index = from; index < to; index++) {
      const cells = lines[index] ?? [];
      out[index] = cells
        .map((cell, column) => (column < widths.length && column < cells.length - 1 ? cell + ' '.repeat(Math.max(0, (widths[column] ?? 0) - width(cell))) : cell))
        .join('');
    }
  };
  const format = (start: number, end: number): void => {
    const column = widths.length;
    let line0 = start;
    for (let current = start; current < end; current++) {
      if (column >= (lines[current]?.length ?? 0) - 1) continue;
      writeLines(line0, current);
      line0 = current;
      let columnWidth = options.minWidth;
      for (; current < end; current++) {
        const cells = lines[current] ?? [];
        if (column >= cells.length - 1) break;
        columnWidth = Math.max(columnWidth, width(cells[column] ?? '') + options.padding);
      }
      widths.push(columnWidth);
      format(line0, current);
      widths.pop();
      line0 = current;
      current--;
    }
    writeLines(line0, end);
  };
  format(0, lines.length);
  return out.join('\n') + (trailingNewline ? '\n' : '');
}

/** Aligns rows of cells (kubectl's table printer: cells joined by tabs, one row per line). */
export function formatColumns(rows: readonly (readonly string[])[], options: TabWriterOptions = TABLE): string {
  if (rows.length === 0) return '';
  return tabwrite(`${rows.map((row) => row.join('\t')).join('\n')}\n`, options);
}
