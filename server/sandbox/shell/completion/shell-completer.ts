// Tab completion for the learner's shell, run in the interpreter's worker where the files,
// the session's cwd and env and the network to the cluster are. Decides what the word at
// the cursor is (a command name, a path, a kubectl argument) and gathers its candidates.
import type { IFileSystem } from "just-bash";
import { KubeConfig } from "@kubernetes/client-node";
import { kubeconfigPath } from "../../kubectl/kubectl-command.ts";
import type { ClusterCatalog } from "./cluster-catalog.ts";
import type { ClusterLookups } from "./cluster-lookups.ts";
import { tidyCandidates } from "./completion-candidate.ts";
import type { CompletionCandidate } from "./completion-candidate.ts";
import { parseCompletionContext } from "./completion-context.ts";
import { commandCandidates } from "./command-candidates.ts";
import { HttpClusterCatalog } from "./http-cluster-catalog.ts";
import type { DiscoveryCache } from "./http-cluster-catalog.ts";
import { istioctlCandidates } from "./istioctl-candidates.ts";
import { kubectlCandidates } from "./kubectl-candidates.ts";
import { pathCandidates } from "./path-candidates.ts";
import { withDeadline } from "./with-deadline.ts";

export interface CompletionRequest {
  line: string;
  cursor: number;
  cwd: string;
  env: Record<string, string>;
}

export interface CompletionResult {
  /** Index in the line where the word being completed starts. */
  start: number;
  /** The word being completed, unquoted. */
  word: string;
  /** The open quote the word is inside of. */
  quote?: "'" | '"';
  /** Sorted, each value once; every value starts with `word`. */
  candidates: CompletionCandidate[];
  /** The values go into the line as they are, unquoted (`$HOME` must stay an expansion). */
  verbatim?: boolean;
}

export interface ShellCompleterOptions {
  fs: IFileSystem;
  /** Names in $PATH that are the shell's own plumbing, never offered. */
  hiddenCommands?: ReadonlySet<string>;
  /** Cluster lookups for a kubeconfig's text; undefined when it names no cluster. Default: over HTTP. */
  catalog?: (kubeconfig: string) => ClusterCatalog | undefined;
  /** How long one cluster lookup may take before completion goes on without it (default 1000 ms). */
  lookupTimeoutMs?: number;
}

const DEFAULT_LOOKUP_TIMEOUT_MS = 1000;
/** Words in front of a command that leave the next word a command name. */
const PREFIX_COMMANDS = new Set(["sudo", "time", "watch", "command", "exec", "!"]);
const DIRECTORY_COMMANDS = new Set(["cd", "pushd", "rmdir"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const VARIABLE_PREFIX = /^\$[A-Za-z_]?[A-Za-z0-9_]*$/;

export class ShellCompleter {
  readonly #fs: IFileSystem;
  readonly #hidden: ReadonlySet<string>;
  readonly #catalog: (kubeconfig: string) => ClusterCatalog | undefined;
  readonly #timeoutMs: number;

  constructor(options: ShellCompleterOptions) {
    this.#fs = options.fs;
    this.#hidden = options.hiddenCommands ?? new Set();
    this.#timeoutMs = options.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
    if (options.catalog !== undefined) {
      this.#catalog = options.catalog;
    } else {
      const cache: DiscoveryCache = new Map();
      this.#catalog = (kubeconfig) => {
        try {
          return new HttpClusterCatalog(kubeconfig, { cache });
        } catch {
          return undefined;
        }
      };
    }
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const context = parseCompletionContext(request.line, request.cursor);
    const result: CompletionResult = { start: context.start, word: context.word, candidates: [] };
    if (context.quote !== undefined) result.quote = context.quote;
    const home = request.env.HOME ?? "/";
    const paths = (word: string, directoriesOnly = false) =>
      pathCandidates(this.#fs, word, { cwd: request.cwd, home, directoriesOnly });

    let words = context.words;
    while (words.length > 0 && (ASSIGNMENT.test(words[0] ?? "") || PREFIX_COMMANDS.has(words[0] ?? ""))) words = words.slice(1);
    const [typed, ...args] = words;
    // `/usr/bin/kubectl` is kubectl too.
    const command = typed?.slice(typed.lastIndexOf("/") + 1);

    let candidates: CompletionCandidate[];
    if (VARIABLE_PREFIX.test(context.word) && context.quote !== "'") {
      candidates = await this.#variables(context.word, request);
      result.verbatim = true;
    } else if (context.redirect) {
      candidates = await paths(context.word);
    } else if (command === undefined) {
      candidates = context.word.includes("/")
        ? await paths(context.word)
        : await commandCandidates(this.#fs, context.word, { env: request.env, hidden: this.#hidden });
    } else if (command === "kubectl") {
      candidates = await kubectlCandidates(args, context.word, await this.#clusterLookups(request, paths));
    } else if (command === "istioctl") {
      candidates = await istioctlCandidates(args, context.word, await this.#clusterLookups(request, paths));
    } else {
      candidates = await paths(context.word, DIRECTORY_COMMANDS.has(command));
    }
    result.candidates = tidyCandidates(candidates.filter((candidate) => candidate.value.startsWith(context.word)));
    return result;
  }

  /** `$HO` → `$HOME`; a variable naming a directory gets a slash, as a directory does. */
  async #variables(word: string, request: CompletionRequest): Promise<CompletionCandidate[]> {
    const found: CompletionCandidate[] = [];
    for (const [name, value] of Object.entries(request.env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !`$${name}`.startsWith(word)) continue;
      let directory = false;
      if (value.startsWith("/")) {
        try {
          directory = (await this.#fs.stat(value)).isDirectory;
        } catch {
          // Not a path on this workstation.
        }
      }
      found.push({ value: `$${name}${directory ? "/" : ""}`, display: `$${name}` });
    }
    return found;
  }

  /** The cluster of the kubeconfig kubectl would read, with every lookup time-boxed. */
  async #clusterLookups(request: CompletionRequest, paths: (word: string) => Promise<CompletionCandidate[]>): Promise<ClusterLookups> {
    const env = new Map(Object.entries(request.env));
    let kubeconfig = "";
    try {
      kubeconfig = await this.#fs.readFile(this.#fs.resolvePath(request.cwd, kubeconfigPath(env)), "utf8");
    } catch {
      // No kubeconfig: no cluster to ask, commands and flags still complete.
    }
    const catalog = kubeconfig === "" ? undefined : this.#catalog(kubeconfig);
    const timeout = this.#timeoutMs;
    return {
      namespace: catalog?.namespace,
      contexts: contextNames(kubeconfig),
      kinds: () => (catalog === undefined ? Promise.resolve([]) : withDeadline(timeout, [], (signal) => catalog.listKinds(signal))),
      names: (kind, namespace) =>
        catalog === undefined ? Promise.resolve([]) : withDeadline(timeout, [], (signal) => catalog.listNames(kind, namespace, signal)),
      containers: (pod, namespace) =>
        catalog === undefined ? Promise.resolve([]) : withDeadline(timeout, [], (signal) => catalog.listContainers(pod, namespace, signal)),
      paths,
    };
  }
}

function contextNames(kubeconfig: string): string[] {
  if (kubeconfig === "") return [];
  try {
    const config = new KubeConfig();
    config.loadFromString(kubeconfig);
    return config.getContexts().map((context) => context.name);
  } catch {
    return [];
  }
}
