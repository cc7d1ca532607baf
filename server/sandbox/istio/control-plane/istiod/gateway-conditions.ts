// Gateway API conditions as istiod writes them: a condition keeps its lastTransitionTime while
// its status stays the same, so re-reconciling an unchanged object writes nothing new.
import { asArray, asObject, type JsonObject } from '../../../core/json-object.ts';

export interface ConditionInput {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export function buildConditions(inputs: readonly ConditionInput[], previous: unknown, generation: unknown, now: string): JsonObject[] {
  const before = new Map(asArray(previous).map(asObject).map((condition) => [String(condition.type), condition]));
  return inputs.map((input) => {
    const old = before.get(input.type);
    const lastTransitionTime = old !== undefined && old.status === input.status ? old.lastTransitionTime : now;
    const condition: JsonObject = { lastTransitionTime, message: input.message, reason: input.reason, status: input.status, type: input.type };
    if (typeof generation === 'number') condition.observedGeneration = generation;
    return condition;
  });
}
