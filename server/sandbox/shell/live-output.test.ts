import { test } from "node:test";
import assert from "node:assert/strict";
import { isLoneCommand, LIVE_ENV, LiveOutputs } from "./live-output.ts";

const KUBECTL = new Set(["kubectl"]);

test("a lone kubectl runs live; pipes, redirections, lists and substitutions do not", () => {
  assert.equal(isLoneCommand("kubectl get pods -w", KUBECTL), true);
  assert.equal(isLoneCommand("  kubectl logs -f deploy/x -n ns  ", KUBECTL), true);
  assert.equal(isLoneCommand("kubectl get pods -w | grep x", KUBECTL), false);
  assert.equal(isLoneCommand("kubectl get pods -w > pods.txt", KUBECTL), false);
  assert.equal(isLoneCommand("kubectl get pods; echo done", KUBECTL), false);
  assert.equal(isLoneCommand("kubectl get pods && echo ok", KUBECTL), false);
  assert.equal(isLoneCommand("kubectl get pods &", KUBECTL), false);
  assert.equal(isLoneCommand("kubectl logs $(kubectl get pod -o name)", KUBECTL), false);
  assert.equal(isLoneCommand('kubectl logs "$(kubectl get pod -o name)"', KUBECTL), false);
  assert.equal(isLoneCommand("grep x file", KUBECTL), false);
  assert.equal(isLoneCommand("$K get pods", KUBECTL), false);
  assert.equal(isLoneCommand("kubectl get 'pods", KUBECTL), false);
});

test("writers are found only through the variable of their own exec", () => {
  const outputs = new LiveOutputs();
  const seen: string[] = [];
  outputs.open("7", { stdout: (chunk) => seen.push(chunk), stderr: () => {} });
  assert.equal(outputs.find(new Map([[LIVE_ENV, "8"]])), undefined);
  assert.equal(outputs.find(new Map()), undefined);
  outputs.find(new Map([[LIVE_ENV, "7"]]))?.stdout("line\n");
  assert.deepEqual(seen, ["line\n"]);
  outputs.close("7");
  assert.equal(outputs.find(new Map([[LIVE_ENV, "7"]])), undefined);
});
