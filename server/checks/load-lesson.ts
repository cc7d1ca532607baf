// Reads one lesson folder for checks and `verify`: frontmatter (validated by the same schema
// as the site build), `steps.ts` (optional: a lesson without steps still has its shown
// outputs verified) and the shown outputs of `index.mdx`.
import { access, readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import { lessonSchema } from "../../src/lessons/lesson-schema.ts";
import type { SandboxStart } from "../../src/lessons/sandbox-starts.ts";
import type { Step } from "./check-types.ts";
import { extractShownOutputs, type ShownBlock } from "./shown-outputs.ts";
import { StepsError } from "./steps-error.ts";

export interface Lesson {
  slug: string;
  dir: string;
  title: string;
  start: SandboxStart;
  steps: readonly Step[];
  shown: readonly ShownBlock[];
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The lesson ids (folders holding an index.mdx) under `lessonsDir`, sorted. */
export async function listLessons(lessonsDir: string): Promise<string[]> {
  const entries = await readdir(lessonsDir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !SLUG.test(entry.name)) continue;
    if (await exists(join(lessonsDir, entry.name, "index.mdx"))) found.push(entry.name);
  }
  return found.sort();
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function loadLesson(lessonsDir: string, slug: string): Promise<Lesson> {
  if (!SLUG.test(slug)) throw new StepsError("LESSON_NOT_FOUND", [`"${slug}" is not a lesson id (lowercase letters, digits and dashes)`]);
  const dir = resolve(lessonsDir, slug);
  const mdxFile = join(dir, "index.mdx");
  let mdx: string;
  try {
    mdx = await readFile(mdxFile, "utf8");
  } catch {
    const known = await listLessons(lessonsDir).catch(() => []);
    throw new StepsError("LESSON_NOT_FOUND", [`there is no lesson "${slug}" in ${lessonsDir} (lessons: ${known.join(", ") || "none"})`]);
  }
  const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(mdx)?.[1];
  const parsed = lessonSchema.safeParse(frontmatter === undefined ? undefined : parseYaml(frontmatter));
  if (!parsed.success) {
    throw new StepsError("LESSON_INVALID", parsed.error.issues.map((issue) => `${mdxFile}: frontmatter field "${issue.path.join(".")}" ${issue.message}`));
  }
  const stepsFile = join(dir, "steps.ts");
  let steps: readonly Step[] = [];
  if (await exists(stepsFile)) {
    const module = (await import(pathToFileURL(stepsFile).href)) as { steps?: unknown };
    if (!Array.isArray(module.steps)) {
      throw new StepsError("STEPS_INVALID", [`${stepsFile}: export the steps as \`export const steps = defineSteps([...])\``]);
    }
    steps = module.steps as readonly Step[];
  }
  const shown = extractShownOutputs(mdx);
  const ids = new Set(steps.map((step) => step.id));
  const unknown = shown.filter((block) => block.step !== undefined && !ids.has(block.step));
  if (unknown.length > 0) {
    throw new StepsError(
      "LESSON_INVALID",
      unknown.map((block) => `${mdxFile}:${block.line}: the console block names step "${block.step}", which ${stepsFile} does not define (steps: ${[...ids].join(", ") || "none"})`),
    );
  }
  return { slug, dir, title: parsed.data.title, start: parsed.data.sandbox.start, steps, shown };
}
