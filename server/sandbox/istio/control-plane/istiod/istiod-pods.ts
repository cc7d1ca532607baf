// The running control plane as the cluster shows it: istiod pods (label `app=istiod`) that are
// Ready, with the revision each serves. Everything istiod does in the sandbox waits for one.
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';

export interface RunningIstiod {
  pod: string;
  namespace: string;
  /** `istio.io/rev` of the pod, `default` for the unnamed revision. */
  revision: string;
  /** The proxyv2 image registry and tag this istiod injects (from its pilot image). */
  hub: string;
  tag: string;
}

function ready(pod: JsonObject): boolean {
  if (asObject(pod.metadata).deletionTimestamp !== undefined) return false;
  return asArray(asObject(pod.status).conditions).some((c) => asObject(c).type === 'Ready' && asObject(c).status === 'True');
}

function imageParts(image: string): { hub: string; tag: string } {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const repository = colon > slash ? image.slice(0, colon) : image;
  const tag = colon > slash ? image.slice(colon + 1) : 'latest';
  return { hub: repository.slice(0, Math.max(0, repository.lastIndexOf('/'))), tag };
}

/** Ready istiod pods, oldest first (istioctl and proxies pick the first). */
export function runningIstiods(pods: readonly JsonObject[]): RunningIstiod[] {
  return pods
    .filter((pod) => asObject(asObject(pod.metadata).labels).app === 'istiod' && ready(pod))
    .sort((a, b) => String(asObject(a.metadata).creationTimestamp).localeCompare(String(asObject(b.metadata).creationTimestamp)) || String(asObject(a.metadata).name).localeCompare(String(asObject(b.metadata).name)))
    .map((pod) => {
      const metadata = asObject(pod.metadata);
      const discovery = asArray(asObject(pod.spec).containers).map(asObject).find((c) => c.name === 'discovery');
      return {
        pod: asString(metadata.name) ?? '',
        namespace: asString(metadata.namespace) ?? '',
        revision: asString(asObject(metadata.labels)['istio.io/rev']) ?? 'default',
        ...imageParts(asString(discovery?.image) ?? ''),
      };
    });
}
