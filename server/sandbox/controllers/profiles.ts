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
  /** A container whose command ends (`false`, `exit 1`): started → exited. */
  exitMs(rng: Rng): number;
  /** A pull that fails (unknown image): Pulling → ErrImagePull, and ErrImagePull → ImagePullBackOff. */
  pullFailMs(rng: Rng): number;
}

/**
 * The kubelet's back-off before the next restart or pull after `failures` failures: 10s, 20s,
 * 40s… capped at 5 minutes, in every profile (so a crash loop never spins on virtual time).
 */
export function backOffMs(failures: number): number {
  return Math.min(300_000, 10_000 * 2 ** Math.max(0, failures - 1));
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
    exitMs: () => 0,
    pullFailMs: () => 0,
  },
  realistic: {
    name: 'realistic',
    scheduleMs: (rng) => between(rng, 20, 120),
    startMs: (rng) => between(rng, 1500, 4000),
    readyMs: (rng) => between(rng, 500, 1500),
    terminateMs: (rng, graceSeconds) => Math.min(graceSeconds * 1000, between(rng, 800, 2500)),
    completeMs: (rng) => between(rng, 1000, 3000),
    exitMs: (rng) => between(rng, 300, 1200),
    pullFailMs: (rng) => between(rng, 800, 2500),
  },
};
