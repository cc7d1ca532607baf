// The learner's workstation on a cluster reached through a kubeconfig: the pod is created
// when it is missing (namespace, ServiceAccount, binding, pod), and commands and terminals
// go to it through the Kubernetes exec API, exactly as the browser terminal does.
import { Readable, Writable } from "node:stream";
import { CoreV1Api, Exec, KubeConfig, KubernetesObjectApi, type KubernetesObject, type V1Status } from "@kubernetes/client-node";
import { WORKSTATION, workstationManifests } from "../sandbox/index.ts";

export class WorkstationError extends Error {
  readonly code: "WORKSTATION_NOT_READY" | "WORKSTATION_UNREACHABLE";
  constructor(code: WorkstationError["code"], message: string) {
    super(message);
    this.name = "WorkstationError";
    this.code = code;
  }
}

function httpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

/** Where a workstation runs: the pod and its shell container. */
export interface WorkstationTarget {
  namespace: string;
  pod: string;
  container: string;
}

export const EMBEDDED_WORKSTATION: WorkstationTarget = { namespace: WORKSTATION.namespace, pod: WORKSTATION.pod, container: WORKSTATION.container };

/** Creates whichever of the objects are missing, in order. */
export async function createMissing(config: KubeConfig, manifests: ReadonlyArray<{ kind: string; metadata: Record<string, unknown> }>): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(config);
  for (const manifest of manifests) {
    try {
      await objects.read(manifest as unknown as KubernetesObject & { metadata: { name: string } });
    } catch (error) {
      if (httpStatus(error) !== 404) throw new WorkstationError("WORKSTATION_UNREACHABLE", `cannot read the workstation's ${manifest.kind}: ${(error as Error).message}`);
      await objects.create(manifest as unknown as KubernetesObject);
    }
  }
}

/** Resolves once the workstation's shell container runs. */
export async function waitForWorkstation(config: KubeConfig, target: WorkstationTarget, options: { timeoutMs?: number } = {}): Promise<void> {
  const core = config.makeApiClient(CoreV1Api);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const pod = await core.readNamespacedPod({ namespace: target.namespace, name: target.pod });
    const running = pod.status?.containerStatuses?.find((status) => status.name === target.container)?.state?.running !== undefined;
    if (running) return;
    if (Date.now() > deadline) {
      throw new WorkstationError("WORKSTATION_NOT_READY", `the workstation pod ${target.namespace}/${target.pod} is not running (phase ${pod.status?.phase ?? "unknown"})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Makes sure the embedded layout's workstation pod exists and runs; resolves once it does. */
export async function ensureWorkstation(config: KubeConfig, options: { timeoutMs?: number } = {}): Promise<void> {
  await createMissing(config, workstationManifests());
  await waitForWorkstation(config, EMBEDDED_WORKSTATION, options);
}

function sink(write: (chunk: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      write(chunk);
      done();
    },
  });
}

function exitCodeOf(status: V1Status | undefined): number {
  if (status === undefined || status.status === "Success") return 0;
  const cause = status.details?.causes?.find((entry) => entry.reason === "ExitCode");
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : 1;
}

export interface WorkstationExecOptions {
  /** Defaults to the embedded layout's workstation. */
  target?: WorkstationTarget;
  command: string[];
  stdin?: Readable;
  stdout: (chunk: Buffer) => void;
  stderr: (chunk: Buffer) => void;
  /** A TTY session (interactive shells); stdout then carries everything. */
  tty?: boolean;
}

/** Runs one command in the workstation container; resolves to its exit code. */
export function execInWorkstation(config: KubeConfig, options: WorkstationExecOptions): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let status: V1Status | undefined;
    const target = options.target ?? EMBEDDED_WORKSTATION;
    new Exec(config)
      .exec(
        target.namespace,
        target.pod,
        target.container,
        options.command,
        sink(options.stdout),
        options.tty === true ? null : sink(options.stderr),
        options.stdin ?? null,
        options.tty === true,
        (result) => {
          status = result;
        },
      )
      .then((socket) => socket.on("close", () => resolve(exitCodeOf(status))))
      .catch((error: unknown) => reject(new WorkstationError("WORKSTATION_UNREACHABLE", `cannot exec into the workstation: ${error instanceof Error ? error.message : String(error)}`)));
  });
}

export function loadKubeConfig(text: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(text);
  return config;
}
