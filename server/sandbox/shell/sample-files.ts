// The lesson sample files every sandbox starts with, read from `content/samples/` once and
// shared by all sandboxes (they are copied into each sandbox's own filesystem).
import { readdir, readFile } from "node:fs/promises";
import { join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const defaultSamplesDir = fileURLToPath(new URL("../../../content/samples/", import.meta.url));

const cache = new Map<string, Promise<Readonly<Record<string, string>>>>();

/** Files under `dir` as sandbox paths below `target` (e.g. `~/samples`), path → text. */
export function loadSampleFiles(target: string, dir: string = defaultSamplesDir): Promise<Readonly<Record<string, string>>> {
  const key = `${dir}\0${target}`;
  let loaded = cache.get(key);
  if (loaded === undefined) {
    loaded = read(dir, target);
    cache.set(key, loaded);
    // A failed read (missing folder) is not remembered, so a later call can succeed.
    loaded.catch(() => cache.delete(key));
  }
  return loaded;
}

async function read(dir: string, target: string): Promise<Readonly<Record<string, string>>> {
  const files: Record<string, string> = {};
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const path = relative(dir, full).split(sep).join("/");
    files[posix.join(target, path)] = await readFile(full, "utf8");
  }
  return Object.freeze(files);
}
