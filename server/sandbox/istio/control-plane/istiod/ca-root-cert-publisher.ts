// istiod's namespace controller: while an istiod runs, every namespace holds the
// `istio-ca-root-cert` ConfigMap (key `root-cert.pem`, label `istio.io/config=true`) that
// sidecars mount to trust the mesh CA. Like istiod it skips kube-public, kube-node-lease and
// local-path-storage (kube-system is kept for ztunnel), leaves terminating namespaces alone,
// and puts the data back when the ConfigMap is deleted or edited. The root is the cluster's CA
// (`ensure-mesh-ca.ts`: a plugged-in `cacerts`, else the self-signed `istio-ca-secret`, written
// on the first pass if missing), so the ConfigMap holds what every workload chain ends in.
import type { ClusterApi, WriteOptions } from '../../../api-server/cluster-api.ts';
import { asObject, type JsonObject } from '../../../core/json-object.ts';
import { StatusError } from '../../../core/status-error.ts';
import { ensureMeshCa } from './ensure-mesh-ca.ts';
import { runningIstiods } from './istiod-pods.ts';
import { PLUGGED_IN_CA_SECRET } from './mesh-ca.ts';
import { ISTIO_CA_SECRET } from './self-signed-ca-secret.ts';

export const CA_ROOT_CERT_CONFIG_MAP = 'istio-ca-root-cert';
const IGNORED_NAMESPACES = new Set(['kube-public', 'kube-node-lease', 'local-path-storage']);
const WRITER: WriteOptions = { fieldManager: 'pilot-discovery', user: 'system:serviceaccount:istio-system:istiod' };

/** Whether a change can call for a publish pass: a namespace, istiod's ConfigMap, an istiod pod, a CA Secret. */
export function caRootCertRelevant(group: string, plural: string, object: JsonObject): boolean {
  if (group !== '') return false;
  if (plural === 'namespaces') return true;
  if (plural === 'configmaps') return asObject(object.metadata).name === CA_ROOT_CERT_CONFIG_MAP;
  if (plural === 'secrets') return asObject(object.metadata).name === PLUGGED_IN_CA_SECRET || asObject(object.metadata).name === ISTIO_CA_SECRET;
  return plural === 'pods' && asObject(asObject(object.metadata).labels).app === 'istiod';
}

/**
 * One pass over all namespaces; does nothing until an istiod pod is Ready. Throws MeshCaError
 * (leaving the ConfigMaps as they are) while a plugged-in `cacerts` is unusable.
 */
export function publishCaRootCerts(api: ClusterApi): void {
  const pods = api.list(api.resource('', 'v1', 'pods'), undefined, { labelSelector: 'app=istiod' }).items;
  const [istiod] = runningIstiods(pods);
  if (istiod === undefined) return;
  const rootCert = ensureMeshCa(api, istiod.namespace).rootPem;
  const configMaps = api.resource('', 'v1', 'configmaps');
  for (const namespace of api.list(api.resource('', 'v1', 'namespaces'), undefined).items) {
    const metadata = asObject(namespace.metadata);
    const name = String(metadata.name ?? '');
    if (IGNORED_NAMESPACES.has(name) || metadata.deletionTimestamp !== undefined || asObject(namespace.status).phase === 'Terminating') continue;
    try {
      const existing = api.tryGet(configMaps, name, CA_ROOT_CERT_CONFIG_MAP);
      if (existing === undefined) {
        api.create(configMaps, name, { metadata: { name: CA_ROOT_CERT_CONFIG_MAP, labels: { 'istio.io/config': 'true' } }, data: { 'root-cert.pem': rootCert } }, WRITER);
      } else if (asObject(existing.data)['root-cert.pem'] !== rootCert) {
        // istiod (InsertDataToConfigMap) rewrites the data and keeps the rest of the object.
        api.update(configMaps, name, CA_ROOT_CERT_CONFIG_MAP, { ...existing, data: { ...asObject(existing.data), 'root-cert.pem': rootCert } }, WRITER);
      }
    } catch (error) {
      // A namespace going away or a concurrent write: the next change brings another pass.
      if (!(error instanceof StatusError) || (error.code !== 404 && error.code !== 409 && error.code !== 403)) throw error;
    }
  }
}
