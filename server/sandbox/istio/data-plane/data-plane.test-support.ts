// Test support: a data plane over a fixed snapshot on virtual time, and a helper that runs a
// request to completion by advancing the clock while it waits on timers.
import type { JsonObject } from '../../core/json-object.ts';
import { ManualClock } from '../../core/manual-clock.ts';
import { createRng } from '../../core/rng.ts';
import { createDataPlane, type DataPlane, type DataPlaneRequest, type DataPlaneResult } from './create-data-plane.ts';

export interface TestPlane {
  plane: DataPlane;
  clock: ManualClock;
  /** Sends and advances virtual time in `stepMs` steps until the answer arrives. */
  send(request: DataPlaneRequest, stepMs?: number): Promise<DataPlaneResult>;
  /** Replaces the snapshot (the next request sees the new objects). */
  setObjects(objects: JsonObject[]): void;
  podName(namespace: string, prefix: string): string;
  /** Lets `ms` of virtual time pass, so work the caller abandoned can finish. */
  idle(ms: number, stepMs?: number): Promise<void>;
}

export function testPlane(objects: JsonObject[], seed: string | number = 1): TestPlane {
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 1, 2, 3));
  let current: readonly JsonObject[] = objects;
  const plane = createDataPlane({ objects: () => current, clock, rng: createRng(seed) });
  return {
    plane,
    clock,
    setObjects(next) {
      current = next;
    },
    podName(namespace, prefix) {
      const pod = current.find((o) => o.kind === 'Pod' && (o.metadata as JsonObject).namespace === namespace && String((o.metadata as JsonObject).name).startsWith(prefix));
      if (pod === undefined) throw new Error(`no pod ${prefix}* in ${namespace}`);
      return String((pod.metadata as JsonObject).name);
    },
    async idle(ms, stepMs = 50) {
      for (let waited = 0; waited < ms; waited += stepMs) {
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        clock.advance(stepMs);
      }
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    },
    async send(request, stepMs = 50) {
      let done = false;
      const work = plane.send(request).finally(() => {
        done = true;
      });
      for (let waited = 0; waited < 600_000; waited += stepMs) {
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        if (done) break;
        clock.advance(stepMs);
      }
      return work;
    },
  };
}

/** A client pod (curl sample shape) in `namespace`, injected when `injected` is true. */
export function curlDeployment(namespace: string): JsonObject[] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'curl', namespace } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'curl', namespace },
      spec: { replicas: 1, template: { metadata: { labels: { app: 'curl' } }, spec: { serviceAccountName: 'curl', containers: [{ name: 'curl', image: 'curlimages/curl', command: ['/bin/sleep', 'infinity'] }] } } },
    },
  ];
}
