import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { glob } from "astro/loaders";
import type { Loader, LoaderContext } from "astro/loaders";
import { formatFrontmatterIssues } from "./format-frontmatter-issues.ts";
import { LessonContentError } from "./lesson-content-error.ts";
import { lessonSchema } from "./lesson-schema.ts";
import { validateLessonGraph } from "./validate-lesson-graph.ts";

/**
 * Loads `lessons/<id>/index.mdx` with Astro's glob loader, but validates each lesson's
 * frontmatter itself first so a mistake reads as one sentence naming file, field and fix
 * (Astro's own schema report names neither the file nor the fix). After all lessons are
 * loaded it checks what spans lessons: prerequisites exist, do not loop, order is unique.
 */
export function lessonLoader(options: { base?: string } = {}): Loader {
  const base = options.base ?? "./lessons";
  const inner = glob({
    pattern: "*/index.mdx",
    base,
    // The folder is the lesson: `welcome/index.mdx` → `welcome`.
    generateId: ({ entry }) => entry.split("/")[0] ?? entry,
  });

  return {
    name: "mesh-academy-lessons",
    schema: lessonSchema,
    load: async (context: LoaderContext) => {
      const root = fileURLToPath(context.config.root);
      // Authors know paths from the project root; the store keeps them relative already.
      const authorPath = (filePath: string | undefined, id: string): string => {
        if (!filePath) return `${base.replace(/^\.\//, "")}/${id}/index.mdx`;
        return (isAbsolute(filePath) ? relative(root, filePath) : filePath).split(sep).join("/");
      };

      await inner.load({
        ...context,
        parseData: async (props) => {
          const result = lessonSchema.safeParse(props.data);
          if (!result.success) {
            throw new LessonContentError(
              "lesson-frontmatter-invalid",
              formatFrontmatterIssues(authorPath(props.filePath, props.id), result.error.issues),
            );
          }
          return context.parseData(props);
        },
      });

      validateLessonGraph(
        context.store.values().map((entry) => {
          const data = lessonSchema.parse(entry.data);
          return {
            id: entry.id,
            file: authorPath(entry.filePath, entry.id),
            order: data.order,
            prerequisites: data.prerequisites,
          };
        }),
      );
    },
  };
}
