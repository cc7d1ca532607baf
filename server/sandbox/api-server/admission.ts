import type { JsonObject } from '../core/json-object.ts';
import type { ResourceType } from './resource-type.ts';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** What an admission hook sees: mutating hooks may change `object` in place; throwing a StatusError rejects. */
export interface AdmissionRequest {
  operation: AdmissionOperation;
  type: ResourceType;
  namespace: string;
  name: string;
  subresource: string;
  object: JsonObject | undefined;
  oldObject: Readonly<JsonObject> | undefined;
  dryRun: boolean;
  user: string;
}

export interface AdmissionHook {
  /** Shown in errors and used to remove the hook. */
  name: string;
  admit(request: AdmissionRequest): void;
}

/** Ordered mutating then validating hooks, run before anything reaches storage. */
export class AdmissionChain {
  readonly mutating: AdmissionHook[] = [];
  readonly validating: AdmissionHook[] = [];

  addMutating(hook: AdmissionHook): () => void {
    this.mutating.push(hook);
    return () => this.mutating.splice(this.mutating.indexOf(hook), 1);
  }

  addValidating(hook: AdmissionHook): () => void {
    this.validating.push(hook);
    return () => this.validating.splice(this.validating.indexOf(hook), 1);
  }

  mutate(request: AdmissionRequest): void {
    for (const hook of this.mutating) hook.admit(request);
  }

  validate(request: AdmissionRequest): void {
    for (const hook of this.validating) hook.admit(request);
  }
}
