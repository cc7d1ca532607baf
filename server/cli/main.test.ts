import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig } from "../config/config.ts";
import type { CliCommand } from "./cli-command.ts";
import { runCli } from "./main.ts";

function recorder() {
  const out: string[] = [];
  const err: string[] = [];
  return { output: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

const ran: string[][] = [];
const commands: CliCommand[] = [
  { name: "hello", summary: "Say hello", run: async (args) => (ran.push(args), 0) },
  { name: "broken", summary: "Read a bad setting", run: async () => (loadConfig({ PORT: "x" }), 0) },
  {
    name: "busy",
    summary: "Listen on a taken port",
    run: async () => {
      throw Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE", address: "127.0.0.1", port: 4321 });
    },
  },
  {
    name: "crash",
    summary: "Fail unexpectedly",
    run: async () => {
      throw new Error("kaboom");
    },
  },
];

test("--help lists every command with its summary and exits 0", async () => {
  const { output, out } = recorder();
  assert.equal(await runCli(["--help"], output, commands), 0);
  assert.match(out.join(""), /Usage: mesh-academy <command>/);
  assert.match(out.join(""), /\n  hello +Say hello\n/);
  assert.match(out.join(""), /broken {2}Read a bad setting/);
});

test("no command prints usage and exits 2", async () => {
  const { output, out } = recorder();
  assert.equal(await runCli([], output, commands), 2);
  assert.match(out.join(""), /Usage/);
});

test("an unknown command is a clear error with exit code 2", async () => {
  const { output, err } = recorder();
  assert.equal(await runCli(["frobnicate"], output, commands), 2);
  assert.match(err.join(""), /unknown command "frobnicate"/);
});

test("commands get the remaining arguments and their exit code is returned", async () => {
  const { output } = recorder();
  assert.equal(await runCli(["hello", "a", "b"], output, commands), 0);
  assert.deepEqual(ran.at(-1), ["a", "b"]);
  assert.equal(await runCli(["hello", "--help"], output, commands), 0);
  assert.equal(ran.length, 1);
});

test("configuration errors are reported with the variable and exit code 2", async () => {
  const { output, err } = recorder();
  assert.equal(await runCli(["broken"], output, commands), 2);
  assert.match(err.join(""), /mesh-academy broken: Invalid configuration:\n {2}- PORT: expected a whole number/);
});

test("the real command table has start, build and serve", async () => {
  const { output, out } = recorder();
  await runCli(["--help"], output);
  for (const name of ["start", "build", "serve"]) assert.match(out.join(""), new RegExp(`\\n  ${name} `));
});

test("a taken port is explained with the fix; other failures exit 1 with the error", async () => {
  const busy = recorder();
  assert.equal(await runCli(["busy"], busy.output, commands), 2);
  assert.match(busy.err.join(""), /cannot listen on 127\.0\.0\.1:4321 \(EADDRINUSE\)\. Set PORT to a free port/);
  const crash = recorder();
  assert.equal(await runCli(["crash"], crash.output, commands), 1);
  assert.match(crash.err.join(""), /mesh-academy crash failed: Error: kaboom/);
});
