import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { staleReason, type SitePaths } from "./site-build.ts";

async function project(): Promise<SitePaths> {
  const root = await mkdtemp(path.join(tmpdir(), "mesh-academy-build-"));
  await mkdir(path.join(root, "src", "pages"), { recursive: true });
  await mkdir(path.join(root, "lessons", "welcome"), { recursive: true });
  await mkdir(path.join(root, "dist"), { recursive: true });
  await writeFile(path.join(root, "src", "pages", "index.astro"), "---\n---\n");
  await writeFile(path.join(root, "lessons", "welcome", "index.mdx"), "# Hi\n");
  await writeFile(path.join(root, "package.json"), "{}\n");
  return {
    root,
    dist: path.join(root, "dist"),
    buildStamp: path.join(root, "dist", ".mesh-academy-build.json"),
    sources: ["src", "lessons", "content", "astro.config.mjs", "package.json"].map((p) => path.join(root, p)),
  };
}

const past = new Date("2024-01-01T00:00:00Z");
const later = new Date("2024-06-01T00:00:00Z");

async function age(paths: SitePaths, date: Date): Promise<void> {
  for (const p of ["src", "src/pages", "src/pages/index.astro", "lessons", "lessons/welcome", "lessons/welcome/index.mdx", "package.json"]) {
    await utimes(path.join(paths.root, p), date, date);
  }
}

test("a missing build is stale", async () => {
  const paths = await project();
  assert.equal(await staleReason(paths), "dist/ has not been built");
});

test("a build newer than every source is current; missing sources are ignored", async () => {
  const paths = await project();
  await age(paths, past);
  await writeFile(paths.buildStamp, "{}");
  await utimes(paths.buildStamp, later, later);
  assert.equal(await staleReason(paths), undefined);
});

test("a source file changed after the build makes it stale, naming the file", async () => {
  const paths = await project();
  await age(paths, past);
  await writeFile(paths.buildStamp, "{}");
  await utimes(paths.buildStamp, later, later);
  const touched = new Date("2024-07-01T00:00:00Z");
  await utimes(path.join(paths.root, "lessons", "welcome", "index.mdx"), touched, touched);
  assert.equal(await staleReason(paths), path.join("lessons", "welcome", "index.mdx") + " changed since the last build");
});

test("a file added or removed shows through its directory", async () => {
  const paths = await project();
  await age(paths, past);
  await writeFile(paths.buildStamp, "{}");
  await utimes(paths.buildStamp, later, later);
  await writeFile(path.join(paths.root, "src", "pages", "new.astro"), "");
  assert.match((await staleReason(paths)) ?? "", /^src.pages/);
});
