// Which pod a `POD`, `pod/NAME` or `TYPE/NAME` argument of exec, logs and attach stands for:
// a workload stands for the first of its selector's pods, preferring one not being deleted.
import { resourcePath } from './discovery.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';

export interface PodTarget {
  name: string;
  /** How many pods the workload's selector matched (1 for a pod named directly). */
  candidates: number;
}

export async function podTarget(context: KubectlContext, target: string): Promise<PodTarget> {
  const slash = target.indexOf('/');
  if (slash < 0) return { name: target, candidates: 1 };
  const namespace = context.namespace;
  const discovery = await context.discovery();
  const resource = discovery.resolve(target.slice(0, slash));
  const name = target.slice(slash + 1);
  if (resource.kind === 'Pod') return { name, candidates: 1 };
  const owner = await context.client.json<KubeObject>({ path: resourcePath(resource, namespace, name) });
  const selector = (owner.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
  const query = Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(',');
  const pods = await context.client.json<{ items?: KubeObject[] }>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?labelSelector=${encodeURIComponent(query)}` });
  const items = pods.items ?? [];
  const chosen = items.find((pod) => pod.metadata?.['deletionTimestamp'] === undefined) ?? items[0];
  if (chosen === undefined) throw new KubectlError('NO_PODS', 'error: timed out waiting for the condition');
  return { name: chosen.metadata?.name ?? '', candidates: items.length };
}
