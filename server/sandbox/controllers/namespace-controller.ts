import { StatusError } from '../core/status-error.ts';
import type { JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, meta, nameOf, namespaceOf, tolerant, type ControllerContext } from './controller-context.ts';

// Shaped like the cluster CA bundle real clusters publish; it is not a parseable certificate
// (nothing in the sandbox verifies TLS against it).
const ROOT_CA = `-----BEGIN CERTIFICATE-----
MIIDBTCCAe2gAwIBAgIIMeshAcademyMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNVBAMTCmt1YmVybmV0ZXMw
HhcNMjYwMTAxMDAwMDAwWhcNMzYwMTAxMDAwMDAwWjAVMRMwEQYDVQQDEwprdWJlcm5ldGVzMIIBIjANBgkq
hkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsandboxsandboxsandboxsandboxsandboxsandboxsandbox
-----END CERTIFICATE-----
`;

/**
 * Per-namespace defaults (the `default` ServiceAccount and `kube-root-ca.crt`), and namespace
 * termination: delete everything inside, then drop the `kubernetes` finalizer.
 */
export function namespaceController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const populate = (namespace: string): void => {
    const ns = api.tryGet(types.namespaces, '', namespace);
    if (ns === undefined || meta(ns).deletionTimestamp !== undefined) return;
    if (api.tryGet(types.serviceAccounts, namespace, 'default') === undefined) {
      tolerant(() => api.create(types.serviceAccounts, namespace, { metadata: { name: 'default' } }, asController('service-account-controller')));
    }
    if (api.tryGet(types.configMaps, namespace, 'kube-root-ca.crt') === undefined) {
      tolerant(() =>
        api.create(types.configMaps, namespace, {
          metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
          data: { 'ca.crt': ROOT_CA },
        }, asController('root-ca-cert-publisher')),
      );
    }
  };
  const terminate = (namespace: string): void => {
    const ns = api.tryGet(types.namespaces, '', namespace);
    if (ns === undefined || meta(ns).deletionTimestamp === undefined) return;
    let remaining = 0;
    for (const type of api.registry.all()) {
      if (!type.namespaced || type.group === 'events.k8s.io') continue;
      if (api.registry.byStorageKey(type.storageKey)[0] !== type) continue;
      for (const object of api.list(type, namespace).items) {
        remaining++;
        if (meta(object).deletionTimestamp !== undefined) continue;
        tolerant(() => api.delete(type, namespace, nameOf(object), { propagationPolicy: 'Background' }));
      }
    }
    if (remaining > 0) {
      context.queue.add(`namespace-terminate/${namespace}`, () => terminate(namespace), 200);
      return;
    }
    try {
      api.patch(types.namespaces, '', namespace, 'merge', '{"spec":{"finalizers":null}}', asController('namespace-controller'));
    } catch (error) {
      if (!(error instanceof StatusError)) throw error;
    }
  };
  return (change, type) => {
    if (type.kind === 'Namespace' && type.group === '') {
      const name = change.name;
      if (change.type === 'ADDED') context.queue.add(`namespace-populate/${name}`, () => populate(name));
      if (change.type !== 'DELETED' && meta(change.object as JsonObject).deletionTimestamp !== undefined) {
        context.queue.add(`namespace-terminate/${name}`, () => terminate(name));
      }
      return;
    }
    // Someone deleted the default ServiceAccount or root CA: put it back, as the real controllers do.
    if (change.type === 'DELETED' && ((type.kind === 'ServiceAccount' && change.name === 'default') || (type.kind === 'ConfigMap' && change.name === 'kube-root-ca.crt'))) {
      const namespace = namespaceOf(change.object as JsonObject);
      context.queue.add(`namespace-populate/${namespace}`, () => populate(namespace), 10);
    }
  };
}
