// `istioctl version` from the mesh model: the control plane's versions and one entry per
// connected proxy (gateways included), formatted by the install module's text helper.
import { istioctlInstallText } from '../control-plane/install/istioctl-install-text.ts';
import type { MeshModel } from '../mesh-model/build-mesh-model.ts';

export function istioctlVersion(model: MeshModel, controlPlaneVersions: readonly string[]): { stdout: string; stderr: string } {
  const { stdout, stderr } = istioctlInstallText.version(controlPlaneVersions, model.proxies.map((p) => p.proxy.istioVersion));
  return { stdout: stdout.map((l) => `${l}\n`).join(''), stderr: stderr.map((l) => `${l}\n`).join('') };
}
