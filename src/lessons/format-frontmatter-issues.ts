import type { z } from "zod";
import { lessonSchema } from "./lesson-schema.ts";

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

/**
 * Turns zod issues for one lesson's frontmatter into sentences an author can act on:
 * `lessons/welcome/index.mdx: frontmatter field "duration" must be a whole number of minutes, e.g. duration: 10`.
 * `file` is the lesson's path as the author knows it (relative to the project root).
 */
export function formatFrontmatterIssues(file: string, issues: readonly Issue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      const known = knownFieldsAt(issue.path);
      return issue.keys.map(
        (key) =>
          `${file}: frontmatter field "${fieldName([...issue.path, key])}" is not a lesson field; ` +
          `remove it or fix its spelling (known fields: ${known.join(", ")})`,
      );
    }
    if (issue.path.length === 0) {
      return [
        `${file}: the frontmatter must be "key: value" lines between two "---" lines at the top of the file, ` +
          `e.g. ---\\ntitle: "Welcome"\\n---`,
      ];
    }
    return [`${file}: frontmatter field "${fieldName(issue.path)}" ${issue.message}`];
  });
}

/** `["sandbox", "start"]` → `sandbox.start`; `["prerequisites", 1]` → `prerequisites[1]`. */
function fieldName(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`,
    )
    .join("");
}

// Lists the fields the schema accepts at `path`, so a typo's fix is one glance away.
function knownFieldsAt(path: readonly PathSegment[]): string[] {
  let schema: unknown = lessonSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    const shape = shapeOf(schema);
    if (!shape || typeof segment !== "string") return [];
    schema = shape[segment];
  }
  return Object.keys(shapeOf(unwrap(schema)) ?? {});
}

function unwrap(schema: unknown): unknown {
  let current = schema as { unwrap?: () => unknown; def?: { innerType?: unknown } } | undefined;
  // Optional and default wrappers hide the object underneath.
  while (current?.def?.innerType) current = current.def.innerType as typeof current;
  return current;
}

function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return shape && typeof shape === "object" ? (shape as Record<string, unknown>) : undefined;
}
