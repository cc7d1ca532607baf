// istiod's view for the proxy commands, as the cluster's istiod emulation computes it: the
// ready istiod pods, the proxies connected to the istiod of their revision and the config
// each receives. Fails as istioctl does when no istiod runs in the Istio namespace.
import { istiodView, type IstiodView } from '../istio/control-plane/istiod/istiod-view.ts';
import { noIstioPods } from './no-istio-pods.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError } from './istioctl-error.ts';
import { readMeshObjects } from './read-mesh-objects.ts';

export async function loadMeshView(context: IstioctlContext): Promise<IstiodView> {
  const view = istiodView(await readMeshObjects(await context.api()));
  view.istiods = view.istiods.filter((istiod) => istiod.namespace === context.istioNamespace);
  if (view.istiods.length === 0) throw new IstioctlError('NO_CONTROL_PLANE', noIstioPods(context.istioNamespace));
  return view;
}
