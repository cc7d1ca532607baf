// The LimitRanger admission plugin, defaulting half: a pod created in a namespace with a
// LimitRange of type Container gets the range's `default` limits and `defaultRequest`
// requests on every container that does not state them. It runs first among the mutating
// hooks, as in the real API server, so sidecars injected later keep their own resources, and
// before the ResourceQuota check, so a quota on compute accepts pods that state nothing.
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import type { AdmissionHook } from './admission.ts';
import type { ObjectStore } from './object-store.ts';

const LIMIT_RANGES = '/limitranges';

function fill(target: JsonObject, defaults: JsonObject): void {
  for (const [resource, quantity] of Object.entries(defaults)) {
    if (target[resource] === undefined) target[resource] = quantity;
  }
}

export function limitRangeAdmission(store: ObjectStore): AdmissionHook {
  return {
    name: 'LimitRanger',
    admit(request) {
      if (request.operation !== 'CREATE' || request.object === undefined || request.subresource !== '' || request.type.storageKey !== '/pods') return;
      const ranges = store.list(LIMIT_RANGES, request.namespace);
      if (ranges.length === 0) return;
      const spec = asObject(request.object.spec);
      const containers = [...asArray(spec.containers), ...asArray(spec.initContainers)].map(asObject);
      for (const range of ranges) {
        for (const limit of asArray(asObject(range.spec).limits).map(asObject)) {
          if (limit.type !== 'Container') continue;
          for (const container of containers) {
            const resources = asObject(container.resources);
            const limits = asObject(resources.limits);
            const requests = asObject(resources.requests);
            fill(limits, asObject(limit.default));
            fill(requests, asObject(limit.defaultRequest));
            if (Object.keys(limits).length > 0) resources.limits = limits;
            if (Object.keys(requests).length > 0) resources.requests = requests;
            if (Object.keys(resources).length > 0) container.resources = resources;
          }
        }
      }
    },
  };
}
