// A lesson's starting state, made real in a fresh sandbox: the state's script (the commands a
// learner would have typed to get there) runs in the workstation shell, so it works the same
// on every provider. See content/sandbox-starts/README.md.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { SandboxStart } from "../../src/lessons/sandbox-starts.ts";
import type { Sandbox, StartProgress } from "./sandbox-provider.ts";

export const defaultStartsDir = fileURLToPath(new URL("../../content/sandbox-starts/", import.meta.url));

const DESCRIPTIONS: Record<SandboxStart, string> = {
  empty: "",
  istio: "Installing Istio",
  "istio-injected": "Installing Istio and enabling sidecar injection",
  bookinfo: "Installing Istio and Bookinfo",
  "bookinfo-gateway": "Installing Istio, Bookinfo and its gateway",
};

export class SandboxStartError extends Error {
  readonly code = "SANDBOX_START_FAILED";
  readonly start: SandboxStart;

  constructor(start: SandboxStart, detail: string) {
    super(`the sandbox could not reach the starting state "${start}": ${detail}`);
    this.name = "SandboxStartError";
    this.start = start;
  }
}

/** Runs the state's script in the sandbox's workstation; throws if any command fails. */
export async function prepareStart(
  sandbox: Pick<Sandbox, "run">,
  start: SandboxStart,
  options: { onProgress?: StartProgress; signal?: AbortSignal; startsDir?: string } = {},
): Promise<void> {
  if (start === "empty") return;
  const file = `${options.startsDir ?? defaultStartsDir}/${start}.sh`;
  let script: string;
  try {
    script = await readFile(file, "utf8");
  } catch (error) {
    throw new SandboxStartError(start, `its script ${file} cannot be read (${(error as Error).message})`);
  }
  options.onProgress?.({ message: DESCRIPTIONS[start], progress: 0.5 });
  // Like `bash -e`: the first failing command stops the script and names itself.
  const result = await sandbox.run(`set -e\n${script}`, options.signal === undefined ? {} : { signal: options.signal });
  if (result.exitCode !== 0) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-3).join(" / ");
    throw new SandboxStartError(start, `exit status ${result.exitCode}: ${detail}`);
  }
}
