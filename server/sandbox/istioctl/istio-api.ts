// The cluster as istioctl reaches it: typed paths for the kinds it installs, reads and prunes,
// server-side apply with istioctl's field manager, and lists whose items carry their kind (the
// API server leaves apiVersion/kind off list items; the mesh model keys objects by them).
import { statusError, type ApiClient } from '../kubectl/api-client.ts';
import { ApiStatusError } from '../kubectl/kubectl-error.ts';
import { asArray, asObject, asString, isJsonObject, type JsonObject } from '../core/json-object.ts';

export interface KindInfo {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

function kindInfo(apiVersion: string, kind: string, plural: string, namespaced = true): KindInfo {
  return { apiVersion, kind, plural, namespaced };
}

export const KNOWN_KINDS: readonly KindInfo[] = [
  kindInfo('v1', 'Namespace', 'namespaces', false),
  kindInfo('v1', 'ServiceAccount', 'serviceaccounts'),
  kindInfo('v1', 'ConfigMap', 'configmaps'),
  kindInfo('v1', 'Service', 'services'),
  kindInfo('v1', 'Pod', 'pods'),
  kindInfo('apps/v1', 'Deployment', 'deployments'),
  kindInfo('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  kindInfo('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  kindInfo('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false),
  kindInfo('networking.istio.io/v1', 'VirtualService', 'virtualservices'),
  kindInfo('networking.istio.io/v1', 'DestinationRule', 'destinationrules'),
  kindInfo('networking.istio.io/v1', 'Gateway', 'gateways'),
  kindInfo('networking.istio.io/v1', 'ServiceEntry', 'serviceentries'),
  kindInfo('networking.istio.io/v1', 'Sidecar', 'sidecars'),
  kindInfo('security.istio.io/v1', 'PeerAuthentication', 'peerauthentications'),
  kindInfo('security.istio.io/v1', 'AuthorizationPolicy', 'authorizationpolicies'),
  kindInfo('security.istio.io/v1', 'RequestAuthentication', 'requestauthentications'),
  kindInfo('gateway.networking.k8s.io/v1', 'Gateway', 'gateways'),
  kindInfo('gateway.networking.k8s.io/v1', 'HTTPRoute', 'httproutes'),
  kindInfo('gateway.networking.k8s.io/v1', 'GatewayClass', 'gatewayclasses', false),
  kindInfo('gateway.networking.k8s.io/v1beta1', 'ReferenceGrant', 'referencegrants'),
];

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
}

export function kindFor(apiVersion: string, kind: string): KindInfo | undefined {
  const group = groupOf(apiVersion);
  return KNOWN_KINDS.find((info) => info.kind === kind && groupOf(info.apiVersion) === group);
}

function collectionPath(info: KindInfo, namespace: string | undefined): string {
  const base = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  const ns = info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.plural}`;
}

/** The manifest object carrying the current object's resourceVersion and server-allocated Service fields. */
function withAllocations(object: JsonObject, current: JsonObject): JsonObject {
  const replacement = structuredClone(object);
  const metadata = asObject(replacement.metadata);
  metadata.resourceVersion = asObject(current.metadata).resourceVersion;
  replacement.metadata = metadata;
  if (object.kind === 'Service' && isJsonObject(replacement.spec)) {
    const currentSpec = asObject(current.spec);
    for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
      if (currentSpec[field] !== undefined) replacement.spec[field] = currentSpec[field];
    }
    const nodePorts = new Map(asArray(currentSpec.ports).map((port) => [asObject(port).name, asObject(port).nodePort]));
    replacement.spec.ports = asArray(replacement.spec.ports).map((port) => {
      const nodePort = nodePorts.get(asObject(port).name);
      return nodePort === undefined ? port : { ...asObject(port), nodePort };
    });
  }
  return replacement;
}

/** istioctl's field manager for server-side apply (operator/pkg/install). */
export const FIELD_MANAGER = 'istio-operator';

export class IstioApi {
  readonly client: ApiClient;

  constructor(client: ApiClient) {
    this.client = client;
  }

  #info(object: JsonObject): KindInfo {
    const info = kindFor(asString(object.apiVersion) ?? '', asString(object.kind) ?? '');
    if (info === undefined) throw new Error(`no REST mapping for ${String(object.apiVersion)} ${String(object.kind)}`);
    return info;
  }

  objectPath(object: JsonObject): string {
    const info = this.#info(object);
    const metadata = asObject(object.metadata);
    return `${collectionPath(info, asString(metadata.namespace))}/${encodeURIComponent(asString(metadata.name) ?? '')}`;
  }

  /** Server-side apply, taking ownership of conflicting fields as istioctl does (force). */
  async apply(object: JsonObject): Promise<JsonObject> {
    const request = { method: 'PATCH', path: `${this.objectPath(object)}?fieldManager=${FIELD_MANAGER}&force=true`, contentType: 'application/apply-patch+yaml', body: object };
    try {
      return await this.client.json<JsonObject>(request);
    } catch (error) {
      // The emulated API server can leave list entries that an apply dropped (a Service port
      // whose allocated nodePort has no owner) half-removed and then rejects the object.
      // Replacing the object with the manifest, keeping what the server allocated, and
      // applying again gives the result a real server gives on the first apply.
      if (!(error instanceof ApiStatusError) || error.httpStatus !== 422) throw error;
      const current = await this.get(asString(object.apiVersion) ?? '', asString(object.kind) ?? '', asString(asObject(object.metadata).namespace), asString(asObject(object.metadata).name) ?? '');
      if (current === undefined) throw error;
      await this.client.json({ method: 'PUT', path: `${this.objectPath(object)}?fieldManager=${FIELD_MANAGER}`, body: withAllocations(object, current) });
      return await this.client.json<JsonObject>(request);
    }
  }

  /** Deletes an object; false when it was already gone. */
  async remove(object: JsonObject): Promise<boolean> {
    const response = await this.client.raw({ method: 'DELETE', path: `${this.objectPath(object)}?propagationPolicy=Background` });
    if (response.status === 404) return false;
    if (response.status < 200 || response.status >= 300) throw statusError(response);
    return true;
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<JsonObject | undefined> {
    const info = kindFor(apiVersion, kind);
    if (info === undefined) return undefined;
    const response = await this.client.raw({ path: `${collectionPath(info, namespace)}/${encodeURIComponent(name)}` });
    if (response.status === 404) return undefined;
    if (response.status < 200 || response.status >= 300) throw statusError(response);
    return JSON.parse(response.text) as JsonObject;
  }

  /**
   * Items of one kind, each with apiVersion and kind filled in; empty when the kind is not
   * served (its CRD is not installed). `namespace` undefined lists all namespaces.
   */
  async list(apiVersion: string, kind: string, options: { namespace?: string; labelSelector?: string } = {}): Promise<JsonObject[]> {
    const info = kindFor(apiVersion, kind);
    if (info === undefined) return [];
    const query = options.labelSelector === undefined ? '' : `?labelSelector=${encodeURIComponent(options.labelSelector)}`;
    const response = await this.client.raw({ path: `${collectionPath(info, options.namespace)}${query}` });
    if (response.status === 404) return [];
    if (response.status < 200 || response.status >= 300) throw statusError(response);
    const list = JSON.parse(response.text) as JsonObject;
    return asArray(list.items).map((item) => ({ apiVersion: info.apiVersion, kind: info.kind, ...asObject(item) }));
  }
}
