// Figures for lesson checks: how long one Check takes for a learner (p50/p95 of a step's
// checks against a running sandbox, beside one plain API read of the same cluster), and the
// wall time of `verify` over every lesson (beside the lessons' solutions run alone in fresh
// sandboxes, without any checks).
import { fileURLToPath } from "node:url";
import { loadLesson, listLessons } from "../server/checks/load-lesson.ts";
import { runChecks } from "../server/checks/run-checks.ts";
import { runVerify } from "../server/cli/verify-command.ts";
import { EmbeddedProvider } from "../server/providers/embedded-provider.ts";
import { prepareStart } from "../server/providers/sandbox-start.ts";
import { percentile } from "./stats.ts";

export interface ChecksFigure {
  figure: string;
  ours: string;
  reference: string;
}

const LESSONS_DIR = fileURLToPath(new URL("../lessons/", import.meta.url));
const SAMPLES = 40;

export async function measureChecks(): Promise<ChecksFigure[]> {
  const figures: ChecksFigure[] = [];
  const provider = new EmbeddedProvider({ profile: "instant" });
  const sandbox = await provider.create({});
  const welcome = await loadLesson(LESSONS_DIR, "welcome");
  const step = welcome.steps[0];
  if (step === undefined) throw new Error("the welcome lesson has no steps to measure");
  await sandbox.run(step.solution);
  const checkTimes: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const results = await runChecks(step.checks, sandbox);
    checkTimes.push(performance.now() - started);
    if (results.some((result) => result.status !== "passed")) throw new Error("the measured checks did not pass");
  }
  const { KubeConfig, CoreV1Api } = await import("@kubernetes/client-node");
  const config = new KubeConfig();
  config.loadFromString(sandbox.kubeconfig);
  const core = config.makeApiClient(CoreV1Api);
  const readTimes: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await core.readNamespace({ name: "hello-mesh" });
    readTimes.push(performance.now() - started);
  }
  figures.push({ figure: `Check of welcome/${step.id}, p50 (ms)`, ours: percentile(checkTimes, 50).toFixed(1), reference: `${percentile(readTimes, 50).toFixed(1)} (one API read)` });
  figures.push({ figure: `Check of welcome/${step.id}, p95 (ms)`, ours: percentile(checkTimes, 95).toFixed(1), reference: `${percentile(readTimes, 95).toFixed(1)} (one API read)` });
  await sandbox.dispose();

  const slugs = await listLessons(LESSONS_DIR);
  const verifyStarted = performance.now();
  const code = await runVerify(["--reporter", "json"], { out: () => {}, err: () => {} });
  const verifyMs = performance.now() - verifyStarted;
  const solutionsStarted = performance.now();
  for (const slug of slugs) {
    const lesson = await loadLesson(LESSONS_DIR, slug);
    const fresh = await provider.create({});
    await prepareStart(fresh, lesson.start);
    for (const lessonStep of lesson.steps) await fresh.run(lessonStep.solution);
    await fresh.dispose();
  }
  const solutionsMs = performance.now() - solutionsStarted;
  figures.push({
    figure: `verify over ${slugs.length} lessons (s)${code === 0 ? "" : " — verify FAILED"}`,
    ours: (verifyMs / 1000).toFixed(1),
    reference: `${(solutionsMs / 1000).toFixed(1)} (solutions alone, one lesson at a time)`,
  });
  await provider.close();
  return figures;
}
