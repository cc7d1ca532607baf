// `kubectl scale` and `kubectl logs` for Deployments, StatefulSets, ReplicaSets and pods:
// the client-side behaviour of kubectl 1.32 over the REST API.
import { statusError } from './api-client.ts';
import { kindPrefix, qualifiedResource, resourcePath, type ApiResource } from './discovery.ts';
import { flagBool, flagString, parseFlags, type ParsedFlags } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';
import { podTarget } from './pod-target.ts';

const POLL_MS = 100;

export function pause(context: KubectlContext, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    context.io.signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new KubectlError('INTERRUPTED', 'error: interrupted', 130));
    }, { once: true });
  });
}

export async function runScale(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'replicas', type: 'int' },
    { name: 'current-replicas', type: 'int' },
    { name: 'resource-version', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'timeout', type: 'string' },
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'dry-run', type: 'string' },
  ]);
  const replicas = flagString(flags, 'replicas');
  if (replicas === undefined) throw new KubectlError('REPLICAS_REQUIRED', 'error: required flag(s) "replicas" not set');
  const discovery = await context.discovery();
  const { requests } = resourceRequests(discovery, [...flags.positionals, ...flags.rest]);
  const namespace = context.namespace;
  const targets: { resource: ApiResource; name: string }[] = [];
  for (const request of requests) {
    for (const name of request.names) {
      const response = await context.client.raw({ path: resourcePath(request.resource, namespace, name) });
      if (response.status === 404) throw new KubectlError('NOT_FOUND', `error: no objects passed to scale ${qualifiedResource(request.resource)} "${name}" not found`);
      if (response.status >= 300) throw statusError(response);
      targets.push({ resource: request.resource, name });
    }
    if (request.names.length === 0) {
      const selector = flagString(flags, 'selector');
      if (!flagBool(flags, 'all') && selector === undefined) throw new KubectlError('NAME_REQUIRED', 'error: resource(s) were provided, but no name was specified');
      const query = selector === undefined ? '' : `?labelSelector=${encodeURIComponent(selector)}`;
      const list = await context.client.json<{ items?: KubeObject[] }>({ path: resourcePath(request.resource, namespace) + query });
      for (const item of list.items ?? []) targets.push({ resource: request.resource, name: item.metadata?.name ?? '' });
    }
  }
  const current = flagString(flags, 'current-replicas');
  for (const target of targets) {
    if (current !== undefined) {
      const scale = await context.client.json<KubeObject>({ path: `${resourcePath(target.resource, namespace, target.name)}/scale` });
      const actual = (scale.spec as { replicas?: number } | undefined)?.replicas ?? 0;
      if (String(actual) !== current) {
        throw new KubectlError('PRECONDITION', `error: Expected replicas to be ${current}, was ${actual}`);
      }
    }
    await context.client.json({
      method: 'PATCH',
      path: `${resourcePath(target.resource, namespace, target.name)}/scale`,
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: Number(replicas) } },
    });
    context.out(flagString(flags, 'output') === 'name' ? `${kindPrefix(target.resource)}/${target.name}\n` : `${kindPrefix(target.resource)}/${target.name} scaled\n`);
  }
  return 0;
}

interface PodSpecLike {
  containers?: { name: string }[];
  initContainers?: { name: string }[];
}

export async function runLogs(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'container', short: 'c', type: 'string' },
    { name: 'follow', short: 'f', type: 'bool' },
    { name: 'tail', type: 'int' },
    { name: 'previous', short: 'p', type: 'bool' },
    { name: 'timestamps', type: 'bool' },
    { name: 'all-containers', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'since', type: 'string' },
    { name: 'prefix', type: 'bool' },
  ]);
  const positionals = flags.positionals;
  const selector = flagString(flags, 'selector');
  const namespace = context.namespace;
  if (selector !== undefined && positionals.length === 0) return logsBySelector(context, flags, selector);
  if (positionals.length === 0 || positionals.length > 2) {
    throw new KubectlError('ARGS', "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
  }
  const target = positionals[0] ?? '';
  const chosen = await podTarget(context, target);
  const podName = chosen.name;
  if (chosen.candidates > 1) context.err(`Found ${chosen.candidates} pods, using pod/${podName}\n`);
  const podResponse = await context.client.raw({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(podName)}` });
  if (podResponse.status === 404) {
    throw new KubectlError('NOT_FOUND', `error: error from server (NotFound): pods "${podName}" not found in namespace "${namespace}"`);
  }
  if (podResponse.status >= 300) throw statusError(podResponse);
  const pod = JSON.parse(podResponse.text) as KubeObject;
  const spec = (pod.spec ?? {}) as PodSpecLike;
  const names = (spec.containers ?? []).map((container) => container.name);
  const allNames = [...(spec.initContainers ?? []).map((container) => container.name), ...names];
  let container = flagString(flags, 'container') ?? positionals[1];
  if (container !== undefined && !allNames.includes(container)) {
    throw new KubectlError('CONTAINER_INVALID', `error: container ${container} is not valid for pod ${podName}`);
  }
  if (flagBool(flags, 'all-containers')) {
    for (const name of allNames) await streamLogs(context, flags, pod, name, undefined);
    return 0;
  }
  if (container === undefined) {
    const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
    container = annotated !== undefined && names.includes(annotated) ? annotated : names[0];
    if (annotated === undefined && names.length > 1) context.err(`Defaulted container "${container ?? ''}" out of: ${names.join(', ')}\n`);
  }
  await streamLogs(context, flags, pod, container, undefined);
  return 0;
}

/** `logs -l`: every matching pod's (default or every) container, ten lines each unless --tail says otherwise. */
async function logsBySelector(context: KubectlContext, flags: ParsedFlags, selector: string): Promise<number> {
  const namespace = context.namespace;
  const list = await context.client.json<{ items?: KubeObject[] }>({
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?labelSelector=${encodeURIComponent(selector)}`,
  });
  const pods = list.items ?? [];
  if (pods.length === 0) {
    context.err(`No resources found in ${namespace} namespace.\n`);
    return 0;
  }
  const tail = flagString(flags, 'tail') ?? '10';
  for (const pod of pods) {
    const spec = (pod.spec ?? {}) as PodSpecLike;
    const names = (spec.containers ?? []).map((container) => container.name);
    if (flagBool(flags, 'all-containers')) {
      for (const name of [...(spec.initContainers ?? []).map((container) => container.name), ...names]) await streamLogs(context, flags, pod, name, tail);
      continue;
    }
    const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
    const container = flagString(flags, 'container') ?? (annotated !== undefined && names.includes(annotated) ? annotated : names[0]);
    await streamLogs(context, flags, pod, container, tail);
  }
  return 0;
}

/** Streams one container's log, each line prefixed `[pod/NAME/CONTAINER] ` with --prefix. */
async function streamLogs(context: KubectlContext, flags: ParsedFlags, pod: KubeObject, container: string | undefined, defaultTail: string | undefined): Promise<void> {
  const query = new URLSearchParams();
  if (container !== undefined) query.set('container', container);
  if (flagBool(flags, 'follow')) query.set('follow', 'true');
  if (flagBool(flags, 'previous')) query.set('previous', 'true');
  const tail = flagString(flags, 'tail') ?? defaultTail;
  if (tail !== undefined && tail !== '-1') query.set('tailLines', tail);
  if (flagBool(flags, 'timestamps')) query.set('timestamps', 'true');
  const namespace = pod.metadata?.namespace ?? context.namespace;
  const name = pod.metadata?.name ?? '';
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/log?${query.toString()}`;
  if (!flagBool(flags, 'prefix')) {
    await context.client.stream({ path, accept: 'application/json, */*' }, (chunk) => context.out(chunk));
    return;
  }
  const prefix = `[pod/${name}/${container ?? ''}] `;
  let pending = '';
  await context.client.stream({ path, accept: 'application/json, */*' }, (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    if (lines.length > 0) context.out(lines.map((line) => `${prefix}${line}\n`).join(''));
  });
  if (pending !== '') context.out(`${prefix}${pending}\n`);
}
