import { oppositeTheme, resolveTheme, THEME_EVENT, THEME_STORAGE_KEY } from "./theme-preference.ts";
import type { Theme, ThemeEventDetail } from "./theme-preference.ts";

function readStored(): string | null {
  try {
    return localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    // Storage can be disabled (private mode, strict settings); the system preference still works.
    return null;
  }
}

function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-theme-toggle]")) {
    button.setAttribute("aria-pressed", String(theme === "dark"));
  }
  window.dispatchEvent(new CustomEvent<ThemeEventDetail>(THEME_EVENT, { detail: { theme } }));
}

/**
 * Wires every `[data-theme-toggle]` button: a click flips the theme and remembers the choice.
 * Until the learner chooses, the page keeps following the system's light/dark setting.
 */
export function setUpThemeToggle(): void {
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  // Remembered here too, so the toggle still flips when storage refuses writes.
  let chosen: Theme | null = null;
  const current = (): Theme => resolveTheme(chosen ?? readStored(), media.matches);
  applyTheme(current());

  media.addEventListener("change", () => {
    if (chosen === null && readStored() === null) applyTheme(current());
  });

  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-theme-toggle]")) {
    button.addEventListener("click", () => {
      const next = oppositeTheme(current());
      chosen = next;
      try {
        localStorage.setItem(THEME_STORAGE_KEY, next);
      } catch {
        // Without storage the choice lasts for this page only; that is still what was asked.
      }
      applyTheme(next);
    });
  }
}
