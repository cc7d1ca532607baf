// `kubectl exec` into the workstation pod reaches the learner shell itself: with a TTY an
// interactive shell (as the browser terminal is), without one the command runs like
// `bash -c`. Every other pod goes to the workload runtime's small pod shell.
import type { ExecHandler, ExecRequest, ExecStreams } from '../api-server/pod-exec.ts';
import { asObject } from '../core/json-object.ts';
import type { LearnerShell } from '../shell/learner-shell.ts';
import { WORKSTATION } from './provision-workstation.ts';
import { shellQuote } from '../core/shell-quote.ts';

const SHELLS = new Set(['bash', 'sh', '/bin/bash', '/bin/sh', '/usr/bin/bash']);

function isWorkstation(request: ExecRequest): boolean {
  const meta = asObject(request.pod.metadata);
  return request.namespace === WORKSTATION.namespace && meta.name === WORKSTATION.pod && request.container === WORKSTATION.container;
}

/** The command line to run: `bash -c SCRIPT` runs SCRIPT, anything else runs as typed. */
function scriptOf(command: readonly string[]): string | undefined {
  const [program, flag, script] = command;
  if (program !== undefined && SHELLS.has(program) && flag === '-c' && script !== undefined) return script;
  if (program !== undefined && SHELLS.has(program) && command.length === 1) return undefined;
  return command.map(shellQuote).join(' ');
}

function interactive(shell: LearnerShell, streams: ExecStreams): Promise<number> {
  const tty = shell.openShell({ cols: 80, rows: 24 });
  return new Promise<number>((resolve) => {
    tty.onData((data) => streams.stdout(data));
    tty.onExit((code) => resolve(code));
    streams.onStdin((data) => tty.write(data.toString('utf8')));
    streams.onStdinEnd(() => tty.write('\x04'));
    streams.onResize(({ width, height }) => tty.resize(width, height));
    streams.signal.addEventListener('abort', () => {
      tty.close();
      resolve(129);
    }, { once: true });
  });
}

async function collectStdin(streams: ExecStreams): Promise<string> {
  const chunks: Buffer[] = [];
  return new Promise<string>((resolve) => {
    streams.onStdin((data) => chunks.push(data));
    streams.onStdinEnd(() => resolve(Buffer.concat(chunks).toString('utf8')));
    streams.signal.addEventListener('abort', () => resolve(Buffer.concat(chunks).toString('utf8')), { once: true });
  });
}

export function createWorkstationExec(shell: () => LearnerShell | undefined, others: ExecHandler): ExecHandler {
  return async (request, streams) => {
    if (!isWorkstation(request)) return others(request, streams);
    const learner = shell();
    if (learner === undefined) {
      streams.stderr('the workstation is still starting\n');
      return 1;
    }
    return execInLearnerShell(learner, request, streams);
  };
}

/**
 * Runs an exec request in a learner shell: with a TTY and no command an interactive shell,
 * otherwise the command like `bash -c`. `env` is exported before a command (a pod's env).
 */
export async function execInLearnerShell(learner: LearnerShell, request: ExecRequest, streams: ExecStreams, env: Record<string, string> = {}): Promise<number> {
  {
    const exports = Object.entries(env).map(([name, value]) => `export ${name}=${shellQuote(value)}\n`).join('');
    const typed = scriptOf(request.command);
    const script = typed === undefined ? undefined : `${exports}${typed}`;
    if (script === undefined && request.tty) return interactive(learner, streams);
    const stdin = request.stdin ? await collectStdin(streams) : undefined;
    // `bash` without a TTY reads its script from standard input.
    const running = script === undefined
      ? learner.host.exec(stdin ?? '', { signal: streams.signal })
      : learner.host.exec(script, { ...(stdin !== undefined ? { stdin } : {}), signal: streams.signal });
    const result = await running.result;
    // A TTY's line discipline turns each newline into carriage return + newline.
    const onTerminal = (text: string): string => (request.tty ? text.replace(/(?<!\r)\n/g, '\r\n') : text);
    if (result.stdout !== '') streams.stdout(onTerminal(result.stdout));
    if (result.stderr !== '') streams.stderr(onTerminal(result.stderr));
    return result.exitCode;
  }
}
