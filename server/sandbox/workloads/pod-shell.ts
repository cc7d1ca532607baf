// `kubectl exec` into an emulated container: the command runs in a small bash-compatible
// interpreter (just-bash) over the container's in-memory filesystem, with the container's
// environment and a `curl` that sends through the data plane from this pod. With a TTY and
// stdin (`-it … -- sh`) it is an interactive loop: prompt, line echo, `exit` to leave.
import { Bash, InMemoryFs, defineCommand } from 'just-bash';
import type { ExecRequest, ExecStreams } from '../api-server/pod-exec.ts';
import { describeImage } from '../apps/app-registry.ts';
import { createFortioCommand } from '../apps/fortio-command.ts';
import { createPilotAgentCommand } from '../apps/pilot-agent-command.ts';
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import type { DataPlane } from '../istio/data-plane/create-data-plane.ts';
import { buildClusterNetwork, type ClusterNetwork } from '../network/cluster-network.ts';
import { createCurlCommand } from './curl-command.ts';
import { shellQuote } from '../core/shell-quote.ts';

export interface PodShellOptions {
  plane: DataPlane;
  /** The cluster objects the plane also sees (for the container's env and the Service variables). */
  objects: () => readonly JsonObject[];
}

/** Per command: enough for a loop of curls, not enough to hog the shared process. */
const LIMITS = {
  maxCommandCount: 10_000,
  maxLoopIterations: 10_000,
  maxCallDepth: 100,
  maxOutputSize: 4 * 1024 * 1024,
};
const MAX_LINE_BYTES = 64 * 1024;
const SHELLS = new Set(['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash', '/usr/bin/bash']);

function envName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** The variables the kubelet sets for each Service in the pod's namespace (enableServiceLinks). */
function serviceEnv(network: ClusterNetwork, namespace: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const service of network.services) {
    if (service.namespace !== namespace || service.clusterIP === '' || service.clusterIP === 'None') continue;
    const prefix = envName(service.name);
    const first = service.ports[0];
    if (first === undefined) continue;
    env[`${prefix}_SERVICE_HOST`] = service.clusterIP;
    env[`${prefix}_SERVICE_PORT`] = String(first.port);
    env[`${prefix}_PORT`] = `${first.protocol.toLowerCase()}://${service.clusterIP}:${first.port}`;
    for (const port of service.ports) {
      if (port.name !== '') env[`${prefix}_SERVICE_PORT_${envName(port.name)}`] = String(port.port);
      const key = `${prefix}_PORT_${port.port}_${port.protocol.toUpperCase()}`;
      env[key] = `${port.protocol.toLowerCase()}://${service.clusterIP}:${port.port}`;
      env[`${key}_PROTO`] = port.protocol.toLowerCase();
      env[`${key}_PORT`] = String(port.port);
      env[`${key}_ADDR`] = service.clusterIP;
    }
  }
  return env;
}

/** A pod incarnation: its uid, so a new pod of the same name starts with a fresh filesystem. */
function podIdentity(pod: JsonObject): string {
  const meta = asObject(pod.metadata);
  return typeof meta.uid === 'string' ? meta.uid : `${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`;
}

export function createPodShell(options: PodShellOptions): (request: ExecRequest, streams: ExecStreams) => Promise<number> {
  // A container's writable layer outlives each exec, as on a node: a file one `kubectl exec`
  // writes (a curl cookie jar, say) is there for the next, until the pod is gone.
  const filesystems = new Map<string, InMemoryFs>();
  const containerFs = async (pod: JsonObject, container: string, name: string, namespace: string, workingDir: string): Promise<InMemoryFs> => {
    const key = `${podIdentity(pod)}\0${container}`;
    const existing = filesystems.get(key);
    if (existing !== undefined) {
      existing.mkdirSync(workingDir, { recursive: true });
      return existing;
    }
    const live = new Set(options.objects().filter((o) => o.kind === 'Pod').map(podIdentity));
    for (const known of filesystems.keys()) if (!live.has(known.slice(0, known.indexOf('\0')))) filesystems.delete(known);
    const fs = new InMemoryFs();
    for (const dir of ['/tmp', '/root', '/etc', workingDir]) fs.mkdirSync(dir, { recursive: true });
    await fs.writeFile('/etc/hostname', `${name}\n`);
    await fs.writeFile('/etc/resolv.conf', `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
    filesystems.set(key, fs);
    return fs;
  };
  return async (request, streams) => {
    // Listen before the first await: stdin that arrives while the shell sets up is kept.
    const input = bufferedInput(streams);
    const meta = asObject(request.pod.metadata);
    const name = String(meta.name ?? '');
    const namespace = request.namespace;
    const network = buildClusterNetwork(options.objects());
    const container = network.pod(name, namespace)?.containers.find((c) => c.name === request.container);
    const spec = asArray(asObject(request.pod.spec).containers).map(asObject).find((c) => c.name === request.container);
    const workingDir = typeof spec?.workingDir === 'string' && spec.workingDir !== '' ? spec.workingDir : '/';
    const env: Record<string, string> = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOSTNAME: name,
      HOME: '/root',
      ...serviceEnv(network, namespace),
      ...(container?.env ?? {}),
    };
    if (request.tty) env.TERM = 'xterm';
    const fs = await containerFs(request.pod, request.container, name, namespace, workingDir);
    const bash = new Bash({
      fs,
      cwd: workingDir,
      env,
      customCommands: [
        createCurlCommand({ plane: options.plane, from: { fromPod: { name, namespace } } }),
        // The fortio image's own binary (`fortio` or `/usr/bin/fortio`), only in its containers.
        ...(container !== undefined && describeImage(container.image).app === 'fortio' ? [createFortioCommand({ plane: options.plane, from: { fromPod: { name, namespace } } })] : []),
        ...(request.container === 'istio-proxy' ? [createPilotAgentCommand({ plane: options.plane, pod: { name, namespace } })] : []),
        defineCommand('hostname', async () => ({ stdout: `${name}\n`, stderr: '', exitCode: 0 })),
      ],
      executionLimits: LIMITS,
    });
    let state: { env: Record<string, string>; cwd: string } = { env: { ...env, PWD: workingDir }, cwd: workingDir };
    const run = async (script: string): Promise<{ stdout: string; stderr: string; exitCode: number }> => {
      const result = await bash.exec(script, { env: state.env, replaceEnv: true, cwd: state.cwd, signal: streams.signal });
      state = { env: result.env, cwd: result.env.PWD ?? state.cwd };
      return result;
    };

    const [program, ...rest] = request.command;
    const interactive = SHELLS.has(program ?? '') && rest.length === 0 && request.stdin;
    if (!interactive) {
      let script = request.command.map(shellQuote).join(' ');
      if (SHELLS.has(program ?? '') && rest[0] === '-c') script = rest[1] ?? '';
      else if (SHELLS.has(program ?? '') && rest.length === 0) script = '';
      const result = await run(script);
      streams.stdout(result.stdout);
      streams.stderr(result.stderr);
      return result.exitCode;
    }
    return interactiveLoop(request.tty, streams, input, run);
  };
}

interface BufferedInput {
  onData(listener: (data: Buffer) => void): void;
  onEnd(listener: () => void): void;
}

/** Holds stdin (and its end) until the reader subscribes, then passes it straight through. */
function bufferedInput(streams: ExecStreams): BufferedInput {
  const pending: Buffer[] = [];
  let ended = false;
  let dataListener: ((data: Buffer) => void) | undefined;
  let endListener: (() => void) | undefined;
  streams.onStdin((data) => {
    if (dataListener === undefined) pending.push(data);
    else dataListener(data);
  });
  streams.onStdinEnd(() => {
    ended = true;
    endListener?.();
  });
  return {
    onData(listener) {
      dataListener = listener;
      for (const data of pending.splice(0)) listener(data);
    },
    onEnd(listener) {
      endListener = listener;
      if (ended) listener();
    },
  };
}

/**
 * Reads lines from stdin and runs each one. With a TTY the terminal is in raw mode on the
 * client, so this side does what the kernel's line discipline would: echo, backspace, Ctrl-C,
 * Ctrl-D, and CRLF on output.
 */
function interactiveLoop(tty: boolean, streams: ExecStreams, input: BufferedInput, run: (script: string) => Promise<{ stdout: string; stderr: string; exitCode: number }>): Promise<number> {
  const prompt = '# ';
  const out = (text: string): void => streams.stdout(tty ? text.replace(/\r?\n/g, '\r\n') : text);
  const err = (text: string): void => streams.stderr(tty ? text.replace(/\r?\n/g, '\r\n') : text);
  return new Promise((resolve) => {
    let line = '';
    let lastCode = 0;
    let busy = false;
    let done = false;
    const queue: string[] = [];
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      resolve(code);
    };
    const next = async (): Promise<void> => {
      if (busy || done) return;
      const command = queue.shift();
      if (command === undefined) return;
      busy = true;
      const exit = /^\s*exit(?:\s+(\d+))?\s*$/.exec(command);
      if (exit !== null) {
        finish(exit[1] === undefined ? lastCode : Number(exit[1]) & 0xff);
        return;
      }
      if (command.trim() !== '') {
        try {
          const result = await run(command);
          out(result.stdout);
          err(result.stderr);
          lastCode = result.exitCode;
        } catch (error) {
          err(`sh: ${error instanceof Error ? error.message : String(error)}\n`);
          lastCode = 1;
        }
      }
      busy = false;
      if (tty) out(prompt);
      void next();
    };
    if (tty) out(prompt);
    input.onData((data) => {
      const text = data.toString('utf8');
      for (const ch of text) {
        if (done) return;
        if (!tty) {
          if (ch === '\n') {
            queue.push(line);
            line = '';
          } else if (line.length < MAX_LINE_BYTES) line += ch;
          continue;
        }
        if (ch === '\r' || ch === '\n') {
          out('\n');
          queue.push(line);
          line = '';
        } else if (ch === '\x7f' || ch === '\b') {
          if (line.length > 0) {
            line = line.slice(0, -1);
            streams.stdout('\b \b');
          }
        } else if (ch === '\x03') {
          streams.stdout('^C\r\n');
          line = '';
          if (!busy) out(prompt);
        } else if (ch === '\x04') {
          if (line === '' && !busy && queue.length === 0) {
            out('\n');
            finish(lastCode);
          }
        } else if (ch >= ' ' && line.length < MAX_LINE_BYTES) {
          line += ch;
          streams.stdout(ch);
        }
      }
      void next();
    });
    input.onEnd(() => {
      if (!tty && line !== '') queue.push(line);
      queue.push('exit');
      void next();
    });
    streams.signal.addEventListener('abort', () => finish(lastCode), { once: true });
  });
}
