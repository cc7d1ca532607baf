// The key that signs learner cookies. An operator may set one (PROGRESS_SECRET); otherwise
// one is generated on first start and kept in the data directory, so learners stay signed in
// across restarts without any setup. The file is created exclusively (two processes starting
// at once agree on one key) and readable by its owner only.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const PROGRESS_SECRET_FILE = "cookie-secret";

export function loadOrCreateProgressSecret(dataDir: string, configured: string | undefined): Buffer {
  if (configured !== undefined) return Buffer.from(configured, "utf8");
  const file = path.join(dataDir, PROGRESS_SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EEXIST") throw error;
  }
  const text = readFileSync(file, "utf8").trim();
  // A file being written by a concurrent first start, or emptied by hand, is no key.
  if (text.length < 32) throw new Error(`${file} holds no usable key (fewer than 32 characters); delete it to generate a new one.`);
  return Buffer.from(text, "utf8");
}
