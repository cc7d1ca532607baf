// The README's settings table is what operators read: it must list exactly the variables the
// server reads, with the defaults the server really uses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { projectPaths } from "../cli/project-paths.ts";
import { environmentDefaults } from "./config.ts";

const readme = readFileSync(path.join(projectPaths.root, "README.md"), "utf8");
// Rows like: | `NAME` | `default` | meaning |   (a default not in backticks is prose: "(none)", "—")
const rows = new Map([...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| ([^|]*) \|/gm)].map((m) => [m[1] ?? "", (m[2] ?? "").trim()]));

test("the README's settings table lists every variable the server reads, and no other", () => {
  assert.deepEqual([...rows.keys()].sort(), Object.keys(environmentDefaults()).sort());
});

test("each default in the README's settings table is the server's", () => {
  for (const [variable, fallback] of Object.entries(environmentDefaults())) {
    const cell = rows.get(variable) ?? "";
    const literal = /^`([^`]*)`$/.exec(cell)?.[1];
    if (fallback === undefined) {
      // No default in the server: the README may name a derived one in prose or in backticks
      // (the workstation image, the data folder), but never a bare number it does not use.
      if (literal !== undefined) assert.ok(!/^\d+$/.test(literal), `${variable}: README says ${cell}, the server has no default`);
      continue;
    }
    assert.equal(literal, fallback, `${variable}: README says ${cell}, the server uses ${fallback}`);
  }
});
