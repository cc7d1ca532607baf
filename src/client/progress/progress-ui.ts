import { STEP_PASSED_EVENT } from "../steps/steps-panel.ts";
import { LessonProgress } from "./lesson-progress.ts";
import type { ProgressStorage } from "./lesson-progress.ts";
import { ProgressClient } from "./progress-client.ts";
import { ProgressOutbox } from "./progress-outbox.ts";
import { lessonStanding, lessonStatusLabel, type ServerProgress } from "./server-progress.ts";

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
 * Shows and records progress:
 * - `[data-lesson-status="<id>"]` elements get `data-complete="true|false"`, `data-steps-done`
 *   and a text label ("Done", "2 steps done", "Not started") from the server's record;
 * - `button[data-mark-complete="<id>"]` toggles that lesson (aria-pressed reflects the state);
 * - on a lesson page, each step shown and each step passed is sent to the server (through an
 *   outbox in localStorage, so a completion made while the server is down is sent later), and
 *   a returning learner is told where they stopped.
 */
export function setUpProgress(): void {
  const storage = browserStorage();
  const progress = new LessonProgress(storage);
  const client = new ProgressClient();
  const outbox = new ProgressOutbox(storage, (event) => client.send(event));
  let server: ServerProgress = { learner: null, steps: [] };

  const paint = (): void => {
    for (const status of document.querySelectorAll<HTMLElement>("[data-lesson-status]")) {
      const lesson = status.dataset.lessonStatus ?? "";
      const done = progress.isComplete(lesson);
      const standing = lessonStanding(server, lesson);
      status.dataset.complete = String(done);
      status.dataset.stepsDone = String(standing.completed.length);
      status.textContent = lessonStatusLabel(done, standing);
    }
    for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-mark-complete]")) {
      const done = progress.isComplete(button.dataset.markComplete ?? "");
      button.setAttribute("aria-pressed", String(done));
      button.textContent = done ? "Lesson done ✓" : "Mark lesson as done";
    }
  };

  const refresh = async (): Promise<void> => {
    server = (await client.load()) ?? server;
    paint();
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

  const stepsRoot = document.querySelector<HTMLElement>("[data-lesson-steps]");
  const loaded = outbox.flush().then(refresh);
  if (stepsRoot !== null) void loaded.then(() => followSteps(stepsRoot, outbox, () => server, refresh));
}

/** Records the step in front of the learner and each one passed; shows where they stopped. */
function followSteps(root: HTMLElement, outbox: ProgressOutbox, current: () => ServerProgress, refresh: () => Promise<void>): void {
  const lesson = root.dataset.lesson ?? "";
  const sections = (): HTMLElement[] => [...root.querySelectorAll<HTMLElement>("section[data-step]")];
  const done = (): Set<string> => new Set(lessonStanding(current(), lesson).completed);

  const startNext = (after: string | undefined): void => {
    const all = sections();
    const from = after === undefined ? 0 : all.findIndex((s) => s.dataset.step === after) + 1;
    const finished = done();
    const next = all.slice(from).find((s) => s.dataset.state !== "passed" && !finished.has(s.dataset.step ?? ""));
    if (next?.dataset.step) void outbox.record({ lesson, step: next.dataset.step, event: "started" });
  };

  window.addEventListener(STEP_PASSED_EVENT, (event) => {
    const detail = (event as CustomEvent<unknown>).detail as { lesson?: unknown; step?: unknown } | null;
    if (detail?.lesson !== lesson || typeof detail.step !== "string") return;
    const step = detail.step;
    void outbox.record({ lesson, step, event: "passed" }).then(async () => {
      await refresh();
      startNext(step);
    });
  });

  // The steps panel fills itself from the checks API; wait for its steps to appear.
  const ready = (): boolean => {
    if (sections().length === 0) return false;
    showResume(root, lesson, current(), sections());
    startNext(undefined);
    return true;
  };
  if (ready()) return;
  const observer = new MutationObserver(() => {
    if (ready()) observer.disconnect();
  });
  observer.observe(root, { childList: true, subtree: true });
}

/**
 * "Welcome back" above the steps of a lesson the learner already worked on. Text only. Where to
 * go on is the steps panel's own note ("You stopped at step N"), so this one does not repeat it.
 */
function showResume(root: HTMLElement, lesson: string, progress: ServerProgress, sections: HTMLElement[]): void {
  const order = sections.map((s) => s.dataset.step ?? "");
  const standing = lessonStanding(progress, lesson, order);
  if (standing.completed.length === 0) return;
  const titleOf = (id: string | undefined): string =>
    sections.find((s) => s.dataset.step === id)?.querySelector("h3")?.textContent?.trim() ?? id ?? "";
  const name = progress.learner?.displayName;
  const greeting = name ? `Welcome back, ${name}.` : "Welcome back.";
  const count = standing.completed.filter((id) => order.includes(id)).length;
  const where =
    standing.next === undefined
      ? ` You have finished every step of this lesson.`
      : ` You finished ${count} of ${order.length} steps; the last was “${titleOf(standing.lastCompleted)}”.`;
  const note = root.querySelector<HTMLElement>("[data-progress-resume]") ?? document.createElement("p");
  note.dataset.progressResume = "";
  note.className = "lesson-steps__resume";
  note.setAttribute("role", "status");
  // textContent, never innerHTML: the display name is whatever the learner typed.
  note.textContent = greeting + where;
  if (!note.isConnected) root.querySelector("h2")?.after(note);
}
