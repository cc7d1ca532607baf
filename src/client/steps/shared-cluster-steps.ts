// A lesson on a shared cluster: the learner owns one namespace, so the steps the lesson
// declares cluster-scoped (installing Istio, labelling a namespace, CRDs) were done by the
// instructor for the whole room. Each such step says so plainly and offers the command that
// shows its result instead of its solution, and Run buttons whose commands need cluster-wide
// rights are turned off. The step's checks still run: they pass once the cluster is ready.
import { isClusterScopedCommand } from "../../lessons/cluster-scoped-command.ts";
import { dispatchRunCommand } from "../terminal/run-command-events.ts";
import { currentSession } from "../terminal/current-session.ts";

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
  const run = document.createElement("button");
  run.type = "button";
  run.textContent = "Run";
  run.setAttribute("aria-label", `Run ${see}`);
  run.addEventListener("click", () => dispatchRunCommand(window, see));
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

function markRunButtons(): void {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>("button[data-run-command]")];
  const blocked = instructorOnlyCommands(buttons.map((button) => button.dataset.runCommand ?? ""));
  for (const button of buttons) {
    if (!blocked.has(button.dataset.runCommand ?? "")) continue;
    // Without the attribute the page's Run handler no longer sends the command.
    button.dataset.instructorCommand = button.dataset.runCommand ?? "";
    delete button.dataset.runCommand;
    button.disabled = true;
    button.textContent = "Instructor only";
    button.title = "On this shared cluster your instructor runs this for the whole room";
    button.setAttribute("aria-label", "Instructor only: your instructor runs this for the whole room");
  }
}

async function providerOfSession(): Promise<string | undefined> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const session = currentSession();
    if (session !== null) {
      const response = await fetch(`/api/sessions/${encodeURIComponent(session.id)}`, { headers: { authorization: `Bearer ${session.token}` } }).catch(() => undefined);
      if (response?.ok) return ((await response.json()) as { provider?: string }).provider;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return undefined;
}

/** Adapts the page once the session's provider is known; steps rendered later are marked too. */
export async function adaptToSharedCluster(root: HTMLElement): Promise<void> {
  if ((await providerOfSession()) !== "cluster") return;
  root.dataset.sharedCluster = "";
  const clusterSteps = parseClusterSteps(root.dataset.clusterSteps);
  const apply = (): void => {
    for (const [id, see] of Object.entries(clusterSteps)) {
      const section = root.querySelector<HTMLElement>(`[data-step="${CSS.escape(id)}"]`);
      if (section !== null) markStep(section, see);
    }
  };
  apply();
  markRunButtons();
  new MutationObserver(apply).observe(root, { childList: true, subtree: true });
}
