import assert from "node:assert/strict";
import { test } from "node:test";
import type { Check, Step } from "../checks/check-types.ts";
import type { Lesson } from "../checks/load-lesson.ts";
import { sharedClusterLesson } from "./verify-command-shared-lesson.ts";

const check: Check = { name: "something holds", run: async (context) => context.pass() };
const step = (id: string, solution: string): Step => ({ id, title: `Step ${id}`, checks: [check], hints: [], solution });

const lesson: Lesson = {
  slug: "demo",
  dir: "/lessons/demo",
  title: "Demo",
  start: "empty",
  steps: [step("install-istio", "istioctl install --set profile=demo -y"), step("deploy", "kubectl apply -f app.yaml")],
  shown: [
    { step: undefined, unordered: false, line: 3, commands: [{ command: "kubectl get pods", output: "NAME ...", line: 4 }, { command: "kubectl create namespace extra", output: undefined, line: 6 }] },
    { step: "install-istio", unordered: false, line: 10, commands: [{ command: "istioctl install --set profile=demo -y", output: "✔ Installation complete", line: 11 }] },
    { step: "deploy", unordered: true, line: 20, commands: [{ command: "kubectl get deploy", output: "app 1/1", line: 21 }] },
  ],
};

test("a declared cluster step runs the command that shows its result, and its shown outputs are left out", () => {
  const shared = sharedClusterLesson(lesson, { "install-istio": "kubectl get pods -n istio-system" });
  assert.deepEqual(shared.problems, []);
  assert.deepEqual(shared.lesson.steps.map((s) => s.solution), ["kubectl get pods -n istio-system", "kubectl apply -f app.yaml"]);
  // Shown commands still run (they must succeed) but their outputs are not compared; cluster-wide ones are dropped.
  assert.deepEqual(shared.lesson.shown.map((block) => [block.step, block.commands.map((c) => [c.command, c.output])]), [
    [undefined, [["kubectl get pods", undefined]]],
    ["deploy", [["kubectl get deploy", undefined]]],
  ]);
});

test("a cluster step that also has the learner's part runs that part, then the command that shows the result", () => {
  const crds = 'kubectl kustomize "github.com/kubernetes-sigs/gateway-api/config/crd?ref=v1.6.0" | kubectl apply -f -';
  const mixed: Lesson = { ...lesson, steps: [step("gateway-api", `${crds}\nkubectl apply -f gateway.yaml`)], shown: [] };
  const shared = sharedClusterLesson(mixed, { "gateway-api": "kubectl get crd gateways.gateway.networking.k8s.io" });
  assert.deepEqual(shared.problems, []);
  assert.equal(
    shared.lesson.steps[0]?.solution,
    `# done by the instructor on a shared cluster: ${crds}\nkubectl apply -f gateway.yaml\nkubectl get crd gateways.gateway.networking.k8s.io`,
  );
});

test("only the read-only step may pass before it is done, and the report names it", () => {
  const shared = sharedClusterLesson(lesson, { "install-istio": "kubectl get pods -n istio-system" });
  const early = (id: string) => ({ code: "check-passes-before-solution" as const, lesson: "demo", step: id, check: "something holds", message: "passes before" });
  const adjusted = shared.adjust({
    lesson: "demo",
    title: "Demo",
    passed: false,
    durationMs: 1,
    steps: [
      { id: "install-istio", title: "Step install-istio", status: "failed", durationMs: 1 },
      { id: "deploy", title: "Step deploy", status: "failed", durationMs: 1 },
    ],
    failures: [early("install-istio"), early("deploy")],
  });
  assert.equal(adjusted.passed, false);
  assert.deepEqual(adjusted.failures.map((failure) => failure.step), ["deploy"]);
  assert.deepEqual(adjusted.steps.map((s) => [s.title, s.status]), [
    ["Step install-istio (the instructor's; read-only)", "passed"],
    ["Step deploy", "failed"],
  ]);
});

test("an undeclared cluster-wide step and a declaration naming no step are the lesson's mistakes", () => {
  const shared = sharedClusterLesson(lesson, { "instal-istio": "kubectl get pods -n istio-system" });
  assert.equal(shared.problems.length, 2);
  assert.match(shared.problems[0]?.message ?? "", /^sandbox\.clusterSteps names step "instal-istio", which the lesson's steps\.ts does not define \(steps: install-istio, deploy\)$/);
  assert.match(shared.problems[1]?.message ?? "", /^step "install-istio" needs cluster-wide rights .* add it to sandbox\.clusterSteps/);
  assert.equal(shared.problems[1]?.step, "install-istio");
});
