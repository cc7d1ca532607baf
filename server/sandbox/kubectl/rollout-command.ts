// `kubectl rollout status|history|undo|pause|resume|restart` for Deployments (every
// subcommand acts on each deployment of the namespace when no name is given): kubectl 1.32's
// client-side logic over the REST API, with the revision history read from the Deployment's
// ReplicaSets.
import { statusError } from './api-client.ts';
import { kindPrefix, qualifiedResource, resourcePath, type ApiResource } from './discovery.ts';
import { flagString, parseFlags } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import { goJsonCompact } from './go-json.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';
import { describePodTemplate, type PodTemplateLike } from './pod-template-description.ts';
import { formatColumns } from './tab-writer.ts';
import { parseGoDuration } from './wait-command.ts';
import { pause } from './workload-commands.ts';

const POLL_MS = 100;
const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';
/** Deployment annotations an undo keeps from the Deployment rather than the ReplicaSet. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export const ROLLOUT_HELP = "Manage the rollout of one or many resources.\n        \n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets\n\nExamples:\n  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n  # Check the rollout status of a daemonset\n  kubectl rollout status daemonset/foo\n  \n  # Restart a deployment\n  kubectl rollout restart deployment/abc\n  \n  # Restart deployments with the 'app=nginx' label\n  kubectl rollout restart deployment --selector=app=nginx\n\nAvailable Commands:\n  history       View rollout history\n  pause         Mark the provided resource as paused\n  restart       Restart a resource\n  resume        Resume a paused resource\n  status        Show the status of the rollout\n  undo          Undo a previous rollout\n\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n\nUse \"kubectl rollout <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

const SUBCOMMANDS = ['history', 'pause', 'restart', 'resume', 'status', 'undo'];

interface DeploymentLike {
  metadata?: { generation?: number; name?: string; uid?: string; annotations?: Record<string, string> };
  spec?: { replicas?: number; paused?: boolean; selector?: { matchLabels?: Record<string, string> }; template?: PodTemplateLike };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type: string; reason?: string }[] };
}

/** kubectl's DeploymentStatusViewer: the message and whether the rollout is done. */
function deploymentStatus(deployment: DeploymentLike): { message: string; done: boolean } {
  const name = deployment.metadata?.name ?? '';
  const status = deployment.status ?? {};
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
  }
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    throw new KubectlError('DEADLINE_EXCEEDED', `error: deployment "${name}" exceeded its progress deadline`);
  }
  const wanted = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < wanted) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...\n`, done: false };
  if (replicas > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...\n`, done: false };
  if (available < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...\n`, done: false };
  return { message: `deployment "${name}" successfully rolled out\n`, done: true };
}


interface ReplicaSetLike {
  metadata?: { name?: string; annotations?: Record<string, string>; ownerReferences?: { uid?: string; controller?: boolean }[] };
  spec?: { template?: PodTemplateLike };
}

/** The Deployment's ReplicaSets by revision (deploymentutil.GetAllReplicaSets and Revision). */
async function history(context: KubectlContext, namespace: string, deployment: DeploymentLike): Promise<Map<number, ReplicaSetLike>> {
  const selector = Object.entries(deployment.spec?.selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`).join(',');
  const list = await context.client.json<{ items?: ReplicaSetLike[] }>({
    path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets?labelSelector=${encodeURIComponent(selector)}`,
  });
  const byRevision = new Map<number, ReplicaSetLike>();
  for (const replicaSet of list.items ?? []) {
    const owned = (replicaSet.metadata?.ownerReferences ?? []).some((owner) => owner.controller === true && owner.uid === deployment.metadata?.uid);
    if (!owned) continue;
    const revision = Number(replicaSet.metadata?.annotations?.[REVISION] ?? '0');
    if (Number.isInteger(revision)) byRevision.set(revision, replicaSet);
  }
  return byRevision;
}

/** Templates equal apart from the pod-template-hash label (deploymentutil.EqualIgnoreHash). */
function sameTemplate(a: PodTemplateLike | undefined, b: PodTemplateLike | undefined): boolean {
  const strip = (template: PodTemplateLike | undefined): unknown => {
    const labels = { ...(template?.metadata?.labels ?? {}) };
    delete labels[HASH_LABEL];
    return { ...template, metadata: { ...(template?.metadata ?? {}), labels } };
  };
  return goJsonCompact(strip(a)) === goJsonCompact(strip(b));
}

async function listOrNamed(context: KubectlContext, resource: ApiResource, namespace: string, names: readonly string[], selector: string | undefined): Promise<string[]> {
  if (names.length > 0) return [...names];
  const query = selector === undefined ? '' : `?labelSelector=${encodeURIComponent(selector)}`;
  const list = await context.client.json<{ items?: KubeObject[] }>({ path: resourcePath(resource, namespace) + query });
  return (list.items ?? []).map((item) => item.metadata?.name ?? '');
}

interface SetLike {
  metadata?: { name?: string; generation?: number };
  spec?: { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  status?: {
    observedGeneration?: number; updatedNumberScheduled?: number; desiredNumberScheduled?: number; numberAvailable?: number;
    readyReplicas?: number; updatedReplicas?: number; currentReplicas?: number; updateRevision?: string; currentRevision?: string;
  };
}

/** kubectl's DaemonSetStatusViewer and StatefulSetStatusViewer. */
function setStatus(kind: string, set: SetLike): { message: string; done: boolean } {
  const name = set.metadata?.name ?? '';
  const status = set.status ?? {};
  const strategy = set.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate') throw new KubectlError('STRATEGY', 'error: rollout status is only available for RollingUpdate strategy type');
  if (kind === 'DaemonSet') {
    if ((set.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
    const desired = status.desiredNumberScheduled ?? 0;
    if ((status.updatedNumberScheduled ?? 0) < desired) return { message: `Waiting for daemon set "${name}" rollout to finish: ${status.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`, done: false };
    if ((status.numberAvailable ?? 0) < desired) return { message: `Waiting for daemon set "${name}" rollout to finish: ${status.numberAvailable ?? 0} of ${desired} updated pods are available...\n`, done: false };
    return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  if ((status.observedGeneration ?? 0) === 0 || (set.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  const replicas = set.spec?.replicas ?? 1;
  if ((status.readyReplicas ?? 0) < replicas) return { message: `Waiting for ${replicas - (status.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  const rolling = set.spec?.updateStrategy?.rollingUpdate;
  if (rolling !== undefined) {
    const partition = rolling.partition;
    if (partition !== undefined && (status.updatedReplicas ?? 0) < replicas - partition) {
      return { message: `Waiting for partitioned roll out to finish: ${status.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...\n`, done: false };
    }
    return { message: `partitioned roll out complete: ${status.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
  }
  if (status.updateRevision !== status.currentRevision) {
    return { message: `waiting for statefulset rolling update to complete ${status.updatedReplicas ?? 0} pods at revision ${status.updateRevision ?? ''}...\n`, done: false };
  }
  return { message: `statefulset rolling update complete ${status.currentReplicas ?? 0} pods at revision ${status.currentRevision ?? ''}...\n`, done: true };
}

async function watchStatus(context: KubectlContext, path: string, first: KubeObject, kind: string, watch: boolean, deadline: number): Promise<void> {
  let last = '';
  let current = first as SetLike;
  for (;;) {
    const { message, done } = setStatus(kind, current);
    if (message !== last) context.out(message);
    last = message;
    if (done || !watch) return;
    if (Date.now() >= deadline) throw new KubectlError('TIMEOUT', 'error: timed out waiting for the condition');
    await pause(context, POLL_MS);
    current = await context.client.json<SetLike>({ path });
  }
}

export async function runRollout(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'watch', short: 'w', type: 'bool' },
    { name: 'timeout', type: 'string' },
    { name: 'revision', type: 'int' },
    { name: 'to-revision', type: 'int' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'dry-run', type: 'string' },
    { name: 'field-manager', type: 'string' },
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'recursive', short: 'R', type: 'bool' },
  ]);
  const [sub, ...rest] = flags.positionals;
  if (sub === undefined) {
    context.out(ROLLOUT_HELP);
    return 1;
  }
  if (!SUBCOMMANDS.includes(sub)) {
    throw new KubectlError('UNKNOWN_SUBCOMMAND', `error: unknown command "${flags.positionals.join(' ')}"\nSee 'kubectl rollout -h' for help and examples`);
  }
  const discovery = await context.discovery();
  const { requests } = resourceRequests(discovery, [...rest, ...flags.rest]);
  const namespace = context.namespace;
  const selector = flagString(flags, 'selector');
  const timeout = flagString(flags, 'timeout');
  const deadline = timeout === undefined || timeout === '0' || timeout === '0s' ? Infinity : Date.now() + parseGoDuration(timeout);
  let failed = false;
  const restartErrors: string[] = [];
  for (const request of requests) {
    // With a type and no name, kubectl (1.32) acts on every object of the type in the namespace,
    // in the API's list order (by name), and says so on stderr when there is none.
    const names = await listOrNamed(context, request.resource, namespace, request.names, selector);
    if (names.length === 0) context.err(`No resources found in ${namespace} namespace.\n`);
    for (const name of names) {
      const path = resourcePath(request.resource, namespace, name);
      const response = await context.client.raw({ path });
      if (response.status >= 300) throw statusError(response);
      const object = JSON.parse(response.text) as DeploymentLike;
      const label = `${kindPrefix(request.resource)}/${name}`;
      const isDeployment = request.resource.kind === 'Deployment';
      const isSet = request.resource.kind === 'DaemonSet' || request.resource.kind === 'StatefulSet';
      if (isSet && sub === 'history') {
        // Their history lives in ControllerRevisions, which kubectl lists by the set's selector.
        const matchLabels = ((object.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels) ?? {};
        const selector = Object.entries(matchLabels).map(([key, value]) => `${key}=${value}`).join(',');
        const revisions = await context.client.raw({ path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions?labelSelector=${encodeURIComponent(selector)}` });
        if (revisions.status >= 300) throw new KubectlError('HISTORY_NOT_FOUND', `error: unable to find history controlled by ${request.resource.kind} ${name}: ${statusError(revisions).status.message ?? ''}`);
        throw new KubectlError('NOT_IMPLEMENTED', `error: kubectl rollout history of ${qualifiedResource(request.resource)} is not available in this sandbox`);
      }
      if (isSet && sub === 'status') {
        await watchStatus(context, path, object as KubeObject, request.resource.kind, flags.values.get('watch') !== false, deadline);
        continue;
      }
      if (!isDeployment && sub !== 'restart') throw new KubectlError('NOT_IMPLEMENTED', `error: kubectl rollout ${sub} is only available for deployments, daemon sets and stateful sets in this sandbox`);
      switch (sub) {
        case 'restart': {
          // kubectl computes every patch first and reports the ones it cannot make after the
          // others went through, one line each.
          if (object.spec?.paused === true) {
            restartErrors.push(`error: ${qualifiedResource(request.resource)} "${name}" can't restart paused deployment (run rollout resume first)`);
            break;
          }
          const restartedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
          if (object.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] === restartedAt) {
            restartErrors.push(`failed to create patch for ${name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
            break;
          }
          await context.client.json({
            method: 'PATCH',
            path: `${path}?fieldManager=kubectl-rollout`,
            contentType: 'application/strategic-merge-patch+json',
            body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } } } },
          });
          context.out(`${label} restarted\n`);
          break;
        }
        case 'pause':
        case 'resume': {
          const pausing = sub === 'pause';
          if ((object.spec?.paused === true) === pausing) {
            context.err(`error: ${qualifiedResource(request.resource)} "${name}" is ${pausing ? 'already paused' : 'not paused'}\n`);
            failed = true;
            break;
          }
          await context.client.json({
            method: 'PATCH',
            path: `${path}?fieldManager=kubectl-rollout`,
            contentType: 'application/strategic-merge-patch+json',
            body: { spec: { paused: pausing ? true : null } },
          });
          context.out(`${label} ${pausing ? 'paused' : 'resumed'}\n`);
          break;
        }
        case 'history': {
          const revisions = await history(context, namespace, object);
          const wanted = Number(flagString(flags, 'revision') ?? '0');
          if (wanted > 0) {
            const replicaSet = revisions.get(wanted);
            if (replicaSet === undefined) throw new KubectlError('REVISION_NOT_FOUND', 'error: unable to find the specified revision');
            context.out(`${label} with revision #${wanted}\n${describePodTemplate(replicaSet.spec?.template ?? {})}\n`);
            break;
          }
          const rows = [['REVISION', 'CHANGE-CAUSE']];
          for (const revision of [...revisions.keys()].sort((a, b) => a - b)) {
            rows.push([String(revision), revisions.get(revision)?.metadata?.annotations?.['kubernetes.io/change-cause'] ?? '<none>']);
          }
          context.out(`${label} \n${formatColumns(rows, { minWidth: 0, padding: 2 })}\n`);
          break;
        }
        case 'undo': {
          if (object.spec?.paused === true) {
            throw new KubectlError('PAUSED', `error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume ${label}' and try again`);
          }
          const revisions = await history(context, namespace, object);
          const wanted = Number(flagString(flags, 'to-revision') ?? '0');
          let target: ReplicaSetLike | undefined;
          let revision = wanted;
          if (wanted === 0) {
            // The previous revision: the highest one below the current (highest) revision.
            const sorted = [...revisions.keys()].sort((a, b) => b - a);
            if (sorted.length < 2) throw new KubectlError('NO_HISTORY', `error: no rollout history found for deployment "${name}"`);
            revision = sorted[1] ?? 0;
          }
          target = revisions.get(revision);
          if (target === undefined) throw new KubectlError('REVISION_NOT_FOUND', `error: unable to find specified revision ${revision} in history`);
          if (sameTemplate(target.spec?.template, object.spec?.template)) {
            context.out(`${label} skipped rollback (current template already matches revision ${revision})\n`);
            break;
          }
          const template = structuredClone(target.spec?.template ?? {});
          if (template.metadata?.labels !== undefined) delete template.metadata.labels[HASH_LABEL];
          const annotations: Record<string, string> = {};
          for (const key of ANNOTATIONS_TO_SKIP) {
            const value = object.metadata?.annotations?.[key];
            if (value !== undefined) annotations[key] = value;
          }
          for (const [key, value] of Object.entries(target.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(key)) annotations[key] = value;
          await context.client.json({
            method: 'PATCH',
            path: `${path}?fieldManager=kubectl-rollout`,
            contentType: 'application/json-patch+json',
            body: [
              { op: 'replace', path: '/spec/template', value: template },
              { op: 'replace', path: '/metadata/annotations', value: annotations },
            ],
          });
          context.out(`${label} rolled back\n`);
          break;
        }
        default: {
          let last = '';
          let current = object;
          for (;;) {
            const { message, done } = deploymentStatus(current);
            if (message !== last) context.out(message);
            last = message;
            if (done || flags.values.get('watch') === false) break;
            if (Date.now() >= deadline) throw new KubectlError('TIMEOUT', 'error: timed out waiting for the condition');
            await pause(context, POLL_MS);
            current = await context.client.json<DeploymentLike>({ path });
          }
        }
      }
    }
  }
  for (const message of restartErrors) context.err(`${message}\n`);
  return failed || restartErrors.length > 0 ? 1 : 0;
}
