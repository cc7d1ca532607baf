// The preview panel beside the terminal: an iframe on what the learner's ingress gateway
// serves, so a lesson's page (Bookinfo's stars, an error text) shows as rules change. The
// server hands out the panel's address with the session (GET /api/sessions/:id); the
// iframe loads it directly and the page inside stays an opaque origin.
export interface PreviewSession {
  id: string;
  token: string;
}

export interface PreviewPanelParts {
  toggle: HTMLButtonElement;
  panel: HTMLElement;
  form: HTMLFormElement;
  path: HTMLInputElement;
  frame: HTMLIFrameElement;
  status: HTMLElement;
}

export interface PreviewPanelOptions {
  parts: PreviewPanelParts;
  /** The terminal's current session, or null before it has one. */
  session: () => PreviewSession | null;
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Called after the panel opens or closes (the terminal refits its grid). */
  onLayout?: () => void;
}

/** Joins the panel's base address and a path typed by the learner. */
export function previewAddress(base: string, path: string): string {
  const trimmed = path.trim();
  const relative = trimmed.startsWith("/") ? trimmed.slice(1) : trimmed;
  return `${base.endsWith("/") ? base : `${base}/`}${relative}`;
}

export function mountPreviewPanel(options: PreviewPanelOptions): () => void {
  const { toggle, panel, form, path, frame, status } = options.parts;
  const request = options.fetch ?? ((input, init) => fetch(input, init));
  let base: { session: string; address: string } | null = null;

  const say = (text: string): void => {
    status.textContent = text;
    status.hidden = text === "";
  };

  const load = async (): Promise<void> => {
    const session = options.session();
    if (session === null) {
      say("The preview opens once the terminal has a session.");
      return;
    }
    if (base?.session !== session.id) {
      const response = await request(`/api/sessions/${encodeURIComponent(session.id)}`, { headers: { authorization: `Bearer ${session.token}` } });
      if (!response.ok) {
        say("The session has ended; start a new one in the terminal to preview again.");
        return;
      }
      const body = (await response.json()) as { preview?: unknown };
      if (typeof body.preview !== "string") {
        say("This server cannot show a preview.");
        return;
      }
      base = { session: session.id, address: body.preview };
    }
    say("");
    frame.src = previewAddress(base.address, path.value);
  };

  const setOpen = (open: boolean): void => {
    panel.hidden = !open;
    toggle.setAttribute("aria-pressed", String(open));
    options.onLayout?.();
    if (open) void load().catch(() => say("The preview could not be loaded. Check the connection and press Open."));
  };

  const onToggle = (): void => setOpen(panel.hidden === true);
  const onSubmit = (event: Event): void => {
    event.preventDefault();
    void load().catch(() => say("The preview could not be loaded. Check the connection and press Open."));
  };
  toggle.addEventListener("click", onToggle);
  form.addEventListener("submit", onSubmit);
  return () => {
    toggle.removeEventListener("click", onToggle);
    form.removeEventListener("submit", onSubmit);
  };
}
