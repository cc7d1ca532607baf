/**
 * Which lessons this learner finished, kept in the browser until the server keeps progress.
 *
 * Key format: `mesh-academy:lesson-complete:<lesson id>` (the lesson id is its folder name under
 * `lessons/`). Value: the ISO 8601 time the learner marked it done. No key = not done.
 */
export const LESSON_COMPLETE_KEY_PREFIX = "mesh-academy:lesson-complete:";

/** The part of the Web Storage API this module needs, so tests can pass a plain object. */
export interface ProgressStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function lessonCompleteKey(lessonId: string): string {
  return `${LESSON_COMPLETE_KEY_PREFIX}${lessonId}`;
}

export class LessonProgress {
  readonly #storage: ProgressStorage;

  constructor(storage: ProgressStorage) {
    this.#storage = storage;
  }

  /** When the lesson was marked done, or undefined if it was not (or the stored value is unreadable). */
  completedAt(lessonId: string): Date | undefined {
    const value = this.#read(lessonCompleteKey(lessonId));
    if (value === null) return undefined;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }

  isComplete(lessonId: string): boolean {
    return this.completedAt(lessonId) !== undefined;
  }

  markComplete(lessonId: string, at: Date): void {
    this.#storage.setItem(lessonCompleteKey(lessonId), at.toISOString());
  }

  markIncomplete(lessonId: string): void {
    this.#storage.removeItem(lessonCompleteKey(lessonId));
  }

  #read(key: string): string | null {
    try {
      return this.#storage.getItem(key);
    } catch {
      // Disabled storage reads as "nothing finished yet" rather than breaking the page.
      return null;
    }
  }
}
