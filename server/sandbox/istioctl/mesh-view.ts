// istiod's view for the proxy commands: the running control plane (or istioctl's error when
// there is none) and the mesh model of the cluster's current objects.
import { buildMeshModel, type MeshModel } from '../istio/mesh-model/build-mesh-model.ts';
import { noIstioPods, runningIstiodPods, type IstiodPod } from './control-plane-pods.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError } from './istioctl-error.ts';
import { readMeshObjects } from './read-mesh-objects.ts';

export interface MeshView {
  istiod: IstiodPod;
  model: MeshModel;
}

export async function loadMeshView(context: IstioctlContext): Promise<MeshView> {
  const api = await context.api();
  const [istiod] = await runningIstiodPods(api, context.istioNamespace);
  if (istiod === undefined) throw new IstioctlError('NO_CONTROL_PLANE', noIstioPods(context.istioNamespace));
  return { istiod, model: buildMeshModel(await readMeshObjects(api)) };
}
