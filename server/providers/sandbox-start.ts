// A lesson's starting state, made real in a fresh sandbox: the state's script (the commands a
// learner would have typed to get there) runs in the workstation shell, so it works the same
// on every provider. See content/sandbox-starts/README.md.
//
// On a shared cluster the learner owns one namespace: the script's cluster-scoped commands
// (installing Istio, labelling a namespace) are the instructor's and are skipped, and the
// labels the state needs are put on the learner's namespace by the provider instead.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { isClusterScopedCommand } from "../../src/lessons/cluster-scoped-command.ts";
import type { SandboxStart } from "../../src/lessons/sandbox-starts.ts";
import type { Sandbox, StartProgress } from "./sandbox-provider.ts";

export const defaultStartsDir = fileURLToPath(new URL("../../content/sandbox-starts/", import.meta.url));

const DESCRIPTIONS: Record<SandboxStart, string> = {
  empty: "",
  istio: "Installing Istio",
  "istio-injected": "Installing Istio and enabling sidecar injection",
  bookinfo: "Installing Istio and Bookinfo",
  "bookinfo-gateway": "Installing Istio, Bookinfo and its gateway",
  "broken-mesh": "Installing Istio and a broken Bookinfo",
};

const INJECTION = { "istio-injection": "enabled" };

/** The labels each state leaves on the learner's namespace (its `kubectl label namespace`). */
export const START_NAMESPACE_LABELS: Readonly<Record<SandboxStart, Readonly<Record<string, string>>>> = {
  empty: {},
  istio: {},
  "istio-injected": INJECTION,
  bookinfo: INJECTION,
  "bookinfo-gateway": INJECTION,
  "broken-mesh": INJECTION,
};

/** A sandbox that is one namespace of a shared cluster (the cluster provider's). */
export interface SharedNamespaceSandbox {
  readonly namespace: string;
  labelNamespace(labels: Record<string, string>): Promise<void>;
}

export function isSharedNamespaceSandbox(sandbox: object): sandbox is SharedNamespaceSandbox {
  return typeof (sandbox as Partial<SharedNamespaceSandbox>).labelNamespace === "function";
}

/** The script without its cluster-scoped commands, each replaced by a comment naming it. */
export function namespaceScopedScript(script: string): { script: string; skipped: string[] } {
  const skipped: string[] = [];
  const lines = script.replace(/\\\r?\n/g, " ").split("\n").map((line) => {
    if (!isClusterScopedCommand(line)) return line;
    skipped.push(line.trim());
    return `# done by the instructor on a shared cluster: ${line.trim()}`;
  });
  return { script: lines.join("\n"), skipped };
}

export class SandboxStartError extends Error {
  readonly code = "SANDBOX_START_FAILED";
  readonly start: SandboxStart;

  constructor(start: SandboxStart, detail: string) {
    super(`the sandbox could not reach the starting state "${start}": ${detail}`);
    this.name = "SandboxStartError";
    this.start = start;
  }
}

/**
 * Runs the state's script in the sandbox's workstation; throws if any command fails. On a
 * shared cluster, labels the learner's namespace first (the state's labels and the lesson's
 * `namespaceLabels`) and leaves out the script's cluster-scoped commands.
 */
export async function prepareStart(
  sandbox: Pick<Sandbox, "run">,
  start: SandboxStart,
  options: { onProgress?: StartProgress; signal?: AbortSignal; startsDir?: string; namespaceLabels?: Record<string, string> } = {},
): Promise<void> {
  const shared = isSharedNamespaceSandbox(sandbox);
  if (shared) {
    try {
      await sandbox.labelNamespace({ ...START_NAMESPACE_LABELS[start], ...options.namespaceLabels });
    } catch (error) {
      throw new SandboxStartError(start, `the learner's namespace could not be labelled (${(error as Error).message})`);
    }
  }
  if (start === "empty") return;
  const file = `${options.startsDir ?? defaultStartsDir}/${start}.sh`;
  let script: string;
  try {
    script = await readFile(file, "utf8");
  } catch (error) {
    throw new SandboxStartError(start, `its script ${file} cannot be read (${(error as Error).message})`);
  }
  if (shared) script = namespaceScopedScript(script).script;
  options.onProgress?.({ message: DESCRIPTIONS[start], progress: 0.5 });
  // Like `bash -e`: the first failing command stops the script and names itself.
  const result = await sandbox.run(`set -e\n${script}`, options.signal === undefined ? {} : { signal: options.signal });
  if (result.exitCode !== 0) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-3).join(" / ");
    throw new SandboxStartError(start, `exit status ${result.exitCode}: ${detail}`);
  }
}
