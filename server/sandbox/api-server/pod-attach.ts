import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { StatusError } from '../core/status-error.ts';
import type { ExecRequest } from './pod-exec.ts';

/**
 * Checks a `pods/attach` request as the API server and kubelet would. Attach rides the same
 * streams as exec; the request names the container's own process (its command and args
 * from the pod spec) so one handler can tell which process the client joins.
 */
export function attachRequestFor(pod: JsonObject, query: URLSearchParams): ExecRequest {
  const meta = asObject(pod.metadata);
  const name = String(meta.name ?? '');
  const containers = asArray(asObject(pod.spec).containers).map(asObject);
  const names = containers.map((c) => String(c.name ?? ''));
  let container = query.get('container') ?? '';
  if (container === '') {
    if (names.length !== 1) throw StatusError.badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
    container = names[0] ?? '';
  }
  const spec = containers.find((c) => c.name === container);
  if (spec === undefined) throw StatusError.badRequest(`container ${container} is not valid for pod ${name}`);
  if (asObject(pod.spec).nodeName === undefined) throw StatusError.badRequest(`pod ${name} does not have a host assigned`);
  const phase = asObject(pod.status).phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw StatusError.badRequest(`cannot attach a container in a completed pod; current phase is ${String(phase)}`);
  const status = asArray(asObject(pod.status).containerStatuses).map(asObject).find((s) => s.name === container);
  if (asObject(status?.state).running === undefined) throw StatusError.badRequest(`unable to upgrade connection: container not found ("${container}")`);
  const command = [...asArray(spec.command), ...asArray(spec.args)].map(String);
  const flag = (key: string): boolean => query.get(key) === 'true' || query.get(key) === '1';
  return { namespace: String(meta.namespace ?? ''), pod, container, command, stdin: flag('stdin'), tty: flag('tty') };
}
