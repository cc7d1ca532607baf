// Serves the built site from dist/: files with their content types, index.html for
// directories, the site's own 404 page, validators for cheap revalidation, and nothing
// outside the root, however the path is spelled.
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Logger } from "../log/logger.ts";
import { contentTypeFor } from "./content-types.ts";
import { inlineScriptHashes } from "./inline-script-hashes.ts";

export interface StaticSiteOptions {
  root: string;
  logger: Logger;
  /** Headers every response carries, given the page's inline-script hashes. */
  headersFor: (req: IncomingMessage, scriptHashes: readonly string[]) => Record<string, string>;
}

interface Resolved {
  file: string;
  stats: Stats;
}

// HTML larger than this is streamed without inline-script hashes rather than read whole.
const MAX_HASHED_HTML_BYTES = 4 * 1024 * 1024;

export class StaticSite {
  readonly root: string;
  #logger: Logger;
  #headersFor: StaticSiteOptions["headersFor"];
  #hashCache = new Map<string, { key: string; hashes: string[] }>();

  constructor(options: StaticSiteOptions) {
    this.root = path.resolve(options.root);
    this.#logger = options.logger;
    this.#headersFor = options.headersFor;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return this.#plain(req, res, 405, "Method not allowed.\n", { Allow: "GET, HEAD" });
    }
    const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
    const query = (req.url ?? "").slice(rawPath.length);
    let pathname: string;
    try {
      pathname = decodeURIComponent(rawPath);
    } catch {
      return this.#plain(req, res, 400, "Malformed URL.\n");
    }
    const target = this.#resolveInside(pathname);
    if (!target) return this.#notFound(req, res);

    const found = await this.#find(target, pathname.endsWith("/"));
    if (found === "directory") {
      // A directory without its trailing slash: redirect, so relative links on the page
      // resolve inside it rather than beside it.
      res.writeHead(301, { ...this.#headersFor(req, []), Location: `${rawPath}/${query}`, "Content-Length": 0 });
      res.end();
      return;
    }
    if (!found) return this.#notFound(req, res);
    await this.#send(req, res, 200, found, cacheControlFor(pathname));
  }

  // Refuses anything that would leave the root: "..", encoded slashes, NUL, dotfiles.
  #resolveInside(pathname: string): string | undefined {
    if (pathname.includes("\0") || !pathname.startsWith("/")) return undefined;
    const segments = pathname.split(/[\\/]/);
    if (segments.some((s) => s === ".." || (s.startsWith(".") && s.length > 0))) return undefined;
    const target = path.resolve(this.root, `.${pathname}`);
    if (target !== this.root && !target.startsWith(this.root + path.sep)) return undefined;
    return target;
  }

  async #find(target: string, trailingSlash: boolean): Promise<Resolved | "directory" | undefined> {
    const stats = await statOrUndefined(target);
    if (stats?.isFile()) return { file: target, stats };
    if (stats?.isDirectory()) {
      if (!trailingSlash) {
        const index = await statOrUndefined(path.join(target, "index.html"));
        return index?.isFile() ? "directory" : undefined;
      }
      const index = path.join(target, "index.html");
      const indexStats = await statOrUndefined(index);
      return indexStats?.isFile() ? { file: index, stats: indexStats } : undefined;
    }
    // Astro's "file" build format writes /about as about.html.
    if (!path.extname(target)) {
      const html = `${target}.html`;
      const htmlStats = await statOrUndefined(html);
      if (htmlStats?.isFile()) return { file: html, stats: htmlStats };
    }
    return undefined;
  }

  async #notFound(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const page = path.join(this.root, "404.html");
    const stats = await statOrUndefined(page);
    if (stats?.isFile()) return this.#send(req, res, 404, { file: page, stats }, "no-cache");
    this.#plain(req, res, 404, "Not found.\n");
  }

  async #send(req: IncomingMessage, res: ServerResponse, status: number, found: Resolved, cacheControl: string): Promise<void> {
    const { file, stats } = found;
    const extension = path.extname(file);
    const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    const isHtml = extension === ".html";
    const hashes = isHtml ? await this.#hashesFor(file, stats) : [];
    const headers: Record<string, string | number> = {
      ...this.#headersFor(req, hashes),
      "Content-Type": contentTypeFor(extension),
      "Cache-Control": cacheControl,
      ETag: etag,
      "Last-Modified": stats.mtime.toUTCString(),
    };
    if (status === 200 && isFresh(req, etag, stats.mtime)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers["Content-Length"] = stats.size;
    res.writeHead(status, headers);
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    try {
      await pipeline(createReadStream(file), res);
    } catch (error) {
      // Usually the browser went away mid-download; nothing left to answer.
      this.#logger.debug("static file stream ended early", { file, error });
      res.destroy();
    }
  }

  async #hashesFor(file: string, stats: Stats): Promise<string[]> {
    if (stats.size > MAX_HASHED_HTML_BYTES) return [];
    const key = `${stats.size}:${stats.mtimeMs}`;
    const cached = this.#hashCache.get(file);
    if (cached?.key === key) return cached.hashes;
    const hashes = inlineScriptHashes(await readFile(file, "utf8"));
    this.#hashCache.set(file, { key, hashes });
    return hashes;
  }

  #plain(req: IncomingMessage, res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, {
      ...this.#headersFor(req, []),
      ...extra,
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  }
}

// Astro fingerprints everything under /_astro/, so those never change; everything else
// (HTML, Pagefind's entry files) is revalidated with the validators on each use.
function cacheControlFor(pathname: string): string {
  return pathname.startsWith("/_astro/") ? "public, max-age=31536000, immutable" : "no-cache";
}

function isFresh(req: IncomingMessage, etag: string, mtime: Date): boolean {
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*");
  }
  const ifModifiedSince = req.headers["if-modified-since"];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && Math.floor(mtime.getTime() / 1000) <= Math.floor(since / 1000);
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch {
    return undefined;
  }
}
