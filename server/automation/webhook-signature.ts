// The signature on every webhook delivery, in the scheme most webhook senders use:
//
//   X-Mesh-Academy-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// Signing the timestamp with the body lets a receiver refuse replays of an old delivery
// (compare t with its own clock), and the "v1" label leaves room for a second scheme.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-mesh-academy-signature";
/** How far a delivery's timestamp may be from the receiver's clock by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The header value for `body` sent at `timestampSeconds`. */
export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, body)}`;
}

export interface VerifyOptions {
  /** The receiver's clock in milliseconds; Date.now by default. */
  now?: number;
  toleranceSeconds?: number;
}

/**
 * True when `header` carries a v1 signature of `body` under `secret` with a timestamp within
 * the tolerance. `body` must be the raw bytes received, not re-serialised JSON.
 */
export function verifyWebhookSignature(secret: string, header: string | undefined, body: string, options: VerifyOptions = {}): boolean {
  if (header === undefined) return false;
  const parts = new Map<string, string[]>();
  for (const item of header.split(",")) {
    const at = item.indexOf("=");
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
  }
  const timestamp = Number(parts.get("t")?.[0]);
  if (!Number.isInteger(timestamp)) return false;
  const now = (options.now ?? Date.now()) / 1000;
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), "hex");
  // Several v1 entries may appear while a secret is being rotated: any one may match.
  return (parts.get("v1") ?? []).some((candidate) => {
    const given = Buffer.from(candidate, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function hmacHex(secret: string, timestampSeconds: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
}
