// What istiod does with its CA on start: use a plugged-in `cacerts` in its namespace if there is
// one, else the `istio-ca-secret` it wrote on an earlier start, else generate a self-signed root
// and write that Secret. The Secret, not the process, holds the CA, so every thread and a
// restored cluster agree on the root.
import type { ClusterApi, WriteOptions } from '../../../api-server/cluster-api.ts';
import { StatusError } from '../../../core/status-error.ts';
import { meshCaFromSecrets, PLUGGED_IN_CA_SECRET, type MeshCa } from './mesh-ca.ts';
import { ISTIO_CA_SECRET, selfSignedCaSecret } from './self-signed-ca-secret.ts';

const WRITER: WriteOptions = { fieldManager: 'pilot-discovery', user: 'system:serviceaccount:istio-system:istiod' };

export function ensureMeshCa(api: ClusterApi, namespace: string): MeshCa {
  const secrets = api.resource('', 'v1', 'secrets');
  const pluggedIn = api.tryGet(secrets, namespace, PLUGGED_IN_CA_SECRET);
  let selfSigned = pluggedIn === undefined ? api.tryGet(secrets, namespace, ISTIO_CA_SECRET) : undefined;
  if (pluggedIn === undefined && selfSigned === undefined) {
    try {
      selfSigned = api.create(secrets, namespace, selfSignedCaSecret(namespace, api.clock.now()), WRITER).object;
    } catch (error) {
      // Another istiod (a second revision) wrote it first: use theirs, as istiod does.
      if (!(error instanceof StatusError) || error.code !== 409) throw error;
      selfSigned = api.get(secrets, namespace, ISTIO_CA_SECRET);
    }
  }
  const ca = meshCaFromSecrets({ pluggedIn, selfSigned });
  if (ca === undefined) throw new Error('unreachable: a CA Secret was read or written');
  return ca;
}
