// Every lesson of the course on one shared cluster, as a workshop would run them: the
// emulated cluster stands in for a remote one (Istio installed by the instructor, the room
// prepared as README.md's instructors' section says), and `verify --kubeconfig` plays a
// learner per lesson, two lessons at a time in fresh namespaces. Slow (about two minutes):
// it runs every lesson's every step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { connectKubeconfigTarget } from "../checks/kubeconfig-target.ts";
import type { LessonReport } from "../checks/verify-lesson.ts";
import { loadKubeConfig } from "../providers/cluster-workstation.ts";
import { ClusterHost, createEmbeddedSandbox } from "../sandbox/index.ts";
import { runVerify } from "./verify-command.ts";

/** What the instructor does once for the room (README.md, "Real clusters"). */
const ROOM_SETUP = [
  "istioctl install --set profile=demo -y",
  'kubectl kustomize "github.com/kubernetes-sigs/gateway-api/config/crd?ref=v1.6.0" | kubectl apply -f -',
  "kubectl create namespace hello-mesh",
  "kubectl label namespace hello-mesh istio-injection=enabled",
];

// Lessons still written for a cluster of one's own (README.md's "known limits"): labelling the
// namespace half-way (sidecar-injection), a second namespace and mesh-wide STRICT (security),
// and host "*" on the one shared ingress gateway, which another learner's Gateway can answer
// (gateways). Every other lesson must pass.
const NOT_YET_SHARED = new Set(["gateways", "security", "sidecar-injection"]);

test("every lesson but the known exceptions passes verify --kubeconfig on a shared cluster, two at a time", { timeout: 900_000 }, async () => {
  const host = new ClusterHost();
  await host.listen({ host: "127.0.0.1", port: 0 });
  const sandbox = await createEmbeddedSandbox({ host, id: "verify-all-lessons", profile: "instant" });
  const dir = await mkdtemp(join(tmpdir(), "verify-all-lessons-"));
  const file = join(dir, "kubeconfig");
  await writeFile(file, sandbox.adminKubeconfig);
  try {
    const instructor = await connectKubeconfigTarget(sandbox.adminKubeconfig);
    const setup = await instructor.run(ROOM_SETUP.join(" && "));
    assert.equal(setup.exitCode, 0, setup.stdout + setup.stderr);

    let out = "";
    let err = "";
    await runVerify(["--kubeconfig", file, "--reporter", "json", "--jobs", "2", "--settle", "20"], { out: (text) => (out += text), err: (text) => (err += text) });
    const reports = (JSON.parse(out) as { lessons: LessonReport[] }).lessons;
    assert.ok(reports.length >= 10, err);
    const summary = reports.map((report) => `${report.passed ? "✔" : "✘"} ${report.lesson}: ${report.failures.map((failure) => `[${failure.step ?? "-"}] ${failure.message.slice(0, 200)}`).join(" | ")}`).join("\n");
    const expected = reports.filter((report) => !NOT_YET_SHARED.has(report.lesson));
    assert.deepEqual(expected.filter((report) => !report.passed).map((report) => report.lesson), [], summary);
    // The known exceptions are named, not skipped: each still runs, and its problem is on shared-cluster grounds.
    assert.deepEqual(reports.filter((report) => NOT_YET_SHARED.has(report.lesson)).map((report) => report.lesson).sort(), [...NOT_YET_SHARED].sort());

    // Nothing is left behind: every learner namespace verify made is gone.
    const core = loadKubeConfig(sandbox.adminKubeconfig).makeApiClient(CoreV1Api);
    const left = (await core.listNamespace({ labelSelector: "app.kubernetes.io/managed-by=mesh-academy" })).items.filter((ns) => ns.metadata?.deletionTimestamp === undefined);
    assert.deepEqual(left.map((ns) => ns.metadata?.name), []);
  } finally {
    await sandbox.dispose();
    await host.close();
    await rm(dir, { recursive: true, force: true });
  }
});
