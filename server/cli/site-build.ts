// Building the site: Astro's static build into dist/, then Pagefind's search index into
// dist/pagefind/, then a stamp so `start` knows the build is current.
import { readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../log/logger.ts";

export interface SitePaths {
  root: string;
  dist: string;
  buildStamp: string;
  sources: readonly string[];
}

export class SiteBuildError extends Error {
  readonly code = "SITE_BUILD_FAILED";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SiteBuildError";
  }
}

export async function buildSite(paths: SitePaths, logger: Logger): Promise<void> {
  const started = Date.now();
  logger.info("building the site", { root: paths.root });
  // Loaded here, not at the top: `serve` never needs Astro or Pagefind in memory.
  const { build } = await import("astro");
  try {
    await build({ root: paths.root, logLevel: "warn" });
  } catch (error) {
    throw new SiteBuildError(`Astro could not build the site: ${(error as Error).message}`, { cause: error });
  }

  const pagefind = await import("pagefind");
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) throw new SiteBuildError(`Pagefind could not start: ${errors.join("; ")}`);
    const added = await index.addDirectory({ path: paths.dist });
    if (added.errors.length > 0) throw new SiteBuildError(`Pagefind could not index dist/: ${added.errors.join("; ")}`);
    const written = await index.writeFiles({ outputPath: path.join(paths.dist, "pagefind") });
    if (written.errors.length > 0) throw new SiteBuildError(`Pagefind could not write its index: ${written.errors.join("; ")}`);
    logger.info("search index written", { pages: added.page_count });
  } finally {
    await pagefind.close();
  }

  await writeFile(paths.buildStamp, `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
  logger.info("site built", { dist: paths.dist, ms: Date.now() - started });
}

/** Why the site needs building, or undefined when dist/ is newer than every source. */
export async function staleReason(paths: SitePaths): Promise<string | undefined> {
  const stamp = await statOrUndefined(paths.buildStamp);
  if (!stamp) return "dist/ has not been built";
  for (const source of paths.sources) {
    const newer = await findNewer(source, stamp.mtimeMs);
    if (newer) return `${path.relative(paths.root, newer)} changed since the last build`;
  }
  return undefined;
}

async function findNewer(file: string, than: number): Promise<string | undefined> {
  const stats = await statOrUndefined(file);
  if (!stats) return undefined;
  if (!stats.isDirectory()) return stats.mtimeMs > than ? file : undefined;
  // A deleted file only shows as its directory's mtime.
  if (stats.mtimeMs > than) return file;
  for (const entry of await readdir(file, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const newer = await findNewer(path.join(file, entry.name), than);
    if (newer) return newer;
  }
  return undefined;
}

async function statOrUndefined(file: string) {
  try {
    return await stat(file);
  } catch {
    return undefined;
  }
}
