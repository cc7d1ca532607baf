// Which commands need more than the learner's own namespace. On a shared cluster a learner's
// account may do anything in its namespace and only read elsewhere, so these commands are
// the instructor's: starting states skip them, and the lesson page turns their Run buttons
// off. Shared by the server (starting states, verify) and the page, so both agree.

const KUBECTL_WRITES = new Set(["apply", "create", "delete", "patch", "replace", "label", "annotate", "edit", "scale", "set", "rollout", "autoscale", "expose", "run"]);
const NAMESPACE_KINDS = new Set(["namespace", "namespaces", "ns"]);

/** The words of one shell command line, without quotes; good enough for lesson commands. */
function words(line: string): string[] {
  return (line.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((word) => word.replace(/^["']|["']$/g, ""));
}

/** The namespace a kubectl command names with -n/--namespace, if any. */
function namedNamespace(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-n" || arg === "--namespace") return args[i + 1];
    const joined = /^(?:-n=?|--namespace=)(.+)$/.exec(arg);
    if (joined?.[1] !== undefined) return joined[1];
  }
  return undefined;
}

function clusterScopedSimpleCommand(line: string): boolean {
  const [tool, ...args] = words(line.trim());
  if (tool === "istioctl") {
    const sub = args.find((arg) => !arg.startsWith("-"));
    return sub === "install" || sub === "uninstall" || sub === "upgrade" || sub === "manifest" && args.includes("apply");
  }
  if (tool !== "kubectl") return false;
  const verb = args.find((arg) => !arg.startsWith("-"));
  if (verb === undefined || !KUBECTL_WRITES.has(verb)) return false;
  const rest = args.slice(args.indexOf(verb) + 1);
  const kind = rest.find((arg) => !arg.startsWith("-"))?.split("/")[0]?.toLowerCase();
  // Namespaces are cluster-scoped objects: creating or labelling one is the instructor's job.
  if (kind !== undefined && NAMESPACE_KINDS.has(kind)) return true;
  // Mesh-wide configuration lives in istio-system, where learners may only read.
  if (namedNamespace(rest) === "istio-system") return true;
  if (rest.includes("-A") || rest.includes("--all-namespaces")) return true;
  return rest.some((arg) => CRD_SOURCE.test(arg));
}

// Custom resource definitions (the Gateway API's, Istio's own) are cluster-wide objects.
const CRD_SOURCE = /gateway-api\/config\/crd|\/crds?(?:\.ya?ml)?\b|customresourcedefinition/i;

function clusterScopedLine(line: string): boolean {
  const code = line.replace(/(^|\s)#.*$/, "");
  const parts = code.split(/&&|\|\||;|\|/);
  if (parts.some((part) => clusterScopedSimpleCommand(part))) return true;
  // `kubectl kustomize <crds> | kubectl apply -f -`: the definitions arrive through a pipe.
  return CRD_SOURCE.test(code) && parts.some((part) => /^\s*kubectl\s+(?:apply|create|replace)\b/.test(part));
}

/**
 * True when any command of the text (one line or a script; `\` continuations joined; split at
 * `&&`, `||`, `;` and `|`) is cluster-scoped.
 */
export function isClusterScopedCommand(text: string): boolean {
  // A manifest applied from a heredoc names its namespace in the YAML: istio-system is mesh-wide.
  if (/^\s*namespace:\s*["']?istio-system["']?\s*$/m.test(text) && /\bkubectl\s+(?:apply|create|replace)\b/.test(text)) return true;
  return text.replace(/\\\r?\n/g, " ").split(/\r?\n/).some((line) => clusterScopedLine(line));
}
