import { LessonProgress } from "./lesson-progress.ts";
import type { ProgressStorage } from "./lesson-progress.ts";

function browserStorage(): ProgressStorage {
  try {
    return window.localStorage;
  } catch {
    // Accessing localStorage itself throws when storage is blocked; progress then lasts one page.
    const memory = new Map<string, string>();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => void memory.set(key, value),
      removeItem: (key) => void memory.delete(key),
    };
  }
}

/**
 * Shows and records lesson completion:
 * - `[data-lesson-status="<id>"]` elements get `data-complete="true|false"` and a text label;
 * - `button[data-mark-complete="<id>"]` toggles that lesson (aria-pressed reflects the state).
 */
export function setUpProgress(): void {
  const progress = new LessonProgress(browserStorage());

  const paint = (): void => {
    for (const status of document.querySelectorAll<HTMLElement>("[data-lesson-status]")) {
      const done = progress.isComplete(status.dataset.lessonStatus ?? "");
      status.dataset.complete = String(done);
      status.textContent = done ? "Done" : "Not started";
    }
    for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-mark-complete]")) {
      const done = progress.isComplete(button.dataset.markComplete ?? "");
      button.setAttribute("aria-pressed", String(done));
      button.textContent = done ? "Lesson done ✓" : "Mark lesson as done";
    }
  };

  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-mark-complete]")) {
    button.addEventListener("click", () => {
      const id = button.dataset.markComplete ?? "";
      try {
        if (progress.isComplete(id)) progress.markIncomplete(id);
        else progress.markComplete(id, new Date());
      } catch {
        // A full or blocked storage must not break the page; the state simply does not change.
      }
      paint();
    });
  }
  // Another tab finishing a lesson updates this one too.
  window.addEventListener("storage", paint);
  paint();
}
