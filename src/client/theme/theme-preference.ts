export type Theme = "light" | "dark";

/** localStorage key holding the learner's explicit choice ("light" or "dark"); absent = follow the system. */
export const THEME_STORAGE_KEY = "mesh-academy:theme";

/** Window event fired whenever the page's theme changes; detail is `{ theme }`. The terminal recolours on it. */
export const THEME_EVENT = "mesh-academy:theme";

export interface ThemeEventDetail {
  theme: Theme;
}

/**
 * The theme to show: the stored choice if it is a valid one, else the system preference.
 * It must stay self-contained (no imports, no outer names): the layout inlines its source into
 * <head> so the theme is set before the first paint.
 */
export function resolveTheme(stored: string | null, prefersDark: boolean): Theme {
  if (stored === "light" || stored === "dark") return stored;
  return prefersDark ? "dark" : "light";
}

export function oppositeTheme(theme: Theme): Theme {
  return theme === "dark" ? "light" : "dark";
}
