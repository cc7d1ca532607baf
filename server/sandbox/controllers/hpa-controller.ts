import { asArray, asObject, deepEqual, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, meta, tolerant, type ControllerContext } from './controller-context.ts';
import { recordEvent } from './event-recorder.ts';

const MANAGER = asController('horizontal-pod-autoscaler');
/** The controller's --horizontal-pod-autoscaler-sync-period. */
const SYNC_MS = 15_000;
const NO_RESOURCE_METRICS = 'unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';

/** Why a metric cannot be read on a cluster without metrics-server (nor a custom metrics API). */
function metricError(metric: JsonObject): { reason: string; message: string } {
  if (metric.type === 'Resource' || metric.type === 'ContainerResource') {
    const resource = asObject(metric.type === 'Resource' ? metric.resource : metric.containerResource);
    const name = String(resource.name ?? 'cpu');
    const what = asObject(resource.target).type === 'Utilization' ? 'utilization' : 'usage';
    return { reason: metric.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric', message: `failed to get ${name} ${what}: unable to get metrics for resource ${name}: ${NO_RESOURCE_METRICS}` };
  }
  const name = String(asObject(asObject(metric[String(metric.type ?? '').replace(/^./, (c) => c.toLowerCase())]).metric).name ?? '');
  const reason = `FailedGet${String(metric.type ?? 'Object')}Metric`;
  return { reason, message: `unable to get metric ${name}: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered` };
}

function condition(type: string, status: string, reason: string, message: string, now: string, previous: JsonObject[]): JsonObject {
  const old = previous.find((c) => c.type === type);
  return { type, status, lastTransitionTime: old !== undefined && old.status === status ? old.lastTransitionTime : now, reason, message };
}

/**
 * HorizontalPodAutoscalers on a cluster without metrics-server: replicas are held within
 * min/max, and every sync reports that the metrics are unavailable, as a real cluster does.
 */
export function hpaController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api } = context;
  const hpas = api.resource('autoscaling', 'v2', 'horizontalpodautoscalers');
  const source = { component: 'horizontal-pod-autoscaler' };

  const reconcile = (namespace: string, name: string): void => {
    const hpa = api.tryGet(hpas, namespace, name);
    if (hpa === undefined || meta(hpa).deletionTimestamp !== undefined) return;
    context.queue.add(`hpa-sync/${namespace}/${name}`, () => reconcile(namespace, name), SYNC_MS);
    const spec = asObject(hpa.spec);
    const previous = asObject(hpa.status);
    const previousConditions = asArray(previous.conditions).map(asObject);
    const now = api.now();
    const ref = asObject(spec.scaleTargetRef);
    const targetType = api.resourceForKind(String(ref.apiVersion ?? 'apps/v1'), String(ref.kind ?? ''));
    const target = targetType === undefined ? undefined : api.tryGet(targetType, namespace, String(ref.name ?? ''));
    const status: JsonObject = { currentReplicas: Number(previous.currentReplicas ?? 0), desiredReplicas: Number(previous.desiredReplicas ?? 0) };
    if (previous.lastScaleTime !== undefined) status.lastScaleTime = previous.lastScaleTime;
    if (targetType === undefined || target === undefined) {
      const resource = targetType === undefined ? String(ref.kind ?? '').toLowerCase() : `${targetType.plural}${targetType.group === '' ? '' : `.${targetType.group}`}`;
      const why = `${resource} "${String(ref.name ?? '')}" not found`;
      recordEvent(context, { type: hpas, object: hpa }, 'Warning', 'FailedGetScale', why, source);
      status.conditions = [condition('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${why}`, now, previousConditions)];
    } else {
      const current = Number(asObject(target.spec).replicas ?? 1);
      const min = Number(spec.minReplicas ?? 1);
      const max = Number(spec.maxReplicas ?? current);
      status.currentReplicas = Number(asObject(target.status).replicas ?? current);
      const able = condition('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", now, previousConditions);
      let desired: number | undefined;
      let why = '';
      if (current === 0 && min !== 0) {
        status.desiredReplicas = 0;
        status.conditions = [able, condition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', now, previousConditions)];
      } else if (current > max || current < min) {
        desired = current > max ? max : min;
        why = current > max ? 'Current number of replicas above Spec.MaxReplicas' : 'Current number of replicas below Spec.MinReplicas';
        status.desiredReplicas = desired;
        status.conditions = [
          able,
          condition('ScalingActive', 'True', 'ScalingActive', 'the HPA was able to successfully calculate a replica count', now, previousConditions),
          current > max
            ? condition('ScalingLimited', 'True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count', now, previousConditions)
            : condition('ScalingLimited', 'True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count', now, previousConditions),
        ];
      } else {
        const metrics = asArray(spec.metrics).map(asObject);
        const errors = metrics.map(metricError);
        const first = errors[0];
        if (first !== undefined) {
          recordEvent(context, { type: hpas, object: hpa }, 'Warning', first.reason, first.message, source);
          const firstCause = first.message.replace(/^failed to get (\S+) (utilization|usage)/, 'failed to get $1 resource metric value: failed to get $1 $2');
          recordEvent(context, { type: hpas, object: hpa }, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${errors.length} invalid out of ${metrics.length}), first error is: ${firstCause}`, source);
          status.conditions = [able, condition('ScalingActive', 'False', first.reason, `the HPA was unable to compute the replica count: ${first.message}`, now, previousConditions)];
        }
      }
      if (desired !== undefined && desired !== current) {
        const scaled = tolerant(() => api.patch(targetType, namespace, String(ref.name), 'merge', JSON.stringify({ spec: { replicas: desired } }), MANAGER));
        if (scaled !== undefined) {
          status.lastScaleTime = now;
          recordEvent(context, { type: hpas, object: hpa }, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${why}`, source);
        }
      }
    }
    if (!deepEqual(status, previous)) tolerant(() => api.update(hpas, namespace, name, { ...hpa, status }, MANAGER, 'status'));
  };

  return (change, type) => {
    // Its own status writes do not count: the sync period drives the next look.
    const specChanged = change.type === 'ADDED' || (change.type === 'MODIFIED' && !deepEqual(asObject(change.object.spec), asObject(change.oldObject?.spec)));
    if (type.kind === 'HorizontalPodAutoscaler' && type.group === 'autoscaling' && specChanged) {
      context.queue.add(`hpa/${change.namespace}/${change.name}`, () => reconcile(change.namespace, change.name));
    }
  };
}
