// Resume without gaps or duplicates: the client counts the UTF-16 code units of output it
// has written to the screen, and every server chunk says at which offset its text starts.

export interface OutputChunk {
  /** Where `data` starts in the session's output, in UTF-16 code units. */
  offset: number;
  data: string;
}

export interface AcceptedOutput {
  /** What still has to be written to the screen (may be empty). */
  text: string;
  /** The client's new position: code units written so far, counting lost ones as passed. */
  written: number;
  /** Code units the server no longer had (its buffer overflowed while we were away). */
  lost: number;
}

/**
 * Decide what of `chunk` to write when `written` code units are already on the screen.
 * Text below `written` was shown before a reconnect and is dropped; a chunk that starts
 * beyond `written` means output was lost on the server, and what arrives is written as is.
 */
export function acceptOutput(written: number, chunk: OutputChunk): AcceptedOutput {
  const end = chunk.offset + chunk.data.length;
  if (end <= written) return { text: "", written, lost: 0 };
  if (chunk.offset <= written) {
    return { text: chunk.data.slice(written - chunk.offset), written: end, lost: 0 };
  }
  return { text: chunk.data, written: end, lost: chunk.offset - written };
}
