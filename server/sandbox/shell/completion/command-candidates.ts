// Command names for the first word of a command: the shell's keywords and builtins and
// every file in the directories of $PATH (the interpreter puts a stub there for each of
// its commands, the workstation's kubectl and friends included).
import type { IFileSystem } from "just-bash";
import type { CompletionCandidate } from "./completion-candidate.ts";

// What the interpreter runs as builtins, and bash's reserved words, as `compgen -c` lists them.
const BUILTINS = [
  ":", ".", "[", "alias", "bg", "break", "builtin", "caller", "cd", "command", "compgen", "complete", "compopt",
  "continue", "declare", "dirs", "disown", "echo", "enable", "eval", "exec", "exit", "export", "false", "fc", "fg",
  "getopts", "hash", "help", "history", "jobs", "kill", "let", "local", "mapfile", "popd", "printf", "pushd", "pwd",
  "read", "readarray", "readonly", "return", "set", "shift", "shopt", "source", "suspend", "test", "times", "trap",
  "true", "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait",
];
const KEYWORDS = [
  "!", "[[", "]]", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in",
  "select", "then", "time", "until", "while", "{", "}",
];

export interface CommandCompletionOptions {
  env: Record<string, string>;
  /** Names in $PATH that are the shell's own plumbing, never offered. */
  hidden?: ReadonlySet<string>;
}

export async function commandCandidates(fs: IFileSystem, word: string, options: CommandCompletionOptions): Promise<CompletionCandidate[]> {
  const names = new Set<string>();
  for (const name of [...BUILTINS, ...KEYWORDS]) if (name.startsWith(word)) names.add(name);
  const path = options.env.PATH ?? "/usr/local/bin:/usr/bin:/bin";
  for (const directory of new Set(path.split(":").filter((entry) => entry.startsWith("/")))) {
    let entries: string[];
    try {
      entries = await fs.readdir(directory);
    } catch {
      continue;
    }
    for (const name of entries) {
      if (name.startsWith(word) && options.hidden?.has(name) !== true) names.add(name);
    }
  }
  return [...names].map((name) => ({ value: name, display: name }));
}
