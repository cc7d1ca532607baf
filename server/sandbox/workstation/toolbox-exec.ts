// Pods that run the workstation's toolbox image outside the embedded layout behave like that
// image: bash with kubectl, istioctl and curl. On a real cluster these are the cluster
// provider's learner workstations; here they make an emulated cluster a faithful stand-in
// for one. Each such pod gets a learner shell of its own, with the files its Secret volumes
// mount (its kubeconfig), its container's environment, and its namespace as the source of
// its network calls.
import type { ClusterApi } from '../api-server/cluster-api.ts';
import type { ExecHandler } from '../api-server/pod-exec.ts';
import { asArray, asObject, asString, type JsonObject } from '../core/json-object.ts';
import { createLearnerShell, type LearnerShell } from '../shell/learner-shell.ts';
import type { AllowedEndpoint } from '../shell/connection-guard.ts';
import type { WorkstationNetwork } from '../shell/workstation-network.ts';
import { WORKSTATION } from './provision-workstation.ts';
import { execInLearnerShell } from './workstation-exec.ts';

export interface ToolboxExecOptions {
  api: () => ClusterApi;
  allowedEndpoints: AllowedEndpoint[];
  /** The sandbox network as seen from a namespace. */
  network: (namespace: string) => WorkstationNetwork;
  samplesDir?: string;
  /** Pods of other images. */
  others: ExecHandler;
}

export interface ToolboxExec {
  exec: ExecHandler;
  dispose(): Promise<void>;
}

/** The files the container's Secret volumes mount: mount path + key → decoded value. */
function mountedSecretFiles(api: ClusterApi, namespace: string, spec: JsonObject, container: JsonObject): Record<string, string> {
  const files: Record<string, string> = {};
  const volumes = new Map(asArray(spec.volumes).map((volume) => [asString(asObject(volume).name) ?? '', asObject(volume)]));
  for (const mount of asArray(container.volumeMounts).map(asObject)) {
    const secretName = asString(asObject(volumes.get(asString(mount.name) ?? '')?.secret).secretName);
    const mountPath = asString(mount.mountPath);
    if (secretName === undefined || mountPath === undefined) continue;
    let secret: JsonObject;
    try {
      secret = api.get(api.resource('', 'v1', 'secrets'), namespace, secretName);
    } catch {
      continue;
    }
    for (const [key, value] of Object.entries(asObject(secret.data))) {
      if (typeof value === 'string') files[`${mountPath}/${key}`] = Buffer.from(value, 'base64').toString('utf8');
    }
    for (const [key, value] of Object.entries(asObject(secret.stringData))) {
      if (typeof value === 'string') files[`${mountPath}/${key}`] = value;
    }
  }
  return files;
}

export function createToolboxExec(options: ToolboxExecOptions): ToolboxExec {
  const shells = new Map<string, Promise<LearnerShell>>();
  const exec: ExecHandler = async (request, streams) => {
    const spec = asObject(request.pod.spec);
    const container = asArray(spec.containers).map(asObject).find((entry) => entry.name === request.container);
    const meta = asObject(request.pod.metadata);
    const embedded = request.namespace === WORKSTATION.namespace && meta.name === WORKSTATION.pod;
    if (container === undefined || asString(container.image) !== WORKSTATION.image || embedded) return options.others(request, streams);
    const key = asString(meta.uid) ?? `${request.namespace}/${asString(meta.name) ?? ''}`;
    let shell = shells.get(key);
    if (shell === undefined) {
      shell = createLearnerShell({
        ...(options.samplesDir !== undefined ? { samplesDir: options.samplesDir } : {}),
        files: mountedSecretFiles(options.api(), request.namespace, spec, container),
        allowedEndpoints: options.allowedEndpoints,
        network: options.network(request.namespace),
      });
      shells.set(key, shell);
    }
    const env: Record<string, string> = {};
    for (const entry of asArray(container.env).map(asObject)) {
      const name = asString(entry.name);
      const value = asString(entry.value);
      // KUBECONFIG names the mounted file, which the shell's kubectl finds at ~/.kube/config anyway.
      if (name !== undefined && value !== undefined && name !== 'KUBECONFIG') env[name] = value;
    }
    return execInLearnerShell(await shell, request, streams, env);
  };
  return {
    exec,
    async dispose() {
      const all = [...shells.values()];
      shells.clear();
      await Promise.allSettled(all.map(async (shell) => (await shell).host.dispose()));
    },
  };
}
