// istioctl's words when no istiod of the Istio namespace is ready (istioctl/pkg/multixds).
export function noIstioPods(istioNamespace: string): string {
  return `no running Istio pods in "${istioNamespace}"`;
}
