// Finds the resource and namespace of a manifest object the way kubectl's builder does.
import type { ApiResource, Discovery } from './discovery.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import type { ManifestObject } from './manifest-reader.ts';

export interface MappedObject extends ManifestObject {
  resource: ApiResource;
  /** Namespace for namespaced resources, undefined for cluster-scoped ones. */
  namespace: string | undefined;
  name: string;
}

export function mapManifest(context: KubectlContext, discovery: Discovery, manifest: ManifestObject): MappedObject {
  const { object, source } = manifest;
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const name = object.metadata?.name ?? '';
  if (apiVersion === '' || kind === '') {
    const missing = apiVersion === '' ? 'apiVersion' : 'kind';
    throw new KubectlError('MANIFEST_INVALID', `error: error validating "${source}": error validating data: ${missing} not set; if you choose to ignore these errors, turn validation off with --validate=false`);
  }
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  const resource = discovery.resources.find((entry) => entry.group === group && entry.version === version && entry.kind === kind);
  if (resource === undefined) {
    throw new KubectlError(
      'RESOURCE_MAPPING_NOT_FOUND',
      `error: resource mapping not found for name: "${name}" namespace: "${object.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`,
    );
  }
  let namespace: string | undefined;
  if (resource.namespaced) {
    const own = object.metadata?.namespace;
    if (own !== undefined && own !== '' && context.explicitNamespace && own !== context.namespace) {
      throw new KubectlError(
        'NAMESPACE_MISMATCH',
        `error: the namespace from the provided object "${own}" does not match the namespace "${context.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
      );
    }
    namespace = own !== undefined && own !== '' ? own : context.namespace;
  }
  return { ...manifest, resource, namespace, name };
}
