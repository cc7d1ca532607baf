// The interpreter thread of one sandbox. just-bash runs scripts on the thread that calls
// it and a tight loop keeps that thread busy until a limit stops it, so every sandbox gets
// its own worker: a learner's `while true; do :; done` then only ever stalls their own
// sandbox. Interrupts arrive two ways: a shared flag read at every statement boundary
// (works while this thread is busy) and a message (wakes a `sleep` at once).
import { parentPort, workerData } from "node:worker_threads";
import { Bash, InMemoryFs, defineCommand, getCommandNames } from "just-bash";
import type { CommandName } from "just-bash";
import type { ShellCompleter } from "./completion/shell-completer.ts";
import { restrictConnections } from "./connection-guard.ts";
import { currentNamespace } from "./current-namespace.ts";
import { isLoneCommand, LIVE_ENV, LiveOutputs } from "./live-output.ts";
import { terminalCommands } from "./terminal-commands.ts";
import { createWorkstationCommands, LIVE_COMMANDS } from "./workstation-commands.ts";
import { createWorkerNetwork } from "./workstation-network.ts";
import type {
  ExecRequest,
  ExecResponse,
  ShellSnapshotData,
  ShellWorkerData,
  SnapshotEntry,
  WorkerRequest,
  WorkerResponse,
} from "./shell-worker-protocol.ts";

const port = parentPort;
if (port === null) throw new Error("shell-worker.ts must run as a worker thread");

const data = workerData as ShellWorkerData;
// Before anything can open a connection: the cluster's API server is all this shell reaches.
restrictConnections(data.allowedEndpoints);
const network = createWorkerNetwork(port, data.network);
const live = new LiveOutputs();
const flags = new Int32Array(data.interruptFlags);
// just-bash's defense-in-depth blocks `Atomics` while a script runs; a reference taken
// before any script starts is ours to keep using.
const atomicsLoad = Atomics.load.bind(Atomics);

// Commands that would start further WebAssembly runtimes or threads; not worth their
// memory in a workstation that has kubectl and friends for its real work.
const EXCLUDED_COMMANDS = new Set<string>(["sqlite3"]);

// Appended to every interactive command line: when it does not run, the script ended the
// shell (`exit`, or `set -e` and a failing command), exactly when bash would have exited.
const ALIVE_COMMAND = "__mesh_academy_shell_alive";
const aliveTokens = new Set<string>();

const alive = defineCommand(ALIVE_COMMAND, async (args) => {
  if (args[0] !== undefined && args[0] !== "-") aliveTokens.add(args[0]);
  const status = Number.parseInt(args[1] ?? "0", 10);
  return { stdout: "", stderr: "", exitCode: Number.isNaN(status) ? 0 : status };
});

// The interpreter's own answers ("user", "localhost") would contradict the prompt.
const identity = [
  defineCommand("whoami", async () => ({ stdout: `${data.user}\n`, stderr: "", exitCode: 0 })),
  defineCommand("hostname", async () => ({ stdout: `${data.hostname}\n`, stderr: "", exitCode: 0 })),
];

const fs = new InMemoryFs();
const bash = new Bash({
  fs,
  cwd: data.home,
  env: data.env,
  commands: getCommandNames().filter((name) => !EXCLUDED_COMMANDS.has(name)) as CommandName[],
  customCommands: [...terminalCommands, ...createWorkstationCommands({ live, plane: network.plane }), ...identity, alive],
  executionLimits: {
    maxCommandCount: data.limits.maxCommandCount,
    maxLoopIterations: data.limits.maxLoopIterations,
    maxExecutionTimeMs: data.limits.maxExecutionMs,
    maxOutputSize: data.limits.maxOutputBytes,
    maxFileSystemBytes: data.limits.maxFileSystemBytes,
  },
  processInfo: { pid: 4242, ppid: 1, uid: 1000, gid: 1000 },
});

for (const dir of ["/tmp", data.home]) fs.mkdirSync(dir, { recursive: true });
for (const [path, content] of Object.entries(data.files)) {
  await fs.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { recursive: true });
  await fs.writeFile(path, content);
}

interface SessionState {
  env: Record<string, string>;
  cwd: string;
}

const sessions = new Map<string, SessionState>();
const aborters = new Map<number, () => void>();
let tokenCounter = 0;

function loginState(): SessionState {
  return { env: { ...data.env, PWD: data.home, "?": "0" }, cwd: data.home };
}

function interruptSignal(id: number): { signal: AbortSignal; abort: () => void } {
  const controller = new AbortController();
  const slot = id % flags.length;
  let aborted = false;
  // just-bash reads `signal.aborted` at every statement boundary; reading the shared flag
  // there is what lets Ctrl-C stop a loop that never yields to this thread's event loop.
  Object.defineProperty(controller.signal, "aborted", {
    get: () => aborted || atomicsLoad(flags, slot) === id,
  });
  return {
    signal: controller.signal,
    abort: () => {
      if (aborted) return;
      aborted = true;
      controller.abort();
    },
  };
}

function friendlier(stderr: string): string {
  return stderr
    // The interpreter's wording for interpreters it could run elsewhere; here they do not exist.
    .replace(/bash: (\S+): command not available in browser environments\.[^\n]*/g, "bash: $1: command not found")
    .replace(
      /bash: too many commands executed \(>(\d+)\), increase executionLimits\.maxCommandCount/g,
      "bash: stopped after $1 commands: the sandbox limits how much one command line may run",
    )
    .replace(/, increase executionLimits\.\w+/g, "");
}

async function runExec(request: ExecRequest): Promise<ExecResponse> {
  const persistent = request.session !== undefined;
  const base =
    (request.session !== undefined ? sessions.get(request.session) : undefined) ??
    (request.inheritFrom !== undefined ? sessions.get(request.inheritFrom) : undefined) ??
    loginState();
  const env = { ...base.env };
  if (request.size !== undefined) {
    env.COLUMNS = String(request.size.cols);
    env.LINES = String(request.size.rows);
  }
  const liveKey = request.live === true && isLoneCommand(request.script, LIVE_COMMANDS) ? String(request.id) : undefined;
  if (liveKey !== undefined) {
    env[LIVE_ENV] = liveKey;
    live.open(liveKey, {
      stdout: (chunk) => reply({ type: "output", id: request.id, stream: "stdout", data: chunk }),
      stderr: (chunk) => reply({ type: "output", id: request.id, stream: "stderr", data: chunk }),
    });
  }
  const token = persistent ? `t${++tokenCounter}` : undefined;
  const status = base.env["?"] ?? "0";
  // just-bash starts every exec with `$?` at 0; a leading no-op that returns the previous
  // status carries it over. Kept on the first line so error line numbers stay right.
  const prefix = status === "0" ? "" : `${ALIVE_COMMAND} - ${Number.parseInt(status, 10) || 1}; `;
  // The newline keeps a final comment or heredoc terminator from swallowing the marker.
  const suffix = token === undefined ? "" : `\n${ALIVE_COMMAND} ${token} $?`;
  const script = `${prefix}${request.script}${suffix}`;
  const interrupt = interruptSignal(request.id);
  aborters.set(request.id, interrupt.abort);
  try {
    const result = await bash.exec(script, {
      env,
      replaceEnv: true,
      cwd: base.cwd,
      rawScript: true,
      signal: interrupt.signal,
      ...(request.stdin !== undefined ? { stdin: request.stdin } : {}),
    });
    const interrupted = interrupt.signal.aborted && result.exitCode === 124;
    const exitCode = interrupted ? 130 : result.exitCode;
    // The marker also fails to run after a limit or syntax error; those end the command
    // line, not the shell. Only `exit` or errexit can end it.
    const exited =
      token !== undefined &&
      !aliveTokens.delete(token) &&
      !interrupted &&
      (/\bexit\b/.test(request.script) || /(^|:)errexit(:|$)/.test(result.env.SHELLOPTS ?? ""));
    const stderr = interrupted
      ? result.stderr.replace(/bash: execution aborted\n?$/, "")
      : friendlier(result.stderr);
    const cwd = result.env.PWD ?? base.cwd;
    const { [LIVE_ENV]: _live, ...resultEnv } = result.env;
    if (persistent && !exited && request.session !== undefined) {
      sessions.set(request.session, { env: { ...resultEnv, "?": String(exitCode) }, cwd });
    }
    const response: ExecResponse = { type: "result", id: request.id, stdout: result.stdout, stderr, exitCode, exited, cwd };
    const namespace = persistent ? await currentNamespace(fs, resultEnv) : undefined;
    if (namespace !== undefined) response.namespace = namespace;
    return response;
  } finally {
    if (liveKey !== undefined) live.close(liveKey);
    aborters.delete(request.id);
    if (token !== undefined) aliveTokens.delete(token);
  }
}

const SKIPPED_ROOTS = ["/bin", "/usr", "/proc", "/dev"];

async function snapshot(): Promise<ShellSnapshotData> {
  const files: SnapshotEntry[] = [];
  for (const path of fs.getAllPaths().sort()) {
    if (SKIPPED_ROOTS.some((root) => path === root || path.startsWith(`${root}/`))) continue;
    const stat = await fs.lstat(path);
    if (stat.isSymbolicLink) {
      files.push({ path, kind: "symlink", mode: stat.mode, content: await fs.readlink(path) });
    } else if (stat.isDirectory) {
      files.push({ path, kind: "directory", mode: stat.mode });
    } else {
      const bytes = await fs.readFileBuffer(path);
      files.push({ path, kind: "file", mode: stat.mode, content: Buffer.from(bytes).toString("base64") });
    }
  }
  return { files, sessions: Object.fromEntries(sessions) };
}

/**
 * The reverse of snapshot(): directories first (the sorted paths put parents before their
 * children), then files and symlinks, each with its mode; the sessions' env and cwd replace
 * those of the same name.
 */
async function restore(snap: ShellSnapshotData): Promise<void> {
  for (const entry of snap.files) {
    if (SKIPPED_ROOTS.some((root) => entry.path === root || entry.path.startsWith(`${root}/`))) continue;
    const parent = entry.path.slice(0, entry.path.lastIndexOf("/")) || "/";
    await fs.mkdir(parent, { recursive: true });
    if (entry.kind === "directory") {
      await fs.mkdir(entry.path, { recursive: true });
    } else if (entry.kind === "symlink") {
      await fs.rm(entry.path, { force: true });
      await fs.symlink(entry.content ?? "", entry.path);
      continue;
    } else {
      await fs.writeFile(entry.path, Buffer.from(entry.content ?? "", "base64"));
    }
    await fs.chmod(entry.path, entry.mode & 0o7777);
  }
  for (const [name, state] of Object.entries(snap.sessions)) sessions.set(name, { env: { ...state.env }, cwd: state.cwd });
}

// Loaded at the first Tab: its cluster lookups pull in the Kubernetes client, which would
// otherwise slow every workstation's start (see workstation-commands.ts).
let completer: Promise<ShellCompleter> | undefined;
const loadCompleter = (): Promise<ShellCompleter> =>
  (completer ??= import("./completion/shell-completer.ts").then(
    ({ ShellCompleter }) => new ShellCompleter({ fs, hiddenCommands: new Set([ALIVE_COMMAND]) }),
  ));

function reply(message: WorkerResponse): void {
  port?.postMessage(message);
}

port.on("message", (message: WorkerRequest) => {
  switch (message.type) {
    case "exec":
      runExec(message).then(reply, (error: unknown) =>
        reply({ type: "failure", id: message.id, message: String(error) }),
      );
      break;
    case "interrupt":
      aborters.get(message.id)?.();
      break;
    case "snapshot":
      snapshot().then(
        (snap) => reply({ type: "snapshot", id: message.id, data: snap }),
        (error: unknown) => reply({ type: "failure", id: message.id, message: String(error) }),
      );
      break;
    case "restore":
      restore(message.data).then(
        () => reply({ type: "restored", id: message.id }),
        (error: unknown) => reply({ type: "failure", id: message.id, message: String(error) }),
      );
      break;
    case "end-session":
      sessions.delete(message.session);
      break;
    case "http-result":
      network.settle(message.id, message.result);
      break;
    case "complete": {
      const state = sessions.get(message.session) ?? loginState();
      loadCompleter()
        .then((loaded) => loaded.complete({ line: message.line, cursor: message.cursor, cwd: state.cwd, env: state.env }))
        .then(
        (result) => reply({ type: "completion", id: message.id, result }),
        (error: unknown) => reply({ type: "failure", id: message.id, message: String(error) }),
      );
      break;
    }
  }
});

reply({ type: "ready" });
