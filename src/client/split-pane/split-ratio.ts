/** Limits for the share of the split pane given to the first pane (the lesson prose). */
export interface SplitLimits {
  /** Size of the whole pane along the split axis, in CSS pixels. */
  containerSize: number;
  /** Smallest size either pane may shrink to, in CSS pixels. */
  minPaneSize: number;
}

/** Ratio used when nothing is stored and when the learner presses Enter on the divider. */
export const DEFAULT_SPLIT_RATIO = 0.5;

/** How far one arrow-key press moves the divider (as a share of the pane); Page Up/Down move 5×. */
export const KEYBOARD_STEP = 0.02;

/**
 * Keeps the first pane's share within reach: neither pane smaller than `minPaneSize`.
 * If the container is too small for both minimums, the panes split evenly.
 */
export function clampRatio(ratio: number, limits: SplitLimits): number {
  if (!Number.isFinite(ratio)) return DEFAULT_SPLIT_RATIO;
  const { containerSize, minPaneSize } = limits;
  if (containerSize <= 0 || minPaneSize * 2 >= containerSize) return DEFAULT_SPLIT_RATIO;
  const min = minPaneSize / containerSize;
  return Math.min(1 - min, Math.max(min, ratio));
}

/** The ratio under the pointer: `pointer` and `start` are coordinates along the split axis. */
export function ratioFromPointer(pointer: number, start: number, limits: SplitLimits): number {
  if (limits.containerSize <= 0) return DEFAULT_SPLIT_RATIO;
  return clampRatio((pointer - start) / limits.containerSize, limits);
}

/**
 * The ratio after a key press on the divider, or undefined for keys the divider ignores.
 * Both arrow pairs work in both orientations, so the keys a learner tries first always do something.
 */
export function ratioAfterKey(key: string, ratio: number, limits: SplitLimits): number | undefined {
  const min = clampRatio(0, limits);
  const max = clampRatio(1, limits);
  switch (key) {
    case "ArrowLeft":
    case "ArrowUp":
      return clampRatio(ratio - KEYBOARD_STEP, limits);
    case "ArrowRight":
    case "ArrowDown":
      return clampRatio(ratio + KEYBOARD_STEP, limits);
    case "PageUp":
      return clampRatio(ratio - KEYBOARD_STEP * 5, limits);
    case "PageDown":
      return clampRatio(ratio + KEYBOARD_STEP * 5, limits);
    case "Home":
      return min;
    case "End":
      return max;
    case "Enter":
      return clampRatio(DEFAULT_SPLIT_RATIO, limits);
    default:
      return undefined;
  }
}

/** The value a screen reader announces: the first pane's share as a whole percentage. */
export function ratioToPercent(ratio: number): number {
  return Math.round(ratio * 100);
}
