import { test } from "node:test";
import type { TestContext } from "node:test";
import assert from "node:assert/strict";
import { stripVTControlCharacters } from "node:util";
import { InteractiveShell } from "./interactive-shell.ts";
import { ShellHost } from "./shell-host.ts";
import type { ShellOptionsInput } from "./shell-options.ts";

interface Harness {
  shell: InteractiveShell;
  /** Everything written so far, without escape sequences. */
  text(): string;
  raw(): string;
  waitFor(pattern: RegExp | string, from?: number): Promise<void>;
  exitCode: Promise<number>;
}

async function open(t: TestContext, options: ShellOptionsInput = {}): Promise<Harness> {
  const host = await ShellHost.start({ options: { limits: { maxCommandCount: 20_000 }, ...options } });
  t.after(() => host.dispose());
  const shell = new InteractiveShell(host, { cols: 80, rows: 24, session: "tty" });
  let output = "";
  const waiters = new Set<() => void>();
  shell.onData((data) => {
    output += data;
    for (const waiter of [...waiters]) waiter();
  });
  const text = () => stripVTControlCharacters(output);
  const exitCode = new Promise<number>((resolve) => shell.onExit(resolve));
  const waitFor = (pattern: RegExp | string, from = 0) =>
    new Promise<void>((resolve) => {
      const check = () => {
        const seen = text().slice(from);
        if (typeof pattern === "string" ? seen.includes(pattern) : pattern.test(seen)) {
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
    });
  await waitFor("$ ");
  return { shell, text, raw: () => output, waitFor, exitCode };
}

/** Types a line and waits for the prompt that follows its output. */
async function send(h: Harness, line: string): Promise<string> {
  const mark = h.text().length;
  h.shell.write(`${line}\r`);
  await h.waitFor(/\$ $/, mark);
  return h.text().slice(mark);
}

test("the prompt shows user, host and the cwd with ~; output lines end in \\r\\n", async (t) => {
  const h = await open(t);
  assert.match(h.text(), /^learner@workstation:~\$ $/);
  h.shell.write("mkdir -p a/b && cd a/b && printf 'x\\ny\\n'\r");
  await h.waitFor("~/a/b$ ");
  assert.match(h.raw(), /x\r\ny\r\n/);
  h.shell.write("cd /tmp\r");
  await h.waitFor(":/tmp$ ");
});

test("export and cd survive to the next command line", async (t) => {
  const h = await open(t);
  await send(h, "export GATEWAY_URL=http://192.0.2.1:8080");
  await send(h, "mkdir -p samples && cd samples");
  const out = await send(h, 'echo "url=$GATEWAY_URL dir=$(pwd)"');
  assert.match(out, /\nurl=http:\/\/192\.0\.2\.1:8080 dir=\/home\/learner\/samples\r\n/);
});

test("a heredoc typed line by line runs as one script, with > continuation prompts", async (t) => {
  const h = await open(t);
  const mark = h.text().length;
  h.shell.write("cat > pod.yaml <<EOF\r");
  await h.waitFor("\n> ", mark);
  h.shell.write("kind: Pod\r");
  await send(h, "metadata:\r  name: web\rEOF");
  assert.equal((h.text().slice(mark).match(/\n> /g) ?? []).length, 4);
  assert.match(await send(h, "cat pod.yaml | grep -c :"), /\n3\r\n/);
  // A pasted block: a pipe after the heredoc, an open quote and a trailing backslash.
  const pasted = h.text().length;
  h.shell.write("cat <<'EOF' | tr a-z A-Z\nhello $USER\nEOF\necho 'one\ntwo' \\\n  three\n");
  await h.waitFor(/\nHELLO \$USER\r\n[^]*\none\r\ntwo three\r\n[^]*\$ $/, pasted);
});

test("↑ recalls history, ↓ returns to the empty line", async (t) => {
  const h = await open(t);
  await send(h, "echo first");
  await send(h, "echo second");
  assert.match(await send(h, "\x1b[A\x1b[A"), /\nfirst\r\n/);
  const mark = h.text().length;
  h.shell.write("\x1b[A\x1b[B\x1b[Becho third\r");
  await h.waitFor(/\nthird\r\n[^]*\$ $/, mark);
});

test("Ctrl-C interrupts sleep 100 and a busy loop, prints ^C and sets $? to 130", async (t) => {
  const h = await open(t, { limits: { maxCommandCount: 50_000_000, maxLoopIterations: 50_000_000 } });
  for (const command of ["sleep 100; echo not-reached", "while true; do :; done; echo not-reached"]) {
    const mark = h.text().length;
    h.shell.write(`${command}\r`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    h.shell.write("\x03");
    await h.waitFor(/\^C\r\n[^]*\$ $/, mark);
    assert.doesNotMatch(h.text().slice(mark), /\nnot-reached/);
  }
  assert.match(await send(h, "echo status=$?"), /\nstatus=130\r\n/);
});

test("Ctrl-C at the prompt drops the line and the pending continuation", async (t) => {
  const h = await open(t);
  h.shell.write("echo 'open quote\r");
  await h.waitFor("\n> ");
  h.shell.write("abandoned\x03");
  await h.waitFor(/abandoned\^C\r\n[^]*\$ $/);
  assert.match(await send(h, "half typed\x03echo ok"), /\nok\r\n/);
  assert.match(h.text(), /abandoned\^C\r\n/);
  assert.equal(h.text().includes("half typedecho"), false);
});

test("a runaway loop ends by itself with a clear message", async (t) => {
  const h = await open(t);
  h.shell.write("while true; do :; done\r");
  await h.waitFor(/bash: stopped after 20000 commands[^]*\$ $/);
});

test("stty size, tput and $COLUMNS follow resizes", async (t) => {
  const h = await open(t);
  h.shell.resize(120, 40);
  h.shell.write('stty size; tput cols; tput lines; echo "$COLUMNS/$LINES"\r');
  await h.waitFor("40 120\r\n120\r\n40\r\n120/40\r\n");
  h.shell.resize(100, 30);
  h.shell.write("stty size\r");
  await h.waitFor("30 100\r\n");
});

test("paused output is held and delivered in full and in order on resume", async (t) => {
  const h = await open(t, { outputHighWaterMark: 4096, outputChunkChars: 1024 });
  h.shell.pause();
  const before = h.raw().length;
  h.shell.write("seq 1 20000\r");
  h.shell.write("echo after-the-flood\r");
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(h.raw().length, before, "nothing is delivered while paused");
  h.shell.resume();
  await h.waitFor("after-the-flood\r\n");
  const numbers = h.text().match(/^\d+\r$/gm)?.map((line) => Number.parseInt(line, 10)) ?? [];
  assert.deepEqual(numbers, Array.from({ length: 20000 }, (_, i) => i + 1));
});

test("the next command waits while paused output is above the high-water mark", async (t) => {
  const h = await open(t, { outputHighWaterMark: 1024, outputChunkChars: 512 });
  const chunks: string[] = [];
  h.shell.onData((data) => {
    chunks.push(data);
    // A slow consumer: pause after every chunk, resume a moment later.
    h.shell.pause();
    setTimeout(() => h.shell.resume(), 1);
  });
  h.shell.write("seq 1 3000; echo one-done\recho two-done\r");
  await h.waitFor("two-done\r\n");
  assert.ok(chunks.every((chunk) => chunk.length <= 512));
  assert.ok(h.text().indexOf("one-done") < h.text().indexOf("echo two-done"));
});

test("Ctrl-D on an empty line ends the shell with the last status; exit n ends with n", async (t) => {
  const h = await open(t);
  await send(h, "false");
  h.shell.write("\x04");
  assert.equal(await h.exitCode, 1);
  assert.match(h.text(), /exit\r\n$/);

  const h2 = await open(t);
  h2.shell.write("ab\x1b[D\x04\r");
  await h2.waitFor("bash: a: command not found");
  h2.shell.write("exit 7\r");
  assert.equal(await h2.exitCode, 7);
});

test("a 1 MiB paste, binary and escape garbage, and Ctrl-Z do not break the shell", async (t) => {
  const h = await open(t);
  const huge = "x".repeat(1024 * 1024);
  h.shell.write(`echo ${huge} | wc -c\r`);
  // The interpreter refuses scripts over 1,000,000 bytes; what matters is a clear answer.
  await h.waitFor(/Input too large: \d+ bytes exceeds limit[^]*\$ $/);
  const garbage = [0x1a, 0x00, 0x01, 0x7f, 0x08, 0xff, 0xd800, 0x1b, 0x1b].map((c) => String.fromCharCode(c)).join("");
  h.shell.write(`${garbage}\x1b[999;999R\x1b]0;title\x07\x1bP\x1b[\u{1f600}\r`);
  h.shell.write(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x1b, 0x5b]).toString("latin1"));
  h.shell.write("\x03echo still-alive\r");
  await h.waitFor("still-alive\r\n");
});

test("the shell ends when its sandbox is disposed", async () => {
  const host = await ShellHost.start();
  const shell = new InteractiveShell(host, { cols: 80, rows: 24, session: "tty" });
  shell.onData(() => {});
  const exited = new Promise<number>((resolve) => shell.onExit(resolve));
  await host.dispose();
  assert.equal(await exited, 129);
});
