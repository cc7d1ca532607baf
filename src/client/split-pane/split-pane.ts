import { clampRatio, DEFAULT_SPLIT_RATIO, ratioAfterKey, ratioFromPointer, ratioToPercent } from "./split-ratio.ts";
import type { SplitLimits } from "./split-ratio.ts";

/** localStorage key for the learner's last divider position (a number between 0 and 1). */
export const SPLIT_STORAGE_KEY = "mesh-academy:split-ratio";

/** Below this width the panes stack (prose above, terminal below); keep in step with the CSS. */
export const STACKED_QUERY = "(max-width: 899.98px)";

const MIN_PANE_SIZE = 220;

/**
 * Makes `[data-split-pane]` resizable. Its divider (`[role=separator]`) follows a mouse or a
 * finger (pointer events, captured so the terminal underneath cannot steal the drag) and the
 * keyboard (arrows, Page Up/Down, Home, End, Enter resets). The pane only sets the panes'
 * sizes; the terminal refits itself when its container changes size.
 */
export function setUpSplitPane(root: HTMLElement): void {
  const divider = root.querySelector<HTMLElement>(":scope > [role='separator']");
  if (!divider) return;
  const stacked = window.matchMedia(STACKED_QUERY);

  const axisRect = (): { start: number; size: number } => {
    const rect = root.getBoundingClientRect();
    return stacked.matches ? { start: rect.top, size: rect.height } : { start: rect.left, size: rect.width };
  };
  const limits = (): SplitLimits => ({ containerSize: axisRect().size, minPaneSize: MIN_PANE_SIZE });

  let ratio = clampRatio(readStoredRatio(), limits());
  let resizeQueued = false;

  const render = (): void => {
    root.style.setProperty("--split-first", `${ratio}fr`);
    root.style.setProperty("--split-second", `${1 - ratio}fr`);
    divider.setAttribute("aria-orientation", stacked.matches ? "horizontal" : "vertical");
    divider.setAttribute("aria-valuemin", String(ratioToPercent(clampRatio(0, limits()))));
    divider.setAttribute("aria-valuemax", String(ratioToPercent(clampRatio(1, limits()))));
    divider.setAttribute("aria-valuenow", String(ratioToPercent(ratio)));
    divider.setAttribute("aria-valuetext", `Lesson ${ratioToPercent(ratio)}%, terminal ${100 - ratioToPercent(ratio)}%`);
    // Widgets that only listen to window resizes (e.g. a terminal fit) also learn of the change.
    if (!resizeQueued) {
      resizeQueued = true;
      requestAnimationFrame(() => {
        resizeQueued = false;
        window.dispatchEvent(new Event("resize"));
      });
    }
  };
  const update = (next: number): void => {
    if (next === ratio) return;
    ratio = next;
    render();
  };
  const remember = (): void => {
    try {
      localStorage.setItem(SPLIT_STORAGE_KEY, String(ratio));
    } catch {
      // Without storage the divider still works; it just forgets on reload.
    }
  };

  divider.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    divider.setPointerCapture(event.pointerId);
    root.classList.add("is-dragging");
    divider.focus({ preventScroll: true });
  });
  divider.addEventListener("pointermove", (event) => {
    if (!divider.hasPointerCapture(event.pointerId)) return;
    const { start } = axisRect();
    update(ratioFromPointer(stacked.matches ? event.clientY : event.clientX, start, limits()));
  });
  const endDrag = (event: PointerEvent): void => {
    if (!divider.hasPointerCapture(event.pointerId)) return;
    divider.releasePointerCapture(event.pointerId);
    root.classList.remove("is-dragging");
    remember();
  };
  divider.addEventListener("pointerup", endDrag);
  divider.addEventListener("pointercancel", endDrag);

  divider.addEventListener("keydown", (event) => {
    const next = ratioAfterKey(event.key, ratio, limits());
    if (next === undefined) return;
    event.preventDefault();
    update(next);
    remember();
  });

  // A different window size or orientation changes what the limits allow.
  stacked.addEventListener("change", () => {
    ratio = clampRatio(ratio, limits());
    render();
  });
  new ResizeObserver(() => update(clampRatio(ratio, limits()))).observe(root);

  render();
}

function readStoredRatio(): number {
  try {
    const stored = localStorage.getItem(SPLIT_STORAGE_KEY);
    return stored === null ? DEFAULT_SPLIT_RATIO : Number(stored);
  } catch {
    return DEFAULT_SPLIT_RATIO;
  }
}
