// Test support: an AppContext on virtual time, with a scripted upstream and a recorded call log.

import { ManualClock } from '../core/manual-clock.ts';
import { appClockFrom } from './app-clock.ts';
import type { AppAccessLogEntry, AppContext, AppPod, AppResponse, Upstream, UpstreamRequest } from './app-handler.ts';

export interface FakeAppContext {
  readonly context: AppContext;
  readonly clock: ManualClock;
  /** Every upstream call the app made, in order. */
  readonly calls: UpstreamRequest[];
  readonly accessLog: AppAccessLogEntry[];
  /** Runs `work` to completion, advancing virtual time in steps while it waits on timers. */
  settle<T>(work: Promise<T>, options?: { stepMs?: number; maxMs?: number }): Promise<T>;
}

export function fakePod(overrides: Partial<AppPod> = {}): AppPod {
  return {
    name: 'test-pod-7d4b9c8f5-abcde',
    namespace: 'default',
    labels: {},
    image: 'docker.io/library/test:1.0',
    serviceAccount: 'default',
    ...overrides,
  };
}

export function createFakeAppContext(options: { pod?: AppPod; upstream?: Upstream; remoteAddress?: string } = {}): FakeAppContext {
  const clock = new ManualClock();
  const calls: UpstreamRequest[] = [];
  const accessLog: AppAccessLogEntry[] = [];
  const upstream = options.upstream ?? (async (): Promise<AppResponse> => ({ status: 503, headers: {}, body: 'no upstream' }));
  const context: AppContext = {
    pod: options.pod ?? fakePod(),
    clock: appClockFrom(clock),
    upstream: (request) => {
      calls.push(request);
      return upstream(request);
    },
    accessLog: (entry) => accessLog.push(entry),
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
  };
  return {
    context,
    clock,
    calls,
    accessLog,
    async settle(work, { stepMs = 100, maxMs = 120_000 } = {}) {
      let done = false;
      const tracked = work.finally(() => {
        done = true;
      });
      tracked.catch(() => undefined);
      for (let waited = 0; ; waited += stepMs) {
        await new Promise((resolve) => setImmediate(resolve));
        if (done || waited >= maxMs) break;
        clock.advance(stepMs);
      }
      return tracked;
    },
  };
}

/** An upstream answer after `delayMs` of virtual time (never, when delayMs is Infinity). */
export function answerAfter(context: AppContext, delayMs: number, response: AppResponse, signal?: AbortSignal): Promise<AppResponse> {
  if (delayMs === Number.POSITIVE_INFINITY) return new Promise<AppResponse>(() => undefined);
  return context.clock.sleep(delayMs, signal).then(() => response);
}
