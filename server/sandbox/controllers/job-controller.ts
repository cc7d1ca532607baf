import { asArray, asObject, deepClone, deepEqual, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, controllerRef, isOwnedBy, meta, nameOf, tolerant, type ControllerContext } from './controller-context.ts';
import { recordEvent } from './event-recorder.ts';
import { backOffMs } from './profiles.ts';
import { StatusError } from '../core/status-error.ts';

const MANAGER = asController('kube-controller-manager');

/** When a failed pod's last container stopped (ms), for the replacement's back-off. */
function finishedAt(pod: JsonObject): number {
  const times = asArray(asObject(pod.status).containerStatuses).map((s) => Date.parse(String(asObject(asObject(asObject(s).state).terminated).finishedAt ?? '')));
  return Math.max(0, ...times.filter((t) => !Number.isNaN(t)));
}

/** Jobs run `completions` pods to success, `parallelism` at a time, and report it. */
export function jobController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const source = { component: 'job-controller' };
  /** Jobs whose last pod create was refused: when to try again. */
  const retryAt = new Map<string, number>();

  const reconcile = (namespace: string, name: string): void => {
    const job = api.tryGet(types.jobs, namespace, name);
    if (job === undefined || meta(job).deletionTimestamp !== undefined) return;
    const spec = asObject(job.spec);
    const completions = Number(spec.completions ?? 1);
    const parallelism = Number(spec.parallelism ?? 1);
    const pods = api.list(types.pods, namespace).items.filter((pod) => isOwnedBy(pod, job));
    const succeeded = pods.filter((pod) => asObject(pod.status).phase === 'Succeeded').length;
    const failed = pods.filter((pod) => asObject(pod.status).phase === 'Failed').length;
    const active = pods.filter((pod) => !['Succeeded', 'Failed'].includes(String(asObject(pod.status).phase)) && meta(pod).deletionTimestamp === undefined);
    const done = succeeded >= completions;
    // More failed pods than backoffLimit (default 6) fail the Job; before that, each
    // replacement waits the same growing back-off as a crashing container.
    const limit = Number(spec.backoffLimit ?? 6);
    const failedJob = !done && failed > limit;
    const lastFailure = Math.max(0, ...pods.filter((pod) => asObject(pod.status).phase === 'Failed').map((pod) => finishedAt(pod)));
    const wait = failed === 0 ? 0 : lastFailure + backOffMs(failed) - api.clock.now();
    if (!done && !failedJob && spec.suspend !== true && wait > 0) {
      context.queue.add(`job-backoff/${namespace}/${name}`, () => reconcile(namespace, name), wait);
    } else if (!done && !failedJob && spec.suspend !== true) {
      const wanted = Math.min(parallelism, completions - succeeded) - active.length;
      const template = deepClone(asObject(spec.template));
      const key = `${namespace}/${name}`;
      for (let i = 0; i < wanted && (retryAt.get(key) ?? 0) <= api.clock.now(); i++) {
        let created;
        try {
          created = tolerant(() =>
            api.create(types.pods, namespace, {
              metadata: { ...asObject(template.metadata), generateName: `${name}-`, namespace, ownerReferences: [controllerRef('batch/v1', 'Job', job)] },
              spec: deepClone(asObject(template.spec)),
            }, MANAGER),
          );
        } catch (error) {
          // Admission refused the pod (a ResourceQuota, say): report it and try again later.
          if (!(error instanceof StatusError) || error.code !== 403) throw error;
          recordEvent(context, { type: types.jobs, object: job }, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, source);
          retryAt.set(key, api.clock.now() + 10_000);
          context.queue.add(`job-retry/${key}`, () => reconcile(namespace, name), 10_000);
          break;
        }
        if (created !== undefined) recordEvent(context, { type: types.jobs, object: job }, 'Normal', 'SuccessfulCreate', `Created pod: ${nameOf(created.object)}`, source);
      }
    }
    const previous = asObject(job.status);
    const now = api.now();
    const status: JsonObject = { startTime: previous.startTime ?? now, terminating: 0, uncountedTerminatedPods: {}, ready: active.filter((pod) => asArray(asObject(pod.status).conditions).some((c) => asObject(c).type === 'Ready' && asObject(c).status === 'True')).length };
    if (active.length > 0) status.active = active.length;
    if (succeeded > 0) status.succeeded = succeeded;
    if (failed > 0) status.failed = failed;
    if (failedJob) {
      status.conditions = asArray(previous.conditions).length > 0 ? previous.conditions : [
        { type: 'FailureTarget', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
        { type: 'Failed', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
      ];
      if (asArray(previous.conditions).length === 0) recordEvent(context, { type: types.jobs, object: job }, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', source);
    }
    if (done) {
      status.completionTime = previous.completionTime ?? now;
      status.conditions = asArray(previous.conditions).length > 0 ? previous.conditions : [
        { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
      ];
      if (previous.completionTime === undefined) recordEvent(context, { type: types.jobs, object: job }, 'Normal', 'Completed', 'Job completed', source);
    }
    if (!deepEqual(status, previous)) tolerant(() => api.update(types.jobs, namespace, name, { ...job, status }, MANAGER, 'status'));
  };

  const enqueue = (namespace: string, name: string): void => context.queue.add(`job/${namespace}/${name}`, () => reconcile(namespace, name));
  return (change, type) => {
    if (type.kind === 'Job' && type.group === 'batch' && change.type !== 'DELETED') enqueue(change.namespace, change.name);
    if (type.kind === 'Pod' && type.group === '') {
      for (const ref of asArray(meta(change.object as JsonObject).ownerReferences).map(asObject)) {
        if (ref.kind === 'Job' && ref.controller === true) enqueue(change.namespace, String(ref.name));
      }
    }
  };
}
