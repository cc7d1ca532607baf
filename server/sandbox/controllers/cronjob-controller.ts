import { asArray, asObject, deepClone, deepEqual, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, controllerRef, isOwnedBy, meta, nameOf, tolerant, uidOf, type ControllerContext } from './controller-context.ts';
import { CronScheduleError, nextScheduleTime, parseCronSchedule } from '../api-server/cron-schedule.ts';
import { recordEvent } from './event-recorder.ts';

const MANAGER = asController('cronjob-controller');
const SCHEDULED = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Timers further out are re-armed in steps (setTimeout's range, and virtual clocks that jump). */
const MAX_WAIT_MS = 60 * 60 * 1000;

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function finished(job: JsonObject): 'Complete' | 'Failed' | undefined {
  const done = asArray(asObject(job.status).conditions).map(asObject).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return done === undefined ? undefined : (done.type as 'Complete' | 'Failed');
}

/** CronJobs create a Job per schedule time, respect concurrencyPolicy, and keep limited history. */
export function cronJobController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const cronJobs = api.resource('batch', 'v1', 'cronjobs');
  const source = { component: 'cronjob-controller' };

  const reconcile = (namespace: string, name: string): void => {
    const cronJob = api.tryGet(cronJobs, namespace, name);
    if (cronJob === undefined || meta(cronJob).deletionTimestamp !== undefined) return;
    const spec = asObject(cronJob.spec);
    const previous = asObject(cronJob.status);
    const now = api.clock.now();
    const owned = api.list(types.jobs, namespace).items.filter((job) => isOwnedBy(job, cronJob));
    const wasActive = new Set(asArray(previous.active).map((ref) => String(asObject(ref).uid)));
    for (const job of owned) {
      const outcome = finished(job);
      if (outcome !== undefined && wasActive.has(uidOf(job))) recordEvent(context, { type: cronJobs, object: cronJob }, 'Normal', 'SawCompletedJob', `Saw completed job: ${nameOf(job)}, condition: ${outcome}`, source);
    }
    let active = owned.filter((job) => finished(job) === undefined && meta(job).deletionTimestamp === undefined);
    let schedule;
    try {
      schedule = parseCronSchedule(String(spec.schedule ?? ''));
    } catch (error) {
      if (!(error instanceof CronScheduleError)) throw error;
      recordEvent(context, { type: cronJobs, object: cronJob }, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${String(spec.schedule)}" : ${error.message}`, source);
      return;
    }
    const timeZone = typeof spec.timeZone === 'string' ? spec.timeZone : undefined;
    const since = Date.parse(String(previous.lastScheduleTime ?? meta(cronJob).creationTimestamp ?? ''));
    // Only the most recent missed time runs, as the real controller does after downtime.
    let due: number | undefined;
    for (let t = nextScheduleTime(schedule, since, timeZone); t !== undefined && t <= now; t = nextScheduleTime(schedule, t, timeZone)) due = t;
    let lastScheduleTime = previous.lastScheduleTime;
    if (due !== undefined && spec.suspend !== true) {
      const policy = String(spec.concurrencyPolicy ?? 'Allow');
      if (policy === 'Forbid' && active.length > 0) {
        // Skipped: the next schedule time tries again.
      } else {
        if (policy === 'Replace') {
          for (const job of active) {
            if (tolerant(() => api.delete(types.jobs, namespace, nameOf(job), { propagationPolicy: 'Background' })) !== undefined) {
              recordEvent(context, { type: cronJobs, object: cronJob }, 'Normal', 'SuccessfulDelete', `Deleted job ${nameOf(job)}`, source);
            }
          }
          active = [];
        }
        const template = asObject(spec.jobTemplate);
        const jobName = `${name}-${Math.floor(due / 60_000)}`;
        const created = tolerant(() => api.create(types.jobs, namespace, {
          metadata: {
            name: jobName,
            namespace,
            labels: deepClone(asObject(asObject(template.metadata).labels)),
            annotations: { ...deepClone(asObject(asObject(template.metadata).annotations)), [SCHEDULED]: rfc3339(due as number) },
            ownerReferences: [controllerRef('batch/v1', 'CronJob', cronJob)],
          },
          spec: deepClone(asObject(template.spec)),
        }, MANAGER));
        if (created !== undefined) {
          active.push(created.object);
          recordEvent(context, { type: cronJobs, object: cronJob }, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`, source);
        }
        lastScheduleTime = rfc3339(due);
      }
    }
    // History: the oldest finished Jobs beyond the limits go.
    for (const [outcome, limit] of [['Complete', Number(spec.successfulJobsHistoryLimit ?? 3)], ['Failed', Number(spec.failedJobsHistoryLimit ?? 1)]] as const) {
      const done = owned.filter((job) => finished(job) === outcome && meta(job).deletionTimestamp === undefined)
        .sort((a, b) => String(meta(a).creationTimestamp).localeCompare(String(meta(b).creationTimestamp)) || nameOf(a).localeCompare(nameOf(b)));
      for (const job of done.slice(0, Math.max(0, done.length - limit))) {
        if (tolerant(() => api.delete(types.jobs, namespace, nameOf(job), { propagationPolicy: 'Background' })) !== undefined) {
          recordEvent(context, { type: cronJobs, object: cronJob }, 'Normal', 'SuccessfulDelete', `Deleted job ${nameOf(job)}`, source);
        }
      }
    }
    const successes = owned.filter((job) => finished(job) === 'Complete').map((job) => String(asObject(job.status).completionTime ?? '')).filter((t) => t !== '').sort();
    const status: JsonObject = {};
    if (active.length > 0) {
      status.active = active.map((job) => ({ apiVersion: 'batch/v1', kind: 'Job', name: nameOf(job), namespace, resourceVersion: String(meta(job).resourceVersion ?? ''), uid: uidOf(job) }));
    }
    if (lastScheduleTime !== undefined) status.lastScheduleTime = lastScheduleTime;
    const lastSuccess = successes.at(-1) ?? previous.lastSuccessfulTime;
    if (lastSuccess !== undefined) status.lastSuccessfulTime = lastSuccess;
    if (!deepEqual(status, previous)) tolerant(() => api.update(cronJobs, namespace, name, { ...api.get(cronJobs, namespace, name), status }, MANAGER, 'status'));
    const next = nextScheduleTime(schedule, Math.max(now, Date.parse(String(lastScheduleTime ?? 0)) || 0), timeZone);
    if (next !== undefined) context.queue.add(`cronjob-schedule/${namespace}/${name}`, () => reconcile(namespace, name), Math.min(MAX_WAIT_MS, next - now));
  };

  const enqueue = (namespace: string, name: string): void => context.queue.add(`cronjob/${namespace}/${name}`, () => reconcile(namespace, name));
  return (change, type) => {
    if (type.kind === 'CronJob' && type.group === 'batch' && change.type !== 'DELETED') enqueue(change.namespace, change.name);
    if (type.kind === 'Job' && type.group === 'batch') {
      for (const ref of asArray(meta(change.object as JsonObject).ownerReferences).map(asObject)) {
        if (ref.kind === 'CronJob' && ref.controller === true) enqueue(change.namespace, String(ref.name));
      }
    }
  };
}
