// The istiod pods of the Istio namespace that are ready: what `version` reports as the control
// plane and what the proxy commands need. istioctl finds them by the `app=istiod` label; the
// cluster's own istiod emulation uses the same rule (runningIstiods).
import { runningIstiods, type RunningIstiod } from '../istio/control-plane/istiod/istiod-pods.ts';
import type { IstioApi } from './istio-api.ts';

export async function runningIstiodPods(api: IstioApi, istioNamespace: string): Promise<RunningIstiod[]> {
  return runningIstiods(await api.list('v1', 'Pod', { namespace: istioNamespace, labelSelector: 'app=istiod' }));
}

/** istioctl's error when no control plane answers. */
export function noIstioPods(istioNamespace: string): string {
  return `no running Istio pods in "${istioNamespace}"`;
}
