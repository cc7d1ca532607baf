// The `fortio` binary of the fortio/fortio image, as Istio's circuit-breaking task runs it in
// the fortio pod: `fortio curl [-quiet] URL` prints one response, `fortio load -c C -qps Q
// -n N|-t D URL` runs C concurrent connections through the pod's sidecar and prints fortio's
// report (call-time histogram, sockets, `Code 200 : N (X %)` lines, sizes, qps).
//
// The data plane gives hops no network time, so each call here takes the time a request
// spends on the wire between fortio, its sidecar and the server: a jittered few milliseconds
// (and a fraction of one to open a socket), waited before the request enters the plane. That
// spacing is what lets a circuit breaker see one request still pending when the other thread's
// next one arrives, as on a real mesh.
import { STATUS_CODES } from 'node:http';
import { defineCommand } from 'just-bash';
import type { Command, ExecResult } from 'just-bash';
import type { DataPlane, DataPlaneRequest, DataPlaneResult } from '../istio/data-plane/create-data-plane.ts';
import { curlFailure } from '../network/curl-failure.ts';
import { createCounter, createHistogram, goG } from './fortio-stats.ts';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';

export const FORTIO_VERSION = '1.69.0';
/** GOMAXPROCS fortio reports: the sandbox node's CPUs. */
const PROCS = 2;
/** Wire time of one call (request out, response back), jittered within this range. */
const CALL_WIRE_MS = { min: 1.5, max: 6 };
/** Opening a new socket to the local sidecar. */
const SOCKET_CONNECT_MS = { min: 0.08, max: 0.25 };

export interface FortioCommandOptions {
  plane: Pick<DataPlane, 'send'>;
  from: Pick<DataPlaneRequest, 'fromPod' | 'fromWorkstation'>;
  /** Wall time in milliseconds, fractional where the clock allows; real time by default. */
  now?: () => number;
  /** Waits on the same clock; real timers by default. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1); Math.random by default. */
  random?: () => number;
}

class FortioUsageError extends Error {
  readonly code = 'FORTIO_USAGE';
}

const LOG_LEVELS = ['Debug', 'Verbose', 'Info', 'Warning', 'Error', 'Critical', 'Fatal'];

interface LoadFlags {
  threads: number;
  qps: number;
  calls?: number;
  durationMs: number;
  logLevel: number;
  quiet: boolean;
  headers: Array<[string, string]>;
  url: string;
}

/** Go's flag package: `-name value`, `-name=value`, `--name`; booleans take no value. */
function parseFlags(args: readonly string[], booleans: ReadonlySet<string>): { flags: Map<string, string[]>; rest: string[] } {
  const flags = new Map<string, string[]>();
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (booleans.has(name)) value = 'true';
    else {
      const next = args[i + 1];
      if (next === undefined) throw new FortioUsageError(`flag needs an argument: -${name}`);
      value = next;
      i++;
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { flags, rest: args.slice(i) };
}

const KNOWN = new Set(['c', 'qps', 'n', 't', 'loglevel', 'quiet', 'H', 'a', 'r', 'p', 'json', 'keepalive', 'timeout', 'uniform', 'jitter', 'nocatchup', 'allow-initial-errors', 'abort-on', 'k', 'http1.0', 'stdclient', 'compression', 'resolve']);

export function parseLoadFlags(args: readonly string[]): LoadFlags {
  const { flags, rest } = parseFlags(args, new Set(['quiet', 'a', 'keepalive', 'uniform', 'jitter', 'nocatchup', 'allow-initial-errors', 'k', 'http1.0', 'stdclient', 'compression']));
  for (const name of flags.keys()) if (!KNOWN.has(name)) throw new FortioUsageError(`flag provided but not defined: -${name}`);
  const last = (name: string): string | undefined => flags.get(name)?.at(-1);
  const number = (name: string, fallback: number): number => {
    const text = last(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new FortioUsageError(`invalid value "${text}" for flag -${name}: parse error`);
    return n;
  };
  const url = rest[0];
  if (url === undefined) throw new FortioUsageError('Error: fortio load needs a url or destination');
  const levelText = last('loglevel') ?? 'Info';
  const logLevel = LOG_LEVELS.findIndex((l) => l.toLowerCase() === levelText.toLowerCase());
  if (logLevel < 0) throw new FortioUsageError(`invalid value "${levelText}" for flag -loglevel: Invalid level`);
  const durationText = last('t');
  const durationMs = durationText === undefined ? 5000 : parseGoDuration(durationText);
  if (durationMs === undefined) throw new FortioUsageError(`invalid value "${durationText}" for flag -t: parse error`);
  const calls = last('n') === undefined ? undefined : number('n', 0);
  const headers: Array<[string, string]> = [];
  for (const header of flags.get('H') ?? []) {
    const colon = header.indexOf(':');
    if (colon > 0) headers.push([header.slice(0, colon).trim().toLowerCase(), header.slice(colon + 1).trim()]);
  }
  return { threads: Math.max(1, Math.floor(number('c', 4))), qps: number('qps', 8), ...(calls === undefined || calls <= 0 ? {} : { calls: Math.floor(calls) }), durationMs, logLevel, quiet: flags.has('quiet'), headers, url: /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}` };
}

interface Call {
  code: number;
  durationMs: number;
  headerBytes: number;
  totalBytes: number;
}

function statusText(result: DataPlaneResult): number {
  return result.response?.status ?? -1;
}

function headerBytes(response: NonNullable<DataPlaneResult['response']>): number {
  let size = `HTTP/1.1 ${response.status} \r\n`.length;
  for (const [name, value] of Object.entries(response.headers)) size += Buffer.byteLength(`${name}: ${value}\r\n`);
  return size + 2;
}

function resolvedAddress(result: DataPlaneResult): string | undefined {
  const hop = result.trace.hops.find((h) => h.depth === 0 && h.kind === 'dns');
  return /→ (?:\S+ )?(\S+)$/.exec(hop?.note ?? '')?.[1];
}

/** Seconds from milliseconds, at Go's nanosecond resolution. */
function secondsFromMs(ms: number): number {
  return Math.round(ms * 1e6) / 1e9;
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `fortio ARGS` from the pod; the command's stdout, stderr and exit code. */
export async function runFortio(args: readonly string[], options: FortioCommandOptions, signal?: AbortSignal): Promise<ExecResult> {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const jitter = (range: { min: number; max: number }): number => range.min + random() * (range.max - range.min);
  // Fortio logs JSON lines to stderr; `r` is the goroutine that logged.
  const log = (level: string, file: string, line: number, goroutine: number, msg: string, extra: Record<string, unknown> = {}): string =>
    `{"ts":${(now() / 1000).toFixed(6)},${JSON.stringify({ level, r: goroutine, file, line, msg, ...extra }).slice(1)}\n`;
  const send = (url: string, headers: Array<[string, string]>): Promise<DataPlaneResult> => {
    const host = new URL(url).host;
    const all: Record<string, string> = { host, 'user-agent': `fortio.org/fortio-${FORTIO_VERSION}` };
    for (const [name, value] of headers) all[name] = value;
    return options.plane.send({ ...options.from, method: 'GET', url, headers: all, body: '', ...(signal === undefined ? {} : { signal }) });
  };

  const [mode, ...rest] = args;
  try {
    if (mode === 'version') return { stdout: `${FORTIO_VERSION} 2025-01-01 go1.23.4 amd64 linux\n`, stderr: '', exitCode: 0 };
    if (mode === 'curl') {
      const { flags, rest: positional } = parseFlags(rest, new Set(['quiet', 'a', 'k', 'http1.0', 'stdclient', 'compression']));
      const target = positional[0];
      if (target === undefined) throw new FortioUsageError('Error: fortio curl needs a url or destination');
      const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : `http://${target}`;
      const headers: Array<[string, string]> = [];
      for (const header of flags.get('H') ?? []) {
        const colon = header.indexOf(':');
        if (colon > 0) headers.push([header.slice(0, colon).trim().toLowerCase(), header.slice(colon + 1).trim()]);
      }
      const quiet = flags.has('quiet');
      let stderr = quiet ? '' : log('info', 'scli.go', 122, 1, 'Starting', { command: 'Φορτίο', version: `${FORTIO_VERSION} 2025-01-01 go1.23.4 amd64 linux`, go: 'go1.23.4', arch: 'amd64', os: 'linux' });
      await sleep(jitter(SOCKET_CONNECT_MS) + jitter(CALL_WIRE_MS), signal);
      const result = await send(url, headers);
      if (result.response === undefined) {
        const failure = result.error === undefined ? 'no response' : curlFailure(result.error).message;
        stderr += log('err', 'http_client.go', 873, 1, 'Unable to connect', { dest: url, err: failure });
        return { stdout: '', stderr, exitCode: 1 };
      }
      const response = result.response;
      let stdout = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd() + '\r\n';
      for (const [name, value] of Object.entries(response.headers)) stdout += `${name}: ${value}\r\n`;
      stdout += `\r\n${response.body}`;
      if (response.status !== 200) stderr += log('warn', 'http_client.go', 1104, 1, 'Non ok http code', { code: response.status, status: `HTTP/1.1 ${response.status}` });
      return { stdout, stderr, exitCode: response.status === 200 ? 0 : 1 };
    }
    if (mode === 'load') return await load(parseLoadFlags(rest));
    if (mode === undefined || mode === 'help' || mode === '-h' || mode === '--help') {
      return { stdout: '', stderr: `Φορτίο ${FORTIO_VERSION} usage:\n\tfortio command [flags] target\nwhere command is one of: load (load testing), curl (single URL debug), version\n`, exitCode: mode === undefined ? 1 : 0 };
    }
    throw new FortioUsageError(`Error: unknown command ${JSON.stringify(mode)}`);
  } catch (error) {
    if (error instanceof FortioUsageError) return { stdout: '', stderr: `${error.message}\n`, exitCode: 1 };
    throw error;
  }

  async function load(flags: LoadFlags): Promise<ExecResult> {
    let stderr = '';
    let stdout = '';
    if (flags.logLevel !== 2) stderr += log('info', 'logger.go', 254, 1, `Log level is now ${flags.logLevel} ${LOG_LEVELS[flags.logLevel]} (was 2 Info)`);
    const maxQps = flags.qps <= 0;
    const target = flags.calls === undefined ? `for ${formatGoDuration(flags.durationMs)}` : `for ${flags.calls} calls`;
    stdout += `Fortio ${FORTIO_VERSION} running at ${goG(maxQps ? 0 : flags.qps)} queries per second, ${PROCS}->${PROCS} procs, ${target}: ${flags.url}\n`;
    const pace = maxQps ? 'max qps' : `${goG(flags.qps)} qps`;
    let perThread: number | undefined;
    let extra = 0;
    if (flags.calls !== undefined) {
      perThread = Math.floor(flags.calls / flags.threads);
      extra = flags.calls % flags.threads;
      stdout += `Starting at ${pace} with ${flags.threads} thread(s) [gomax ${PROCS}] for exactly ${flags.calls} calls (${perThread} per thread + ${extra})\n`;
    } else if (!maxQps) {
      // A paced run for a duration knows its calls up front: qps × seconds, split evenly.
      perThread = Math.floor((flags.qps * flags.durationMs) / 1000 / flags.threads);
      stdout += `Starting at ${pace} with ${flags.threads} thread(s) [gomax ${PROCS}] for ${formatGoDuration(flags.durationMs)} : ${perThread} calls each (total ${perThread * flags.threads})\n`;
    } else stdout += `Starting at ${pace} with ${flags.threads} thread(s) [gomax ${PROCS}] for ${formatGoDuration(flags.durationMs)}\n`;
    const started = now();
    const calls: Call[] = [];
    const connectTimes = createCounter();
    const sockets: Array<{ count: number; connect: ReturnType<typeof createCounter>; address: string }> = [];
    const host = new URL(flags.url);
    const port = host.port === '' ? (host.protocol === 'https:' ? '443' : '80') : host.port;
    const thread = async (index: number): Promise<void> => {
      const socket = { count: 0, connect: createCounter(), address: '' };
      sockets[index] = socket;
      const mine = perThread === undefined ? Number.POSITIVE_INFINITY : perThread + (index < extra ? 1 : 0);
      const interval = maxQps ? 0 : (1000 * flags.threads) / flags.qps;
      let connected = false;
      for (let run = 0; run < mine; run++) {
        if (signal?.aborted === true) return;
        if (flags.calls === undefined && now() - started >= flags.durationMs) return;
        if (interval > 0) {
          const due = started + run * interval;
          if (due > now()) await sleep(due - now(), signal);
        }
        const callStart = now();
        if (!connected) {
          const connectMs = jitter(SOCKET_CONNECT_MS);
          await sleep(connectMs, signal);
          socket.count++;
          socket.connect.record(secondsFromMs(connectMs));
          connectTimes.record(secondsFromMs(connectMs));
          connected = true;
        }
        await sleep(jitter(CALL_WIRE_MS), signal);
        const result = await send(flags.url, flags.headers);
        const durationMs = now() - callStart;
        const code = statusText(result);
        const response = result.response;
        socket.address ||= `${resolvedAddress(result) ?? host.hostname}:${port}`;
        const headerSize = response === undefined ? 0 : headerBytes(response);
        const total = response === undefined ? 0 : headerSize + Buffer.byteLength(response.body);
        // Fortio counts header bytes of good answers only, and drops the connection after a bad one.
        calls.push({ code, durationMs, headerBytes: code === 200 ? headerSize : 0, totalBytes: total });
        if (code !== 200) {
          connected = false;
          if (flags.logLevel <= 3) {
            stderr += response === undefined
              ? log('err', 'http_client.go', 873, index + 10, 'Unable to connect', { dest: flags.url, err: result.error === undefined ? 'no response' : curlFailure(result.error).message, thread: index, run })
              : log('warn', 'http_client.go', 1104, index + 10, 'Non ok http code', { code, status: `HTTP/1.1 ${code}`, thread: index, run });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: flags.threads }, (_, i) => thread(i)));
    const elapsedMs = Math.max(now() - started, 1e-3);
    const qps = calls.length / (elapsedMs / 1000);
    stdout += `Ended after ${formatGoDuration(Math.round(elapsedMs * 1e6) / 1e6)} : ${calls.length} calls. qps=${goG(qps, 5)}\n`;
    const times = createHistogram(0.001);
    const errors = createHistogram(0.001);
    for (const call of calls) {
      times.record(secondsFromMs(call.durationMs));
      if (call.code !== 200) errors.record(secondsFromMs(call.durationMs));
    }
    stdout += `${times.lines('Aggregated Function Time').join('\n')}\n`;
    stdout += errors.counter.count === 0 ? 'Error cases : no data\n' : `${errors.lines('Error cases').join('\n')}\n`;
    stdout += '# Socket and IP used for each connection:\n';
    let socketTotal = 0;
    const addresses = new Map<string, number>();
    sockets.forEach((socket, i) => {
      socketTotal += socket.count;
      if (socket.count > 0) addresses.set(socket.address, (addresses.get(socket.address) ?? 0) + socket.count);
      stdout += `[${i}] ${String(socket.count).padStart(3)} socket used, resolved to ${socket.address}, ${socket.connect.line('connection timing')}\n`;
    });
    stdout += `${connectTimes.line('Connection time (s)')}\n`;
    stdout += `Sockets used: ${socketTotal} (for perfect keepalive, would be ${flags.threads})\n`;
    stdout += 'Uniform: false, Jitter: false, Catchup allowed: true\n';
    stdout += 'IP addresses distribution:\n';
    for (const [address, count] of addresses) stdout += `${address}: ${count}\n`;
    const codes = new Map<number, number>();
    for (const call of calls) codes.set(call.code, (codes.get(call.code) ?? 0) + 1);
    for (const [code, count] of [...codes].sort((a, b) => a[0] - b[0])) stdout += `Code ${code} : ${count} (${((100 * count) / calls.length).toFixed(1)} %)\n`;
    const headerSizes = createCounter();
    const totalSizes = createCounter();
    for (const call of calls) {
      headerSizes.record(call.headerBytes);
      totalSizes.record(call.totalBytes);
    }
    stdout += `${headerSizes.line('Response Header Sizes')}\n${totalSizes.line('Response Body/Total Sizes')}\n`;
    stdout += `All done ${calls.length} calls (avg ${(times.counter.avg() * 1000).toFixed(1)} ms): ${qps.toFixed(1)} qps\n`;
    return { stdout, stderr, exitCode: 0 };
  }
}

/** `fortio` (also reached as `/usr/bin/fortio`) for a container of the fortio image. */
export function createFortioCommand(options: FortioCommandOptions): Command {
  return defineCommand('fortio', (args, ctx) => runFortio(args, options, ctx.signal));
}
