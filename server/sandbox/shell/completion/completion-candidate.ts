// One possible completion of a word, and how a list of them is tidied for the terminal.

export interface CompletionCandidate {
  /** The whole word the partial word becomes, unquoted (`samples/bookinfo/`). */
  value: string;
  /** How it appears in a listing of candidates (`bookinfo/`), as bash shows only the last path part. */
  display: string;
}

/** Sorted by value in byte order (bash's C locale), each value once. */
export function tidyCandidates(candidates: Iterable<CompletionCandidate>): CompletionCandidate[] {
  const byValue = new Map<string, CompletionCandidate>();
  for (const candidate of candidates) if (!byValue.has(candidate.value)) byValue.set(candidate.value, candidate);
  return [...byValue.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** Candidates whose value is the word itself followed by anything, shown as themselves. */
export function wordsStartingWith(word: string, names: Iterable<string>): CompletionCandidate[] {
  const found: CompletionCandidate[] = [];
  for (const name of names) if (name.startsWith(word)) found.push({ value: name, display: name });
  return found;
}
