import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { check } from "./check.ts";
import type { CheckResult, CheckTarget } from "./check-types.ts";
import { runChecks } from "./run-checks.ts";

// A kubeconfig that parses; these checks never reach a cluster through it.
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "http://127.0.0.1:9", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

const target: CheckTarget = {
  kubeconfig: KUBECONFIG,
  run: async (command) => ({ stdout: `ran ${command}\n`, stderr: "", exitCode: 0 }),
};

describe("runChecks", () => {
  it("runs checks in order, reporting each result as it arrives", async () => {
    const seen: [number, CheckResult][] = [];
    const results = await runChecks(
      [
        check.custom("probe runs", async (context) => ((await context.run("echo hi")).stdout === "ran echo hi\n" ? context.pass() : context.fail("no"))),
        check.custom("always wrong", async (context) => context.fail("It is wrong. Run: `fix it`")),
      ],
      target,
      { onResult: (result, index) => seen.push([index, result]) },
    );
    assert.deepEqual(results, [
      { check: "probe runs", status: "passed" },
      { check: "always wrong", status: "failed", message: "It is wrong. Run: `fix it`" },
    ]);
    assert.deepEqual(seen, results.map((result, index) => [index, result]));
  });

  it("turns a throwing check into an explained error with a code", async () => {
    const coded = Object.assign(new Error("boom"), { code: "MY_CODE" });
    const [thrown, plain] = await runChecks(
      [check.custom("throws coded", async () => Promise.reject(coded)), check.custom("throws plain", async () => Promise.reject(new TypeError("x is undefined")))],
      target,
    );
    assert.equal(thrown?.status, "error");
    assert.equal(thrown?.code, "MY_CODE");
    assert.match(thrown?.message ?? "", /^This check could not finish \(boom\)\. Check again; if it keeps failing/);
    assert.equal(plain?.code, "CHECK_CRASHED");
  });

  it("says the cluster is unreachable when the API cannot be reached", async () => {
    const [result] = await runChecks([check.exists({ kind: "Namespace", name: "shop" })], target);
    assert.equal(result?.status, "error");
    assert.match(result?.message ?? "", /^This check could not reach your cluster \(.+\)\. If your sandbox was restarted, reload the page/);
  });

  it("gives up on a check that hangs, and aborts what it was doing", async () => {
    let aborted = false;
    const [result] = await runChecks(
      [
        check.custom("hangs", (context) => {
          context.signal.addEventListener("abort", () => (aborted = true));
          return new Promise(() => {});
        }),
      ],
      target,
      { timeoutMs: 50 },
    );
    assert.deepEqual(result, { check: "hangs", status: "error", code: "CHECK_TIMEOUT", message: "This check got no answer from your sandbox within 0 seconds. Wait a moment and check again." });
    assert.equal(aborted, true);
  });

  it("reports the remaining checks as cancelled once the caller aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    const [result] = await runChecks([check.custom("never runs", async (context) => context.pass())], target, { signal: controller.signal });
    assert.equal(result?.code, "CHECK_ABORTED");
  });
});
