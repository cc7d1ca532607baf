// The instructor's token from the configuration, checked as the workshops API checks it:
// `Authorization: Bearer <ADMIN_TOKEN>`, compared as SHA-256 digests so the comparison takes
// the same time whatever the length of what was sent.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export type AdminVerdict = "ok" | "missing" | "not-configured";

export class AdminToken {
  readonly #digest: Buffer | undefined;

  /** Unset: every request is refused (the server has no instructor). */
  constructor(token: string | undefined) {
    this.#digest = token === undefined ? undefined : digest(token);
  }

  check(headers: IncomingHttpHeaders): AdminVerdict {
    if (this.#digest === undefined) return "not-configured";
    const token = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "")?.[1];
    return token !== undefined && timingSafeEqual(digest(token), this.#digest) ? "ok" : "missing";
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
