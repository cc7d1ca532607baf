// What the commands that create or change objects share: --dry-run, the body sent on the
// wire, creating (or, in a client dry run, only printing) an object, and the
// `kind/name verb (dry run)` line or -o output kubectl prints for it.
import { statusError } from './api-client.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { printStructured, type KubeObject, type OutputFormat } from './object-output.ts';

/** Parses `--dry-run` as kubectl does (none, client, server; the bare flag is unset). */
export function dryRunStrategy(value: string | undefined): 'none' | 'client' | 'server' {
  if (value === undefined || value === '' || value === 'none') return 'none';
  if (value === 'client' || value === 'server') return value;
  throw new KubectlError('DRY_RUN_INVALID', `error: Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/**
 * The body kubectl's typed clients send: the `creationTimestamp: null` that a printed
 * client-side object shows is absent on the wire (protobuf has no null).
 */
export function wireObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wireObject);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'creationTimestamp' && child === null) continue;
    out[key] = wireObject(child);
  }
  return out;
}

/** Creates `object` (or not, for a client dry run) and returns what to print. */
export async function createObject(
  context: KubectlContext,
  path: string,
  object: KubeObject,
  dryRun: 'none' | 'client' | 'server',
  fieldManager: string,
): Promise<{ object: KubeObject; typed: boolean }> {
  if (dryRun === 'client') return { object, typed: true };
  const query = `?fieldManager=${fieldManager}${dryRun === 'server' ? '&dryRun=All' : ''}`;
  const response = await context.client.raw({ method: 'POST', path: path + query, body: wireObject(object) });
  if (response.status < 200 || response.status >= 300) throw statusError(response);
  return { object: JSON.parse(response.text) as KubeObject, typed: false };
}

/** `kind/name created`, `(dry run)` / `(server dry run)`, or the object in the -o format. */
export function printResult(context: KubectlContext, format: OutputFormat, name: string, verb: string, dryRun: 'none' | 'client' | 'server', object: KubeObject, typed: boolean): void {
  if (format.kind === 'table' || format.kind === 'wide') {
    const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
    context.out(`${name} ${verb}${suffix}\n`);
  } else if (format.kind === 'name') context.out(`${name}\n`);
  else context.out(printStructured(format, object, { typed }));
}
