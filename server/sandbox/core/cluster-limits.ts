/**
 * What one sandbox cluster may use. The defaults are far above what any lesson needs (Bookinfo
 * with Istio is a few hundred objects, kubectl a few requests per command) and only stop
 * runaway loops and abuse.
 */
export interface ClusterLimits {
  /** Objects stored across all resources; a create beyond it answers 429. */
  maxObjects: number;
  /** Request body size; larger bodies answer 413. */
  maxBodyBytes: number;
  /** Concurrent watches; one more answers 429. */
  maxWatches: number;
  /** Sustained requests per second (token bucket refill); 0 turns rate limiting off. */
  requestsPerSecond: number;
  /** Requests allowed at once before the rate applies. */
  requestBurst: number;
}

export const DEFAULT_CLUSTER_LIMITS: Readonly<ClusterLimits> = Object.freeze({
  maxObjects: 20_000,
  maxBodyBytes: 3 * 1024 * 1024,
  maxWatches: 200,
  requestsPerSecond: 100,
  requestBurst: 400,
});
