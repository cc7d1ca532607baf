// Waiting as istioctl does after applying a component: until each Deployment it created reports
// all replicas updated and ready for its current generation, or the readiness timeout passes.
import { asObject, asString, type JsonObject } from '../core/json-object.ts';
import type { IstioApi } from './istio-api.ts';
import { IstioctlError } from './istioctl-error.ts';

const POLL_MS = 100;

function deploymentReady(deployment: JsonObject): boolean {
  const spec = asObject(deployment.spec);
  const status = asObject(deployment.status);
  const metadata = asObject(deployment.metadata);
  const wanted = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const observed = typeof status.observedGeneration === 'number' ? status.observedGeneration : 0;
  const generation = typeof metadata.generation === 'number' ? metadata.generation : 0;
  return observed >= generation && Number(status.updatedReplicas ?? 0) >= wanted && Number(status.readyReplicas ?? 0) >= wanted;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

/** Parses a Go duration such as `5m0s`, `300s`, `1m30s`, `500ms` into milliseconds. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  let total = 0;
  let rest = text;
  if (rest === '') return undefined;
  while (rest !== '') {
    const found = /^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/.exec(rest);
    if (found === null) return undefined;
    total += Number(found[1]) * (units[found[2] as string] as number);
    rest = rest.slice(found[0].length);
  }
  return total;
}

/** Resolves once every Deployment among `objects` is ready; throws with the ones that are not. */
export async function waitForDeployments(
  api: IstioApi,
  objects: readonly JsonObject[],
  timeoutMs: number,
  options: { signal?: AbortSignal; onWaiting?: (pending: readonly string[]) => void } = {},
): Promise<void> {
  const { signal, onWaiting } = options;
  const deployments = objects.filter((object) => object.kind === 'Deployment');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending: string[] = [];
    for (const deployment of deployments) {
      const metadata = asObject(deployment.metadata);
      const current = await api.get('apps/v1', 'Deployment', asString(metadata.namespace), asString(metadata.name) ?? '');
      if (current === undefined || !deploymentReady(current)) pending.push(`Deployment/${asString(metadata.namespace) ?? ''}/${asString(metadata.name) ?? ''}`);
    }
    if (pending.length === 0) return;
    onWaiting?.(pending);
    if (Date.now() >= deadline) {
      throw new IstioctlError('NOT_READY', `failed to wait for resource: resources not ready after ${formatTimeout(timeoutMs)}: context deadline exceeded\n${pending.join('\n')}`, { prefixed: false });
    }
    await sleep(POLL_MS, signal);
  }
}

/** Go's Duration.String for whole seconds and minutes (`5m0s`, `30s`). */
function formatTimeout(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${seconds % 60}s` : `${seconds}s`;
}
