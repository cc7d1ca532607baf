// A lesson on a shared cluster: the learner owns one namespace, so the steps the lesson
// declares cluster-scoped (installing Istio, labelling a namespace, CRDs) were done by the
// instructor for the whole room. Each such step says so plainly and offers the command that
// shows its result instead of its solution, and Run buttons whose commands need cluster-wide
// rights are turned off. The step's checks still run: they pass once the cluster is ready.
// A lesson that declares it needs a cluster of its own (`sandbox.ownCluster`) cannot be done
// in one namespace at all: the page says why at the top of the prose and of the steps, keeps
// only the commands the lesson names safe to try, and turns off Run, Check and Solve, saying why.
import { isClusterScopedCommand } from "../../lessons/cluster-scoped-command.ts";
import { dispatchRunCommand } from "../terminal/run-command-events.ts";
import { sandboxProvider } from "../shared-cluster/sandbox-provider.ts";

/** `data-cluster-steps` of the steps panel: step id → the command that shows its result. */
export function parseClusterSteps(json: string | undefined): Record<string, string> {
  if (json === undefined || json === "") return {};
  try {
    const value: unknown = JSON.parse(json);
    if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return {};
  }
}

export interface OwnCluster {
  reason: string;
  safeToTry: string[];
}

/** `data-own-cluster` of the steps panel: the lesson's `sandbox.ownCluster`, or undefined. */
export function parseOwnCluster(json: string | undefined): OwnCluster | undefined {
  if (json === undefined || json === "") return undefined;
  try {
    const value = JSON.parse(json) as { reason?: unknown; safeToTry?: unknown } | null;
    if (value === null || typeof value !== "object" || typeof value.reason !== "string" || value.reason.trim() === "") return undefined;
    const safeToTry = Array.isArray(value.safeToTry) ? value.safeToTry.filter((command): command is string => typeof command === "string" && command.trim() !== "") : [];
    return { reason: value.reason, safeToTry };
  } catch {
    return undefined;
  }
}

/** The notice's sentences, in the order shown; `safe` introduces the safe commands (or says there are none). */
export function ownClusterNotice(own: OwnCluster): { heading: string; reason: string; readAlong: string; safe: string; instructors: string } {
  return {
    heading: "This lesson needs a cluster of its own",
    reason: own.reason,
    readAlong:
      "You are on a cluster shared with the rest of the room, where your account may only change your own namespace, so this lesson cannot be done here. " +
      "Read along: the prose and the steps show what each command does and prints. Its Run buttons, and the steps' Check and Solve, are off.",
    safe:
      own.safeToTry.length === 0
        ? "None of its commands is safe to try in your namespace here."
        : "These commands only look, and are safe to try in your own namespace:",
    instructors:
      // Honest about today: the cluster provider treats its one cluster as shared, so a
      // cluster per learner means the embedded provider (README.md says why and how).
      "Instructors: this lesson needs a cluster per learner, which today means Mesh Academy's embedded sandbox (SANDBOX_PROVIDER=embedded) " +
      'rather than one shared kind, k3d or cloud cluster; Mesh Academy\'s README, "Running workshops on a real cluster", says how.',
  };
}

/** Why Check and Solve are off on such a lesson, for their tooltips. */
export const OWN_CLUSTER_BUTTON_TITLE = "This lesson needs a cluster of its own; on this shared cluster you can read along (see the notice above)";

/**
 * The Run buttons' commands a learner may not send on a lesson that needs a cluster of its own:
 * all but those the lesson names safe to try (compared without surrounding blank space).
 */
export function blockedOnSharedCluster(commands: readonly string[], own: OwnCluster): Set<string> {
  const safe = new Set(own.safeToTry.map((command) => command.trim()));
  return new Set(commands.filter((command) => !safe.has(command.trim())));
}

/** What the notice on a cluster-scoped step says, before the command that shows its result. */
export const READ_ONLY_NOTICE =
  "On this shared cluster your instructor did this step for the whole room: it needs rights over the whole cluster, " +
  "and your account may only change your own namespace. Read what it does and run the step's commands that stay in " +
  "your namespace (the others' Run buttons are off), then look at the result:";

/** The Run buttons' commands that a learner on a shared cluster cannot run. */
export function instructorOnlyCommands(commands: readonly string[]): Set<string> {
  return new Set(commands.filter((command) => isClusterScopedCommand(command)));
}

function markStep(section: HTMLElement, see: string): void {
  if (section.querySelector("[data-shared-notice]") !== null) return;
  const notice = document.createElement("div");
  notice.className = "step__shared-notice";
  notice.setAttribute("role", "note");
  notice.dataset.sharedNotice = "";
  const text = document.createElement("p");
  text.textContent = READ_ONLY_NOTICE;
  const code = document.createElement("code");
  code.textContent = see;
  const run = runButton(see);
  const line = document.createElement("p");
  line.append(code, " ", run);
  notice.append(text, line);
  section.querySelector("h3")?.after(notice);
  for (const button of section.querySelectorAll<HTMLButtonElement>(".step__actions button")) {
    if (button.textContent === "Solve") {
      button.disabled = true;
      button.title = "Your instructor did this step for the room";
    }
  }
  section.dataset.sharedCluster = "";
}

function runButton(command: string): HTMLButtonElement {
  const run = document.createElement("button");
  run.type = "button";
  run.textContent = "Run";
  run.setAttribute("aria-label", `Run ${command}`);
  run.addEventListener("click", () => dispatchRunCommand(window, command));
  return run;
}

function ownClusterNoticeElement(own: OwnCluster, id: string): HTMLElement {
  const text = ownClusterNotice(own);
  const notice = document.createElement("div");
  notice.className = "own-cluster-notice";
  notice.id = id;
  notice.setAttribute("role", "note");
  notice.setAttribute("aria-label", text.heading);
  notice.dataset.ownClusterNotice = "";
  const heading = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = text.heading;
  heading.append(strong, ": ", text.reason);
  const readAlong = document.createElement("p");
  readAlong.textContent = text.readAlong;
  const safe = document.createElement("p");
  safe.textContent = text.safe;
  notice.append(heading, readAlong, safe);
  if (own.safeToTry.length > 0) {
    const list = document.createElement("ul");
    for (const command of own.safeToTry) {
      const item = document.createElement("li");
      const code = document.createElement("code");
      code.textContent = command;
      item.append(code, " ", runButton(command));
      list.append(item);
    }
    notice.append(list);
  }
  const instructors = document.createElement("p");
  instructors.textContent = text.instructors;
  notice.append(instructors);
  return notice;
}

/** Notices at the top of the prose and of the steps; Check and Solve off, pointing at the notice. */
function markOwnClusterLesson(root: HTMLElement, own: OwnCluster): void {
  const stepsId = `own-cluster-notice-${root.dataset.lesson ?? "lesson"}`;
  if (root.querySelector("[data-own-cluster-notice]") === null) {
    root.querySelector("h2")?.after(ownClusterNoticeElement(own, stepsId));
    const article = root.closest("article");
    if (article !== null && article.querySelector(":scope > [data-own-cluster-notice]") === null) {
      // After the lesson's header (title, facts, goals), before the first paragraph of prose.
      const header = article.querySelector(":scope > header");
      const prose = ownClusterNoticeElement(own, `${stepsId}-prose`);
      if (header !== null) header.after(prose);
      else article.prepend(prose);
    }
  }
  for (const button of root.querySelectorAll<HTMLButtonElement>(".step__actions button")) {
    if ((button.textContent !== "Check" && button.textContent !== "Solve") || button.dataset.ownCluster !== undefined) continue;
    button.dataset.ownCluster = "";
    button.disabled = true;
    button.title = OWN_CLUSTER_BUTTON_TITLE;
    button.setAttribute("aria-describedby", stepsId);
  }
}

function markRunButtons(own: OwnCluster | undefined): void {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>("button[data-run-command]")];
  const commands = buttons.map((button) => button.dataset.runCommand ?? "");
  const blocked = own !== undefined ? blockedOnSharedCluster(commands, own) : instructorOnlyCommands(commands);
  const looks =
    own !== undefined
      ? { keptAs: "ownClusterCommand", text: "Own cluster only", title: OWN_CLUSTER_BUTTON_TITLE, label: "Own cluster only: this lesson needs a cluster of its own" }
      : {
          keptAs: "instructorCommand",
          text: "Instructor only",
          title: "On this shared cluster your instructor runs this for the whole room",
          label: "Instructor only: your instructor runs this for the whole room",
        };
  for (const button of buttons) {
    if (!blocked.has(button.dataset.runCommand ?? "")) continue;
    // Without the attribute the page's Run handler no longer sends the command.
    button.dataset[looks.keptAs] = button.dataset.runCommand ?? "";
    delete button.dataset.runCommand;
    button.disabled = true;
    button.textContent = looks.text;
    button.title = looks.title;
    button.setAttribute("aria-label", looks.label);
  }
}

/** Adapts the page once the server says what runs its sandboxes; steps rendered later are marked too. */
export async function adaptToSharedCluster(root: HTMLElement): Promise<void> {
  if ((await sandboxProvider()) !== "cluster") return;
  root.dataset.sharedCluster = "";
  const clusterSteps = parseClusterSteps(root.dataset.clusterSteps);
  const own = parseOwnCluster(root.dataset.ownCluster);
  const apply = (): void => {
    if (own !== undefined) {
      markOwnClusterLesson(root, own);
      return;
    }
    for (const [id, see] of Object.entries(clusterSteps)) {
      const section = root.querySelector<HTMLElement>(`[data-step="${CSS.escape(id)}"]`);
      if (section !== null) markStep(section, see);
    }
  };
  apply();
  markRunButtons(own);
  new MutationObserver(apply).observe(root, { childList: true, subtree: true });
}
