// Chooses one endpoint among several: round robin per key (Envoy ROUND_ROBIN), or seeded random
// (kube-proxy's iptables probabilities, Envoy RANDOM and LEAST_REQUEST, which with equal load
// is a random choice). Randomness comes from the injected Rng so runs repeat for a seed.
import type { Rng } from '../core/rng.ts';

export type PickPolicy = 'ROUND_ROBIN' | 'RANDOM';

export interface EndpointPicker {
  pick<T>(key: string, candidates: readonly T[], policy: PickPolicy): T | undefined;
}

export function createEndpointPicker(rng: Rng): EndpointPicker {
  const cursors = new Map<string, number>();
  return {
    pick(key, candidates, policy) {
      if (candidates.length === 0) return undefined;
      if (policy === 'RANDOM') return candidates[rng.int(candidates.length)];
      const cursor = cursors.get(key) ?? 0;
      cursors.set(key, cursor + 1);
      return candidates[cursor % candidates.length];
    },
  };
}
