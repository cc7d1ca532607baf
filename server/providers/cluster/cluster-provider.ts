// The `cluster` provider: sessions on a real Kubernetes cluster reached by a kubeconfig. Each
// learner gets a namespace, a ServiceAccount scoped to it and a workstation pod running the
// toolbox image; the terminal is a TTY exec into that pod and checks read with the learner's
// own credentials, through a relay that shows the learner's namespace where lessons say
// `default`. Ending a session deletes what it created; `sweep` removes leftovers of sessions
// this server no longer holds (after a restart).
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, RbacAuthorizationV1Api, type KubernetesObject } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { WORKSTATION } from "../../sandbox/index.ts";
import { createMissing, execInWorkstation, waitForWorkstation, type WorkstationTarget } from "../cluster-workstation.ts";
import type { CommandResult, Sandbox, SandboxProvider, SandboxSnapshot, StartProgress, Tty } from "../sandbox-provider.ts";
import { openExecTty } from "./exec-tty.ts";
import { startNamespaceRelay, type NamespaceRelay } from "./namespace-relay.ts";
import { PatientKubeConfig } from "./patient-kubeconfig.ts";
import {
  LEARNER_ACCOUNT,
  learnerManifests,
  MANAGED_BY,
  READER_ROLE,
  readerRole,
  SESSION_LABEL,
  workstationManifests,
  WORKSTATION_CONTAINER,
  WORKSTATION_POD,
  type LearnerSettings,
} from "./learner-manifests.ts";

export interface ClusterProviderOptions {
  /** The operator's kubeconfig (YAML): it must be allowed to create namespaces and RBAC. */
  kubeconfig: string;
  /** The workstation's toolbox image; defaults to the project's published one. */
  image?: string;
  /** Learner namespaces are named `<prefix><session id>`. */
  namespacePrefix?: string;
  /** Labels put on every learner namespace, beside those a lesson asks for; none by default. */
  namespaceLabels?: Record<string, string>;
  /**
   * Let learners read workloads and mesh configuration in every namespace, as `istioctl
   * analyze`, `proxy-status` and `version` need (see MESH_READ_RULES); true by default.
   */
  meshWideReads?: boolean;
  /** How long a workstation pod may take to start. */
  readyTimeoutMs?: number;
}

const TOKEN_SECONDS = 24 * 3600;
const MANAGED_SELECTOR = Object.entries(MANAGED_BY).map(([key, value]) => `${key}=${value}`).join(",");

function notFound(error: unknown): boolean {
  return (error as { code?: unknown }).code === 404;
}

/** A kubeconfig for the learner: the operator's cluster entry, the learner's token and namespace. */
function learnerKubeconfig(operator: KubeConfig, token: string, namespace: string): string {
  const cluster = operator.getCurrentCluster();
  if (cluster === null) throw new Error("the kubeconfig has no current cluster");
  const entry: Record<string, unknown> = { server: cluster.server };
  if (cluster.caData !== undefined) entry["certificate-authority-data"] = cluster.caData;
  if (cluster.skipTLSVerify) entry["insecure-skip-tls-verify"] = true;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "mesh-academy", cluster: entry }],
    users: [{ name: LEARNER_ACCOUNT, user: { token } }],
    contexts: [{ name: "mesh-academy", context: { cluster: "mesh-academy", user: LEARNER_ACCOUNT, namespace } }],
    "current-context": "mesh-academy",
  });
}

export interface ClusterCreateOptions {
  onProgress?: StartProgress;
  /** The labels the lesson needs on the learner's namespace (e.g. `istio-injection: enabled`). */
  namespaceLabels?: Record<string, string>;
}

export class ClusterProvider implements SandboxProvider {
  readonly name = "cluster";
  readonly #operator: KubeConfig;
  readonly #options: ClusterProviderOptions;
  readonly #live = new Map<string, ClusterSandbox>();

  constructor(options: ClusterProviderOptions) {
    this.#options = options;
    this.#operator = new PatientKubeConfig();
    this.#operator.loadFromString(options.kubeconfig);
  }

  async create(options: ClusterCreateOptions = {}): Promise<ClusterSandbox> {
    const progress = options.onProgress ?? (() => {});
    const id = randomBytes(5).toString("hex");
    const settings: LearnerSettings = {
      id,
      namespace: `${this.#options.namespacePrefix ?? "learner-"}${id}`,
      workstationNamespace: `${this.#options.namespacePrefix ?? "learner-"}${id}-ws`,
      image: this.#options.image ?? WORKSTATION.image,
      namespaceLabels: { ...this.#options.namespaceLabels, ...options.namespaceLabels },
    };
    const sandbox = new ClusterSandbox(this.#operator, settings, () => this.#live.delete(id));
    this.#live.set(id, sandbox);
    try {
      progress({ message: "Creating your namespace", progress: 0.1 });
      await this.#ensureReaderRole();
      await createMissing(this.#operator, learnerManifests(settings));
      const token = await this.#operator.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
        name: LEARNER_ACCOUNT,
        namespace: settings.workstationNamespace,
        body: { spec: { audiences: [], expirationSeconds: TOKEN_SECONDS } },
      });
      const kubeconfig = learnerKubeconfig(this.#operator, token.status?.token ?? "", settings.namespace);
      await sandbox.attachLearner(kubeconfig);
      progress({ message: "Starting your workstation", progress: 0.4 });
      await createMissing(this.#operator, workstationManifests(settings, kubeconfig));
      await waitForWorkstation(this.#operator, sandbox.target, { timeoutMs: this.#options.readyTimeoutMs ?? 180_000 });
      progress({ message: "Workstation ready", progress: 1 });
      return sandbox;
    } catch (error) {
      await sandbox.dispose().catch(() => undefined);
      throw error;
    }
  }

  #readerRole: Promise<void> | undefined;

  /**
   * The ClusterRole all learners share: created once (sessions starting together race for it),
   * then given this server's rules, so a role an earlier version made, or one made with the
   * other `meshWideReads`, reads what this server's learners need. One setting per cluster.
   */
  #ensureReaderRole(): Promise<void> {
    const role = readerRole({ meshWideReads: this.#options.meshWideReads ?? true });
    this.#readerRole ??= (async () => {
      await createMissing(this.#operator, [role]).catch((error: unknown) => {
        // Another server (or verify run) created it between our read and our create.
        if ((error as { code?: unknown }).code !== 409) throw error;
      });
      const objects = KubernetesObjectApi.makeApiClient(this.#operator);
      await objects.patch({ apiVersion: role.apiVersion, kind: role.kind, metadata: { name: READER_ROLE }, rules: role["rules"] } as KubernetesObject, undefined, undefined, "mesh-academy", undefined, PatchStrategy.MergePatch);
    })().catch((error: unknown) => {
      this.#readerRole = undefined;
      throw error;
    });
    return this.#readerRole;
  }

  /** Deletes what sessions this server no longer holds left behind; returns how many sessions. */
  async sweep(): Promise<number> {
    const core = this.#operator.makeApiClient(CoreV1Api);
    const namespaces = await core.listNamespace({ labelSelector: MANAGED_SELECTOR });
    const leftovers = new Map<string, string[]>();
    for (const namespace of namespaces.items) {
      const id = namespace.metadata?.labels?.[SESSION_LABEL];
      // Already on its way out (a session that ended, or an earlier sweep).
      if (namespace.metadata?.deletionTimestamp !== undefined) continue;
      if (id === undefined || this.#live.has(id)) continue;
      leftovers.set(id, [...(leftovers.get(id) ?? []), namespace.metadata?.name ?? ""]);
    }
    for (const [id, names] of leftovers) await deleteLearner(this.#operator, id, names);
    return leftovers.size;
  }

  /** Ends every session this provider still holds: their namespaces are deleted. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#live.values()].map((sandbox) => sandbox.dispose()));
  }
}

async function deleteLearner(operator: KubeConfig, id: string, namespaces: readonly string[]): Promise<void> {
  const rbac = operator.makeApiClient(RbacAuthorizationV1Api);
  const core = operator.makeApiClient(CoreV1Api);
  const attempts: Array<Promise<unknown>> = [
    rbac.deleteClusterRoleBinding({ name: `mesh-academy-learner-${id}` }),
    rbac.deleteNamespacedRoleBinding({ name: `learner-${id}`, namespace: "istio-system" }),
    rbac.deleteNamespacedRoleBinding({ name: `learner-${id}-debug`, namespace: "istio-system" }),
    rbac.deleteNamespacedRole({ name: `learner-${id}-debug`, namespace: "istio-system" }),
    ...namespaces.map((name) => core.deleteNamespace({ name })),
  ];
  for (const attempt of await Promise.allSettled(attempts)) {
    if (attempt.status === "rejected" && !notFound(attempt.reason)) throw attempt.reason;
  }
}

/** A learner's sandbox on a shared cluster: one namespace, which lessons call `default`. */
export class ClusterSandbox implements Sandbox {
  readonly id: string;
  readonly target: WorkstationTarget;
  /** The learner's own namespace; the workstation's kubeconfig defaults to it. */
  readonly namespace: string;
  /** What checks read through: the learner's credentials, the learner's namespace as `default`. */
  kubeconfig = "";
  /** The workstation's kubeconfig: the learner's ServiceAccount token, as the learner has it. */
  learnerKubeconfig = "";
  #relay: NamespaceRelay | undefined;
  readonly #operator: KubeConfig;
  readonly #settings: LearnerSettings;
  readonly #onDisposed: () => void;
  readonly #ttys = new Set<Tty>();
  #disposed: Promise<void> | undefined;

  constructor(operator: KubeConfig, settings: LearnerSettings, onDisposed: () => void) {
    this.id = settings.id;
    this.#operator = operator;
    this.#settings = settings;
    this.#onDisposed = onDisposed;
    this.namespace = settings.namespace;
    this.target = { namespace: settings.workstationNamespace, pod: WORKSTATION_POD, container: WORKSTATION_CONTAINER };
  }

  /** Takes the learner's kubeconfig and opens the relay checks read through. */
  async attachLearner(kubeconfig: string): Promise<void> {
    this.learnerKubeconfig = kubeconfig;
    const learner = new KubeConfig();
    learner.loadFromString(kubeconfig);
    this.#relay = await startNamespaceRelay(learner, this.namespace);
    this.kubeconfig = this.#relay.kubeconfig;
  }

  /**
   * Puts labels on the learner's namespace with the operator's rights: the learner may not
   * label its own namespace on a shared cluster, so the lesson's needs are met for it.
   */
  async labelNamespace(labels: Record<string, string>): Promise<void> {
    if (Object.keys(labels).length === 0) return;
    const objects = KubernetesObjectApi.makeApiClient(this.#operator);
    await objects.patch({ apiVersion: "v1", kind: "Namespace", metadata: { name: this.namespace, labels } }, undefined, undefined, "mesh-academy", undefined, PatchStrategy.MergePatch);
  }

  openTty(size: { cols: number; rows: number }): Tty {
    const tty = openExecTty(this.#operator, this.target, ["bash"], size);
    this.#ttys.add(tty);
    tty.onExit(() => this.#ttys.delete(tty));
    return tty;
  }

  async run(command: string, options: { stdin?: string; signal?: AbortSignal } = {}): Promise<CommandResult> {
    let stdout = "";
    let stderr = "";
    // Interrupted (verify's Ctrl-C, a check's time limit): answer at once, like a shell killed by SIGINT.
    const interrupted = new Promise<number>((resolve) => {
      if (options.signal?.aborted) resolve(130);
      options.signal?.addEventListener("abort", () => resolve(130), { once: true });
    });
    const execution = execInWorkstation(this.#operator, {
      target: this.target,
      command: ["bash", "-c", command],
      ...(options.stdin !== undefined ? { stdin: Readable.from([Buffer.from(options.stdin)]) } : {}),
      stdout: (chunk) => {
        stdout += chunk.toString("utf8");
      },
      stderr: (chunk) => {
        stderr += chunk.toString("utf8");
      },
    });
    // Once interrupted, a late failure of the exec has no one to tell.
    execution.catch(() => undefined);
    const exitCode = await Promise.race([execution, interrupted]);
    return { stdout, stderr, exitCode };
  }

  /** The state lives in the cluster; the snapshot says where. */
  async snapshot(): Promise<SandboxSnapshot> {
    return { kind: "cluster-namespace/v1", data: { namespace: this.#settings.namespace } };
  }

  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      for (const tty of this.#ttys) tty.close();
      this.#ttys.clear();
      await this.#relay?.close();
      try {
        await deleteLearner(this.#operator, this.#settings.id, [this.#settings.namespace, this.#settings.workstationNamespace]);
      } finally {
        this.#onDisposed();
      }
    })();
    return this.#disposed;
  }
}
