// The shapes shared by the checks engine, the authoring API, `verify` and the HTTP API.
import type { CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import type { CommandResult } from "../providers/sandbox-provider.ts";

/** What checks may touch: the cluster (through the admin kubeconfig) and the learner's shell. */
export interface CheckTarget {
  readonly kubeconfig: string;
  run(command: string, options?: { stdin?: string; signal?: AbortSignal }): Promise<CommandResult>;
}

export type CheckOutcome = { passed: true } | { passed: false; message: string };

/** Handed to every check: API clients for the sandbox's cluster and an exec probe. */
export interface CheckContext {
  readonly kubeConfig: KubeConfig;
  readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;
  /** Runs a command in the learner's workstation (a probe: curl, istioctl analyze, …). */
  run(command: string): Promise<CommandResult>;
  readonly signal: AbortSignal;
  pass(): CheckOutcome;
  /** `message` says what is wrong and how to fix it, in the learner's terms. */
  fail(message: string): CheckOutcome;
}

export interface Check {
  /** Names the check in the panel and in verify reports, e.g. "Namespace shop exists". */
  readonly name: string;
  run(context: CheckContext): Promise<CheckOutcome>;
}

export interface Step {
  /** Stable id: lowercase letters, digits and dashes; unique in the lesson. */
  readonly id: string;
  readonly title: string;
  readonly checks: readonly Check[];
  /** Revealed one at a time, gentlest first. */
  readonly hints: readonly string[];
  /** The commands a learner would type; the Solve button and `verify` run them in the learner shell. */
  readonly solution: string;
}

export type CheckStatus = "passed" | "failed" | "error";

export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  /** For failed and error: what is wrong and what to do. */
  readonly message?: string;
  /** For error: a stable code (the engine's, or the thrown error's). */
  readonly code?: string;
}
