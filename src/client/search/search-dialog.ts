// Pagefind writes its UI into dist/pagefind/ at build time; it is loaded on first use, never
// bundled, so the search index and the UI always come from the same Pagefind run.
const PAGEFIND_UI_SCRIPT = "/pagefind/pagefind-ui.js";
const PAGEFIND_UI_STYLES = "/pagefind/pagefind-ui.css";

interface PagefindUIOptions {
  element: HTMLElement;
  showSubResults: boolean;
  showImages: boolean;
  autofocus: boolean;
  translations: Record<string, string>;
}
type PagefindUIConstructor = new (options: PagefindUIOptions) => unknown;

let loading: Promise<PagefindUIConstructor> | undefined;

function loadPagefindUI(): Promise<PagefindUIConstructor> {
  loading ??= new Promise<PagefindUIConstructor>((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = PAGEFIND_UI_STYLES;
    document.head.append(link);

    const script = document.createElement("script");
    script.src = PAGEFIND_UI_SCRIPT;
    script.onload = () => {
      const ui = (window as unknown as { PagefindUI?: PagefindUIConstructor }).PagefindUI;
      if (ui) resolve(ui);
      else reject(new Error("Pagefind UI loaded but did not define PagefindUI"));
    };
    script.onerror = () => reject(new Error(`Could not load ${PAGEFIND_UI_SCRIPT}`));
    document.head.append(script);
  }).catch((error: unknown) => {
    loading = undefined; // let a later attempt retry, e.g. after a build finished
    throw error;
  });
  return loading;
}

/**
 * Wires `button[data-search-open]` to open the `dialog[data-search-dialog]` and mounts
 * Pagefind's UI inside it on first open. `/` opens search from anywhere but a text field.
 */
export function setUpSearchDialog(): void {
  const dialog = document.querySelector<HTMLDialogElement>("dialog[data-search-dialog]");
  const mount = dialog?.querySelector<HTMLElement>("[data-search-mount]");
  const status = dialog?.querySelector<HTMLElement>("[data-search-status]");
  if (!dialog || !mount || !status) return;
  let mounted = false;

  const focusInput = (): void => mount.querySelector<HTMLInputElement>("input")?.focus();

  const open = async (): Promise<void> => {
    if (!dialog.open) dialog.showModal();
    if (mounted) return focusInput();
    status.textContent = "Loading search…";
    try {
      const PagefindUI = await loadPagefindUI();
      new PagefindUI({
        element: mount,
        showSubResults: true,
        showImages: false,
        autofocus: true,
        // The form landmark and the field need different names; the field is "Search lessons".
        translations: { placeholder: "Search lessons", search_label: "Lesson search" },
      });
      mounted = true;
      status.textContent = "";
      // Pagefind labels its field with the placeholder; make the accessible name explicit anyway.
      const input = mount.querySelector<HTMLInputElement>("input");
      input?.setAttribute("aria-label", "Search lessons");
      focusInput();
    } catch {
      status.textContent =
        "Search is not available: its index is built with the site (npm run build). Lessons are listed on the home page.";
    }
  };

  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-search-open]")) {
    button.addEventListener("click", () => void open());
  }
  dialog.querySelector<HTMLButtonElement>("button[data-search-close]")?.addEventListener("click", () => dialog.close());
  // A click on the backdrop (the dialog element itself, outside its content) closes it.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || dialog.open || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || target.closest("input, textarea, select, .xterm")))
      return;
    event.preventDefault();
    void open();
  });
}
