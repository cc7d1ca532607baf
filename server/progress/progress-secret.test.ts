import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PROGRESS_SECRET_FILE, loadOrCreateProgressSecret } from "./progress-secret.ts";

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mesh-academy-secret-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("a generated secret is kept in the data directory, owner-only, and reused", (t) => {
  const dir = path.join(tempDir(t), "data");
  const first = loadOrCreateProgressSecret(dir, undefined);
  const second = loadOrCreateProgressSecret(dir, undefined);
  assert.ok(first.length >= 32);
  assert.deepEqual(second, first);
  assert.equal(statSync(path.join(dir, PROGRESS_SECRET_FILE)).mode & 0o777, 0o600);
});

test("a configured secret wins and writes nothing", (t) => {
  const dir = path.join(tempDir(t), "data");
  assert.equal(loadOrCreateProgressSecret(dir, "x".repeat(40)).toString(), "x".repeat(40));
  assert.throws(() => statSync(dir));
});

test("an emptied key file is reported, not used", (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, PROGRESS_SECRET_FILE), "");
  assert.throws(() => loadOrCreateProgressSecret(dir, undefined), /holds no usable key/);
});
