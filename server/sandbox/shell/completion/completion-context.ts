// Where the cursor sits in a command line, as bash's completion sees it: the words of the
// simple command being typed (quotes and backslashes removed) and the partial word before
// the cursor. Only the text before the cursor matters, as for bash.

export interface CompletionContext {
  /** Words of the current simple command before the one being completed, unquoted. */
  words: string[];
  /** The partial word before the cursor, unquoted. */
  word: string;
  /** Index in the line where the partial word starts (its opening quote, if any). */
  start: number;
  /** The quote the partial word is inside of, if it is still open at the cursor. */
  quote?: "'" | '"';
  /** The word is the target of a redirection (`> file`, `< file`): it names a file. */
  redirect: boolean;
}

interface WordBuilder {
  start: number;
  value: string;
  redirect: boolean;
}

// Characters that end a simple command; the next word is a command name again.
const COMMAND_SEPARATORS = new Set([";", "&", "|", "(", ")", "\n", "`"]);

export function parseCompletionContext(line: string, cursor: number): CompletionContext {
  const text = line.slice(0, Math.max(0, Math.min(cursor, line.length)));
  let words: WordBuilder[] = [];
  let current: WordBuilder | undefined;
  let quote: "'" | '"' | undefined;
  let redirectPending = false;

  const begin = (index: number): WordBuilder => {
    current ??= { start: index, value: "", redirect: redirectPending };
    redirectPending = false;
    return current;
  };
  const finish = () => {
    if (current !== undefined) words.push(current);
    current = undefined;
  };

  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? "";
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else begin(index).value += char;
      continue;
    }
    if (quote === '"') {
      const next = text[index + 1];
      if (char === '"') quote = undefined;
      else if (char === "\\" && next !== undefined && '$`"\\\n'.includes(next)) {
        begin(index).value += next;
        index++;
      } else begin(index).value += char;
      continue;
    }
    if (char === "\\") {
      const next = text[index + 1];
      const word = begin(index);
      if (next !== undefined && next !== "\n") word.value += next;
      index++;
      continue;
    }
    if (char === "'" || char === '"') {
      begin(index);
      quote = char;
      continue;
    }
    if (char === " " || char === "\t") {
      finish();
      continue;
    }
    if (char === "<" || char === ">") {
      // `2>` names a file descriptor, not a word of the command.
      if (current !== undefined && /^\d+$/.test(current.value)) current = undefined;
      finish();
      while (text[index + 1] === ">" || text[index + 1] === "<" || text[index + 1] === "&" || text[index + 1] === "|") index++;
      redirectPending = true;
      continue;
    }
    if (COMMAND_SEPARATORS.has(char)) {
      current = undefined;
      words = [];
      redirectPending = false;
      continue;
    }
    begin(index).value += char;
  }

  const args = words.filter((word) => !word.redirect).map((word) => word.value);
  const open = current as WordBuilder | undefined;
  if (open === undefined) {
    return { words: args, word: "", start: text.length, redirect: redirectPending };
  }
  const context: CompletionContext = { words: args, word: open.value, start: open.start, redirect: open.redirect };
  if (quote !== undefined) context.quote = quote;
  return context;
}
