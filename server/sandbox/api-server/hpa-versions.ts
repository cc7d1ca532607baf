import { asArray, asObject, type JsonObject } from '../core/json-object.ts';

/**
 * autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers are one stored set (in the v2
 * shape); v1 shows only the CPU utilization target (`kubectl autoscale` writes v1).
 */
export function isHpaV1(type: { group: string; version: string; kind: string }): boolean {
  return type.group === 'autoscaling' && type.version === 'v1' && type.kind === 'HorizontalPodAutoscaler';
}

const cpuTarget = (spec: JsonObject): unknown => {
  const metric = asArray(spec.metrics).map(asObject).find((m) => m.type === 'Resource' && asObject(m.resource).name === 'cpu' && asObject(asObject(m.resource).target).type === 'Utilization');
  return metric === undefined ? undefined : asObject(asObject(metric.resource).target).averageUtilization;
};

export function toHpaV1(stored: JsonObject): JsonObject {
  const { spec: rawSpec, status: rawStatus, ...rest } = stored;
  const spec = asObject(rawSpec);
  const { metrics: _metrics, behavior: _behavior, ...specRest } = spec;
  const out: JsonObject = { ...rest, apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', spec: specRest };
  const target = cpuTarget(spec);
  if (target !== undefined) asObject(out.spec).targetCPUUtilizationPercentage = target;
  if (rawStatus !== undefined) {
    const { conditions: _conditions, currentMetrics, ...statusRest } = asObject(rawStatus);
    const current = asArray(currentMetrics).map(asObject).find((m) => m.type === 'Resource' && asObject(m.resource).name === 'cpu');
    out.status = { ...statusRest };
    const utilization = asObject(asObject(current?.resource).current).averageUtilization;
    if (utilization !== undefined) asObject(out.status).currentCPUUtilizationPercentage = utilization;
  }
  return out;
}

export function fromHpaV1(served: JsonObject): JsonObject {
  const { spec: rawSpec, status: rawStatus, ...rest } = served;
  const { targetCPUUtilizationPercentage, ...specRest } = asObject(rawSpec);
  const out: JsonObject = { ...rest, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', spec: specRest };
  if (targetCPUUtilizationPercentage !== undefined) {
    asObject(out.spec).metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCPUUtilizationPercentage } } }];
  }
  if (rawStatus !== undefined) {
    const { currentCPUUtilizationPercentage: _current, ...statusRest } = asObject(rawStatus);
    out.status = statusRest;
  }
  return out;
}
