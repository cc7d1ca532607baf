import type { Rng } from '../core/rng.ts';

export type ProfileName = 'instant' | 'realistic';

/** How long the simulated machinery takes; `instant` for tests, `realistic` for lessons. */
export interface Profile {
  name: ProfileName;
  /** Pending → scheduled onto a node. */
  scheduleMs(rng: Rng): number;
  /** Scheduled → containers running (pulling, creating, starting). */
  startMs(rng: Rng): number;
  /** Running → Ready (first readiness probe). */
  readyMs(rng: Rng): number;
  /** Deleted with a grace period → gone (the kubelet stopping containers). */
  terminateMs(rng: Rng, graceSeconds: number): number;
  /** Run-to-completion containers (Jobs) → Succeeded. */
  completeMs(rng: Rng): number;
}

const between = (rng: Rng, low: number, high: number): number => low + rng.int(high - low + 1);

export const profiles: Record<ProfileName, Profile> = {
  instant: {
    name: 'instant',
    scheduleMs: () => 0,
    startMs: () => 0,
    readyMs: () => 0,
    terminateMs: () => 0,
    completeMs: () => 0,
  },
  realistic: {
    name: 'realistic',
    scheduleMs: (rng) => between(rng, 20, 120),
    startMs: (rng) => between(rng, 1500, 4000),
    readyMs: (rng) => between(rng, 500, 1500),
    terminateMs: (rng, graceSeconds) => Math.min(graceSeconds * 1000, between(rng, 800, 2500)),
    completeMs: (rng) => between(rng, 1000, 3000),
  },
};
