// The checks engine: runs a step's checks one after another against a sandbox and turns
// every outcome, including a check that throws or hangs, into a result a learner can read.
import { createCheckContext } from "./check-context.ts";
import type { Check, CheckResult, CheckTarget } from "./check-types.ts";

export interface RunChecksOptions {
  /** Each check gets this long before it counts as an error (default 20 s). */
  timeoutMs?: number;
  /** Called as each result arrives, in order (the HTTP API streams them). */
  onResult?: (result: CheckResult, index: number) => void;
  signal?: AbortSignal;
}

export async function runChecks(checks: readonly Check[], target: CheckTarget, options: RunChecksOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [index, check] of checks.entries()) {
    const result = await runOne(check, target, options);
    results.push(result);
    options.onResult?.(result, index);
  }
  return results;
}

async function runOne(check: Check, target: CheckTarget, options: RunChecksOptions): Promise<CheckResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const controller = new AbortController();
  const abortFromOutside = (): void => controller.abort();
  options.signal?.addEventListener("abort", abortFromOutside, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    if (options.signal?.aborted) return { check: check.name, status: "error", code: "CHECK_ABORTED", message: "The check was cancelled." };
    const outcome = await Promise.race([check.run(createCheckContext(target, controller.signal)), timedOut]);
    if (outcome === "timeout") {
      controller.abort();
      return {
        check: check.name,
        status: "error",
        code: "CHECK_TIMEOUT",
        message: `This check got no answer from your sandbox within ${Math.round(timeoutMs / 1000)} seconds. Wait a moment and check again.`,
      };
    }
    return outcome.passed ? { check: check.name, status: "passed" } : { check: check.name, status: "failed", message: outcome.message };
  } catch (error) {
    return { check: check.name, status: "error", code: codeOf(error), message: explain(error) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", abortFromOutside);
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && code !== "") return code;
  if (typeof code === "number") return `HTTP_${code}`;
  return "CHECK_CRASHED";
}

// A thrown error is never shown bare: the learner learns that the check, not their work,
// could not finish, and what to try.
function explain(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === "ECONNREFUSED" || code === "ECONNRESET" || /ECONNREFUSED|socket hang up|fetch failed/.test(detail)) {
    return `This check could not reach your cluster (${firstLine(detail)}). If your sandbox was restarted, reload the page; otherwise wait a moment and check again.`;
  }
  if (code === 401 || code === 403) {
    return `This check was not allowed to read your cluster (${firstLine(detail)}). Reload the page to get a fresh sandbox session.`;
  }
  return `This check could not finish (${firstLine(detail)}). Check again; if it keeps failing, the lesson's check has a bug, please report it.`;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
