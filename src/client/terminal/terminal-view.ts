// What the page needs from a terminal widget. The transport only sees this interface, so
// the widget (xterm.js today) and the WebSocket connection stay independent.
export interface TerminalView {
  write(data: string): void;
  /** Keystrokes typed by the learner. Returns a function that removes the listener. */
  onData(listener: (data: string) => void): () => void;
  /** The visible size changed (window resize, divider drag). */
  onResize(listener: (size: { cols: number; rows: number }) => void): () => void;
  size(): { cols: number; rows: number };
  focus(): void;
  clear(): void;
}
