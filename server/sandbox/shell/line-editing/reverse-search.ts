// The state of bash's Ctrl-R reverse incremental history search: the search string, the
// history entry it matches and where, and the states before each typed character so
// Backspace can return to them.

export interface SearchView {
  /** `(reverse-i-search)`query': `, or `(failed reverse-i-search)…` when nothing matches. */
  prompt: string;
  line: string;
  cursor: number;
}

interface Position {
  /** Index into history (0 = newest), -1 for the line being edited when the search began. */
  entry: number;
  /** Where the match starts in that entry. */
  offset: number;
}

interface State extends Position {
  query: string;
  failed: boolean;
}

export class ReverseSearch {
  readonly #history: readonly string[];
  readonly #original: { line: string; cursor: number };
  readonly #lastQuery: string;
  #state: State;
  readonly #previous: State[] = [];

  /**
   * @param history entries, newest first
   * @param original the line being edited when Ctrl-R was pressed
   * @param lastQuery the previous search's string, which Ctrl-R on an empty search reuses
   */
  constructor(history: readonly string[], original: { line: string; cursor: number }, lastQuery = "") {
    this.#history = history;
    this.#original = original;
    this.#lastQuery = lastQuery;
    this.#state = { query: "", failed: false, entry: -1, offset: original.cursor };
  }

  get query(): string {
    return this.#state.query;
  }

  /** Nothing in history matches the search string. */
  get failed(): boolean {
    return this.#state.failed;
  }

  /** The line and cursor as they were when the search began (for Ctrl-G). */
  get original(): { line: string; cursor: number } {
    return { ...this.#original };
  }

  /** Adds typed characters to the search string; the match stays put while it still matches. */
  type(text: string): void {
    this.#previous.push({ ...this.#state });
    const query = this.#state.query + text;
    const here = this.#state.entry;
    const line = here === -1 ? undefined : this.#history[here];
    if (line !== undefined && line.startsWith(query, this.#state.offset)) {
      this.#state = { ...this.#state, query };
      return;
    }
    const found = this.#find(query, here === -1 ? 0 : here, line === undefined ? undefined : this.#state.offset);
    this.#state = found === undefined ? { ...this.#state, query, failed: true } : { ...found, query, failed: false };
  }

  /** Ctrl-R again: the next older match (an empty search takes up the previous search's string). */
  older(): void {
    if (this.#state.query === "") {
      if (this.#lastQuery === "") return;
      this.type(this.#lastQuery);
      return;
    }
    const { entry, offset, query } = this.#state;
    const found = entry === -1 ? this.#find(query, 0, undefined) : this.#find(query, entry, offset - 1);
    if (found === undefined) this.#state = { ...this.#state, failed: true };
    else this.#state = { ...found, query, failed: false };
  }

  /** Backspace: back to the state before the last typed character. */
  backspace(): void {
    const previous = this.#previous.pop();
    if (previous !== undefined) this.#state = previous;
  }

  view(): SearchView {
    const { query, failed, entry, offset } = this.#state;
    const prompt = `(${failed ? "failed " : ""}reverse-i-search)\`${query}': `;
    if (entry === -1) return { prompt, ...this.#original };
    return { prompt, line: this.#history[entry] ?? "", cursor: offset };
  }

  /** The line and cursor the search leaves in the editor when accepted. */
  accepted(): { line: string; cursor: number } {
    const { line, cursor } = this.view();
    return { line, cursor };
  }

  /**
   * The newest match at or before `offset` in entry `from` (the whole entry when offset is
   * undefined), else in older entries, each searched from its end as bash does.
   */
  #find(query: string, from: number, offset: number | undefined): Position | undefined {
    for (let entry = from; entry < this.#history.length; entry++) {
      const line = this.#history[entry] ?? "";
      const limit = entry === from && offset !== undefined ? offset : line.length;
      if (limit < 0) continue;
      const at = line.lastIndexOf(query, limit);
      if (at !== -1) return { entry, offset: at };
    }
    return undefined;
  }
}
