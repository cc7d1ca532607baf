import { z } from "zod";
import { SANDBOX_STARTS } from "./sandbox-starts.ts";

// Lesson ids are folder names under lessons/, used in URLs and in `prerequisites`.
export const LESSON_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// On a shared cluster the provider puts these labels on the learner's namespace with the
// operator's rights, so only Istio's own keys are accepted: a lesson must not be able to ask
// for, say, a pod-security level or the labels the provider sweeps by.
const NAMESPACE_LABEL_KEY = /^(?:istio-injection|(?:[a-z0-9-]+\.)?(?:istio\.io|sidecar\.istio\.io)\/[A-Za-z0-9][-A-Za-z0-9_.]{0,62})$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * Builds a zod error function whose text finishes the sentence
 * `frontmatter field "<name>" …`, so an author reads what is wrong and how to fix it.
 * Every check on a field shares one message: the author needs the rule, not which check tripped.
 */
function fieldError(rule: string, example: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? `is missing; add it, e.g. ${example}`
      : `must be ${rule}, e.g. ${example} (found ${describeValue(issue.input)})`;
}

function describeValue(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a nested object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const title = fieldError("a short line of text (1 to 80 characters)", 'title: "Welcome to the mesh"');
const summary = fieldError(
  "one or two sentences of text (1 to 240 characters)",
  'summary: "What a service mesh is for, and how this site works."',
);
const duration = fieldError("a whole number of minutes", "duration: 10");
const order = fieldError("a whole number that places the lesson in the list (0 comes first)", "order: 1");
const prerequisiteList = fieldError("a list of lesson ids", "prerequisites: [welcome]");
const prerequisiteId = fieldError(
  "a lesson id: the lesson's folder name in lowercase letters, digits and dashes",
  "prerequisites: [welcome]",
);
const sandbox = fieldError(
  `an object naming the starting state, one of: ${SANDBOX_STARTS.join(", ")}`,
  "sandbox: { start: empty }",
);
const sandboxStart = fieldError(`one of: ${SANDBOX_STARTS.join(", ")}`, "sandbox: { start: empty }");
const namespaceLabels = fieldError(
  "labels for the learner's namespace: keys from istio.io, sidecar.istio.io or istio-injection, short text values",
  "namespaceLabels: { istio-injection: enabled }",
);
const clusterSteps = fieldError(
  "step ids, each with the command a learner runs to see what the step did",
  "clusterSteps: { install-istio: kubectl get pods -n istio-system }",
);
const ownCluster = fieldError(
  "an object with reason: one sentence (20 to 300 characters) saying why the lesson needs a cluster of its own, and optionally safeToTry: the commands a learner on a shared cluster may still run in their own namespace",
  'ownCluster: { reason: "It labels the namespace half-way, after a pod that must start without a sidecar.", safeToTry: ["kubectl get pods"] }',
);
const goalList = fieldError("a list of short sentences", 'goals: ["Run your first command"]');
const goal = fieldError("a non-empty sentence", 'goals: ["Run your first command"]');

/** The frontmatter every `lessons/<id>/index.mdx` must carry. Unknown fields are errors, to catch typos. */
export const lessonSchema = z.strictObject({
  title: z.string({ error: title }).trim().min(1, { error: title }).max(80, { error: title }),
  summary: z.string({ error: summary }).trim().min(1, { error: summary }).max(240, { error: summary }),
  duration: z
    .number({ error: duration })
    .int({ error: duration })
    .positive({ error: duration }),
  order: z.number({ error: order }).int({ error: order }).nonnegative({ error: order }),
  prerequisites: z
    .array(z.string({ error: prerequisiteId }).regex(LESSON_ID_PATTERN, { error: prerequisiteId }), {
      error: prerequisiteList,
    })
    .default([]),
  sandbox: z.strictObject(
    {
      start: z.enum(SANDBOX_STARTS, { error: sandboxStart }),
      namespaceLabels: z
        .record(
          z.string({ error: namespaceLabels }).regex(NAMESPACE_LABEL_KEY, { error: namespaceLabels }),
          z.string({ error: namespaceLabels }).regex(LABEL_VALUE, { error: namespaceLabels }),
          { error: namespaceLabels },
        )
        .optional(),
      clusterSteps: z
        .record(
          z.string({ error: clusterSteps }).regex(LESSON_ID_PATTERN, { error: clusterSteps }),
          z.string({ error: clusterSteps }).trim().min(1, { error: clusterSteps }).max(200, { error: clusterSteps }),
          { error: clusterSteps },
        )
        .optional(),
      // A lesson that cannot fit one learner's namespace on a shared cluster without changing
      // what it teaches says so, and why: the page tells a learner there, and verify skips it there.
      ownCluster: z
        .strictObject(
          {
            reason: z.string({ error: ownCluster }).trim().min(20, { error: ownCluster }).max(300, { error: ownCluster }),
            safeToTry: z
              .array(z.string({ error: ownCluster }).trim().min(1, { error: ownCluster }).max(200, { error: ownCluster }), { error: ownCluster })
              .default([]),
          },
          { error: ownCluster },
        )
        .optional(),
    },
    { error: sandbox },
  ),
  goals: z.array(z.string({ error: goal }).trim().min(1, { error: goal }), { error: goalList }).optional(),
});

export type LessonFrontmatter = z.output<typeof lessonSchema>;
