// The anonymous learner's identity: a random id signed with HMAC-SHA256 in an HttpOnly,
// SameSite=Lax cookie. The signature means a learner cannot claim another id by editing the
// cookie; HttpOnly keeps page scripts (and an injected one) from reading it; Lax keeps it off
// cross-site POSTs while a link from elsewhere still opens the site signed in.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const LEARNER_COOKIE_NAME = "mesh_academy_learner";
// Browsers cap cookie lifetimes at 400 days; the cookie is renewed on every write.
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export class LearnerCookie {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    if (secret.length < 32) throw new RangeError("The learner cookie secret must be at least 32 bytes.");
    this.#secret = secret;
  }

  /** A fresh learner id: 128 random bits, base64url. */
  static newLearnerId(): string {
    return randomBytes(16).toString("base64url");
  }

  /** The learner id from a Cookie header, or undefined when absent, malformed or forged. */
  learnerIdFrom(cookieHeader: string | undefined): string | undefined {
    if (cookieHeader === undefined) return undefined;
    for (const part of cookieHeader.split(";")) {
      const [name, ...rest] = part.trim().split("=");
      if (name !== LEARNER_COOKIE_NAME) continue;
      const value = rest.join("=");
      const dot = value.indexOf(".");
      if (dot < 0) continue;
      const id = value.slice(0, dot);
      const signature = Buffer.from(value.slice(dot + 1), "base64url");
      const expected = this.#sign(id);
      if (ID_PATTERN.test(id) && signature.length === expected.length && timingSafeEqual(signature, expected)) return id;
    }
    return undefined;
  }

  /** A Set-Cookie header value for `learnerId`; `secure` when the site is served over https. */
  setCookieHeader(learnerId: string, secure: boolean): string {
    const value = `${learnerId}.${this.#sign(learnerId).toString("base64url")}`;
    return [
      `${LEARNER_COOKIE_NAME}=${value}`,
      "Path=/",
      `Max-Age=${MAX_AGE_SECONDS}`,
      "HttpOnly",
      "SameSite=Lax",
      ...(secure ? ["Secure"] : []),
    ].join("; ");
  }

  #sign(id: string): Buffer {
    return createHmac("sha256", this.#secret).update(`learner:${id}`).digest();
  }
}
