// One sentence pattern for every failing check: what is wrong, why it matters, what to run.
export interface TeachingOptions {
  /** Overrides the check's name in panels and reports. */
  name?: string;
  /** Why the problem matters, appended after a comma: "so new pods get no sidecar". */
  why?: string;
  /** The command that fixes it; replaces the one the check would suggest. */
  fix?: string;
}

/** `Namespace default has no \`istio-injection\` label, so new pods get no sidecar. Run: \`kubectl …\`` */
export function teachingMessage(problem: string, options: { why?: string | undefined; fix?: string | undefined }): string {
  const sentence = options.why === undefined ? `${problem}.` : `${problem}, ${options.why}.`;
  return options.fix === undefined ? sentence : `${sentence} Run: \`${options.fix}\``;
}
