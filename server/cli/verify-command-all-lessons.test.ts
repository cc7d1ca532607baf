// Every lesson of the course on one shared cluster, as a workshop would run them: the
// emulated cluster stands in for a remote one (Istio installed by the instructor, the room
// prepared as README.md's instructors' section says), and `verify --kubeconfig` plays a
// learner per lesson, two lessons at a time in fresh namespaces. Lessons that declare they
// need a cluster of their own are skipped there, with their reasons. Slow (about two
// minutes): it runs every other lesson's every step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api } from "@kubernetes/client-node";
import { connectKubeconfigTarget } from "../checks/kubeconfig-target.ts";
import type { LessonReport } from "../checks/verify-lesson.ts";
import { loadKubeConfig } from "../providers/cluster-workstation.ts";
import { ClusterHost, createEmbeddedSandbox } from "../sandbox/index.ts";
import { parse as parseYaml } from "yaml";
import { lessonSchema } from "../../src/lessons/lesson-schema.ts";
import { listLessons } from "../checks/load-lesson.ts";
import { projectPaths } from "./project-paths.ts";
import { runVerify } from "./verify-command.ts";

/** What the instructor does once for the room (README.md, "Real clusters"). */
const ROOM_SETUP = [
  "istioctl install --set profile=demo -y",
  'kubectl kustomize "github.com/kubernetes-sigs/gateway-api/config/crd?ref=v1.6.0" | kubectl apply -f -',
  "kubectl create namespace hello-mesh",
  "kubectl label namespace hello-mesh istio-injection=enabled",
];

// The lessons that declare they need a cluster of their own (`sandbox.ownCluster`), read from
// their frontmatter as the site reads it; verify must skip exactly these, saying why.
async function lessonsNeedingOwnCluster(): Promise<Map<string, string>> {
  const dir = join(projectPaths.root, "lessons");
  const declared = new Map<string, string>();
  for (const slug of await listLessons(dir)) {
    const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(await readFile(join(dir, slug, "index.mdx"), "utf8"))?.[1];
    const reason = lessonSchema.parse(parseYaml(frontmatter ?? "")).sandbox.ownCluster?.reason;
    if (reason !== undefined) declared.set(slug, reason);
  }
  return declared;
}

test("every lesson passes verify --kubeconfig on a shared cluster, two at a time, but those that declare a cluster of their own, which are skipped with their reasons", { timeout: 900_000 }, async () => {
  const ownCluster = await lessonsNeedingOwnCluster();
  // The three the README's instructors' section names; a new declaration should be a decision, not a drift.
  assert.deepEqual([...ownCluster.keys()].sort(), ["gateways", "security", "sidecar-injection"]);
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
    const code = await runVerify(["--kubeconfig", file, "--reporter", "json", "--jobs", "2", "--settle", "20"], { out: (text) => (out += text), err: (text) => (err += text) });
    const result = JSON.parse(out) as { passed: boolean; skipped: number; lessons: LessonReport[] };
    const reports = result.lessons;
    assert.ok(reports.length >= 10, err);
    const summary = reports.map((report) => `${report.passed ? "✔" : "✘"} ${report.lesson}: ${report.skipped ?? ""}${report.failures.map((failure) => `[${failure.step ?? "-"}] ${failure.message.slice(0, 200)}`).join(" | ")}`).join("\n");
    assert.deepEqual(reports.filter((report) => !report.passed).map((report) => report.lesson), [], summary);
    assert.equal(code, 0, summary);
    assert.equal(result.passed, true);
    // Exactly the declared lessons are skipped, each with its own reason; every other one ran its steps.
    assert.deepEqual(
      reports.filter((report) => report.skipped !== undefined).map((report) => [report.lesson, report.skipped]).sort(),
      [...ownCluster].map(([slug, reason]) => [slug, `needs a cluster of its own: ${reason}`]).sort(),
    );
    assert.equal(result.skipped, ownCluster.size);
    for (const report of reports.filter((report) => report.skipped === undefined)) assert.ok(report.steps.every((step) => step.status === "passed"), summary);

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
