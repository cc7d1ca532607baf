import { test } from "node:test";
import type { TestContext } from "node:test";
import assert from "node:assert/strict";
import { stripVTControlCharacters } from "node:util";
import { ClusterHost } from "../cluster/cluster-host.ts";
import { renderKubeconfig } from "../cluster/kubeconfig.ts";
import { InteractiveShell } from "./interactive-shell.ts";
import { nextKey } from "./line-editing/next-key.ts";
import { createLearnerShell } from "./learner-shell.ts";
import { ShellHost } from "./shell-host.ts";
import type { ShellOptionsInput } from "./shell-options.ts";

interface Harness {
  shell: InteractiveShell;
  /** Everything written so far, without escape sequences. */
  text(): string;
  raw(): string;
  waitFor(pattern: RegExp | string | (() => boolean), from?: number): Promise<void>;
  exitCode: Promise<number>;
}

async function open(t: TestContext, options: ShellOptionsInput = {}): Promise<Harness> {
  const host = await ShellHost.start({ options: { limits: { maxCommandCount: 20_000 }, ...options } });
  t.after(() => host.dispose());
  return attach(new InteractiveShell(host, { cols: 80, rows: 24, session: "tty" }));
}

async function attach(shell: InteractiveShell): Promise<Harness> {
  let output = "";
  const waiters = new Set<() => void>();
  shell.onData((data) => {
    output += data;
    for (const waiter of [...waiters]) waiter();
  });
  const text = () => stripVTControlCharacters(output);
  const exitCode = new Promise<number>((resolve) => shell.onExit(resolve));
  const waitFor = (pattern: RegExp | string | (() => boolean), from = 0) =>
    new Promise<void>((resolve) => {
      const check = () => {
        const seen = text().slice(from);
        const found =
          typeof pattern === "function" ? pattern() : typeof pattern === "string" ? seen.includes(pattern) : pattern.test(seen);
        if (found) {
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

/** Sends keys one write at a time, as a terminal sends keypresses (a Tab in a longer write is pasted text). */
function typeKeys(h: Harness, keys: string): void {
  for (let rest = keys; rest !== ""; ) {
    const key = nextKey(rest);
    h.shell.write(key);
    rest = rest.slice(key.length);
  }
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
  // Longer than a command line may be: refused whole, with a clear answer, not run cut short.
  await h.waitFor(/bash: command too long\r\n[^]*\$ $/);
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

/** The line as last drawn after a prompt: what the learner sees on the input line. */
function lastLine(h: Harness): string {
  const text = h.text();
  return text.slice(text.lastIndexOf("$ ") + 2);
}

test("Tab completes a unique command or path; directories get a slash, files and commands a space", async (t) => {
  const h = await open(t);
  await send(h, "mkdir -p samples/deep 'my dir' && echo content-ok > samples/deep/file.txt && echo spaced > 'my dir/a b.txt'");
  let mark = h.text().length;
  typeKeys(h, "ech\thi\r");
  await h.waitFor(/\nhi\r\n[^]*\$ $/, mark);
  assert.match(h.text().slice(mark), /echo hi/);
  mark = h.text().length;
  typeKeys(h, "cat sam\tde\tf\t");
  await h.waitFor("cat samples/deep/file.txt ", mark);
  h.shell.write("\r");
  await h.waitFor(/content-ok\r\n[^]*\$ $/, mark);
  mark = h.text().length;
  typeKeys(h, "cat my\t\t\r");
  await h.waitFor(/spaced\r\n[^]*\$ $/, mark);
  assert.match(h.text().slice(mark), /cat my\\ dir\/a\\ b\.txt/);
  // Paths are relative to where the session has cd'd to.
  await send(h, "cd samples");
  mark = h.text().length;
  typeKeys(h, "cat de\tf\t\r");
  await h.waitFor(/cat deep\/file\.txt \r\ncontent-ok\r\n[^]*\$ $/, mark);
  await send(h, "cd");
  // Variables complete unquoted, so they still expand.
  await send(h, "export SAMPLES_DIR=~/samples");
  mark = h.text().length;
  typeKeys(h, "ls $SAMPLES_D\t\r");
  await h.waitFor(/ls \$SAMPLES_DIR\/\r\ndeep\r\n[^]*\$ $/, mark);
});

test("a Tab in pasted text is text; Ctrl-V inserts the next key as it is", async (t) => {
  const h = await open(t);
  await send(h, "touch only-file");
  assert.match(await send(h, "echo 'x\ty' | tr '\\t' T"), /\nxTy\r\n/);
  const mark = h.text().length;
  typeKeys(h, "echo 'a\x16\tb' | tr '\\t' T\r");
  await h.waitFor(/\naTb\r\n[^]*\$ $/, mark);
  assert.doesNotMatch(h.text(), /only-file /);
});

test("a Tab that cannot add to the word rings the bell; the next lists the candidates in columns and redraws the line", async (t) => {
  const h = await open(t);
  await send(h, "touch alpha-one alpha-two alpha-three beta");
  const mark = h.text().length;
  typeKeys(h, "cat alp\t");
  await h.waitFor("cat alpha-", mark);
  // As in bash: the Tab after one that completed part of the word only rings the bell.
  const rawMark = h.raw().length;
  h.shell.write("\t");
  await h.waitFor(() => h.raw().slice(rawMark) === "\x07");
  h.shell.write("\t");
  await h.waitFor(/\r\nalpha-one {4}alpha-three {2}alpha-two {4}\r\n\S*learner@workstation:~\$ cat alpha-$/, mark);
  typeKeys(h, "tw\t\r");
  await h.waitFor(/cat alpha-two \r\n[^]*\$ $/, mark);
  // In a narrow terminal the candidates go down the columns first, as in bash.
  h.shell.resize(30, 24);
  const narrow = h.text().length;
  typeKeys(h, "cat alpha-\t\t");
  await h.waitFor(/\nalpha-one {4}alpha-two\r\nalpha-three {2}\r\n/, narrow);
  h.shell.write("\x03");
});

test("a listing taller than the screen stops at --More--: Enter shows a line, Space a page, q stops", async (t) => {
  const h = await open(t);
  const names = Array.from({ length: 14 }, (_, i) => `file-with-a-rather-long-name-${String(i).padStart(2, "0")}`);
  await send(h, `touch ${names.join(" ")}`);
  h.shell.resize(80, 5);
  let mark = h.text().length;
  typeKeys(h, "cat file-\t\t\t");
  // Two columns of seven rows; four rows fit above the pager's line.
  await h.waitFor(/-00 +file-with-a-rather-long-name-07\r\n[^]*-03 +file-with-a-rather-long-name-10\r\n--More--$/, mark);
  assert.doesNotMatch(h.text().slice(mark), /-04 /);
  h.shell.write("\r");
  await h.waitFor(/--More--\rfile-with-a-rather-long-name-04 +file-with-a-rather-long-name-11\r\n--More--$/, mark);
  h.shell.write(" ");
  await h.waitFor(/-06 +file-with-a-rather-long-name-13\r\n\S*learner@workstation:~\$ cat file-with-a-rather-long-name-$/, mark);
  mark = h.text().length;
  h.shell.write("\t");
  await h.waitFor(/--More--$/, mark);
  h.shell.write("q");
  await h.waitFor(/--More--\r\S*learner@workstation:~\$ cat file-with-a-rather-long-name-$/, mark);
  h.shell.write("13\r");
  await h.waitFor(/cat file-with-a-rather-long-name-13\r\n[^]*\$ $/, mark);
  // Ctrl-C at --More-- drops the line, as at any prompt.
  mark = h.text().length;
  typeKeys(h, "cat file-\t\t\t");
  await h.waitFor(/--More--$/, mark);
  h.shell.write("\x03");
  await h.waitFor(/--More--\r\^C\r\n\S*learner@workstation:~\$ $/, mark);
  assert.match(await send(h, "echo fresh"), /\nfresh\r\n/);
});

test("Tab Tab on an empty line asks before listing more than 100 commands", async (t) => {
  const h = await open(t);
  const mark = h.text().length;
  typeKeys(h, "\t\t");
  await h.waitFor(/Display all \d+ possibilities\? \(y or n\)$/, mark);
  h.shell.write("x");
  h.shell.write("n");
  await h.waitFor(/\(y or n\)\r\n\S*learner@workstation:~\$ $/, mark);
  const interrupted = h.text().length;
  typeKeys(h, "\t\t");
  await h.waitFor(/Display all \d+ possibilities\? \(y or n\)$/, interrupted);
  h.shell.write("\x03");
  await h.waitFor(/\(y or n\)\^C\r\n\S*learner@workstation:~\$ $/, interrupted);
  const listed = h.text().length;
  h.shell.resize(200, 100);
  typeKeys(h, "\t\ty");
  await h.waitFor(/kubectl[^]*learner@workstation:~\$ $/, listed);
  assert.match(h.text().slice(listed), /\bcd\b[^]*\bgrep\b/);
  assert.doesNotMatch(h.text().slice(listed), /__mesh_academy/);
  assert.match(await send(h, "echo after"), /\nafter\r\n/);
});

test("Ctrl-R searches history backwards; Enter runs the match, Esc keeps it for editing, Ctrl-G restores the line", async (t) => {
  const h = await open(t);
  await send(h, "echo alpha");
  await send(h, "echo gamma");
  await send(h, "echo alphabet");
  let mark = h.text().length;
  h.shell.write("\x12alp");
  await h.waitFor("(reverse-i-search)`alp': echo alphabet", mark);
  h.shell.write("\x12");
  await h.waitFor(/\(reverse-i-search\)`alp': echo alpha$/, mark);
  h.shell.write("\r");
  await h.waitFor(/\nalpha\r\n[^]*\$ $/, mark);

  mark = h.text().length;
  h.shell.write("\x12gam\x1b");
  await h.waitFor(/learner@workstation:~\$ echo gamma$/, mark);
  h.shell.write("\x05-x\r");
  await h.waitFor(/\ngamma-x\r\n[^]*\$ $/, mark);

  mark = h.text().length;
  h.shell.write("half\x12zzz");
  await h.waitFor("(failed reverse-i-search)`zzz': half", mark);
  h.shell.write("\x07");
  await h.waitFor(/learner@workstation:~\$ half$/, mark);
  h.shell.write("\x15");
  // Backspace shortens the search; an editing key takes the match and then acts on it.
  mark = h.text().length;
  h.shell.write("\x12betx\x7f");
  await h.waitFor(/\(failed reverse-i-search\)`betx': echo alphabet/, mark);
  await h.waitFor(/\(reverse-i-search\)`bet': echo alphabet$/, mark);
  h.shell.write("\x01echo \x1b[F!\r");
  await h.waitFor(/\necho alphabet!\r\n[^]*\$ $/, mark);
  // Ctrl-C leaves the search and drops the line, as at any prompt.
  mark = h.text().length;
  h.shell.write("\x12echo\x03");
  await h.waitFor(/\^C\r\n\S*learner@workstation:~\$ $/, mark);
  assert.equal(lastLine(h), "");
});

test("the prompt shows the kubeconfig context's namespace unless it is default", async (t) => {
  const home = "/home/learner";
  const learner = await createLearnerShell({
    files: { [`${home}/.kube/config`]: renderKubeconfig({ server: "http://127.0.0.1:9", token: "t", namespace: "bookinfo" }) },
  });
  t.after(() => learner.host.dispose());
  const h = await attach(learner.openShell({ cols: 80, rows: 24 }));
  // The first prompt already shows it.
  assert.match(h.text(), /^learner@workstation:~ \(bookinfo\)\$ $/);
  await send(h, "kubectl config set-context --current --namespace=default");
  assert.match(h.text(), /\nlearner@workstation:~\$ $/);
  await send(h, "kubectl config set-context --current --namespace=istio-system && cd /tmp");
  assert.match(h.text(), /learner@workstation:\/tmp \(istio-system\)\$ $/);
});

test("clear and Ctrl-L clear the screen and leave the prompt at the top", async (t) => {
  const h = await open(t);
  await send(h, "echo some output");
  let mark = h.raw().length;
  h.shell.write("clear\r");
  await h.waitFor(/\$ $/, h.text().length + 1);
  assert.match(h.raw().slice(mark), /\x1b\[H\x1b\[2J\x1b\[3J(\x1b\[\d*G|\x1b\[0J)*\x1b\[1;32mlearner/);
  mark = h.raw().length;
  h.shell.write("echo kept\x0c");
  await h.waitFor(/\$ echo kept$/, h.text().length);
  assert.match(h.raw().slice(mark), /\x1b\[1;1H\x1b\[0J[^]*learner[^]*echo kept(\x1b\[\d+G)?$/);
  assert.match(await send(h, ""), /\nkept\r\n/);
});

test("Tab completes kubectl commands, kinds and object names from the cluster", async (t) => {
  const clusters = new ClusterHost();
  const cluster = clusters.create("tab", { profile: "none", seed: "tab", anonymousUser: "admin" });
  const url = await clusters.listen({ port: 0 });
  t.after(() => clusters.close());
  const pod = (name: string) => ({ metadata: { name }, spec: { containers: [{ name: "app", image: "busybox" }] } });
  cluster.api.create(cluster.api.resource("", "v1", "namespaces"), "", { metadata: { name: "bookinfo" } });
  cluster.api.create(cluster.api.resource("", "v1", "pods"), "default", pod("web-1"));
  cluster.api.create(cluster.api.resource("", "v1", "pods"), "default", pod("web-2"));
  cluster.api.create(cluster.api.resource("", "v1", "pods"), "bookinfo", pod("productpage-v1"));
  cluster.api.create(cluster.api.resource("apps", "v1", "deployments"), "bookinfo", {
    metadata: { name: "reviews-v2" },
    spec: { selector: { matchLabels: { app: "r" } }, template: { metadata: { labels: { app: "r" } }, spec: { containers: [{ name: "r", image: "r" }] } } },
  });
  const { hostname, port } = new URL(url);
  const learner = await createLearnerShell({
    allowedEndpoints: [{ host: hostname, port: Number(port) }],
    files: { "/home/learner/.kube/config": renderKubeconfig({ server: clusters.url("tab"), token: "t" }) },
  });
  t.after(() => learner.host.dispose());
  const h = await attach(learner.openShell({ cols: 80, rows: 24 }));

  let mark = h.text().length;
  typeKeys(h, "kube\tro\tres\t");
  await h.waitFor("kubectl rollout res", mark);
  h.shell.write("\t");
  await h.waitFor(/\r\nrestart {2}resume {3}\r\n/, mark);
  h.shell.write("\x03");

  mark = h.text().length;
  typeKeys(h, "kubectl get deploym\t");
  await h.waitFor(/kubectl get deployment$/, mark);
  typeKeys(h, "s -n book\t");
  await h.waitFor("kubectl get deployments -n bookinfo ", mark);
  h.shell.write("\t");
  await h.waitFor("kubectl get deployments -n bookinfo reviews-v2 ", mark);
  h.shell.write("\x03");

  mark = h.text().length;
  typeKeys(h, "kubectl logs \t");
  await h.waitFor(/kubectl logs web-$/, mark);
  typeKeys(h, "\t\t");
  await h.waitFor(/\r\nweb-1 {2}web-2 {2}\r\n/, mark);
  h.shell.write("\x03");

  mark = h.text().length;
  typeKeys(h, "kubectl describe pod --namespace=bookinfo \t");
  await h.waitFor("kubectl describe pod --namespace=bookinfo productpage-v1 ", mark);
  h.shell.write("\x03");
});
