// The running istiod pods of the Istio namespace: what `version` reports as the control plane
// and the ISTIOD column of `proxy-status`. istioctl finds them by the `app=istiod` label.
import { asArray, asObject, asString, type JsonObject } from '../core/json-object.ts';
import { ISTIO_RELEASE } from '../istio/control-plane/install/istio-release.ts';
import type { IstioApi } from './istio-api.ts';

export interface IstiodPod {
  name: string;
  version: string;
}

function imageTag(image: string): string {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? image.slice(at + 1) : ISTIO_RELEASE.version;
}

export async function runningIstiodPods(api: IstioApi, istioNamespace: string): Promise<IstiodPod[]> {
  const pods = await api.list('v1', 'Pod', { namespace: istioNamespace, labelSelector: 'app=istiod' });
  return pods
    .filter((pod: JsonObject) => asObject(pod.status).phase === 'Running' && asObject(pod.metadata).deletionTimestamp === undefined)
    .map((pod) => {
      const containers = asArray(asObject(pod.spec).containers).map(asObject);
      const discovery = containers.find((c) => c.name === 'discovery') ?? containers[0] ?? {};
      return { name: asString(asObject(pod.metadata).name) ?? '', version: imageTag(asString(discovery.image) ?? '') };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** istioctl's error when no control plane answers. */
export function noIstioPods(istioNamespace: string): string {
  return `no running Istio pods in "${istioNamespace}"`;
}
