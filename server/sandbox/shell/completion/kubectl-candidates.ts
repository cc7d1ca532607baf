// What Tab offers after `kubectl`: its commands, flags and flag values, resource kinds
// from discovery and the names of objects, as kubectl's own shell completion does.
import type { CatalogKind } from "./cluster-catalog.ts";
import type { ClusterLookups } from "./cluster-lookups.ts";
import type { CompletionCandidate } from "./completion-candidate.ts";
import { wordsStartingWith } from "./completion-candidate.ts";

/** kubectl's commands in the order it registers them. */
const COMMANDS = [
  "create", "expose", "run", "set", "explain", "get", "edit", "delete", "rollout", "scale", "autoscale", "certificate",
  "cluster-info", "top", "cordon", "uncordon", "drain", "taint", "describe", "logs", "attach", "exec", "port-forward",
  "proxy", "cp", "auth", "debug", "events", "diff", "apply", "patch", "replace", "wait", "kustomize", "label", "annotate",
  "completion", "api-resources", "api-versions", "config", "plugin", "version", "options", "help",
];

const SUBCOMMANDS: Record<string, string[]> = {
  rollout: ["history", "pause", "restart", "resume", "status", "undo"],
  config: [
    "current-context", "delete-cluster", "delete-context", "delete-user", "get-clusters", "get-contexts", "get-users",
    "rename-context", "set", "set-cluster", "set-context", "set-credentials", "unset", "use-context", "view",
  ],
  create: [
    "clusterrole", "clusterrolebinding", "configmap", "cronjob", "deployment", "ingress", "job", "namespace",
    "poddisruptionbudget", "priorityclass", "quota", "role", "rolebinding", "secret", "service", "serviceaccount", "token",
  ],
  apply: ["edit-last-applied", "set-last-applied", "view-last-applied"],
  auth: ["can-i", "reconcile", "whoami"],
  set: ["env", "image", "resources", "selector", "serviceaccount", "subject"],
};

/** Commands whose first argument is a kind and whose next arguments are names of that kind. */
const KIND_THEN_NAMES = new Set(["get", "describe", "delete", "edit", "label", "annotate", "patch", "wait", "scale", "expose", "autoscale", "explain"]);
/** Commands whose argument is a pod (or `kind/name`). */
const POD_COMMANDS = new Set(["logs", "exec", "attach", "port-forward", "cp", "debug"]);
/** Kinds `kubectl rollout` works on. */
const ROLLOUT_KINDS = ["daemonsets", "deployments", "statefulsets"];
const CONTEXT_COMMANDS = new Set(["use-context", "delete-context", "rename-context", "set-context"]);

const OUTPUT_FORMATS = [
  "custom-columns=", "custom-columns-file=", "go-template=", "go-template-file=", "json", "jsonpath=", "jsonpath-as-json=",
  "jsonpath-file=", "name", "template=", "templatefile=", "wide", "yaml",
];

/** Flags that take a value (as the next word, or after `=`). */
const VALUE_FLAGS = new Set([
  "-n", "--namespace", "-o", "--output", "-l", "--selector", "-f", "--filename", "-k", "--kustomize", "-c", "--container",
  "--context", "--kubeconfig", "--cluster", "--user", "--field-selector", "--sort-by", "-L", "--label-columns",
  "--replicas", "--image", "--port", "--target-port", "--type", "--name", "--for", "--timeout", "--tail", "--since",
  "--grace-period", "--dry-run", "--restart", "--labels", "--address", "--to-revision", "--as", "-s", "--server",
  "--token", "--request-timeout", "-v",
]);

const GLOBAL_FLAGS = ["--context=", "--help", "--kubeconfig=", "--namespace=", "-h", "-n"];
const COMMAND_FLAGS: Record<string, string[]> = {
  get: ["--all-namespaces", "--field-selector=", "--label-columns=", "--no-headers", "--output=", "--selector=", "--show-labels", "--sort-by=", "--watch", "-A", "-L", "-l", "-o", "-w"],
  describe: ["--all-namespaces", "--selector=", "-A", "-l"],
  delete: ["--all", "--all-namespaces", "--filename=", "--force", "--grace-period=", "--now", "--recursive", "--selector=", "--wait=", "-A", "-R", "-f", "-l"],
  apply: ["--dry-run=", "--filename=", "--force", "--kustomize=", "--output=", "--prune", "--recursive", "--server-side", "-R", "-f", "-k", "-o"],
  create: ["--dry-run=", "--filename=", "--output=", "-f", "-o"],
  logs: ["--all-containers", "--container=", "--follow", "--previous", "--selector=", "--since=", "--tail=", "--timestamps", "-c", "-f", "-l", "-p"],
  exec: ["--container=", "--stdin", "--tty", "-c", "-i", "-t"],
  scale: ["--replicas=", "--timeout="],
  label: ["--all", "--overwrite", "--selector=", "-l"],
  annotate: ["--all", "--overwrite", "--selector=", "-l"],
  wait: ["--all", "--for=", "--selector=", "--timeout=", "-l"],
  run: ["--command", "--dry-run=", "--env=", "--image=", "--labels=", "--output=", "--port=", "--restart=", "--rm", "--stdin", "--tty", "-i", "-o", "-t"],
  expose: ["--name=", "--port=", "--target-port=", "--type="],
  rollout: ["--to-revision=", "--timeout="],
  "port-forward": ["--address="],
  diff: ["--filename=", "-f"],
  replace: ["--filename=", "--force", "-f"],
};

const FLAG_VALUES: Record<string, string[]> = {
  "--dry-run": ["client", "none", "server"],
  "--restart": ["Always", "Never", "OnFailure"],
  "--type": ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
};

interface ParsedLine {
  /** Positional arguments (command and subcommand included). */
  positionals: string[];
  namespace: string | undefined;
  allNamespaces: boolean;
  /** The flag whose value the word is, if the previous word is a flag that takes one. */
  pendingFlag: string | undefined;
}

function parseArgs(args: readonly string[]): ParsedLine {
  const positionals: string[] = [];
  let namespace: string | undefined;
  let allNamespaces = false;
  let pendingFlag: string | undefined;
  let afterDoubleDash = false;
  for (const arg of args) {
    if (pendingFlag !== undefined) {
      if (pendingFlag === "-n" || pendingFlag === "--namespace") namespace = arg;
      pendingFlag = undefined;
      continue;
    }
    if (afterDoubleDash) {
      positionals.push(arg);
      continue;
    }
    if (arg === "--") {
      afterDoubleDash = true;
      positionals.push(arg);
      continue;
    }
    if (arg.startsWith("--namespace=")) namespace = arg.slice("--namespace=".length);
    else if (/^-n[^=]/.test(arg)) namespace = arg.slice(2);
    else if (arg.startsWith("-n=")) namespace = arg.slice(3);
    if (arg === "-A" || arg === "--all-namespaces") allNamespaces = true;
    if (arg.startsWith("-")) {
      if (VALUE_FLAGS.has(arg)) pendingFlag = arg;
      continue;
    }
    positionals.push(arg);
  }
  return { positionals, namespace, allNamespaces, pendingFlag };
}

function kindNames(kinds: readonly CatalogKind[]): string[] {
  const names = new Set<string>();
  for (const kind of kinds) {
    names.add(kind.resource);
    names.add(kind.singular);
    for (const short of kind.shortNames) names.add(short);
  }
  return [...names];
}

export async function kubectlCandidates(args: readonly string[], word: string, lookups: ClusterLookups): Promise<CompletionCandidate[]> {
  const line = parseArgs(args);
  const contextNamespace = line.namespace ?? lookups.namespace ?? "default";
  // Objects of every namespace with `-A`, as kubectl's completion lists them.
  const namespace = line.allNamespaces ? undefined : contextNamespace;

  // The pod of `logs`/`exec`/`attach`, whose containers `-c` names.
  const [command, ...rest] = line.positionals;
  const pod = POD_COMMANDS.has(command ?? "") && rest[0] !== undefined && !rest[0].includes("/") ? rest[0] : undefined;

  const valueOf = async (flag: string, value: string, prefix: string): Promise<CompletionCandidate[]> => {
    const shown = (names: string[]) =>
      names.filter((name) => name.startsWith(value)).map((name) => ({ value: `${prefix}${name}`, display: name }));
    switch (flag) {
      case "-n":
      case "--namespace":
        return shown(await lookups.names("namespaces", undefined));
      case "-o":
      case "--output":
        return shown(OUTPUT_FORMATS);
      case "-f":
      case "--filename":
      case "-k":
      case "--kustomize":
        return (await lookups.paths(value)).map((path) => ({ value: `${prefix}${path.value}`, display: path.display }));
      case "--context":
        return shown(lookups.contexts);
      case "-c":
      case "--container":
        return pod === undefined ? [] : shown(await lookups.containers(pod, contextNamespace));
      default:
        return shown(FLAG_VALUES[flag] ?? []);
    }
  };

  if (line.pendingFlag !== undefined) return valueOf(line.pendingFlag, word, "");
  const equals = word.indexOf("=");
  if (word.startsWith("-") && equals > 0) {
    return valueOf(word.slice(0, equals), word.slice(equals + 1), word.slice(0, equals + 1));
  }

  if (word.startsWith("-")) {
    return wordsStartingWith(word, [...GLOBAL_FLAGS, ...(COMMAND_FLAGS[command ?? ""] ?? [])]);
  }
  if (command === undefined) return wordsStartingWith(word, COMMANDS);
  if (rest.includes("--")) return [];

  const subcommands = SUBCOMMANDS[command];
  if (command === "help") return rest.length === 0 ? wordsStartingWith(word, COMMANDS) : [];
  if (command === "config") {
    if (rest.length === 0) return wordsStartingWith(word, subcommands ?? []);
    return rest.length === 1 && CONTEXT_COMMANDS.has(rest[0] ?? "") ? wordsStartingWith(word, lookups.contexts) : [];
  }
  if (subcommands !== undefined && command !== "apply" && rest.length === 0) return wordsStartingWith(word, subcommands);
  if (command === "apply") return [];

  // `kind/name` in the word itself: names of that kind behind the same prefix.
  const slash = word.indexOf("/");
  if (slash > 0 && (KIND_THEN_NAMES.has(command) || POD_COMMANDS.has(command) || command === "rollout") && (command !== "rollout" || rest.length === 1)) {
    const kind = word.slice(0, slash);
    const prefix = word.slice(slash + 1);
    const names = await lookups.names(kind, namespace);
    return names.filter((name) => name.startsWith(prefix)).map((name) => ({ value: `${kind}/${name}`, display: `${kind}/${name}` }));
  }

  if (POD_COMMANDS.has(command)) {
    return rest.length === 0 ? wordsStartingWith(word, await lookups.names("pods", namespace)) : [];
  }
  if (command === "rollout") {
    const kindArgs = rest.slice(1);
    if (kindArgs.length === 0) return wordsStartingWith(word, ROLLOUT_KINDS.concat(["daemonset", "deploy", "deployment", "ds", "statefulset", "sts"]));
    return wordsStartingWith(word, await lookups.names(kindArgs[0] ?? "", namespace));
  }
  if (KIND_THEN_NAMES.has(command)) {
    if (rest.length === 0) return wordsStartingWith(word, kindNames(await lookups.kinds()));
    const kind = rest[0] ?? "";
    // `get pods,services` and `get deploy/web` name no single kind to list.
    if (kind.includes(",") || kind.includes("/") || command === "explain") return [];
    return wordsStartingWith(word, await lookups.names(kind, namespace));
  }
  return [];
}
