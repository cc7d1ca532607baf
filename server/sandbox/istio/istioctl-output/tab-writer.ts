// Go's text/tabwriter as istioctl configures it (minwidth 0, tabwidth 8, padchar ' ', no
// flags): cells end at a tab, a column's width is set per block of consecutive lines that
// have that column, and the text after a line's last tab is written unpadded.

function width(text: string): number {
  return [...text].length;
}

export function tabWrite(lines: readonly string[], padding: number): string {
  const cells = lines.map((line) => line.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const line = cells[i] as string[];
      let text = '';
      line.forEach((cell, j) => {
        if (j < line.length - 1 && j < widths.length) text += cell + ' '.repeat(Math.max(0, (widths[j] as number) - width(cell)));
        else text += cell;
      });
      out.push(text);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let current = line0; current < line1; current++) {
      if (column >= (cells[current] as string[]).length - 1) continue;
      writeLines(start, current);
      start = current;
      let w = 0;
      for (; current < line1; current++) {
        const line = cells[current] as string[];
        if (column >= line.length - 1) break;
        w = Math.max(w, width(line[column] as string) + padding);
      }
      widths.push(w);
      format(start, current);
      widths.pop();
      start = current;
      current--;
    }
    writeLines(start, line1);
  };

  format(0, cells.length);
  return out.map((line) => `${line}\n`).join('');
}
