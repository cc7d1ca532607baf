import type { ClusterApi, WriteOptions } from '../api-server/cluster-api.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asObject, type JsonObject } from '../core/json-object.ts';
import type { Rng } from '../core/rng.ts';
import { StatusError } from '../core/status-error.ts';
import type { Profile } from './profiles.ts';
import type { WorkQueue } from './work-queue.ts';

/** What every controller gets: the API, timings, a queue, and small typed accessors. */
export interface ControllerContext {
  api: ClusterApi;
  rng: Rng;
  profile: Profile;
  queue: WorkQueue;
  types: {
    namespaces: ResourceType;
    nodes: ResourceType;
    pods: ResourceType;
    services: ResourceType;
    endpoints: ResourceType;
    endpointSlices: ResourceType;
    serviceAccounts: ResourceType;
    configMaps: ResourceType;
    events: ResourceType;
    deployments: ResourceType;
    replicaSets: ResourceType;
    jobs: ResourceType;
  };
}

export function contextTypes(api: ClusterApi): ControllerContext['types'] {
  return {
    namespaces: api.resource('', 'v1', 'namespaces'),
    nodes: api.resource('', 'v1', 'nodes'),
    pods: api.resource('', 'v1', 'pods'),
    services: api.resource('', 'v1', 'services'),
    endpoints: api.resource('', 'v1', 'endpoints'),
    endpointSlices: api.resource('discovery.k8s.io', 'v1', 'endpointslices'),
    serviceAccounts: api.resource('', 'v1', 'serviceaccounts'),
    configMaps: api.resource('', 'v1', 'configmaps'),
    events: api.resource('', 'v1', 'events'),
    deployments: api.resource('apps', 'v1', 'deployments'),
    replicaSets: api.resource('apps', 'v1', 'replicasets'),
    jobs: api.resource('batch', 'v1', 'jobs'),
  };
}

export const meta = (object: JsonObject | Readonly<JsonObject>): JsonObject => asObject(object.metadata);
export const nameOf = (object: JsonObject | Readonly<JsonObject>): string => String(meta(object).name ?? '');
export const namespaceOf = (object: JsonObject | Readonly<JsonObject>): string => String(meta(object).namespace ?? '');
export const uidOf = (object: JsonObject | Readonly<JsonObject>): string => String(meta(object).uid ?? '');

/** A controller ownerReference, as the real controllers set it. */
export function controllerRef(apiVersion: string, kind: string, owner: JsonObject): JsonObject {
  return { apiVersion, kind, name: nameOf(owner), uid: uidOf(owner), controller: true, blockOwnerDeletion: true };
}

export function isOwnedBy(object: JsonObject | Readonly<JsonObject>, owner: JsonObject | Readonly<JsonObject>): boolean {
  const uid = uidOf(owner);
  return (Array.isArray(meta(object).ownerReferences) ? (meta(object).ownerReferences as unknown[]) : []).some((ref) => asObject(ref).uid === uid);
}

/** Ignores "already gone" and "changed meanwhile": the next change re-queues the work. */
export function tolerant<T>(write: () => T): T | undefined {
  try {
    return write();
  } catch (error) {
    if (error instanceof StatusError && (error.code === 404 || error.code === 409)) return undefined;
    throw error;
  }
}

export const asController = (manager: string): WriteOptions => ({ fieldManager: manager, user: `system:serviceaccount:kube-system:${manager}` });

/** Whether an object has a controller ownerReference (orphans have none and can be adopted). */
export function hasController(object: JsonObject | Readonly<JsonObject>): boolean {
  return (Array.isArray(meta(object).ownerReferences) ? (meta(object).ownerReferences as unknown[]) : []).some((ref) => asObject(ref).controller === true);
}
