// `kubectl exec`: runs a command in a container through client-node's Exec (the v5
// websocket channel protocol), streaming stdout/stderr and ending with the exit code the
// final Status carries (`command terminated with exit code N`).
import { Readable, Writable } from 'node:stream';
import { Exec, KubeConfig, type V1Status } from '@kubernetes/client-node';
import { execSocketOpener } from './exec-socket.ts';
import { statusError } from './api-client.ts';
import { flagBool, flagString, parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { ApiStatusError, KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';
import { podTarget } from './pod-target.ts';

/** The pod a `POD`, `pod/NAME` or `TYPE/NAME` argument stands for (see pod-target.ts). */
export async function resolvePod(context: KubectlContext, target: string): Promise<KubeObject> {
  const namespace = context.namespace;
  const podName = (await podTarget(context, target)).name;
  const response = await context.client.raw({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(podName)}` });
  if (response.status >= 300) throw statusError(response);
  return JSON.parse(response.text) as KubeObject;
}

export async function runExec(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'container', short: 'c', type: 'string' },
    { name: 'stdin', short: 'i', type: 'bool' },
    { name: 'tty', short: 't', type: 'bool' },
    { name: 'quiet', short: 'q', type: 'bool' },
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'pod-running-timeout', type: 'string' },
  ]);
  const target = flags.positionals[0];
  if (target === undefined) {
    throw new KubectlError('ARGS', 'error: pod, type/name or --filename must be specified');
  }
  const command = [...flags.positionals.slice(1), ...flags.rest];
  if (command.length === 0) throw new KubectlError('COMMAND_REQUIRED', 'error: you must specify at least one command for the container');
  const pod = await resolvePod(context, target);
  const podName = pod.metadata?.name ?? '';
  const spec = (pod.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  const names = (spec.containers ?? []).map((container) => container.name);
  let container = flagString(flags, 'container');
  if (container === undefined) {
    const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
    container = annotated !== undefined && names.includes(annotated) ? annotated : names[0];
    if (annotated === undefined && names.length > 1 && !flagBool(flags, 'quiet')) context.err(`Defaulted container "${container ?? ''}" out of: ${names.join(', ')}\n`);
  } else if (![...names, ...(spec.initContainers ?? []).map((c) => c.name), ...(spec.ephemeralContainers ?? []).map((c) => c.name)].includes(container)) {
    // The API server refuses it before the upgrade; kubectl prints that refusal.
    throw new KubectlError('CONTAINER_INVALID', `Error from server (BadRequest): container ${container} is not valid for pod ${podName}`);
  }
  if (flagBool(flags, 'tty') && !flagBool(flags, 'quiet')) context.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const config = new KubeConfig();
  config.loadFromString(context.io.kubeconfig);
  const contextName = flagString(flags, 'context');
  if (contextName !== undefined) config.setCurrentContext(contextName);
  const sink = (write: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        done();
      },
    });
  const stdin = flagBool(flags, 'stdin') ? Readable.from([Buffer.from(context.io.stdin, 'utf8')]) : null;
  const status = await new Promise<V1Status | undefined>((resolve, reject) => {
    // The injected connect, when given, opens the socket: the shell confines kubectl through it.
    new Exec(config, execSocketOpener(config, context.io.connect?.bind(context.io), context.client.headers))
      .exec(pod.metadata?.namespace ?? context.namespace, podName, container ?? '', command, sink((text) => context.out(text)), sink((text) => context.err(text)), stdin, false, (result) => resolve(result))
      .then((socket) => {
        socket.on('close', () => resolve(undefined));
        context.io.signal?.addEventListener('abort', () => socket.close(), { once: true });
      })
      .catch((error: unknown) => reject(error instanceof ApiStatusError ? error : new KubectlError('EXEC_FAILED', `error: ${error instanceof Error ? error.message : String(error)}`)));
  });
  if (status === undefined || status.status === 'Success') return 0;
  const exitCause = status.details?.causes?.find((cause) => cause.reason === 'ExitCode');
  if (status.reason === 'NonZeroExitCode' && exitCause?.message !== undefined) {
    const code = Number(exitCause.message);
    context.err(`command terminated with exit code ${code}\n`);
    return code;
  }
  throw new KubectlError('EXEC_FAILED', `error: ${status.message ?? 'command failed'}`);
}
