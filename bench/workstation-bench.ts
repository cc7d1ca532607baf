// Figures for the learner's workstation shell itself, without the WebSocket in between:
// - keystroke echo: a key written to the shell's Tty until its echo comes back, beside the
//   same round trip through a plain Node readline over a PassThrough (the line editor the
//   shell is built on, with nothing else around it);
// - `kubectl get pods` with 50 pods: our kubectl in the shell, beside the real kubectl
//   binary on PATH, both against the same emulated cluster served over HTTP.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PassThrough, Writable } from "node:stream";
import { promisify, stripVTControlCharacters } from "node:util";
import { createCluster } from "../server/sandbox/cluster/create-cluster.ts";
import { renderKubeconfig } from "../server/sandbox/cluster/kubeconfig.ts";
import { listenCluster } from "../server/sandbox/cluster/listen-cluster.ts";
import { createLearnerShell } from "../server/sandbox/shell/learner-shell.ts";
import { percentile } from "./stats.ts";

export interface WorkstationFigure {
  figure: string;
  ours: string;
  reference: string;
}

const KEYSTROKES = 300;
const KUBECTL_RUNS = 20;
const PODS = 50;

/** Round trips of one key each: `send` writes it, `echoed` resolves when it is back. */
async function echoRoundTrips(send: (key: string) => void, echoed: (key: string) => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const key = String.fromCharCode(97 + (i % 26));
    const back = echoed(key);
    const started = performance.now();
    send(key);
    await back;
    samples.push(performance.now() - started);
    // Keep the line short so neither editor measures redraws of a long line; the redraw
    // is let through before the next key so it cannot pass for that key's echo.
    if (i % 40 === 39) {
      send("\x15");
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return samples;
}

/** Resolves when `key` shows up in what `subscribe` delivers next. */
function echoWaiter(subscribe: (listener: (data: string) => void) => () => void): (key: string) => Promise<void> {
  return (key) =>
    new Promise<void>((resolve) => {
      const stop = subscribe((data) => {
        if (!data.includes(key)) return;
        stop();
        resolve();
      });
    });
}

async function shellEcho(): Promise<number[]> {
  const shell = await createLearnerShell({});
  const tty = shell.openShell({ cols: 120, rows: 40 });
  let printed = "";
  await new Promise<void>((resolve) => {
    const stop = tty.onData((data) => {
      printed += data;
      if (!/\$ $/.test(stripVTControlCharacters(printed))) return;
      stop();
      resolve();
    });
  });
  const samples = await echoRoundTrips((key) => tty.write(key), echoWaiter((listener) => tty.onData(listener)));
  tty.close();
  await shell.host.dispose();
  return samples;
}

async function readlineEcho(): Promise<number[]> {
  const input = new PassThrough();
  const listeners = new Set<(data: string) => void>();
  const output = Object.assign(
    new Writable({
      decodeStrings: false,
      write(chunk: string | Buffer, _encoding, callback) {
        const text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
        for (const listener of [...listeners]) listener(text);
        callback();
      },
    }),
    { isTTY: true, columns: 120, rows: 40 },
  );
  const rl = createInterface({ input, output, terminal: true, prompt: "$ " });
  rl.prompt();
  const subscribe = (listener: (data: string) => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const samples = await echoRoundTrips((key) => input.write(key), echoWaiter(subscribe));
  rl.close();
  return samples;
}

async function kubectlGetPods(): Promise<{ ours: number[]; real: number[] | string }> {
  const token = randomBytes(24).toString("base64url");
  const cluster = createCluster({ profile: "instant", seed: "bench-pods", tokens: new Map([[token, "admin"]]), anonymousUser: "admin" });
  const pods = cluster.api.resource("", "v1", "pods");
  for (let i = 0; i < PODS; i++) {
    cluster.api.create(pods, "default", {
      metadata: { name: `web-${String(i).padStart(2, "0")}`, labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "nginx" }] },
    });
  }
  const server = await listenCluster(cluster, { host: "127.0.0.1", port: 0 });
  const address = new URL(server.url);
  const kubeconfig = renderKubeconfig({ server: server.url, token, name: "bench" });
  const shell = await createLearnerShell({
    files: { "/home/learner/.kube/config": kubeconfig },
    allowedEndpoints: [{ host: address.hostname, port: Number(address.port) }],
  });
  const dir = await mkdtemp(join(tmpdir(), "mesh-academy-bench-"));
  const file = join(dir, "kubeconfig");
  await writeFile(file, kubeconfig, { mode: 0o600 });
  try {
    const ours = await timeRuns(async () => {
      const result = await shell.host.exec("kubectl get pods").result;
      if (result.exitCode !== 0 || result.stdout.split("\n").length < PODS + 1) throw new Error(`our kubectl failed: ${result.stderr}`);
    });
    let real: number[] | string;
    try {
      real = await timeRuns(async () => {
        const { stdout } = await promisify(execFile)("kubectl", ["--kubeconfig", file, "get", "pods"], { env: { ...process.env, KUBECONFIG: file } });
        if (stdout.split("\n").length < PODS + 1) throw new Error("the real kubectl listed too few pods");
      });
    } catch (error) {
      real = `not measured: ${(error as Error).message.split("\n")[0]}`;
    }
    return { ours, real };
  } finally {
    await shell.host.dispose();
    await server.close();
    cluster.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

async function timeRuns(run: () => Promise<void>): Promise<number[]> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < KUBECTL_RUNS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

const ms = (value: number): string => value.toFixed(2);

export async function measureWorkstation(): Promise<WorkstationFigure[]> {
  const shell = await shellEcho();
  const readline = await readlineEcho();
  const { ours, real } = await kubectlGetPods();
  const realFigure = (p: number): string => (typeof real === "string" ? real : ms(percentile(real, p)));
  return [
    { figure: "keystroke echo p50 (ms)", ours: ms(percentile(shell, 50)), reference: ms(percentile(readline, 50)) },
    { figure: "keystroke echo p95 (ms)", ours: ms(percentile(shell, 95)), reference: ms(percentile(readline, 95)) },
    { figure: `kubectl get pods, ${PODS} pods, p50 (ms)`, ours: ms(percentile(ours, 50)), reference: realFigure(50) },
    { figure: `kubectl get pods, ${PODS} pods, p95 (ms)`, ours: ms(percentile(ours, 95)), reference: realFigure(95) },
  ];
}
