// The TerminalView of the page: xterm.js sized to its container, themed from CSS custom
// properties so the site's light/dark switch reaches the terminal too.
import { Terminal, type ITheme } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import { WebLinksAddon } from "@xterm/addon-web-links";
import "@xterm/xterm/css/xterm.css";
import type { TerminalView } from "./terminal-view.ts";

/** Dispatched on `window` by the theme switcher after it changes the page's colors. */
export const THEME_CHANGE_EVENT = "mesh-academy:theme";

const FALLBACK_THEME = {
  background: "#0f172a",
  foreground: "#e2e8f0",
  cursor: "#38bdf8",
  selectionBackground: "rgba(56, 189, 248, 0.35)",
} as const;

export interface XtermTerminalViewOptions {
  /** Mirrors output into an accessible DOM tree for screen readers. */
  screenReaderMode?: boolean;
  fontSize?: number;
  scrollback?: number;
}

export class XtermTerminalView implements TerminalView {
  readonly #container: HTMLElement;
  readonly #terminal: Terminal;
  readonly #fit = new FitAddon();
  readonly #resizeObserver: ResizeObserver;
  readonly #onThemeChange = (): void => {
    this.applyTheme();
    // The switcher may still be swapping stylesheets: read once more after the next frame.
    requestAnimationFrame(() => this.applyTheme());
  };
  #fitFrame = 0;
  #disposed = false;

  constructor(container: HTMLElement, options: XtermTerminalViewOptions = {}) {
    this.#container = container;
    if (!container.hasAttribute("aria-label") && !container.hasAttribute("aria-labelledby")) {
      container.setAttribute("aria-label", "Terminal");
    }
    this.#terminal = new Terminal({
      theme: this.#readTheme(),
      fontFamily: getComputedStyle(container).getPropertyValue("--terminal-font").trim() ||
        'ui-monospace, "SFMono-Regular", "Cascadia Mono", Menlo, Consolas, monospace',
      fontSize: options.fontSize ?? 14,
      scrollback: options.scrollback ?? 5000,
      cursorBlink: true,
      screenReaderMode: options.screenReaderMode ?? true,
      allowProposedApi: false,
    });
    this.#terminal.loadAddon(this.#fit);
    this.#terminal.loadAddon(
      new WebLinksAddon((event, uri) => {
        event.preventDefault();
        // noopener: a page opened from terminal output must not script this one.
        window.open(uri, "_blank", "noopener,noreferrer");
      }),
    );
    this.#terminal.open(container);

    this.#resizeObserver = new ResizeObserver(() => this.#scheduleFit());
    this.#resizeObserver.observe(container);
    window.addEventListener(THEME_CHANGE_EVENT, this.#onThemeChange);
    this.fit();
    // Cell size depends on the web font: measure again once it has loaded.
    void document.fonts?.ready.then(() => this.fit());
  }

  write(data: string): void {
    this.#terminal.write(data);
  }

  onData(listener: (data: string) => void): () => void {
    const subscription = this.#terminal.onData(listener);
    return () => subscription.dispose();
  }

  onResize(listener: (size: { cols: number; rows: number }) => void): () => void {
    const subscription = this.#terminal.onResize(({ cols, rows }) => listener({ cols, rows }));
    return () => subscription.dispose();
  }

  size(): { cols: number; rows: number } {
    return { cols: this.#terminal.cols, rows: this.#terminal.rows };
  }

  focus(): void {
    this.#terminal.focus();
  }

  /** Forgets everything on screen, modes included, so a replayed session starts clean. */
  clear(): void {
    this.#terminal.reset();
  }

  /** Resizes the grid to the container now; emits onResize when cols or rows change. */
  fit(): void {
    if (this.#disposed) return;
    // A hidden container (display: none, collapsed panel) measures as zero: keep the old size.
    if (this.#container.clientWidth === 0 || this.#container.clientHeight === 0) return;
    this.#fit.fit();
  }

  /** Re-reads --terminal-bg, --terminal-fg, --terminal-cursor and --terminal-selection. */
  applyTheme(): void {
    if (this.#disposed) return;
    this.#terminal.options.theme = this.#readTheme();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    cancelAnimationFrame(this.#fitFrame);
    this.#resizeObserver.disconnect();
    window.removeEventListener(THEME_CHANGE_EVENT, this.#onThemeChange);
    this.#terminal.dispose();
  }

  #scheduleFit(): void {
    // One fit per frame however many resize notifications arrive (dragging a divider).
    cancelAnimationFrame(this.#fitFrame);
    this.#fitFrame = requestAnimationFrame(() => this.fit());
  }

  #readTheme(): ITheme {
    const style = getComputedStyle(this.#container);
    const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
    const background = read("--terminal-bg", FALLBACK_THEME.background);
    const cursor = read("--terminal-cursor", FALLBACK_THEME.cursor);
    return {
      background,
      foreground: read("--terminal-fg", FALLBACK_THEME.foreground),
      cursor,
      cursorAccent: background,
      selectionBackground: read("--terminal-selection", FALLBACK_THEME.selectionBackground),
    };
  }
}
