// bash's listing of completion candidates: sorted down the columns, as many columns as fit
// the terminal, each as wide as the longest candidate plus two spaces (readline's
// rl_display_match_list, byte for byte).

/** Rows of text (without line ends) that list `items` in a terminal `width` columns wide. */
export function candidateColumns(items: readonly string[], width: number): string[] {
  if (items.length === 0) return [];
  const longest = Math.max(...items.map((item) => item.length));
  const columnWidth = longest + 2;
  let columns = Math.max(1, Math.floor(width / columnWidth));
  // A row exactly as wide as the terminal would wrap; readline leaves a column out.
  if (columns > 1 && columns * columnWidth === width) columns--;
  const rows = Math.ceil(items.length / columns);
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    let line = "";
    for (let column = 0; column < columns; column++) {
      const item = items[row + column * rows];
      if (item === undefined) break;
      // Every column but the last is padded, even after a row's final item, as readline does.
      line += column === columns - 1 ? item : item.padEnd(columnWidth);
    }
    lines.push(line);
  }
  return lines;
}
