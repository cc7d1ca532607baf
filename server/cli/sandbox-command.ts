// `mesh-academy sandbox`: run one emulated cluster on 127.0.0.1 and write a kubeconfig for it,
// so the real kubectl (or any client) can be pointed at it.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createCluster } from "../sandbox/cluster/create-cluster.ts";
import { renderKubeconfig } from "../sandbox/cluster/kubeconfig.ts";
import { listenCluster } from "../sandbox/cluster/listen-cluster.ts";
import { createSystemClock } from "../sandbox/core/clock.ts";
import { createWorkloadRuntime } from "../sandbox/workloads/workload-runtime.ts";
import type { CliCommand } from "./cli-command.ts";

export interface SandboxIo {
  out(text: string): void;
  err(text: string): void;
  /** Aborted on SIGINT/SIGTERM (or by a test): the cluster shuts down and the command returns. */
  signal: AbortSignal;
}

const USAGE = "Usage: mesh-academy sandbox --kubeconfig FILE [--port N] [--profile instant|realistic] [--seed S]\n";

/** Runs the sandbox until `io.signal` aborts; resolves to the exit code. */
export async function runSandbox(args: readonly string[], io: SandboxIo): Promise<number> {
  let values: { kubeconfig?: string | undefined; port?: string | undefined; profile?: string | undefined; seed?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { kubeconfig: { type: "string" }, port: { type: "string" }, profile: { type: "string" }, seed: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`mesh-academy sandbox: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.kubeconfig === undefined || values.kubeconfig === "") {
    io.err(`mesh-academy sandbox: --kubeconfig FILE is required\n${USAGE}`);
    return 2;
  }
  const port = Number(values.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`mesh-academy sandbox: --port must be an integer from 0 to 65535, got "${values.port}"\n${USAGE}`);
    return 2;
  }
  const profile = values.profile ?? "realistic";
  if (profile !== "instant" && profile !== "realistic") {
    io.err(`mesh-academy sandbox: --profile must be "instant" or "realistic", got "${profile}"\n${USAGE}`);
    return 2;
  }
  const token = randomBytes(24).toString("base64url");
  const controllerErrors: string[] = [];
  const clock = createSystemClock();
  const workloads = createWorkloadRuntime({ clock });
  const cluster = createCluster({
    clock,
    profile,
    portForward: workloads.portForward,
    exec: workloads.exec,
    podLogs: workloads.podLogs,
    seed: values.seed ?? randomBytes(8).toString("hex"),
    tokens: new Map([[token, "admin"]]),
    // Loopback only, and kubectl never sends a bearer token over plain http.
    anonymousUser: "admin",
    onControllerError: (key, error) => {
      if (controllerErrors.length < 20) controllerErrors.push(`${key}: ${error instanceof Error ? error.message : String(error)}`);
      io.err(`mesh-academy sandbox: controller ${key} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  });
  workloads.attach(cluster.api);
  const server = await listenCluster(cluster, { host: "127.0.0.1", port });
  const file = resolve(values.kubeconfig);
  try {
    await writeFile(file, renderKubeconfig({ server: server.url, token, name: "mesh-academy-sandbox" }), { mode: 0o600 });
  } catch (error) {
    workloads.dispose();
    cluster.dispose();
    await server.close();
    io.err(`mesh-academy sandbox: cannot write ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  io.out(`sandbox cluster (${profile}) at ${server.url}; kubeconfig in ${file} (export KUBECONFIG=${file})\n`);
  await new Promise<void>((done) => {
    if (io.signal.aborted) done();
    else io.signal.addEventListener("abort", () => done(), { once: true });
  });
  workloads.dispose();
  cluster.dispose();
  await server.close();
  return 0;
}

export const sandboxCommand: CliCommand = {
  name: "sandbox",
  summary: "Run an emulated Kubernetes cluster on 127.0.0.1 and write a kubeconfig for it",
  async run(args) {
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      return await runSandbox(args, {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
        signal: controller.signal,
      });
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  },
};
