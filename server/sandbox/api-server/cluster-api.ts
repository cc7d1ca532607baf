import { parse as parseYaml } from 'yaml';
import type { Clock } from '../core/clock.ts';
import { asArray, asObject, childObject, deepClone, deepEqual, isJsonObject, type JsonObject } from '../core/json-object.ts';
import { validateLabelKey, validateLabelValue, validateName } from '../core/name-validation.ts';
import type { Rng } from '../core/rng.ts';
import { StatusError, type StatusCause } from '../core/status-error.ts';
import { AdmissionChain, type AdmissionOperation } from './admission.ts';
import { customResourceTypes, establishedStatus } from './custom-resource-types.ts';
import { applyCreateDefaults, applyWriteDefaults, type DefaultingContext } from './defaulting.ts';
import { matchesFields, parseFieldSelector, type FieldRequirement } from './field-selector.ts';
import { fromEventsV1, toEventsV1 } from './event-versions.ts';
import { fromHpaV1, isHpaV1, toHpaV1 } from './hpa-versions.ts';
import { applyJsonPatch, JsonPatchError } from './json-patch.ts';
import { validateKind } from './kind-validation.ts';
import { formatLabelSelector, labelSelectorFromObject, matchesLabels, parseLabelSelector, SelectorParseError, type LabelSelector } from './label-selector.ts';
import { changedPaths, leafPaths } from './field-ownership.ts';
import { applyOwnership, ownable, recordOwnership } from './server-side-apply.ts';
import { applyMergePatch } from './merge-patch.ts';
import { goDecodeError } from './go-decode-check.ts';
import { kindSchema } from './openapi-documents.ts';
import { ObjectStore, StoreFullError, type StoreChange, type StoreSnapshot } from './object-store.ts';
import { ResourceRegistry } from './resource-registry.ts';
import { apiVersionOf, type ResourceType } from './resource-type.ts';
import { RbacAuthorizer } from './rbac-authorizer.ts';
import { limitRangeAdmission } from './limit-range-admission.ts';
import { resourceQuotaAdmission } from './resource-quota-admission.ts';
import { checkSchema, pruneUnknown } from './schema-checker.ts';
import { applySchemaDefaults } from './schema-defaults.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  user?: string;
  /** Server-side apply: take over conflicting fields. */
  force?: boolean;
}

export interface WriteResult {
  object: JsonObject;
  warnings: string[];
  /** True when a create happened (POST, or apply of a new object): HTTP 201. */
  created: boolean;
}

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: JsonObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: JsonObject;
}

export interface WatchQuery {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** Resources whose DELETE answers with the object rather than a Success Status. */
const RETURNS_DELETED_OBJECT = new Set(['/pods', '/services', '/namespaces', 'apiextensions.k8s.io/customresourcedefinitions']);

/** What the API keeps beside the store: issued tokens and allocations. */
export interface ApiSnapshot {
  store: StoreSnapshot;
  issuedTokens: Array<[string, { namespace: string; name: string; uid: string; expires: number }]>;
  clusterIPs: string[];
  nodePorts: number[];
}

export interface ClusterApiOptions {
  clock: Clock;
  rng: Rng;
  store?: ObjectStore;
  registry?: ResourceRegistry;
  /** Service cluster IP range start (the /16 below 10.96.0.0/12 the allocator uses). */
  serviceCidrPrefix?: string;
}

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function metaOf(object: JsonObject): JsonObject {
  return childObject(object, 'metadata');
}

function qualified(type: ResourceType): { group: string; resource: string } {
  return { group: type.group, resource: type.plural };
}

function hasStatusSubresource(type: ResourceType): boolean {
  return type.subresources.some((sub) => sub.name === 'status');
}

/** Everything but metadata and status: a change here bumps metadata.generation. */
function specPart(object: Readonly<JsonObject>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) if (key !== 'metadata' && key !== 'status' && key !== 'apiVersion' && key !== 'kind') out[key] = value;
  return out;
}

/** Compares objects ignoring what every write rewrites. */
function sameContent(a: Readonly<JsonObject>, b: Readonly<JsonObject>): boolean {
  const strip = (object: Readonly<JsonObject>): JsonObject => {
    const copy = deepClone(object) as JsonObject;
    const meta = asObject(copy.metadata);
    delete meta.resourceVersion;
    delete meta.managedFields;
    return copy;
  };
  return deepEqual(strip(a), strip(b));
}

/** Go's omitempty: empty metadata maps and lists are not stored (they never reach clients). */
function dropEmptyMetadata(object: JsonObject): void {
  const meta = metaOf(object);
  for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences']) {
    const value = meta[key];
    if (value === null || (Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0)) delete meta[key];
  }
}

/**
 * The cluster's API: CRUD with admission, validation and defaulting, subresources, selectors,
 * and watches. The HTTP layer and the in-process controllers both go through here.
 */
export class ClusterApi {
  readonly store: ObjectStore;
  readonly registry: ResourceRegistry;
  readonly admission = new AdmissionChain();
  readonly authorizer: RbacAuthorizer;
  /** ServiceAccount tokens issued through `serviceaccounts/<name>/token`, valid while the account lives. */
  readonly issuedTokens = new Map<string, { namespace: string; name: string; uid: string; expires: number }>();
  readonly clock: Clock;
  readonly rng: Rng;
  #usedClusterIPs = new Set<string>();
  #usedNodePorts = new Set<number>();

  constructor(options: ClusterApiOptions) {
    this.clock = options.clock;
    this.rng = options.rng;
    this.store = options.store ?? new ObjectStore();
    this.registry = options.registry ?? new ResourceRegistry();
    this.authorizer = new RbacAuthorizer(this.store);
    // Built-in plugins come before any webhook, as in the real API server.
    this.admission.addMutating(limitRangeAdmission(this.store));
    this.admission.addValidating(resourceQuotaAdmission(this.store, this.registry));
    // CRDs are served as soon as they are stored, and stop being served when they go.
    this.store.subscribe((change) => this.#onChange(change));
  }

  // ---- lookups -------------------------------------------------------------

  now(): string {
    return rfc3339(this.clock.now());
  }

  resource(group: string, version: string, plural: string): ResourceType {
    const type = this.registry.find(group, version, plural);
    if (type === undefined) throw StatusError.pathNotFound();
    return type;
  }

  /** The resource type for an apiVersion + kind pair (`apps/v1`, `Deployment`). */
  resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash === -1 ? '' : apiVersion.slice(0, slash);
    const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
    return this.registry.findKind(group, version, kind);
  }

  /** Sets apiVersion/kind of the served version on a copy of a stored object. */
  present(type: ResourceType, object: Readonly<JsonObject>): JsonObject {
    const copy = deepClone(object) as JsonObject;
    if (type.group === 'events.k8s.io') return toEventsV1(copy);
    if (isHpaV1(type)) return toHpaV1(copy);
    const { apiVersion: _apiVersion, kind: _kind, ...rest } = copy;
    return { apiVersion: apiVersionOf(type), kind: type.kind, ...rest };
  }

  get(type: ResourceType, namespace: string, name: string): JsonObject {
    const found = this.store.get(type.storageKey, type.namespaced ? namespace : '', name);
    if (found === undefined) throw StatusError.notFound(qualified(type), name);
    return this.present(type, found);
  }

  tryGet(type: ResourceType, namespace: string, name: string): JsonObject | undefined {
    const found = this.store.get(type.storageKey, type.namespaced ? namespace : '', name);
    return found === undefined ? undefined : this.present(type, found);
  }

  #selectors(type: ResourceType, query: { labelSelector?: string; fieldSelector?: string }): { labels: LabelSelector; fields: FieldRequirement[] } {
    try {
      return {
        labels: query.labelSelector ? parseLabelSelector(query.labelSelector) : [],
        fields: query.fieldSelector ? parseFieldSelector(query.fieldSelector, type.kind) : [],
      };
    } catch (error) {
      if (error instanceof SelectorParseError) throw StatusError.badRequest(error.message);
      throw error;
    }
  }

  #matches(selectors: { labels: LabelSelector; fields: FieldRequirement[] }, object: Readonly<JsonObject>): boolean {
    return matchesLabels(selectors.labels, asObject(asObject(object.metadata).labels)) && matchesFields(selectors.fields, object as JsonObject);
  }

  list(type: ResourceType, namespace: string | undefined, query: ListQuery = {}): ListResult {
    const selectors = this.#selectors(type, query);
    const all = this.store.list(type.storageKey, type.namespaced ? namespace : undefined).filter((object) => this.#matches(selectors, object));
    let offset = 0;
    if (query.continueToken) {
      try {
        const decoded = JSON.parse(Buffer.from(query.continueToken, 'base64').toString('utf8')) as { offset?: unknown };
        offset = typeof decoded.offset === 'number' ? decoded.offset : 0;
      } catch {
        throw StatusError.badRequest('continue key is not valid: illegal base64 data at input byte 0');
      }
    }
    const limit = query.limit !== undefined && query.limit > 0 ? query.limit : all.length;
    const page = all.slice(offset, offset + limit);
    const result: ListResult = { items: page.map((object) => this.present(type, object)), resourceVersion: String(this.store.resourceVersion) };
    if (offset + limit < all.length) {
      result.continueToken = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: this.store.resourceVersion, offset: offset + limit })).toString('base64');
      result.remainingItemCount = all.length - offset - limit;
    }
    return result;
  }

  // ---- writes --------------------------------------------------------------

  #defaultingContext(): DefaultingContext {
    return {
      rng: this.rng,
      allocateClusterIP: () => {
        for (;;) {
          const ip = `10.96.${this.rng.int(256)}.${1 + this.rng.int(254)}`;
          if (!this.#usedClusterIPs.has(ip) && ip !== '10.96.0.1' && ip !== '10.96.0.10') {
            this.#usedClusterIPs.add(ip);
            return ip;
          }
        }
      },
      allocateNodePort: () => {
        for (;;) {
          const port = 30000 + this.rng.int(2768);
          if (!this.#usedNodePorts.has(port)) {
            this.#usedNodePorts.add(port);
            return port;
          }
        }
      },
    };
  }

  /** Unknown fields: rejected (Strict), reported (Warn) or ignored; dropped in every case. */
  #checkFields(type: ResourceType, object: JsonObject, validation: FieldValidation, warnings: string[]): void {
    const { name: definition, node, definitions } = kindSchema(type);
    if (type.custom === undefined) {
      // A value of the wrong JSON type fails decoding before anything else is looked at.
      const decodeError = goDecodeError(node, definition, `${type.version}.${type.kind}`, object, definitions);
      if (decodeError !== undefined) throw StatusError.badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${decodeError}`);
    }
    if (type.custom !== undefined) applySchemaDefaults(node, object, definitions);
    const findings = checkSchema(node, object, definitions, { checkValues: type.custom !== undefined });
    if (findings.unknownFields.length > 0) {
      if (validation === 'Strict') {
        const list = findings.unknownFields.map((path) => `unknown field "${path}"`).join(', ');
        throw StatusError.badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${list}`);
      }
      if (validation === 'Warn') for (const path of findings.unknownFields) warnings.push(`unknown field "${path}"`);
      pruneUnknown(node, object, definitions, findings.unknownFields);
    }
    if (findings.nullFields.length > 0) pruneUnknown(node, object, definitions, findings.nullFields);
    if (findings.causes.length > 0) {
      throw StatusError.invalid(type.kind, type.group, String(metaOf(object).name ?? ''), findings.causes);
    }
  }

  #checkTypeMeta(type: ResourceType, object: JsonObject): void {
    if (typeof object.apiVersion === 'string' && object.apiVersion !== apiVersionOf(type)) {
      const other = this.resourceForKind(object.apiVersion, String(object.kind ?? ''));
      if (other === undefined || other.storageKey !== type.storageKey) {
        throw StatusError.badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersionOf(type)})`);
      }
    }
    if (typeof object.kind === 'string' && object.kind !== type.kind) {
      throw StatusError.badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: no kind "${object.kind}" is registered for version "${apiVersionOf(type)}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
    }
  }

  #checkNamespace(type: ResourceType, namespace: string, object: JsonObject, operation: AdmissionOperation): void {
    const meta = metaOf(object);
    if (!type.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
      throw StatusError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = namespace;
    if (operation !== 'CREATE') return;
    const ns = this.store.get('/namespaces', '', namespace);
    if (ns === undefined) throw StatusError.notFound({ group: '', resource: 'namespaces' }, namespace);
    if (asObject(ns.metadata).deletionTimestamp !== undefined) {
      throw StatusError.forbidden(qualified(type), String(meta.name ?? ''), `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  #validate(type: ResourceType, object: JsonObject): void {
    const meta = metaOf(object);
    const name = String(meta.name ?? '');
    const causes: StatusCause[] = [];
    for (const problem of validateName(name, type.nameRule)) {
      causes.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${name}": ${problem}` });
    }
    for (const [key, value] of Object.entries(asObject(meta.labels))) {
      for (const problem of validateLabelKey(key)) causes.push({ reason: 'FieldValueInvalid', field: 'metadata.labels', message: `Invalid value: "${key}": ${problem}` });
      if (typeof value !== 'string') continue;
      for (const problem of validateLabelValue(value)) causes.push({ reason: 'FieldValueInvalid', field: 'metadata.labels', message: `Invalid value: "${value}": ${problem}` });
    }
    causes.push(...validateKind(type, object));
    if (causes.length > 0) throw StatusError.invalid(type.kind, type.group, name, causes);
  }

  #admit(operation: AdmissionOperation, type: ResourceType, namespace: string, object: JsonObject | undefined, oldObject: Readonly<JsonObject> | undefined, options: WriteOptions, subresource: string, phase: 'mutate' | 'validate'): void {
    const request = {
      operation,
      type,
      namespace,
      name: String(asObject((object ?? oldObject)?.metadata).name ?? ''),
      subresource,
      object,
      oldObject,
      dryRun: options.dryRun === true,
      user: options.user ?? 'system:admin',
    };
    if (phase === 'mutate') this.admission.mutate(request);
    else this.admission.validate(request);
  }

  #manage(type: ResourceType, object: JsonObject, previous: unknown, options: WriteOptions, operation: 'Apply' | 'Update', subresource: string, owned: Set<string>, takeFromOthers: Set<string>): void {
    const entries = recordOwnership({ apiVersion: apiVersionOf(type), previous, manager: options.fieldManager ?? 'unknown', operation, subresource, owned, takeFromOthers, time: this.now() });
    if (entries.length === 0) delete metaOf(object).managedFields;
    else metaOf(object).managedFields = entries;
  }

  #put(type: ResourceType, object: JsonObject): JsonObject {
    try {
      return this.present(type, this.store.put(type.storageKey, object));
    } catch (error) {
      // 429 without Retry-After: clients report it at once instead of retrying a full store.
      if (error instanceof StoreFullError) throw new StatusError(429, 'TooManyRequests', error.message);
      throw error;
    }
  }

  create(type: ResourceType, namespace: string, body: unknown, options: WriteOptions = {}): WriteResult {
    return this.#create(type, namespace, body, options, 'Update');
  }

  #create(type: ResourceType, namespace: string, body: unknown, options: WriteOptions, operation: 'Apply' | 'Update'): WriteResult {
    if (!isJsonObject(body)) throw StatusError.badRequest(`Object '${type.kind}' is missing in 'null'`);
    if (type.group === 'events.k8s.io') {
      const result = this.#create(this.#coreEvents(), namespace, fromEventsV1(deepClone(body)), options, operation);
      return { ...result, object: this.present(type, result.object) };
    }
    if (isHpaV1(type)) {
      const result = this.#create(this.#hpaV2(), namespace, fromHpaV1(deepClone(body)), options, operation);
      return { ...result, object: this.present(type, result.object) };
    }
    const warnings: string[] = [];
    const object = deepClone(body);
    this.#checkTypeMeta(type, object);
    this.#checkFields(type, object, options.fieldValidation ?? 'Ignore', warnings);
    const sent = new Set(leafPaths(ownable(object, '')).keys());
    const meta = metaOf(object);
    if ((meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '') {
      meta.name = `${meta.generateName}${this.rng.nameSuffix(5)}`;
    }
    if (meta.name === undefined || meta.name === '') {
      throw StatusError.invalid(type.kind, type.group, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    }
    const name = String(meta.name);
    this.#checkNamespace(type, namespace, object, 'CREATE');
    for (const key of ['resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'managedFields']) delete meta[key];
    meta.uid = this.rng.uid();
    meta.creationTimestamp = this.now();
    if (type.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    if (hasStatusSubresource(type) && type.kind !== 'Namespace') delete object.status;
    applyCreateDefaults(type, object, this.#defaultingContext());
    applyWriteDefaults(type, object);
    if (type.kind === 'CustomResourceDefinition') object.status = establishedStatus(object, this.now());
    dropEmptyMetadata(object);
    this.#admit('CREATE', type, namespace, object, undefined, options, '', 'mutate');
    this.#validate(type, object);
    this.#admit('CREATE', type, namespace, object, undefined, options, '', 'validate');
    if (this.store.get(type.storageKey, type.namespaced ? namespace : '', name) !== undefined) {
      throw StatusError.alreadyExists(qualified(type), name);
    }
    this.#manage(type, object, undefined, options, operation, '', sent, new Set());
    if (options.dryRun === true) return { object: this.present(type, object), warnings, created: true };
    return { object: this.#put(type, object), warnings, created: true };
  }

  /** PUT of the object or of its `status` subresource. */
  update(type: ResourceType, namespace: string, name: string, body: unknown, options: WriteOptions = {}, subresource = ''): WriteResult {
    if (!isJsonObject(body)) throw StatusError.badRequest(`Object '${type.kind}' is missing in 'null'`);
    const existing = this.store.get(type.storageKey, type.namespaced ? namespace : '', name);
    if (existing === undefined) throw StatusError.notFound(qualified(type), name);
    return this.#replace(type, namespace, name, existing, deepClone(body), options, subresource, 'Update', undefined);
  }

  #hpaV2(): ResourceType {
    return this.resource('autoscaling', 'v2', 'horizontalpodautoscalers');
  }

  #coreEvents(): ResourceType {
    return this.resource('', 'v1', 'events');
  }

  #replace(type: ResourceType, namespace: string, name: string, existing: Readonly<JsonObject>, object: JsonObject, options: WriteOptions, subresource: string, operation: 'Apply' | 'Update', applied: { owned: Set<string>; taken: Set<string> } | undefined): WriteResult {
    if (type.group === 'events.k8s.io') {
      const result = this.#replace(this.#coreEvents(), namespace, name, existing, fromEventsV1(object), options, subresource, operation, applied);
      return { ...result, object: this.present(type, result.object) };
    }
    if (isHpaV1(type)) {
      // Metrics v1 cannot show (all but the CPU target) stay as stored.
      const converted = fromHpaV1(object);
      const storedMetrics = asArray(asObject(existing.spec).metrics).map(asObject).filter((m) => !(m.type === 'Resource' && asObject(m.resource).name === 'cpu'));
      if (storedMetrics.length > 0) childObject(converted, 'spec').metrics = [...asArray(asObject(converted.spec).metrics), ...storedMetrics];
      const result = this.#replace(this.#hpaV2(), namespace, name, existing, converted, options, subresource, operation, applied);
      return { ...result, object: this.present(type, result.object) };
    }
    const warnings: string[] = [];
    this.#checkTypeMeta(type, object);
    this.#checkFields(type, object, options.fieldValidation ?? 'Ignore', warnings);
    const meta = metaOf(object);
    if (meta.name !== undefined && meta.name !== name) {
      throw StatusError.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
    }
    meta.name = name;
    this.#checkNamespace(type, namespace, object, 'UPDATE');
    const oldMeta = asObject(existing.metadata);
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '' && meta.resourceVersion !== oldMeta.resourceVersion) {
      throw StatusError.modified(qualified(type), name);
    }
    if (meta.uid !== undefined && meta.uid !== '' && meta.uid !== oldMeta.uid) {
      throw StatusError.conflict(qualified(type), name, `Precondition failed: UID in precondition: ${String(meta.uid)}, UID in object meta: ${String(oldMeta.uid)}`);
    }
    let next: JsonObject;
    if (subresource === 'status') {
      // Status writes change only status; everything else stays as stored.
      next = deepClone(existing) as JsonObject;
      if (object.status === undefined) delete next.status;
      else next.status = object.status;
    } else {
      next = object;
      if (hasStatusSubresource(type) && type.kind !== 'Namespace') {
        if (existing.status === undefined) delete next.status;
        else next.status = deepClone(existing.status);
      }
      const nextMeta = metaOf(next);
      for (const key of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation']) {
        if (oldMeta[key] === undefined) delete nextMeta[key];
        else nextMeta[key] = oldMeta[key];
      }
      if (type.kind === 'Service') {
        const spec = childObject(next, 'spec');
        const oldSpec = asObject(existing.spec);
        spec.clusterIP ??= oldSpec.clusterIP;
        spec.clusterIPs ??= oldSpec.clusterIPs;
      }
      if (type.kind === 'Namespace') next.status = deepClone(existing.status);
    }
    next.apiVersion = apiVersionOf(type);
    next.kind = type.kind;
    if (type.kind !== 'Pod') applyCreateDefaults(type, next, this.#defaultingContext(), 'update');
    applyWriteDefaults(type, next);
    if (type.kind === 'CustomResourceDefinition') next.status = establishedStatus(next, String(asObject(asObject(asArray(asObject(existing.status).conditions)[0]).lastTransitionTime ?? this.now())));
    dropEmptyMetadata(next);
    this.#admit('UPDATE', type, namespace, next, existing, options, subresource, 'mutate');
    if (type.tracksGeneration && !deepEqual(specPart(next), specPart(existing))) {
      metaOf(next).generation = Number(oldMeta.generation ?? 0) + 1;
    }
    this.#validate(type, next);
    this.#admit('UPDATE', type, namespace, next, existing, options, subresource, 'validate');
    metaOf(next).resourceVersion = oldMeta.resourceVersion;
    metaOf(next).managedFields = oldMeta.managedFields;
    if (sameContent(next, existing)) return { object: this.present(type, existing), warnings, created: false };
    if (applied !== undefined) {
      this.#manage(type, next, oldMeta.managedFields, options, 'Apply', subresource, applied.owned, applied.taken);
    } else {
      const changed = changedPaths(ownable(existing, subresource), ownable(next, subresource));
      this.#manage(type, next, oldMeta.managedFields, options, operation, subresource, changed, changed);
    }
    if (options.dryRun === true) return { object: this.present(type, next), warnings, created: false };
    // Removing the last finalizer of an object being deleted completes the deletion.
    const nextMeta = metaOf(next);
    if (nextMeta.deletionTimestamp !== undefined && asArray(nextMeta.finalizers).length === 0 && !this.#hasNamespaceFinalizers(type, next)) {
      if (type.kind !== 'Pod' || nextMeta.deletionGracePeriodSeconds === 0) {
        this.store.remove(type.storageKey, type.namespaced ? namespace : '', name);
        return { object: this.present(type, next), warnings, created: false };
      }
    }
    return { object: this.#put(type, next), warnings, created: false };
  }

  #hasNamespaceFinalizers(type: ResourceType, object: Readonly<JsonObject>): boolean {
    return type.kind === 'Namespace' && type.group === '' && asArray(asObject(object.spec).finalizers).length > 0;
  }

  patch(type: ResourceType, namespace: string, name: string, patchType: PatchType, body: Buffer | string, options: WriteOptions = {}, subresource = ''): WriteResult {
    if (patchType === 'strategic' && type.custom !== undefined) {
      throw StatusError.unsupportedMediaType(
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      );
    }
    const text = typeof body === 'string' ? body : body.toString('utf8');
    let patch: unknown;
    try {
      patch = patchType === 'apply' ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
    } catch (error) {
      throw StatusError.badRequest(`error decoding patch: ${(error as Error).message}`);
    }
    const existing = this.store.get(type.storageKey, type.namespaced ? namespace : '', name);
    if (patchType === 'apply') {
      if (!isJsonObject(patch)) throw StatusError.badRequest('error decoding YAML: object expected');
      if (existing === undefined) {
        return this.#create(type, namespace, { ...patch, metadata: { ...asObject(patch.metadata), name } }, options, 'Apply');
      }
    }
    if (existing === undefined) throw StatusError.notFound(qualified(type), name);
    if (subresource === 'scale') return this.#patchScale(type, namespace, name, existing, patchType, patch, options);
    const current = this.present(type, existing);
    let next: unknown;
    try {
      switch (patchType) {
        case 'json': next = applyJsonPatch(current, patch); break;
        case 'merge': next = applyMergePatch(current, patch); break;
        case 'strategic': next = applyStrategicMergePatch(current, patch); break;
        case 'apply': next = applyStrategicMergePatch(current, patch); break;
      }
    } catch (error) {
      if (error instanceof JsonPatchError) throw new StatusError(422, 'Invalid', error.message);
      throw error;
    }
    if (!isJsonObject(next)) throw StatusError.badRequest('the patch did not produce an object');
    let applied: { owned: Set<string>; taken: Set<string> } | undefined;
    if (patchType === 'apply' && isJsonObject(patch)) applied = applyOwnership({ type, name, existing, applied: patch, merged: next, manager: options.fieldManager ?? 'unknown', force: options.force === true });
    const nextMeta = metaOf(next);
    const patchMeta = isJsonObject(patch) ? asObject(patch.metadata) : {};
    // Only a resourceVersion in the patch itself is a precondition.
    if (patchMeta.resourceVersion === undefined) nextMeta.resourceVersion = asObject(existing.metadata).resourceVersion;
    return this.#replace(type, namespace, name, existing, next, options, subresource, patchType === 'apply' ? 'Apply' : 'Update', applied);
  }

  // ---- scale subresource ---------------------------------------------------

  scaleOf(type: ResourceType, object: Readonly<JsonObject>): JsonObject {
    const meta = asObject(object.metadata);
    const selector = formatLabelSelector(labelSelectorFromObject(asObject(object.spec).selector));
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
      spec: { replicas: asObject(object.spec).replicas ?? 0 },
      status: { replicas: asObject(object.status).replicas ?? 0, ...(selector === '' ? {} : { selector }) },
    };
  }

  getScale(type: ResourceType, namespace: string, name: string): JsonObject {
    return this.scaleOf(type, this.get(type, namespace, name));
  }

  updateScale(type: ResourceType, namespace: string, name: string, body: unknown, options: WriteOptions = {}): WriteResult {
    const existing = this.store.get(type.storageKey, type.namespaced ? namespace : '', name);
    if (existing === undefined) throw StatusError.notFound(qualified(type), name);
    const replicas = asObject(asObject(body).spec).replicas;
    return this.#applyScale(type, namespace, name, existing, replicas, asObject(asObject(body).metadata).resourceVersion, options);
  }

  #patchScale(type: ResourceType, namespace: string, name: string, existing: Readonly<JsonObject>, patchType: PatchType, patch: unknown, options: WriteOptions): WriteResult {
    const scale = this.scaleOf(type, existing);
    const next = patchType === 'json' ? applyJsonPatch(scale, patch) : applyMergePatch(scale, patch);
    return this.#applyScale(type, namespace, name, existing, asObject(asObject(next).spec).replicas, undefined, options);
  }

  #applyScale(type: ResourceType, namespace: string, name: string, existing: Readonly<JsonObject>, replicas: unknown, resourceVersion: unknown, options: WriteOptions): WriteResult {
    if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
      throw StatusError.invalid('Scale', 'autoscaling', name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0` }]);
    }
    const next = deepClone(existing) as JsonObject;
    childObject(next, 'spec').replicas = replicas;
    if (typeof resourceVersion === 'string' && resourceVersion !== '') metaOf(next).resourceVersion = resourceVersion;
    const result = this.#replace(type, namespace, name, existing, next, options, '', 'Update', undefined);
    return { ...result, object: this.scaleOf(type, result.object) };
  }

  // ---- delete --------------------------------------------------------------

  delete(type: ResourceType, namespace: string, name: string, options: DeleteOptions = {}): { object: JsonObject; deleted: boolean } {
    const ns = type.namespaced ? namespace : '';
    const existing = this.store.get(type.storageKey, ns, name);
    if (existing === undefined) throw StatusError.notFound(qualified(type), name);
    const meta = asObject(existing.metadata);
    if (options.preconditions?.uid !== undefined && options.preconditions.uid !== meta.uid) {
      throw StatusError.conflict(qualified(type), name, `Precondition failed: UID in precondition: ${options.preconditions.uid}, UID in object meta: ${String(meta.uid)}`);
    }
    if (options.preconditions?.resourceVersion !== undefined && options.preconditions.resourceVersion !== meta.resourceVersion) {
      throw StatusError.conflict(qualified(type), name, `Precondition failed: ResourceVersion in precondition: ${options.preconditions.resourceVersion}, ResourceVersion in object meta: ${String(meta.resourceVersion)}`);
    }
    const writeOptions: WriteOptions = { dryRun: options.dryRun === true };
    this.#admit('DELETE', type, namespace, undefined, existing, writeOptions, '', 'validate');
    const next = deepClone(existing) as JsonObject;
    const nextMeta = metaOf(next);
    const finalizers = asArray(nextMeta.finalizers).map(String);
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (options.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    const podGrace = type.kind === 'Pod' && type.group === '' && typeof asObject(existing.spec).nodeName === 'string' && asObject(existing.status).phase !== 'Succeeded' && asObject(existing.status).phase !== 'Failed'
      ? options.gracePeriodSeconds ?? Number(asObject(existing.spec).terminationGracePeriodSeconds ?? 30)
      : 0;
    const graceful = finalizers.length > 0 || podGrace > 0 || this.#hasNamespaceFinalizers(type, existing);
    if (!graceful) {
      if (options.dryRun === true) return { object: this.present(type, existing), deleted: true };
      const last = this.store.remove(type.storageKey, ns, name);
      return { object: this.present(type, last ?? existing), deleted: true };
    }
    if (meta.deletionTimestamp !== undefined && finalizers.length === asArray(meta.finalizers).length) {
      return { object: this.present(type, existing), deleted: false };
    }
    if (finalizers.length > 0) nextMeta.finalizers = finalizers;
    nextMeta.deletionTimestamp ??= rfc3339(this.clock.now() + podGrace * 1000);
    nextMeta.deletionGracePeriodSeconds ??= podGrace;
    if (type.kind === 'Namespace' && type.group === '') childObject(next, 'status').phase = 'Terminating';
    if (options.dryRun === true) return { object: this.present(type, next), deleted: false };
    return { object: this.#put(type, next), deleted: false };
  }

  /** The DELETE response body: the object for some resources, a Success Status for the rest. */
  deleteResponse(type: ResourceType, result: { object: JsonObject; deleted: boolean }): JsonObject {
    if (!result.deleted || RETURNS_DELETED_OBJECT.has(type.storageKey) || type.custom !== undefined) return result.object;
    const meta = asObject(result.object.metadata);
    const details: JsonObject = { name: meta.name, kind: type.plural, uid: meta.uid };
    if (type.group !== '') details.group = type.group;
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
  }

  // ---- watch ---------------------------------------------------------------

  /** Streams changes; replays history after `resourceVersion` or sends ADDED for what exists. */
  watch(type: ResourceType, namespace: string | undefined, query: WatchQuery, onEvent: (event: WatchEvent) => void): () => void {
    const selectors = this.#selectors(type, query);
    const inScope = (change: StoreChange): boolean =>
      change.storageKey === type.storageKey && (!type.namespaced || namespace === undefined || change.namespace === namespace);
    const deliver = (change: StoreChange): void => {
      if (!inScope(change)) return;
      const now = this.#matches(selectors, change.object);
      const before = change.oldObject !== undefined && change.type === 'MODIFIED' && this.#matches(selectors, change.oldObject);
      let eventType: WatchEvent['type'] | undefined;
      if (change.type === 'MODIFIED') eventType = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
      else if (now) eventType = change.type;
      if (eventType !== undefined) onEvent({ type: eventType, object: this.present(type, change.object) });
    };
    const rv = query.resourceVersion;
    if (rv === undefined || rv === '' || rv === '0') {
      for (const object of this.store.list(type.storageKey, type.namespaced ? namespace : undefined)) {
        if (this.#matches(selectors, object)) onEvent({ type: 'ADDED', object: this.present(type, object) });
      }
    } else {
      const since = Number(rv);
      if (!Number.isFinite(since)) throw StatusError.badRequest(`invalid resource version: ${rv}`);
      const changes = this.store.changesSince(since);
      if (changes === undefined) {
        onEvent({ type: 'ERROR', object: StatusError.gone(`too old resource version: ${rv} (${this.store.oldestResumable})`).toStatus() as unknown as JsonObject });
        return () => {};
      }
      for (const change of changes) deliver(change);
    }
    return this.store.subscribe(deliver);
  }

  /**
   * The change feed: every committed change, with the served type it belongs to. Controllers
   * and the Istio layers subscribe here; listeners must not write synchronously.
   */
  onChange(listener: (change: StoreChange, type: ResourceType) => void): () => void {
    return this.store.subscribe((change) => {
      const type = this.registry.byStorageKey(change.storageKey)[0];
      if (type !== undefined) listener(change, type);
    });
  }

  // ---- snapshots -----------------------------------------------------------

  snapshot(): ApiSnapshot {
    return {
      store: this.store.snapshot(),
      issuedTokens: [...this.issuedTokens].map(([token, issued]) => [token, { ...issued }]),
      clusterIPs: [...this.#usedClusterIPs].sort(),
      nodePorts: [...this.#usedNodePorts].sort((a, b) => a - b),
    };
  }

  /** Loads a snapshot into a fresh API: objects, then the CRDs' types so their instances are served. */
  restore(snapshot: ApiSnapshot): void {
    this.store.restore(snapshot.store);
    for (const crd of this.store.list('apiextensions.k8s.io/customresourcedefinitions')) {
      this.registry.setCustom(String(asObject(crd.metadata).name ?? ''), customResourceTypes(crd as JsonObject));
    }
    for (const [token, issued] of snapshot.issuedTokens) this.issuedTokens.set(token, { ...issued });
    for (const ip of snapshot.clusterIPs) this.#usedClusterIPs.add(ip);
    for (const port of snapshot.nodePorts) this.#usedNodePorts.add(port);
  }

  // ---- custom resource definitions ----------------------------------------

  #onChange(change: StoreChange): void {
    if (change.storageKey !== 'apiextensions.k8s.io/customresourcedefinitions') return;
    const crd = change.object as JsonObject;
    const name = String(asObject(crd.metadata).name ?? '');
    if (change.type === 'DELETED') {
      const storageKeys = new Set(this.registry.all().filter((type) => type.custom?.crdName === name).map((type) => type.storageKey));
      this.registry.setCustom(name, []);
      // Instances go with their definition, after watchers have seen the CRD itself go.
      queueMicrotask(() => {
        for (const key of storageKeys) {
          for (const object of this.store.list(key)) {
            const meta = asObject(object.metadata);
            this.store.remove(key, String(meta.namespace ?? ''), String(meta.name ?? ''));
          }
        }
      });
      return;
    }
    this.registry.setCustom(name, customResourceTypes(crd));
  }
}
