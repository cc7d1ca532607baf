// What Tab offers after `istioctl`: its command tree, flags and their values, and the pods
// its proxy commands take, as istioctl's own shell completion does.
import type { ClusterLookups } from "./cluster-lookups.ts";
import type { CompletionCandidate } from "./completion-candidate.ts";
import { wordsStartingWith } from "./completion-candidate.ts";

interface CommandNode {
  /** Names the command answers to: its name first, then its aliases. */
  names: readonly string[];
  children?: readonly CommandNode[];
  /** The command's argument is a pod (`istioctl proxy-config cluster <pod>`). */
  takesPod?: boolean;
}

function node(names: string | readonly string[], extra: Omit<CommandNode, "names"> = {}): CommandNode {
  return { names: typeof names === "string" ? [names] : names, ...extra };
}

const POD = { takesPod: true };
const PROXY_SECTIONS = [
  node(["all", "a"], POD), node(["bootstrap", "b"], POD), node(["cluster", "clusters", "c"], POD), node(["ecds", "ec"], POD),
  node(["endpoint", "endpoints", "ep"], POD), node(["listener", "listeners", "l"], POD), node(["log", "o"], POD),
  node(["rootca-compare", "rc"], POD), node(["route", "routes", "r"], POD), node(["secret", "secrets", "s"], POD),
];

/** istioctl 1.30's command tree, as `istioctl --help` lists it. */
const ROOT = node("istioctl", {
  children: [
    node(["admin", "istiod"]), node("analyze"), node("bug-report"), node("completion"), node("create-remote-secret"),
    node(["dashboard", "dash", "d"], {
      children: [
        node("controlz", POD), node("envoy", POD), node("grafana"), node("jaeger"), node("kiali"), node("prometheus"),
        node("proxy", POD), node("skywalking"), node("zipkin"),
      ],
    }),
    node(["experimental", "x", "exp"], {
      children: [
        node("authz"), node("check-inject", POD), node("config"),
        node(["describe", "des"], { children: [node(["pod", "po"], POD), node(["service", "svc"])] }),
        node(["envoy-stats", "es"], POD), node("injector"), node(["metrics", "m"]), node("precheck"),
        node(["proxy-status", "ps"], POD), node("version"), node("wait"), node("workload"),
      ],
    }),
    node("help"), node(["install", "apply"]), node("kube-inject"), node("manifest", { children: [node("generate"), node("translate")] }),
    node(["proxy-config", "pc"], { children: PROXY_SECTIONS }), node(["proxy-status", "ps"], POD), node("remote-clusters"),
    node("tag"), node("uninstall"), node("upgrade"), node(["validate", "v"]), node("version"), node("waypoint"), node("ztunnel-config"),
  ],
});

const VALUE_FLAGS = new Set([
  "-n", "--namespace", "-i", "--istioNamespace", "-c", "--kubeconfig", "--context", "-f", "--filename", "--file",
  "-o", "--output", "-s", "--set", "-r", "--revision", "--vklog", "--fqdn", "--port", "--direction", "--subset", "--name",
  "--meshConfigFile", "--injectConfigFile", "--valuesFile",
]);
const GLOBAL_FLAGS = ["--context=", "--help", "--istioNamespace=", "--kubeconfig=", "--namespace=", "--vklog=", "-c", "-h", "-i", "-n"];
const COMMAND_FLAGS: Record<string, readonly string[]> = {
  analyze: ["--all-namespaces", "--output=", "--recursive", "--use-kube", "-A", "-R", "-o"],
  install: ["--dry-run", "--filename=", "--set=", "--skip-confirmation", "--verify", "-f", "-s", "-y"],
  "kube-inject": ["--filename=", "--output=", "-f", "-o"],
  "proxy-config": ["--direction=", "--file=", "--fqdn=", "--name=", "--output=", "--port=", "--subset=", "-o"],
  "proxy-status": ["--revision=", "-r"],
  uninstall: ["--filename=", "--purge", "--revision=", "--skip-confirmation", "-f", "-r", "-y"],
  version: ["--output=", "--remote", "--short", "-o"],
  manifest: ["--filename=", "--set=", "-f", "-s"],
};
const OUTPUTS: Record<string, readonly string[]> = {
  "proxy-config": ["json", "short", "yaml"],
  analyze: ["json", "log", "yaml"],
  version: ["json", "short", "yaml"],
  "kube-inject": [],
};
const PROFILES = ["ambient", "default", "demo", "empty", "minimal", "openshift", "openshift-ambient", "preview", "remote", "stable"];

function find(parent: CommandNode, word: string): CommandNode | undefined {
  return parent.children?.find((child) => child.names.includes(word));
}

export async function istioctlCandidates(args: readonly string[], word: string, lookups: ClusterLookups): Promise<CompletionCandidate[]> {
  let current = ROOT;
  let top: string | undefined;
  let namespace: string | undefined;
  let pendingFlag: string | undefined;
  let positionals = 0;
  for (const arg of args) {
    if (pendingFlag !== undefined) {
      if (pendingFlag === "-n" || pendingFlag === "--namespace") namespace = arg;
      pendingFlag = undefined;
      continue;
    }
    if (arg.startsWith("--namespace=")) namespace = arg.slice("--namespace=".length);
    if (arg.startsWith("-")) {
      if (VALUE_FLAGS.has(arg)) pendingFlag = arg;
      continue;
    }
    const child = find(current, arg);
    if (child !== undefined && positionals === 0) {
      top ??= child.names[0];
      current = child;
    } else {
      positionals++;
    }
  }
  const inNamespace = namespace ?? lookups.namespace ?? "default";

  const valueOf = async (flag: string, value: string, prefix: string): Promise<CompletionCandidate[]> => {
    const shown = (names: readonly string[]) =>
      names.filter((name) => name.startsWith(value)).map((name) => ({ value: `${prefix}${name}`, display: name }));
    switch (flag) {
      case "-n":
      case "--namespace":
      case "-i":
      case "--istioNamespace":
        return shown(await lookups.names("namespaces", undefined));
      case "-f":
      case "--filename":
      case "--file":
      case "-c":
      case "--kubeconfig":
        return (await lookups.paths(value)).map((path) => ({ value: `${prefix}${path.value}`, display: path.display }));
      case "--context":
        return shown(lookups.contexts);
      case "-o":
      case "--output":
        return shown(OUTPUTS[top ?? ""] ?? ["json", "yaml"]);
      case "-s":
      case "--set":
        return value.startsWith("profile=")
          ? shown(PROFILES.map((profile) => `profile=${profile}`))
          : shown(["profile="]);
      default:
        return [];
    }
  };

  if (pendingFlag !== undefined) return valueOf(pendingFlag, word, "");
  const equals = word.indexOf("=");
  if (word.startsWith("-") && equals > 0) return valueOf(word.slice(0, equals), word.slice(equals + 1), word.slice(0, equals + 1));
  if (word.startsWith("-")) return wordsStartingWith(word, [...GLOBAL_FLAGS, ...(COMMAND_FLAGS[top ?? ""] ?? [])]);
  if (positionals === 0 && current.children !== undefined) {
    // Cobra completes command names, not their aliases.
    return wordsStartingWith(word, current.children.map((child) => child.names[0] ?? ""));
  }
  if (current.takesPod === true && positionals === 0) {
    return wordsStartingWith(word, await lookups.names("pods", inNamespace));
  }
  return [];
}
