// The lesson's steps beside its prose: each step's checks with their state, and the buttons
// a learner uses — Check (run the checks against their sandbox), Hint (one more hint at a
// time) and Solve (type the solution into the terminal, visibly). Steps come from the
// checks API; a lesson without steps shows no panel. A returning learner finds the steps
// they passed before (the server's progress) marked, and the panel says where they stopped.
import { ProgressClient } from "../progress/progress-client.ts";
import { lessonStanding } from "../progress/server-progress.ts";
import { dispatchRunCommand } from "../terminal/run-command-events.ts";
import { currentSession } from "../terminal/current-session.ts";
import { CheckStreamParser, withCode, type CheckEvent } from "./check-stream.ts";
import { lessonCompleteMessage, resumePoint } from "./resume-point.ts";

interface StepInfo {
  id: string;
  title: string;
  hints: string[];
  solution: string;
  checks: string[];
}

export const STEP_PASSED_EVENT = "mesh-academy:step-passed";

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const STATUS_LABEL: Record<string, string> = { pending: "Not checked yet", running: "Checking…", passed: "Passed", failed: "Not yet", error: "Could not check" };

interface RenderedStep {
  section: HTMLElement;
  id: string;
  /** Shows one streamed event; returns true when it says the step passed. */
  apply(event: CheckEvent): boolean;
  passed(): boolean;
  /** Shows the step as passed in an earlier visit, without running its checks now. */
  restore(): void;
}

function renderStep(lesson: string, step: StepInfo, number: number, onPassed: () => void): RenderedStep {
  const headingId = `step-${step.id}`;
  const section = element("section", { class: "step", "data-step": step.id, "data-state": "pending", "aria-labelledby": headingId });
  const heading = element("h3", { id: headingId }, `Step ${number}: ${step.title}`);
  const checks = element("ul", { class: "step__checks", "aria-label": "Checks" });
  const items = step.checks.map((name) => {
    const item = element("li", { "data-state": "pending" });
    const label = element("span", { class: "step__check-name" }, name);
    const state = element("span", { class: "step__check-state" }, STATUS_LABEL.pending);
    const message = element("p", { class: "step__check-message", hidden: "" });
    item.append(label, state, message);
    checks.append(item);
    return { item, state, message };
  });
  const status = element("p", { class: "step__status", role: "status" });
  const hints = element("ol", { class: "step__hints", "aria-label": "Hints" });
  const actions = element("div", { class: "step__actions" });
  const checkButton = element("button", { type: "button" }, "Check");
  const hintButton = element("button", { type: "button" }, step.hints.length > 0 ? `Hint (${step.hints.length})` : "No hints");
  if (step.hints.length === 0) hintButton.disabled = true;
  const solveButton = element("button", { type: "button" }, "Solve");
  actions.append(checkButton, hintButton, solveButton);
  section.append(heading, checks, actions, hints, status);

  let shownHints = 0;
  hintButton.addEventListener("click", () => {
    const hint = step.hints[shownHints];
    if (hint === undefined) return;
    const item = element("li");
    item.append(...withCode(document, hint));
    hints.append(item);
    shownHints += 1;
    const left = step.hints.length - shownHints;
    hintButton.textContent = left > 0 ? `Another hint (${left})` : "No more hints";
    hintButton.disabled = left === 0;
  });

  solveButton.addEventListener("click", () => {
    dispatchRunCommand(window, step.solution);
    status.textContent = "The solution is running in the terminal. Press Check when it has finished.";
  });

  const setState = (index: number, state: string, message?: string): void => {
    const entry = items[index];
    if (entry === undefined) return;
    entry.item.dataset.state = state;
    entry.state.textContent = STATUS_LABEL[state] ?? state;
    entry.message.replaceChildren(...withCode(document, message ?? ""));
    entry.message.hidden = message === undefined || message === "";
  };

  checkButton.addEventListener("click", () => {
    void runChecks().catch(() => {
      status.textContent = "The checks could not be run. Check the connection and press Check again.";
      section.dataset.state = "error";
      checkButton.disabled = false;
    });
  });

  const runChecks = async (): Promise<void> => {
    const session = currentSession();
    if (session === null || !session.ready) {
      status.textContent = session === null ? "Your terminal is not connected yet; press Check once it shows a prompt." : "Your sandbox is still starting; press Check once the terminal shows a prompt.";
      return;
    }
    checkButton.disabled = true;
    section.dataset.state = "running";
    status.textContent = "Checking…";
    items.forEach((_entry, index) => setState(index, "running"));
    const path = `/api/sessions/${encodeURIComponent(session.id)}/lessons/${encodeURIComponent(lesson)}/steps/${encodeURIComponent(step.id)}/checks`;
    const response = await fetch(path, { method: "POST", headers: { authorization: `Bearer ${session.token}` } });
    if (!response.ok || response.body === null) {
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      status.textContent = body.error?.message ?? `The checks could not be run (HTTP ${response.status}).`;
      items.forEach((_entry, index) => setState(index, "pending"));
      section.dataset.state = "pending";
      checkButton.disabled = false;
      return;
    }
    const parser = new CheckStreamParser();
    const decoder = new TextDecoder();
    let end: Extract<CheckEvent, { type: "end" }> | undefined;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) {
        if (event.type === "result") setState(event.index, event.status, event.message);
        if (event.type === "end") end = event;
      }
    }
    checkButton.disabled = false;
    if (end === undefined) {
      section.dataset.state = "error";
      status.textContent = "The connection dropped before every check had answered; press Check again.";
      return;
    }
    finishRun(end.passed);
  };

  const finishRun = (passed: boolean): void => {
    const already = section.dataset.state === "passed";
    section.dataset.state = passed ? "passed" : "failed";
    status.textContent = passed ? "Step complete." : "Not done yet: see what each check says above.";
    if (passed && !already) {
      window.dispatchEvent(new CustomEvent(STEP_PASSED_EVENT, { detail: { lesson, step: step.id } }));
      onPassed();
    }
  };

  return {
    section,
    id: step.id,
    apply(event) {
      if (event.type === "result") setState(event.index, event.status, event.message);
      if (event.type === "end" && event.passed) {
        finishRun(true);
        return true;
      }
      return false;
    },
    passed: () => section.dataset.state === "passed",
    restore() {
      section.dataset.state = "passed";
      section.dataset.restored = "";
      // The sandbox may be a new one since: say so rather than claim the checks ran now.
      status.textContent = "Passed on an earlier visit. Press Check to check it again in this sandbox.";
    },
  };
}

const AUTO_RETRY_MS = 3000;
const AUTO_RETRIES = 200;
const AUTO_WAIT_READY_MS = 500;

/**
 * Auto-check: the server re-runs the first unfinished step's checks whenever the cluster
 * changes and says when they pass; then the next step is watched. Until the terminal has a
 * sandbox ready (the server says so over the terminal) nothing is asked; a refused or dropped
 * request is tried again a little later.
 */
async function autoCheck(lesson: string, steps: RenderedStep[]): Promise<void> {
  let retries = 0;
  for (;;) {
    const step = steps.find((candidate) => !candidate.passed());
    if (step === undefined) return;
    const session = currentSession();
    if (session === null || !session.ready) {
      // No sandbox to watch yet (the terminal is connecting, or the lesson's starting state is
      // still being set up): asking now would only be refused.
      await new Promise((resolve) => setTimeout(resolve, AUTO_WAIT_READY_MS));
      continue;
    }
    const path = `/api/sessions/${encodeURIComponent(session.id)}/lessons/${encodeURIComponent(lesson)}/steps/${encodeURIComponent(step.id)}/auto`;
    const response = await fetch(path, { headers: { authorization: `Bearer ${session.token}` } }).catch(() => undefined);
    if (response === undefined || !response.ok || response.body === null) {
      if (++retries > AUTO_RETRIES) return;
      await new Promise((resolve) => setTimeout(resolve, AUTO_RETRY_MS));
      continue;
    }
    retries = 0;
    const parser = new CheckStreamParser();
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    let passed = false;
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done || value === undefined) break;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) passed = step.apply(event) || passed;
    }
    // The wait ended without the step (a time limit or a dropped connection): wait again.
    if (!passed) await new Promise((resolve) => setTimeout(resolve, AUTO_RETRY_MS));
  }
}

async function loadSteps(lesson: string): Promise<StepInfo[]> {
  try {
    const response = await fetch(`/api/lessons/${encodeURIComponent(lesson)}/steps`);
    return response.ok ? ((await response.json()) as { steps: StepInfo[] }).steps : [];
  } catch {
    return [];
  }
}

/**
 * The prose's own heading for step `number` ("## Step 3: …", or "### Step 3: …" under a
 * section), if the lesson has one; the panel's own step headings do not count.
 */
function proseHeading(root: HTMLElement, number: number): HTMLElement | undefined {
  const scope = root.closest("article") ?? document;
  return [...scope.querySelectorAll<HTMLElement>("h2[id], h3[id]")].find((heading) => !root.contains(heading) && heading.textContent?.trim().startsWith(`Step ${number}:`));
}

/** Fills `root` (`[data-lesson-steps]`) with the lesson's steps; hides it when there are none. */
export async function mountStepsPanel(root: HTMLElement): Promise<void> {
  const lesson = root.dataset.lesson ?? "";
  const list = root.querySelector<HTMLElement>("[data-steps-list]");
  if (lesson === "" || list === null) return;
  const [steps, progress] = await Promise.all([loadSteps(lesson), new ProgressClient().load()]);
  if (steps.length === 0) return;
  const summary = root.querySelector<HTMLElement>("[data-steps-summary]");

  const markCurrent = (): void => {
    const current = rendered.find((step) => !step.passed());
    for (const step of rendered) {
      if (step === current) step.section.setAttribute("aria-current", "step");
      else step.section.removeAttribute("aria-current");
    }
    if (summary === null) return;
    if (current === undefined) {
      summary.replaceChildren(lessonCompleteMessage(rendered.length));
      summary.hidden = false;
    } else if (current !== resumedAt) {
      // "You stopped at step 2" is old news once step 2 is done.
      summary.hidden = true;
    }
  };
  let resumedAt: RenderedStep | undefined;
  const rendered: RenderedStep[] = steps.map((step, index) => renderStep(lesson, step, index + 1, markCurrent));
  list.replaceChildren(...rendered.map((step) => step.section));

  // Restored before auto-check starts, so it waits on the step the learner is really at.
  const point = resumePoint(steps, progress === undefined ? [] : lessonStanding(progress, lesson).completed);
  for (const step of rendered) if (point.done.includes(step.id)) step.restore();
  resumedAt = point.message === undefined || point.next === undefined ? undefined : rendered[point.next];
  root.hidden = false;
  markCurrent();
  if (point.message !== undefined && summary !== null) {
    const parts: (Node | string)[] = [point.message];
    const heading = point.next === undefined ? undefined : proseHeading(root, point.next + 1);
    if (heading !== undefined && point.next !== undefined) {
      const link = document.createElement("a");
      link.href = `#${heading.id}`;
      link.textContent = `Read step ${point.next + 1} in the lesson`;
      parts.push(" ", link);
    }
    summary.replaceChildren(...parts);
    summary.hidden = false;
    // A learner who followed a link to a section keeps it; otherwise they land where they stopped.
    if (window.location.hash === "") (rendered[point.next ?? -1]?.section ?? summary).scrollIntoView({ block: "center" });
  }
  void autoCheck(lesson, rendered);
}
