// File and directory names for a partial path, relative to the shell's working directory,
// with `~` for the home directory. Directories end in `/`, as bash marks them.
import type { IFileSystem } from "just-bash";
import type { CompletionCandidate } from "./completion-candidate.ts";

export interface PathCompletionOptions {
  cwd: string;
  home: string;
  /** Only directories (for `cd`). */
  directoriesOnly?: boolean;
  /** At most this many entries of one directory are looked at. */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 5000;

export async function pathCandidates(fs: IFileSystem, word: string, options: PathCompletionOptions): Promise<CompletionCandidate[]> {
  const slash = word.lastIndexOf("/");
  const typedDir = slash === -1 ? "" : word.slice(0, slash + 1);
  const prefix = word.slice(slash + 1);
  let directory: string;
  if (typedDir === "") directory = options.cwd;
  else if (typedDir === "~/" || typedDir.startsWith("~/")) directory = fs.resolvePath(options.home, typedDir.slice(2) || ".");
  else directory = fs.resolvePath(options.cwd, typedDir);

  // `~` alone becomes the home directory, as bash completes it.
  if (word === "~") return [{ value: "~/", display: "~/" }];

  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch {
    return [];
  }
  const found: CompletionCandidate[] = [];
  for (const name of names.slice(0, options.maxEntries ?? DEFAULT_MAX_ENTRIES)) {
    if (!name.startsWith(prefix)) continue;
    // Dot files only when the learner has typed the dot, as bash does.
    if (name.startsWith(".") && !prefix.startsWith(".")) continue;
    let isDirectory = false;
    try {
      isDirectory = (await fs.stat(fs.resolvePath(directory, name))).isDirectory;
    } catch {
      // A dangling symlink still completes, as a file.
    }
    if (options.directoriesOnly === true && !isDirectory) continue;
    const suffix = isDirectory ? "/" : "";
    found.push({ value: `${typedDir}${name}${suffix}`, display: `${name}${suffix}` });
  }
  return found;
}
