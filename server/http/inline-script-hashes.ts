// The CSP allows inline scripts only by hash. Astro pages carry a few small inline scripts
// (the theme is set before first paint, for example), so the hashes of a page's own inline
// scripts are computed from the page itself and sent in that page's CSP.
import { createHash } from "node:crypto";

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const HAS_SRC = /\ssrc\s*=/i;

/** CSP source expressions (`sha256-…`) for every inline script in an HTML document. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    const attributes = match[1] ?? "";
    const body = match[2] ?? "";
    if (HAS_SRC.test(` ${attributes}`) || body.length === 0) continue;
    hashes.add(`sha256-${createHash("sha256").update(body, "utf8").digest("base64")}`);
  }
  return [...hashes];
}
