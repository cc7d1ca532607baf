// Hostile input through an interactive TTY: each ends with a clear message (or a plain
// prompt), the shell answers `echo ok` afterwards, and another learner's sandbox on the
// same host answers meanwhile.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ClusterHost, createEmbeddedSandbox, type EmbeddedSandbox } from "../../server/sandbox/index.ts";
import { TerminalDriver } from "./terminal-driver.ts";

const host = new ClusterHost();
let alice: EmbeddedSandbox;
let bob: EmbeddedSandbox;
let bobTerminal: TerminalDriver;

// Limits below the defaults keep the floods short; the mechanisms are the same.
const limits = { maxCommandCount: 20_000, maxOutputBytes: 4 * 1024 * 1024 };

before(async () => {
  await host.listen({ host: "127.0.0.1", port: 0 });
  alice = await createEmbeddedSandbox({ host, id: "alice", profile: "instant", shell: { limits } });
  bob = await createEmbeddedSandbox({ host, id: "bob", profile: "instant", shell: { limits } });
  bobTerminal = new TerminalDriver(bob.shell.openShell({ cols: 80, rows: 24 }));
  await bobTerminal.waitForPrompt();
});

after(async () => {
  bobTerminal.tty.close();
  await alice.dispose();
  await bob.dispose();
  await host.close();
});

async function openAlice(): Promise<TerminalDriver> {
  const terminal = new TerminalDriver(alice.shell.openShell({ cols: 80, rows: 24 }));
  await terminal.waitForPrompt();
  return terminal;
}

/**
 * Types `input` into a fresh terminal of alice's; while it is handled bob's terminal answers;
 * then alice's prompt comes back and `echo ok` works. Resolves with what alice's terminal
 * printed for the input.
 */
async function survives(input: string, options: { settle?: string } = {}): Promise<{ text: string; raw: string }> {
  const terminal = await openAlice();
  const from = await terminal.type(input);
  assert.match(await bobTerminal.run("echo bob-$((1+1))"), /\r\nbob-2\r\n/);
  if (options.settle !== undefined) await terminal.type(options.settle);
  await terminal.waitForPrompt(from + 1, 120_000);
  const text = terminal.text(from);
  const raw = terminal.raw.slice(from);
  assert.match(await terminal.run("echo ok"), /\r\nok\r\n/);
  terminal.tty.close();
  return { text, raw };
}

test("a 5 MiB line is refused as too long", async () => {
  const { text } = await survives(`echo ${"a".repeat(5 * 1024 * 1024)}\r`);
  assert.match(text, /\r\nbash: command too long\r\n/);
});

test("binary garbage is read as words that are not commands", async () => {
  // Deterministic noise over every byte value but Ctrl-D, which on an empty line ends the
  // shell as in bash; an open quote in the noise leaves a `> ` prompt that Ctrl-C cancels.
  let state = 12345;
  const noise = Array.from({ length: 8192 }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return String.fromCharCode(state % 256);
  })
    .join("")
    .replaceAll("\x04", "");
  const { text } = await survives(`${noise}\r`, { settle: "\x03" });
  assert.match(text, /command not found|\^C/);
});

test("terminal escape sequences typed at the prompt are not echoed back as escapes", async () => {
  const escapes = "\x1b]52;c;Y2xpcGJvYXJk\x07\x1b]0;title\x07\x1bP+q544e\x1b\\\x1b[6n\x1b[?1049h\x1b[2J\x1bc\x1b[200~pasted\x1b[201~";
  const { raw, text } = await survives(`${escapes}\r`);
  // Clipboard writes (OSC 52), title changes, device queries and resets must not reach the learner's terminal.
  assert.doesNotMatch(raw, /\x1b\]|\x1bP|\x1b\[6n|\x1b\[\?1049h|\x1bc/);
  assert.match(text, /command not found/);
});

test("a fork bomb stops at the recursion limit", async () => {
  const { text } = await survives(":(){ :|:& };:\r");
  assert.match(text, /bash: :: maximum recursion depth \(\d+\) exceeded\r\n/);
});

test("deep recursion, through functions, eval and nested substitutions, ends with a message", async () => {
  const functions = await survives("f(){ f; }; f\r");
  assert.match(functions.text, /bash: f: maximum recursion depth \(\d+\) exceeded\r\n/);
  const viaEval = await survives("g(){ eval g; }; g\r");
  assert.match(viaEval.text, /maximum recursion depth|too many|limit/);
  const nested = await survives(`echo ${"$(".repeat(3000)}x${")".repeat(3000)}\r`);
  assert.match(nested.text, /\r\n(bash: .+|x)\r\n/);
});

test("an output flood stops at the shell's limits", async () => {
  const { text } = await survives("while :; do echo yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy; done\r");
  assert.match(text, /bash: stopped after 20000 commands: the sandbox limits how much one command line may run\r\n/);
  const wide = await survives("x=$(printf '%0100000d' 0); while :; do echo $x; done\r");
  assert.match(wide.text, /bash: .*(output|limit).*\r\n/i);
});

test("a huge here-document is read whole, and one over the input limit is refused", async () => {
  const lines = 30_000;
  const { text } = await survives(`cat <<'EOF' | wc -l\r${"a line of a pasted file\r".repeat(lines)}EOF\r`);
  assert.match(text.slice(-200), new RegExp(`\\r\\n${lines}\\r\\n`));
  const huge = await survives(`cat <<'EOF' | wc -c\r${`${"z".repeat(1023)}\r`.repeat(5 * 1024)}EOF\r`);
  assert.match(huge.text, /\r\nbash: command too long\r\n/);
});
