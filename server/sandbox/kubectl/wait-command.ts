// `kubectl wait --for=condition=X|jsonpath={…}=V|delete`: checks each object until the
// condition holds or --timeout passes (kubectl watches; polling gives the same answers).
import { statusError } from './api-client.ts';
import { kindPrefix, resourcePath, type ApiResource } from './discovery.ts';
import { FlagError, flagBool, flagString, parseFlags } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import { evaluatePath, jsonPathText, parseJsonPath } from './json-path.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';

const POLL_MS = 100;

/** Go's time.ParseDuration for the units kubectl users write (`90s`, `2m30s`, `1h`, `0`). */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0;
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = '';
  for (const match of text.matchAll(pattern)) {
    const value = Number(match[1]);
    const unit = match[2];
    total += value * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
    consumed += match[0];
  }
  if (consumed !== text || text === '') throw new FlagError(`invalid argument "${text}" for "--timeout" flag: time: invalid duration "${JSON.stringify(text).slice(1, -1)}"`);
  return total;
}

type Condition =
  | { type: 'delete' }
  | { type: 'create' }
  | { type: 'condition'; name: string; value: string }
  | { type: 'jsonpath'; path: string; value: string | undefined };

function parseFor(text: string): Condition {
  if (text.toLowerCase() === 'delete') return { type: 'delete' };
  if (text.toLowerCase() === 'create') return { type: 'create' };
  if (text.startsWith('condition=')) {
    const rest = text.slice('condition='.length);
    const eq = rest.indexOf('=');
    return eq === -1 ? { type: 'condition', name: rest, value: 'true' } : { type: 'condition', name: rest.slice(0, eq), value: rest.slice(eq + 1) };
  }
  if (text.startsWith('jsonpath=')) {
    const rest = text.slice('jsonpath='.length);
    const close = rest.lastIndexOf('}');
    if (close === -1) throw new KubectlError('FOR_INVALID', `error: unrecognized condition: "${text}"`);
    const value = rest.slice(close + 1);
    return { type: 'jsonpath', path: rest.slice(0, close + 1), value: value.startsWith('=') ? value.slice(1) : undefined };
  }
  throw new KubectlError('FOR_INVALID', `error: unrecognized condition: "${text}"`);
}

function met(condition: Condition, object: KubeObject): boolean {
  if (condition.type === 'condition') {
    const status = (object.status ?? {}) as { conditions?: { type?: string; status?: string; observedGeneration?: number }[]; observedGeneration?: number };
    const found = status.conditions?.find((entry) => (entry.type ?? '').toLowerCase() === condition.name.toLowerCase());
    if (found === undefined || (found.status ?? '').toLowerCase() !== condition.value.toLowerCase()) return false;
    const generation = object.metadata?.['generation'] as number | undefined;
    const observed = found.observedGeneration ?? status.observedGeneration;
    return generation === undefined || observed === undefined || observed >= generation;
  }
  if (condition.type === 'jsonpath') {
    const node = parseJsonPath(condition.path)[0];
    if (node === undefined || node.type !== 'path') return false;
    const values = evaluatePath(node.segments, object);
    if (condition.value === undefined) return values.length > 0;
    return values.length > 0 && values.every((value) => jsonPathText(value) === condition.value);
  }
  return false;
}

export async function runWait(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'for', type: 'string' },
    { name: 'timeout', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'field-selector', type: 'string' },
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'output', short: 'o', type: 'string' },
  ]);
  const condition = parseFor(flagString(flags, 'for') ?? '');
  const timeout = parseGoDuration(flagString(flags, 'timeout') ?? '30s');
  const discovery = await context.discovery();
  const { requests } = resourceRequests(discovery, [...flags.positionals, ...flags.rest]);
  const selector = flagString(flags, 'selector');
  const namespace = flagBool(flags, 'all-namespaces') ? undefined : context.namespace;
  const targets: { resource: ApiResource; namespace: string | undefined; name: string }[] = [];
  for (const request of requests) {
    if (request.names.length > 0) {
      for (const name of request.names) targets.push({ resource: request.resource, namespace: request.resource.namespaced ? context.namespace : undefined, name });
      continue;
    }
    const query = new URLSearchParams();
    if (selector !== undefined) query.set('labelSelector', selector);
    const fieldSelector = flagString(flags, 'field-selector');
    if (fieldSelector !== undefined) query.set('fieldSelector', fieldSelector);
    const text = query.toString();
    const list = await context.client.json<{ items?: KubeObject[] }>({ path: resourcePath(request.resource, namespace) + (text === '' ? '' : `?${text}`) });
    for (const item of list.items ?? []) targets.push({ resource: request.resource, namespace: item.metadata?.namespace, name: item.metadata?.name ?? '' });
  }
  if (targets.length === 0 && requests.every((request) => request.names.length === 0)) {
    throw new KubectlError('NO_MATCHES', 'error: no matching resources found');
  }
  for (const target of targets) {
    const path = resourcePath(target.resource, target.namespace, target.name);
    const deadline = Date.now() + timeout;
    for (;;) {
      const response = await context.client.raw({ path });
      if (condition.type === 'delete') {
        if (response.status === 404) {
          break;
        }
      } else if (condition.type === 'create') {
        if (response.status < 300) {
          context.out(`${kindPrefix(target.resource)}/${target.name} condition met\n`);
          break;
        }
      } else if (response.status >= 300) {
        throw statusError(response);
      } else if (met(condition, JSON.parse(response.text) as KubeObject)) {
        context.out(`${kindPrefix(target.resource)}/${target.name} condition met\n`);
        break;
      }
      if (Date.now() >= deadline) {
        throw new KubectlError('TIMEOUT', `error: timed out waiting for the condition on ${target.resource.resource}/${target.name}`);
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
        context.io.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new KubectlError('INTERRUPTED', 'error: interrupted', 130));
        }, { once: true });
      });
    }
  }
  return 0;
}
