// istiod's namespace controller: while an istiod runs, every namespace holds the
// `istio-ca-root-cert` ConfigMap (key `root-cert.pem`, label `istio.io/config=true`) that
// sidecars mount to trust the mesh CA. Like istiod it skips kube-public, kube-node-lease and
// local-path-storage (kube-system is kept for ztunnel), leaves terminating namespaces alone,
// and puts the data back when the ConfigMap is deleted or edited.
import type { ClusterApi, WriteOptions } from '../../../api-server/cluster-api.ts';
import { asObject, type JsonObject } from '../../../core/json-object.ts';
import { StatusError } from '../../../core/status-error.ts';
import { runningIstiods } from './istiod-pods.ts';

export const CA_ROOT_CERT_CONFIG_MAP = 'istio-ca-root-cert';
const IGNORED_NAMESPACES = new Set(['kube-public', 'kube-node-lease', 'local-path-storage']);
const WRITER: WriteOptions = { fieldManager: 'pilot-discovery', user: 'system:serviceaccount:istio-system:istiod' };

// Shaped like the self-signed root istiod generates (O=cluster.local); it is not a parseable
// certificate (nothing in the sandbox verifies TLS against it).
const ROOT_CERT = `-----BEGIN CERTIFICATE-----
MIIC/DCCAeSgAwIBAgIQMeshAcademyIstioRootCAwDQYJKoZIhvcNAQELBQAwGDEWMBQGA1UEChMNY2x1
c3Rlci5sb2NhbDAeFw0yNjAxMDEwMDAwMDBaFw0zNjAxMDEwMDAwMDBaMBgxFjAUBgNVBAoTDWNsdXN0ZXIu
bG9jYWwwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCsandboxsandboxsandboxsandboxsandbox
-----END CERTIFICATE-----
`;

/** Whether a change can call for a publish pass: a namespace, istiod's ConfigMap, an istiod pod. */
export function caRootCertRelevant(group: string, plural: string, object: JsonObject): boolean {
  if (group !== '') return false;
  if (plural === 'namespaces') return true;
  if (plural === 'configmaps') return asObject(object.metadata).name === CA_ROOT_CERT_CONFIG_MAP;
  return plural === 'pods' && asObject(asObject(object.metadata).labels).app === 'istiod';
}

/** One pass over all namespaces; does nothing until an istiod pod is Ready. */
export function publishCaRootCerts(api: ClusterApi): void {
  const pods = api.list(api.resource('', 'v1', 'pods'), undefined, { labelSelector: 'app=istiod' }).items;
  if (runningIstiods(pods).length === 0) return;
  const configMaps = api.resource('', 'v1', 'configmaps');
  for (const namespace of api.list(api.resource('', 'v1', 'namespaces'), undefined).items) {
    const metadata = asObject(namespace.metadata);
    const name = String(metadata.name ?? '');
    if (IGNORED_NAMESPACES.has(name) || metadata.deletionTimestamp !== undefined || asObject(namespace.status).phase === 'Terminating') continue;
    try {
      const existing = api.tryGet(configMaps, name, CA_ROOT_CERT_CONFIG_MAP);
      if (existing === undefined) {
        api.create(configMaps, name, { metadata: { name: CA_ROOT_CERT_CONFIG_MAP, labels: { 'istio.io/config': 'true' } }, data: { 'root-cert.pem': ROOT_CERT } }, WRITER);
      } else if (asObject(existing.data)['root-cert.pem'] !== ROOT_CERT) {
        // istiod (InsertDataToConfigMap) rewrites the data and keeps the rest of the object.
        api.update(configMaps, name, CA_ROOT_CERT_CONFIG_MAP, { ...existing, data: { ...asObject(existing.data), 'root-cert.pem': ROOT_CERT } }, WRITER);
      }
    } catch (error) {
      // A namespace going away or a concurrent write: the next change brings another pass.
      if (!(error instanceof StatusError) || (error.code !== 404 && error.code !== 409 && error.code !== 403)) throw error;
    }
  }
}
