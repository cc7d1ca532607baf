// Brings a <Terminal> component's markup to life: the xterm view, the connection, the
// toolbar that shows where the connection stands, and the page events it listens to.
import { mountPreviewPanel } from "../preview/preview-panel.ts";
import { setSessionSource } from "./current-session.ts";
import { listenForRunCommands } from "./run-command-events.ts";
import type { KeyValueStorage } from "./session-store.ts";
import { TerminalConnection, type ConnectionSnapshot } from "./terminal-connection.ts";
import { XtermTerminalView } from "./xterm-terminal-view.ts";

export interface MountedTerminal {
  readonly connection: TerminalConnection;
  readonly view: XtermTerminalView;
  dispose(): void;
}

const mounted = new WeakMap<HTMLElement, MountedTerminal>();

function stateLabel(snapshot: ConnectionSnapshot): string {
  switch (snapshot.state) {
    case "connecting":
      return "Connecting…";
    case "connected":
      return snapshot.progress === null ? "Connected" : "Starting sandbox…";
    case "reconnecting":
      return "Reconnecting…";
    case "ended":
      return snapshot.endReason === "refused" ? "No session" : "Session ended";
    case "taken-over":
      return "Open in another tab";
  }
}

function pageSessionStorage(): KeyValueStorage | null {
  // Reading the property itself throws where storage is blocked.
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function part<T extends Element>(root: HTMLElement, selector: string, type: new () => T): T {
  const element = root.querySelector(selector);
  if (!(element instanceof type)) throw new Error(`Terminal markup is missing ${selector}`);
  return element;
}

/** Mounts the terminal in `root` (the component's element); mounting twice returns the first. */
export function mountTerminal(root: HTMLElement): MountedTerminal {
  const existing = mounted.get(root);
  if (existing) return existing;

  const screen = part(root, "[data-terminal-screen]", HTMLElement);
  const label = part(root, "[data-terminal-label]", HTMLElement);
  const progress = part(root, "[data-terminal-progress]", HTMLProgressElement);
  const notice = part(root, "[data-terminal-notice]", HTMLElement);
  const watched = part(root, "[data-terminal-watched]", HTMLElement);
  const newSession = part(root, '[data-terminal-action="new-session"]', HTMLButtonElement);
  const reconnect = part(root, '[data-terminal-action="reconnect"]', HTMLButtonElement);

  const view = new XtermTerminalView(screen);
  const start = root.dataset.sandboxStart;
  const connection = new TerminalConnection({
    view,
    pageUrl: window.location.href,
    storage: pageSessionStorage(),
    ...(start !== undefined && start !== "" ? { start } : {}),
  });

  const render = (snapshot: ConnectionSnapshot): void => {
    const hadFocus = root.contains(document.activeElement) && document.activeElement !== newSession;
    root.dataset.state = snapshot.state;
    label.textContent = stateLabel(snapshot);
    progress.hidden = snapshot.progress === null;
    progress.value = Math.round((snapshot.progress ?? 0) * 100);
    notice.textContent = snapshot.message ?? "";
    notice.hidden = snapshot.message === null;
    // Learners are always told when their terminal is shown to someone else.
    watched.hidden = snapshot.watchers === 0;
    root.dataset.watched = String(snapshot.watchers > 0);
    newSession.hidden = snapshot.state !== "ended";
    reconnect.hidden = snapshot.state !== "taken-over";
    // Someone typing in the terminal when it ends should land on the way forward.
    if (hadFocus && snapshot.state === "ended") newSession.focus();
    if (hadFocus && snapshot.state === "taken-over") reconnect.focus();
  };

  const cleanups: Array<() => void> = [
    connection.onChange(render),
    listenForRunCommands(window, (command) => connection.run(command)),
    mountPreviewPanel({
      parts: {
        toggle: part(root, '[data-terminal-action="preview"]', HTMLButtonElement),
        panel: part(root, "[data-terminal-preview]", HTMLElement),
        form: part(root, "[data-preview-form]", HTMLFormElement),
        path: part(root, "[data-preview-path]", HTMLInputElement),
        frame: part(root, "[data-preview-frame]", HTMLIFrameElement),
        status: part(root, "[data-preview-status]", HTMLElement),
      },
      session: () => connection.session(),
      onLayout: () => view.fit(),
    }),
  ];
  const on = (target: EventTarget, type: string, listener: () => void): void => {
    target.addEventListener(type, listener);
    cleanups.push(() => target.removeEventListener(type, listener));
  };
  // Back online, or back to this tab after a while: do not sit out the rest of a backoff wait.
  on(window, "online", () => connection.retryNow());
  on(document, "visibilitychange", () => {
    if (document.visibilityState === "visible") connection.retryNow();
  });
  on(newSession, "click", () => {
    connection.startNewSession();
    view.focus();
  });
  on(reconnect, "click", () => {
    connection.reconnectHere();
    view.focus();
  });

  setSessionSource(() => {
    const session = connection.session();
    return session === null ? null : { id: session.id, token: session.token, ready: connection.sandboxReady() };
  });
  cleanups.push(() => setSessionSource(null));
  render(connection.snapshot());
  connection.start();

  const handle: MountedTerminal = {
    connection,
    view,
    dispose() {
      for (const cleanup of cleanups.splice(0)) cleanup();
      connection.dispose();
      view.dispose();
      mounted.delete(root);
    },
  };
  mounted.set(root, handle);
  return handle;
}
