// The instructor's view of one learner's terminal: an xterm that is written to and never read
// from. No keystroke listener is attached, and the server would close the socket on any frame.
import type { GridRow } from "../../../server/dashboard/dashboard-protocol.ts";
import { XtermTerminalView } from "../terminal/xterm-terminal-view.ts";
import type { AdminClient } from "./admin-client.ts";
import { openWatch } from "./dashboard-sockets.ts";

export interface WatchPanelParts {
  panel: HTMLElement;
  heading: HTMLElement;
  status: HTMLElement;
  screen: HTMLElement;
  stop: HTMLButtonElement;
}

export class WatchPanel {
  readonly #parts: WatchPanelParts;
  readonly #client: AdminClient;
  readonly #workshopId: string;
  #view: XtermTerminalView | undefined;
  #socket: WebSocket | undefined;
  #watching: string | undefined;

  constructor(parts: WatchPanelParts, client: AdminClient, workshopId: string) {
    this.#parts = parts;
    this.#client = client;
    this.#workshopId = workshopId;
    parts.stop.addEventListener("click", () => this.stop());
  }

  async watch(row: GridRow): Promise<void> {
    this.stop();
    const { panel, heading, status, screen } = this.#parts;
    this.#watching = row.key;
    panel.hidden = false;
    heading.textContent = `Terminal of ${row.displayName} (read-only)`;
    status.textContent = "Connecting…";
    screen.replaceChildren();
    const view = new XtermTerminalView(screen, { scrollback: 2000 });
    this.#view = view;
    let moved = false;
    try {
      this.#socket = await openWatch(
        this.#client,
        this.#workshopId,
        row.key,
        window.location.href,
        (message) => {
          if (this.#view !== view) return;
          if (message.type === "data") view.write(message.data);
          else if (message.state === "moved") moved = true;
          else status.textContent = message.state === "watching" ? `Watching ${row.displayName}; they see a notice while you do.` : (message.message ?? "The terminal has ended.");
        },
        (code) => {
          if (this.#view !== view) return;
          // The learner went on to another terminal (another lesson, a new tab): follow them.
          if (moved) return void this.watch(row);
          if (code !== 1000) status.textContent = code === 1006 ? "This learner has no terminal open right now." : `Watching stopped (${code}).`;
          this.#socket = undefined;
        },
      );
    } catch (error) {
      status.textContent = error instanceof Error ? error.message : "Watching failed.";
    }
  }

  /** The key of the learner being watched, if any. */
  get watching(): string | undefined {
    return this.#watching;
  }

  stop(): void {
    this.#socket?.close(1000, "stopped watching");
    this.#socket = undefined;
    this.#view?.dispose();
    this.#view = undefined;
    this.#watching = undefined;
    this.#parts.panel.hidden = true;
  }
}
