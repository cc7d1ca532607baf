// How istioctl names the pod of a proxy command: `[<type>/]<name>[.<namespace>]`, where the
// type may be `pod`/`po` or a workload (`deploy/productpage-v1` picks one of its pods), and the
// namespace otherwise comes from `-n` or the kubeconfig context.
import { asObject, asString } from '../core/json-object.ts';
import { metaOf } from '../istio/mesh-model/mesh-snapshot.ts';
import type { MeshModel } from '../istio/mesh-model/build-mesh-model.ts';
import { IstioctlError } from './istioctl-error.ts';

export interface ProxyTarget {
  podName: string;
  namespace: string;
}

const WORKLOAD_TYPES = new Set(['deployment', 'deployments', 'deploy', 'deploy.apps', 'deployment.apps']);

export function resolveProxyTarget(model: MeshModel, argument: string, namespace: string): ProxyTarget {
  let type = 'pod';
  let name = argument;
  const slash = argument.indexOf('/');
  if (slash >= 0) {
    type = argument.slice(0, slash).toLowerCase();
    name = argument.slice(slash + 1);
  }
  const dot = name.indexOf('.');
  if (dot >= 0) {
    namespace = name.slice(dot + 1);
    name = name.slice(0, dot);
  }
  if (type === 'pod' || type === 'pods' || type === 'po') {
    const pod = model.snapshot.list('Pod').find((p) => metaOf(p).name === name && metaOf(p).namespace === namespace);
    if (pod === undefined) throw new IstioctlError('POD_NOT_FOUND', `pods "${name}" not found`);
    return { podName: name, namespace };
  }
  if (WORKLOAD_TYPES.has(type)) {
    const deployment = model.snapshot.list('Deployment').find((d) => metaOf(d).name === name && metaOf(d).namespace === namespace);
    if (deployment === undefined) throw new IstioctlError('DEPLOYMENT_NOT_FOUND', `deployments.apps "${name}" not found`);
    const selector = asObject(asObject(asObject(deployment.spec).selector).matchLabels);
    const pod = model.snapshot
      .list('Pod')
      .filter((p) => metaOf(p).namespace === namespace && Object.entries(selector).every(([key, value]) => metaOf(p).labels[key] === asString(value)))
      .sort((a, b) => (metaOf(a).name < metaOf(b).name ? -1 : 1))[0];
    if (pod === undefined) throw new IstioctlError('POD_NOT_FOUND', `no pods found for deployment ${name}`);
    return { podName: metaOf(pod).name, namespace };
  }
  throw new IstioctlError('TARGET_TYPE_UNSUPPORTED', `unsupported resource type "${type}"`);
}
