// The CA a proxy's certificates come from, read as istiod keeps it: the `cacerts` or
// `istio-ca-secret` Secret in istiod's namespace. istioctl runs in the learner's shell thread
// over HTTP, so reading the Secret (not a per-process key) is what makes its ROOTCA the root
// the main thread publishes in `istio-ca-root-cert`.
import { MeshCaError } from '../istio/control-plane/istiod/mesh-ca-error.ts';
import { meshCaFromSecrets, PLUGGED_IN_CA_SECRET, type MeshCa } from '../istio/control-plane/istiod/mesh-ca.ts';
import { ISTIO_CA_SECRET } from '../istio/control-plane/istiod/self-signed-ca-secret.ts';
import type { JsonObject } from '../core/json-object.ts';
import { statusError } from '../kubectl/api-client.ts';
import type { IstioApi } from './istio-api.ts';
import { IstioctlError } from './istioctl-error.ts';

async function readSecret(api: IstioApi, namespace: string, name: string): Promise<JsonObject | undefined> {
  const response = await api.client.raw({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}` });
  if (response.status === 404) return undefined;
  if (response.status < 200 || response.status >= 300) throw statusError(response);
  return JSON.parse(response.text) as JsonObject;
}

/** The CA of istiod's namespace; undefined while istiod has not written one yet. */
export async function readProxySecretsCa(api: IstioApi, namespace: string): Promise<MeshCa | undefined> {
  const pluggedIn = await readSecret(api, namespace, PLUGGED_IN_CA_SECRET);
  const selfSigned = pluggedIn === undefined ? await readSecret(api, namespace, ISTIO_CA_SECRET) : undefined;
  try {
    return meshCaFromSecrets({ pluggedIn, selfSigned });
  } catch (error) {
    if (error instanceof MeshCaError) throw new IstioctlError(error.code, error.message);
    throw error;
  }
}
