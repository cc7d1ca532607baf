// The page's terminal session, for other parts of the page (the steps panel's Check button)
// that act on the same sandbox. The terminal registers where its session can be read.
export interface PageSession {
  id: string;
  token: string;
  /** The server said its sandbox is ready (not still starting): checks can reach it. */
  ready: boolean;
}

let source: (() => PageSession | null) | null = null;

export function setSessionSource(read: (() => PageSession | null) | null): void {
  source = read;
}

/** The session of the page's terminal, or null before it has one (or without a terminal). */
export function currentSession(): PageSession | null {
  return source?.() ?? null;
}
