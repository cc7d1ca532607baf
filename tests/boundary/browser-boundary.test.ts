// The browser's TypeScript config has no Node types, so browser code that imports a Node
// module does not compile. This proves the boundary holds with the real compiler.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import assert from "node:assert/strict";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");

async function compileAsBrowserCode(source: string): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), "browser-boundary-"));
  try {
    await writeFile(join(dir, "probe.ts"), source);
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({ extends: join(repoRoot, "src/client/tsconfig.json"), include: ["./probe.ts"], compilerOptions: { typeRoots: [join(repoRoot, "node_modules/@types")] } }),
    );
    return await new Promise((resolve) => {
      execFile(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], (error, stdout, stderr) => {
        resolve({ ok: error === null, output: stdout + stderr });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("browser code that imports a Node module is refused by the compiler", async () => {
  const result = await compileAsBrowserCode('import { readFileSync } from "node:fs";\nexport const text = readFileSync("/etc/hostname", "utf8");\n');
  assert.equal(result.ok, false);
  assert.match(result.output, /error TS\d+: Cannot find (module|name) 'node:fs'/);
});

test("browser code that uses only DOM APIs compiles", async () => {
  const result = await compileAsBrowserCode('export const width: number = document.body.clientWidth;\n');
  assert.equal(result.ok, true, result.output);
});

test("browser code may import the terminal protocol's types", async () => {
  const protocol = join(repoRoot, "server/terminal/protocol.ts");
  const result = await compileAsBrowserCode(`import type { ClientMessage } from ${JSON.stringify(protocol)};\nexport const message: ClientMessage = { type: "resume", offset: 0 };\n`);
  assert.equal(result.ok, true, result.output);
});
