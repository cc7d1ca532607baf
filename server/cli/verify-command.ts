// `mesh-academy verify`: lesson CI. Every lesson runs in a fresh sandbox; each step's checks
// must fail, its solution must run, its checks must then pass and its shown outputs must
// match. Lessons run in parallel. With --kubeconfig the sandbox is what a learner gets on
// that shared cluster: a fresh namespace made by the cluster provider (the lesson's labels,
// the learner's ServiceAccount and RBAC, a workstation pod), solutions and checks with the
// learner's rights, cluster-scoped steps in their read-only form, the namespace deleted
// afterwards, also when verify fails or is interrupted. A lesson that declares it needs a
// cluster of its own (`sandbox.ownCluster`) is reported skipped there, with its reason; the
// embedded sandbox is a cluster of one's own, so there it runs like any other.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { lessonSchema } from "../../src/lessons/lesson-schema.ts";
import { ClusterProvider } from "../providers/cluster/cluster-provider.ts";
import { EmbeddedProvider } from "../providers/embedded-provider.ts";
import type { CheckTarget } from "../checks/check-types.ts";
import { prepareStart } from "../providers/sandbox-start.ts";
import { formatVerifyReport, VERIFY_REPORTERS, type VerifyReporter } from "../checks/format-verify-report.ts";
import { listLessons, loadLesson, type Lesson } from "../checks/load-lesson.ts";
import { StepsError } from "../checks/steps-error.ts";
import { verifyLesson, type LessonReport } from "../checks/verify-lesson.ts";
import type { CliCommand } from "./cli-command.ts";
import { projectPaths } from "./project-paths.ts";
import { sharedClusterLesson } from "./verify-command-shared-lesson.ts";

export interface VerifyIo {
  out(text: string): void;
  err(text: string): void;
  signal?: AbortSignal;
}

const USAGE =
  "Usage: mesh-academy verify [LESSON…] [--kubeconfig FILE] [--reporter pretty|json|junit] [--output FILE] [--jobs N]\n" +
  "                           [--lessons-dir DIR] [--settle SECONDS] [--image IMAGE]\n" +
  "  --kubeconfig FILE  run each lesson in a fresh learner namespace on that cluster (Istio installed)\n" +
  "  --image IMAGE      the workstation's toolbox image there\n";

export async function runVerify(args: readonly string[], io: VerifyIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.err(`mesh-academy verify: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const reporter = (values.reporter ?? "pretty") as VerifyReporter;
  if (!VERIFY_REPORTERS.includes(reporter)) return usageError(io, `--reporter must be one of ${VERIFY_REPORTERS.join(", ")}, got "${values.reporter}"`);
  const jobs = Number(values.jobs ?? "2");
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) return usageError(io, `--jobs must be a whole number from 1 to 64, got "${values.jobs}"`);
  const settleSeconds = values.settle === undefined ? undefined : Number(values.settle);
  if (settleSeconds !== undefined && !(settleSeconds >= 0 && settleSeconds <= 600)) return usageError(io, `--settle must be a number of seconds from 0 to 600, got "${values.settle}"`);
  const lessonsDir = path.resolve(values["lessons-dir"] ?? path.join(projectPaths.root, "lessons"));

  let slugs: string[];
  try {
    slugs = positionals.length > 0 ? [...new Set(positionals)] : await listLessons(lessonsDir);
  } catch (error) {
    io.err(`mesh-academy verify: cannot read ${lessonsDir}: ${(error as Error).message}\n`);
    return 2;
  }
  if (slugs.length === 0) {
    io.err(`mesh-academy verify: no lessons in ${lessonsDir}\n`);
    return 2;
  }

  let kubeconfig: string | undefined;
  if (values.kubeconfig !== undefined) {
    try {
      kubeconfig = await readFile(values.kubeconfig, "utf8");
    } catch (error) {
      io.err(`mesh-academy verify: cannot read ${values.kubeconfig}: ${(error as Error).message}\n`);
      return 2;
    }
  }

  const options = {
    // An embedded sandbox on the instant profile settles at once; a real cluster pulls images.
    settleMs: (settleSeconds ?? (kubeconfig === undefined ? 5 : 60)) * 1000,
    ...(io.signal !== undefined ? { signal: io.signal } : {}),
  };
  const embedded = kubeconfig === undefined ? new EmbeddedProvider({ profile: "instant" }) : undefined;
  let cluster: ClusterProvider | undefined;
  try {
    cluster =
      kubeconfig === undefined
        ? undefined
        : new ClusterProvider({ kubeconfig, namespacePrefix: "verify-", ...(values.image !== undefined ? { image: values.image } : {}) });
  } catch (error) {
    io.err(`mesh-academy verify: ${values.kubeconfig} is not a usable kubeconfig: ${(error as Error).message}\n`);
    return 2;
  }
  let reports: LessonReport[];
  try {
    const verifyOne = async (slug: string): Promise<LessonReport> => {
      let lesson: Lesson;
      let needs: SharedClusterNeeds;
      try {
        lesson = await loadLesson(lessonsDir, slug);
        needs = await readSharedClusterNeeds(lesson.dir);
      } catch (error) {
        if (!(error instanceof StepsError)) throw error;
        return { lesson: slug, title: slug, passed: false, durationMs: 0, steps: [], failures: error.problems.map((message) => ({ code: "lesson-invalid", lesson: slug, message })) };
      }
      if (cluster !== undefined && needs.ownCluster !== undefined) {
        return { lesson: slug, title: lesson.title, passed: true, skipped: `needs a cluster of its own: ${needs.ownCluster}`, durationMs: 0, steps: [], failures: [] };
      }
      const shared = cluster === undefined ? undefined : sharedClusterLesson(lesson, needs.clusterSteps);
      if (shared !== undefined && shared.problems.length > 0) {
        return { lesson: slug, title: lesson.title, passed: false, durationMs: 0, steps: [], failures: shared.problems };
      }
      if (io.signal?.aborted) {
        return { lesson: slug, title: lesson.title, passed: false, durationMs: 0, steps: [], failures: [{ code: "sandbox-failed", lesson: slug, message: "verify was interrupted before this lesson started" }] };
      }
      let target: (CheckTarget & { dispose(): Promise<void> }) | undefined;
      try {
        target = embedded !== undefined ? await embedded.create({}) : await (cluster as ClusterProvider).create({ namespaceLabels: needs.namespaceLabels });
        // The lesson's starting state (Istio installed, Bookinfo deployed, …) before its first step;
        // on a shared cluster only its namespace-scoped part, Istio being the instructor's.
        await prepareStart(target, lesson.start, { namespaceLabels: needs.namespaceLabels, ...(io.signal !== undefined ? { signal: io.signal } : {}) });
      } catch (error) {
        await target?.dispose();
        const message = `the sandbox could not be started: ${error instanceof Error ? error.message : String(error)}`;
        return { lesson: slug, title: lesson.title, passed: false, durationMs: 0, steps: [], failures: [{ code: "sandbox-failed", lesson: slug, message }] };
      }
      try {
        if (shared === undefined) return await verifyLesson(lesson, target, options);
        return shared.adjust(await verifyLesson(shared.lesson, target, options));
      } finally {
        await target.dispose();
      }
    };
    reports = await mapLimited(slugs, jobs, verifyOne);
  } finally {
    await embedded?.close();
    // Whatever an interrupted run left: every namespace this run created goes.
    await cluster?.close();
  }

  const text = formatVerifyReport(reports, reporter);
  if (values.output !== undefined) {
    await writeFile(values.output, text);
    io.out(formatVerifyReport(reports, "pretty"));
  } else {
    io.out(text);
  }
  return reports.every((report) => report.passed) ? 0 : 1;
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      kubeconfig: { type: "string" },
      reporter: { type: "string" },
      output: { type: "string" },
      jobs: { type: "string" },
      "lessons-dir": { type: "string" },
      settle: { type: "string" },
      image: { type: "string" },
    },
    strict: true,
    allowPositionals: true,
  });
}

interface SharedClusterNeeds {
  namespaceLabels: Record<string, string>;
  clusterSteps: Record<string, string>;
  /** Why the lesson needs a cluster of its own, if it says so. */
  ownCluster: string | undefined;
}

/** The lesson's declarations for a shared cluster, from its frontmatter (validated already). */
async function readSharedClusterNeeds(dir: string): Promise<SharedClusterNeeds> {
  const mdx = await readFile(path.join(dir, "index.mdx"), "utf8");
  const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(mdx)?.[1];
  const parsed = lessonSchema.safeParse(frontmatter === undefined ? undefined : parseYaml(frontmatter));
  const sandbox = parsed.success ? parsed.data.sandbox : undefined;
  return { namespaceLabels: sandbox?.namespaceLabels ?? {}, clusterSteps: sandbox?.clusterSteps ?? {}, ownCluster: sandbox?.ownCluster?.reason };
}

function usageError(io: VerifyIo, message: string): number {
  io.err(`mesh-academy verify: ${message}\n${USAGE}`);
  return 2;
}

/** Runs `work` over `items` with at most `limit` at a time; results keep the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const verifyCommand: CliCommand = {
  name: "verify",
  summary: "Prove every lesson in a fresh sandbox: checks fail, solutions run, checks pass, shown outputs match",
  async run(args) {
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once("SIGINT", stop);
    try {
      return await runVerify(args, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text), signal: controller.signal });
    } finally {
      process.off("SIGINT", stop);
    }
  },
};
