import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { steps as goodSteps } from "../../tests/verify-fixtures/good-lesson/steps.ts";
import { connectKubeconfigTarget } from "../checks/kubeconfig-target.ts";
import { runChecks } from "../checks/run-checks.ts";
import type { LessonReport } from "../checks/verify-lesson.ts";
import { loadKubeConfig } from "../providers/cluster-workstation.ts";
import { ClusterHost, createEmbeddedSandbox } from "../sandbox/index.ts";
import { kubectlOutput } from "../sandbox/kubectl/kubectl-output.ts";
import { projectPaths } from "./project-paths.ts";
import { runSandbox } from "./sandbox-command.ts";
import { runVerify } from "./verify-command.ts";

const FIXTURES = join(projectPaths.root, "tests", "verify-fixtures");
const SHARED_FIXTURES = join(projectPaths.root, "server", "cli", "verify-command-fixtures");


async function verify(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runVerify(args, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

function failuresOf(report: LessonReport | undefined) {
  assert.ok(report, "lesson missing from the report");
  return report.failures.map((failure) => ({ code: failure.code, step: failure.step, check: failure.check }));
}

test("verify over the fixture lessons names each mistake, and passes the good lesson", async () => {
  const { code, out } = await verify(["--lessons-dir", FIXTURES, "--reporter", "json", "--settle", "0.5"]);
  assert.equal(code, 1);
  const report = JSON.parse(out) as { passed: boolean; lessons: LessonReport[] };
  assert.equal(report.passed, false);
  const byName = new Map(report.lessons.map((lesson) => [lesson.lesson, lesson]));
  assert.deepEqual([...byName.keys()], ["always-passes", "good-lesson", "istio-start", "never-passes", "output-drifted", "solution-fails"]);

  assert.deepEqual(byName.get("good-lesson")?.failures, []);
  assert.deepEqual(byName.get("good-lesson")?.steps.map((step) => step.status), ["passed", "passed"]);
  // Its starting state installed Istio before the first step (the shown istiod is there).
  assert.deepEqual(byName.get("istio-start")?.failures, []);
  assert.deepEqual(byName.get("istio-start")?.steps.map((step) => step.status), ["passed"]);

  assert.deepEqual(failuresOf(byName.get("always-passes")), [
    { code: "check-passes-before-solution", step: "make-namespace", check: "Namespace default exists" },
  ]);
  assert.deepEqual(failuresOf(byName.get("never-passes")), [
    { code: "check-fails-after-solution", step: "label-namespace", check: "Namespace team has label tier=frontend" },
  ]);
  assert.match(byName.get("never-passes")?.failures[0]?.message ?? "", /has the label `tier=web`, not `tier=frontend`/);

  const solution = byName.get("solution-fails");
  assert.deepEqual(failuresOf(solution), [{ code: "solution-failed", step: "make-namespace", check: undefined }]);
  assert.equal(solution?.failures[0]?.command, "kubectl create namespace Team");
  assert.match(solution?.failures[0]?.actual ?? "", /Invalid value: "Team"/);
  assert.deepEqual(solution?.steps.map((step) => step.status), ["failed", "skipped"]);

  const drift = byName.get("output-drifted")?.failures[0];
  assert.deepEqual(failuresOf(byName.get("output-drifted")), [{ code: "shown-output-drifted", step: "label-namespace", check: undefined }]);
  assert.equal(drift?.expected, "frontend");
  assert.equal(drift?.actual, "web\n");
  assert.match(drift?.message ?? "", /output-drifted\/index\.mdx:11: .*shown line 1: "frontend", printed: "web"/);
});

test("the JUnit report has a suite per lesson and a failure typed by its code", async () => {
  const dir = await mkdtemp(join(tmpdir(), "verify-junit-"));
  try {
    const file = join(dir, "report.xml");
    const { code, out } = await verify(["always-passes", "good-lesson", "--lessons-dir", FIXTURES, "--reporter", "junit", "--output", file]);
    assert.equal(code, 1);
    assert.match(out, /✘ always-passes/);
    assert.match(out, /✔ good-lesson/);
    const xml = await readFile(file, "utf8");
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="mesh-academy verify">/);
    assert.match(xml, /<testsuite name="always-passes" tests="1" failures="1" skipped="0"/);
    assert.match(xml, /<failure type="check-passes-before-solution" message="check &quot;Namespace default exists&quot; passes before/);
    assert.match(xml, /<testsuite name="good-lesson" tests="2" failures="0" skipped="0"/);
    assert.match(xml, /<testcase classname="good-lesson" name="run-httpbin: Run httpbin in the shop namespace" time="[\d.]+"\/>/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Every project lesson is verified by `npm run test:verify`; here, that a lesson needing a
// cluster of its own is run in full on the embedded sandbox, which is one.
test("on the embedded sandbox a lesson that needs a cluster of its own runs in full", async () => {
  const { code, out, err } = await verify(["gateways"]);
  assert.equal(code, 0, `${out}${err}`);
  assert.match(out, /^✔ gateways/m);
  assert.doesNotMatch(out, /skipped:/);
});

test("the same checks run against a cluster served by `mesh-academy sandbox`, through its kubeconfig", async () => {
  const dir = await mkdtemp(join(tmpdir(), "verify-kubeconfig-"));
  const file = join(dir, "kubeconfig");
  const controller = new AbortController();
  let announced!: () => void;
  const ready = new Promise<void>((resolve) => (announced = resolve));
  const served = runSandbox(["--kubeconfig", file, "--profile", "instant"], {
    out: (text) => {
      if (text.includes("kubeconfig in")) announced();
    },
    err: () => {},
    signal: controller.signal,
  });
  try {
    await Promise.race([ready, served.then((exit) => assert.fail(`mesh-academy sandbox ended early (${exit})`))]);
    const target = await connectKubeconfigTarget(await readFile(file, "utf8"));
    const checks = goodSteps.flatMap((step) => step.checks);
    const before = await runChecks(checks, target);
    assert.deepEqual(before.map((result) => result.status), ["failed", "failed", "failed", "failed", "failed"]);
    assert.match(before[0]?.message ?? "", /^Namespace shop does not exist yet\. Run: `kubectl create namespace shop`$/);

    // The workstation pod of this cluster has no kubectl, so the solution's objects go in through the API.
    const objects = KubernetesObjectApi.makeApiClient(loadKubeConfig(target.kubeconfig));
    const labels = { app: "httpbin" };
    await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { "istio-injection": "enabled" } } });
    await objects.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "httpbin", namespace: "shop", labels },
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: "httpbin", image: "docker.io/mccutchen/go-httpbin:v2.15.0", ports: [{ containerPort: 8080 }] }] } },
      },
    } as KubernetesObject);
    await objects.create({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "httpbin", namespace: "shop" },
      spec: { selector: labels, ports: [{ port: 8000, targetPort: 8080 }] },
    } as KubernetesObject);

    let after = await runChecks(checks, target);
    for (let attempt = 0; attempt < 40 && after.some((result) => result.status !== "passed"); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await runChecks(checks, target);
    }
    assert.deepEqual(after, checks.map((check) => ({ check: check.name, status: "passed" })));
  } finally {
    controller.abort();
    assert.equal(await served, 0);
    await rm(dir, { recursive: true, force: true });
  }
});

test("verify --kubeconfig runs each lesson in a fresh learner namespace of a shared cluster, with the learner's rights", async () => {
  const host = new ClusterHost();
  await host.listen({ host: "127.0.0.1", port: 0 });
  const sandbox = await createEmbeddedSandbox({ host, id: "verify-remote", profile: "instant" });
  const dir = await mkdtemp(join(tmpdir(), "verify-kubeconfig-"));
  const file = join(dir, "kubeconfig");
  await writeFile(file, sandbox.adminKubeconfig);
  const admin = loadKubeConfig(sandbox.adminKubeconfig);
  const core = admin.makeApiClient(CoreV1Api);
  const verifyNamespaces = async () =>
    (await core.listNamespace({ labelSelector: "app.kubernetes.io/managed-by=mesh-academy" })).items.filter((ns) => ns.metadata?.deletionTimestamp === undefined).map((ns) => ns.metadata?.name ?? "");
  try {
    // The instructor installs Istio once for the room, with the admin's rights.
    const instructor = await connectKubeconfigTarget(sandbox.adminKubeconfig);
    const install = await instructor.run("istioctl install --set profile=demo -y");
    assert.equal(install.exitCode, 0, install.stdout + install.stderr);

    // While verify runs, the learner it plays holds a token that is Forbidden outside its namespace.
    let probed: { namespace: string; elsewhere: string; canI: string; own: string } | undefined;
    const probing = (async () => {
      for (let i = 0; i < 400 && probed === undefined; i++) {
        const namespace = (await verifyNamespaces()).find((name) => !name.endsWith("-ws"));
        // The workstation's namespace beside the learner's holds the learner's kubeconfig.
        const secret = namespace === undefined ? undefined : await core.readNamespacedSecret({ name: "learner-kubeconfig", namespace: `${namespace}-ws` }).catch(() => undefined);
        const config = secret?.data?.config;
        if (namespace !== undefined && config !== undefined) {
          const asLearner = Buffer.from(config, "base64").toString("utf8");
          const learner = (args: string[]) => kubectlOutput(asLearner, args);
          probed = {
            namespace,
            elsewhere: (await learner(["get", "secrets", "-n", "default"])).err,
            canI: (await learner(["auth", "can-i", "create", "deployments", "-n", "istio-system"])).out,
            own: (await learner(["auth", "can-i", "create", "deployments"])).out,
          };
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const fixture = await verify(["shared-lesson", "--lessons-dir", SHARED_FIXTURES, "--kubeconfig", file, "--reporter", "json", "--settle", "20"]);
    await probing;
    assert.equal(fixture.code, 0, fixture.out + fixture.err);
    const report = JSON.parse(fixture.out) as { lessons: LessonReport[] };
    assert.deepEqual(report.lessons[0]?.steps.map((step) => step.status), ["passed", "passed"]);
    assert.ok(probed, "no learner namespace appeared while verify ran");
    assert.match(probed.namespace, /^verify-[0-9a-f]{10}$/);
    assert.match(probed.elsewhere, new RegExp(`Forbidden\\): secrets is forbidden: User "system:serviceaccount:${probed.namespace}-ws:learner" cannot list resource "secrets" in API group "" in the namespace "default"`));
    assert.equal(probed.canI, "no\n");
    assert.equal(probed.own, "yes\n");

    // A real lesson, two at a time in separate namespaces; then nothing is left behind.
    const real = await verify(["bookinfo", "traffic-management", "--kubeconfig", file, "--reporter", "json", "--jobs", "2", "--settle", "20"]);
    assert.equal(real.code, 0, real.out + real.err);
    assert.deepEqual(await verifyNamespaces(), []);

    // A lesson that needs a cluster of its own is skipped here with its reason, not failed, and makes no namespace.
    const own = await verify(["gateways", "--kubeconfig", file, "--reporter", "junit"]);
    assert.equal(own.code, 0, own.out + own.err);
    assert.match(own.out, /<testsuite name="gateways" tests="1" failures="0" skipped="1"[^>]*>\n.*\n {6}<skipped message="needs a cluster of its own: Every learner&apos;s Gateway with hosts &quot;\*&quot; binds the one ingress gateway/);
    assert.deepEqual(await verifyNamespaces(), []);

    // A step that needs cluster-wide rights and is not declared so is named as the lesson's mistake.
    const undeclared = await verify(["good-lesson", "--lessons-dir", FIXTURES, "--kubeconfig", file, "--reporter", "json"]);
    assert.equal(undeclared.code, 1);
    const failure = (JSON.parse(undeclared.out) as { lessons: LessonReport[] }).lessons[0]?.failures[0];
    assert.equal(failure?.code, "lesson-invalid");
    assert.match(failure?.message ?? "", /step "make-namespace" needs cluster-wide rights .* add it to sandbox\.clusterSteps/);
  } finally {
    await sandbox.dispose();
    await host.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test("an interrupted verify --kubeconfig deletes the namespaces it made", async () => {
  const host = new ClusterHost();
  await host.listen({ host: "127.0.0.1", port: 0 });
  const sandbox = await createEmbeddedSandbox({ host, id: "verify-interrupted", profile: "instant" });
  const dir = await mkdtemp(join(tmpdir(), "verify-kubeconfig-"));
  const file = join(dir, "kubeconfig");
  await writeFile(file, sandbox.adminKubeconfig);
  const core = loadKubeConfig(sandbox.adminKubeconfig).makeApiClient(CoreV1Api);
  const live = async () =>
    (await core.listNamespace({ labelSelector: "app.kubernetes.io/managed-by=mesh-academy" })).items.filter((ns) => ns.metadata?.deletionTimestamp === undefined).length;
  try {
    // istio-system is there (learners get read access to it) but Istio is not installed, so the
    // fixture's second step waits out its settle time: interrupt it there.
    await core.createNamespace({ body: { metadata: { name: "istio-system" } } });
    const controller = new AbortController();
    let out = "";
    const running = runVerify(["shared-lesson", "--lessons-dir", SHARED_FIXTURES, "--kubeconfig", file, "--reporter", "json", "--settle", "120"], {
      out: (text) => (out += text),
      err: () => {},
      signal: controller.signal,
    });
    for (let i = 0; i < 400 && (await live()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    // The learner's namespace and its workstation's.
    for (let i = 0; i < 400 && (await live()) < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.equal(await live(), 2);
    controller.abort();
    assert.equal(await running, 1);
    assert.equal(await live(), 0);
    assert.equal((JSON.parse(out) as { passed: boolean }).passed, false);
  } finally {
    await sandbox.dispose();
    await host.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test("usage mistakes and unknown lessons are explained", async () => {
  const badReporter = await verify(["--reporter", "xml"]);
  assert.equal(badReporter.code, 2);
  assert.match(badReporter.err, /--reporter must be one of pretty, json, junit, got "xml"/);
  assert.equal((await verify(["--jobs", "0"])).code, 2);
  assert.match((await verify(["--bogus"])).err, /Unknown option '--bogus'/);
  const missing = await verify(["no-such-lesson", "--lessons-dir", FIXTURES, "--reporter", "json"]);
  assert.equal(missing.code, 1);
  const report = JSON.parse(missing.out) as { lessons: LessonReport[] };
  assert.equal(report.lessons[0]?.failures[0]?.code, "lesson-invalid");
  assert.match(report.lessons[0]?.failures[0]?.message ?? "", /there is no lesson "no-such-lesson" in .* \(lessons: always-passes, good-lesson/);
});
