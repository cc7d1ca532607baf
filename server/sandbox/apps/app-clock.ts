import type { Clock } from '../core/clock.ts';
import type { AppClock } from './app-handler.ts';

/** Adapts the sandbox clock (virtual or wall) to the sleep-based clock apps use. */
export function appClockFrom(clock: Clock): AppClock {
  return {
    now: () => clock.now(),
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortError());
          return;
        }
        const onAbort = (): void => {
          clock.clearTimeout(handle);
          reject(abortError());
        };
        const handle = clock.setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

function abortError(): Error {
  return new DOMException('The operation was aborted.', 'AbortError');
}
