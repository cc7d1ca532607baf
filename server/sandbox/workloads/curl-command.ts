// `curl` inside an emulated pod: the request leaves through the data plane from that pod (its
// sidecar when it has one), and the output follows curl 8.x for the flags Istio's docs use:
// -s -S -i -I -v -o -w -H -X -d -f -L -b -c --max-time --connect-timeout --resolve --retry
// (the last with --retry-delay and --retry-connrefused).
import { STATUS_CODES } from 'node:http';
import { defineCommand } from 'just-bash';
import type { Command, ExecResult } from 'just-bash';
import type { DataPlane, DataPlaneRequest, DataPlaneResult } from '../istio/data-plane/create-data-plane.ts';
import { curlFailure } from '../network/curl-failure.ts';
import { CookieJar, splitSetCookie } from './curl-cookie-jar.ts';

export const CURL_VERSION = '8.16.0';

export interface CurlCommandOptions {
  plane: Pick<DataPlane, 'send'>;
  /** Where the request leaves from: a pod (through its sidecar) or the learner's workstation. */
  from: Pick<DataPlaneRequest, 'fromPod' | 'fromWorkstation'>;
  /** Waits between `--retry` attempts; real time unless a test passes its own. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Wall time for cookie expiry. */
  now?: () => number;
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

interface CurlOptions {
  urls: string[];
  silent: boolean;
  showError: boolean;
  include: boolean;
  head: boolean;
  verbose: boolean;
  fail: boolean;
  location: boolean;
  output?: string;
  writeOut?: string;
  method?: string;
  data?: string;
  headers: string[];
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  resolve: Map<string, string>;
  /** `-b`: literal `name=value` pairs, or files to read cookies from. */
  cookies: string[];
  cookieJar?: string;
  retries: number;
  retryDelayMs?: number;
  retryConnRefused: boolean;
}

class CurlUsageError extends Error {
  readonly code = 'CURL_USAGE';
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

const TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";

// Options that take a value, by short and long name.
const SHORT_WITH_VALUE = new Set(['o', 'w', 'H', 'X', 'd', 'm', 'A', 'e', 'u', 'b', 'c']);
const LONG_ALIASES: Record<string, string> = {
  '--silent': 's', '--show-error': 'S', '--include': 'i', '--head': 'I', '--verbose': 'v', '--fail': 'f',
  '--location': 'L', '--output': 'o', '--write-out': 'w', '--header': 'H', '--request': 'X', '--data': 'd',
  '--data-raw': 'd', '--data-binary': 'd', '--max-time': 'm', '--user-agent': 'A', '--referer': 'e', '--user': 'u',
  '--insecure': 'k', '--http1.1': '', '--compressed': '', '--no-progress-meter': 's', '--cookie': 'b', '--cookie-jar': 'c',
};
// Long options with a value and no short form.
const LONG_WITH_VALUE = new Set(['--connect-timeout', '--resolve', '--retry', '--retry-delay']);

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n < 0) throw new CurlUsageError(`curl: option ${flag}: expected a proper numerical parameter\n${TRY_HELP}`);
  return Math.round(n * 1000);
}

export function parseCurlArgs(args: readonly string[]): CurlOptions {
  const options: CurlOptions = {
    urls: [], silent: false, showError: false, include: false, head: false, verbose: false, fail: false, location: false,
    headers: [], resolve: new Map(), cookies: [], retries: 0, retryConnRefused: false,
  };
  const apply = (flag: string, name: string, value: string | undefined): void => {
    switch (name) {
      case 's': options.silent = true; break;
      case 'S': options.showError = true; break;
      case 'i': options.include = true; break;
      case 'I': options.head = true; break;
      case 'v': options.verbose = true; break;
      case 'f': options.fail = true; break;
      case 'L': options.location = true; break;
      case 'k': case '': break;
      case 'o': options.output = value; break;
      case 'w': options.writeOut = value; break;
      case 'H': options.headers.push(value ?? ''); break;
      case 'X': options.method = value; break;
      case 'd': options.data = options.data === undefined ? value : `${options.data}&${value ?? ''}`; break;
      case 'm': options.maxTimeMs = seconds(flag, value ?? ''); break;
      case 'A': options.headers.push(`User-Agent: ${value ?? ''}`); break;
      case 'e': options.headers.push(`Referer: ${value ?? ''}`); break;
      case 'u': options.headers.push(`Authorization: Basic ${Buffer.from(value ?? '').toString('base64')}`); break;
      case 'connect-timeout': options.connectTimeoutMs = seconds(flag, value ?? ''); break;
      case 'b': options.cookies.push(value ?? ''); break;
      case 'c': options.cookieJar = value; break;
      case 'retry': options.retries = Math.floor(seconds(flag, value ?? '') / 1000); break;
      case 'retry-delay': options.retryDelayMs = seconds(flag, value ?? ''); break;
      case 'retry-connrefused': options.retryConnRefused = true; break;
      case 'resolve': {
        const match = /^([^:]+):(\d+):(.+)$/.exec(value ?? '');
        if (match === null) throw new CurlUsageError(`curl: option --resolve: error encountered when reading a file\n${TRY_HELP}`);
        options.resolve.set(`${(match[1] ?? '').toLowerCase()}:${match[2] ?? ''}`, (match[3] ?? '').replace(/^\[|\]$/g, ''));
        break;
      }
      default: throw new CurlUsageError(`curl: option ${flag}: is unknown\n${TRY_HELP}`);
    }
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const next = (flag: string): string => {
      if (i + 1 >= args.length) throw new CurlUsageError(`curl: option ${flag}: requires parameter\n${TRY_HELP}`);
      i += 1;
      return args[i] ?? '';
    };
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const flag = eq === -1 ? arg : arg.slice(0, eq);
      if (flag === '--url') { options.urls.push(eq === -1 ? next(flag) : arg.slice(eq + 1)); continue; }
      if (LONG_WITH_VALUE.has(flag)) { apply(flag, flag.slice(2), eq === -1 ? next(flag) : arg.slice(eq + 1)); continue; }
      if (flag === '--retry-connrefused') { apply(flag, 'retry-connrefused', undefined); continue; }
      const name = LONG_ALIASES[flag];
      if (name === undefined) throw new CurlUsageError(`curl: option ${flag}: is unknown\n${TRY_HELP}`);
      apply(flag, name, SHORT_WITH_VALUE.has(name) ? (eq === -1 ? next(flag) : arg.slice(eq + 1)) : undefined);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const name = arg[j] ?? '';
        if (SHORT_WITH_VALUE.has(name)) {
          const rest = arg.slice(j + 1);
          apply(`-${name}`, name, rest !== '' ? rest : next(`-${name}`));
          break;
        }
        if (!'sSiIvfLk'.includes(name)) throw new CurlUsageError(`curl: option -${name}: is unknown\n${TRY_HELP}`);
        apply(`-${name}`, name, undefined);
      }
    } else {
      options.urls.push(arg);
    }
  }
  return options;
}

/** `%{http_code}` and friends, and the backslash escapes -w understands. */
function writeOut(format: string, values: Record<string, string>): string {
  return format
    .replace(/%\{([a-z_]+)\}/g, (whole, name: string) => values[name] ?? '')
    .replace(/\\([nrt\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : '\\'));
}

/** curl's `%{time_*}` format: seconds with microsecond digits. */
function secondsText(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(6);
}

/**
 * When the TCP connection was up, from the start of the transfer: a client with a sidecar
 * connects to its own Envoy at once; without one, when the direct connection was accepted.
 * Never connected: 0, as curl reports it.
 */
function connectMs(result: DataPlaneResult): number {
  const hops = result.trace.hops;
  const start = hops[0]?.startMs;
  if (start === undefined || (result.response === undefined && result.error?.phase !== 'transfer')) return 0;
  const outbound = hops.find((h) => h.depth === 0 && (h.kind === 'sidecar-outbound' || h.kind === 'connect'));
  if (outbound === undefined) return 0;
  return (outbound.kind === 'connect' ? (outbound.endMs ?? outbound.startMs) : outbound.startMs) - start;
}

function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}

function headerBlock(result: NonNullable<DataPlaneResult['response']>): string {
  let text = `${statusLine(result.status)}\r\n`;
  for (const [name, value] of Object.entries(result.headers)) text += `${name}: ${value}\r\n`;
  return `${text}\r\n`;
}

/** The address DNS answered with, from the trace's first lookup (`host → name ip`). */
function resolvedAddress(result: DataPlaneResult): string | undefined {
  const hop = result.trace.hops.find((h) => h.depth === 0 && h.kind === 'dns');
  const match = /→ (?:\S+ )?(\S+)$/.exec(hop?.note ?? '');
  return match?.[1];
}

function withScheme(url: string): URL | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`);
  } catch {
    return undefined;
  }
}

const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504, 522, 524]);

/** What `--retry` counts as transient (curl's words for it), or undefined. */
function transientProblem(result: DataPlaneResult, connRefused: boolean): string | undefined {
  if (result.response !== undefined) return RETRIED_STATUSES.has(result.response.status) ? ': HTTP error' : undefined;
  if (result.error === undefined) return undefined;
  const { exitCode } = curlFailure(result.error);
  if (exitCode === 28) return ': timeout';
  if (exitCode === 7 && connRefused) return ': connection refused';
  return undefined;
}

export function createCurlCommand(options: CurlCommandOptions): Command {
  return defineCommand('curl', async (args, ctx): Promise<ExecResult> => {
    let parsed: CurlOptions;
    try {
      parsed = parseCurlArgs(args);
    } catch (error) {
      if (error instanceof CurlUsageError) return { stdout: '', stderr: error.message, exitCode: error.exitCode };
      throw error;
    }
    if (parsed.urls.length === 0) return { stdout: '', stderr: `curl: no URL specified\n${TRY_HELP}`, exitCode: 2 };
    let stdout = '';
    let stderr = '';
    let exitCode = 0;
    const showErrors = !parsed.silent || parsed.showError;
    const emitBody = async (body: string): Promise<void> => {
      if (parsed.output === undefined) stdout += body;
      else if (parsed.output !== '/dev/null') {
        const path = parsed.output.startsWith('/') ? parsed.output : `${ctx.cwd}/${parsed.output}`;
        await ctx.fs.writeFile(path, body);
      }
    };
    const sleep = options.sleep ?? realSleep;
    const now = options.now ?? Date.now;
    const resolvePath = (path: string): string => (path.startsWith('/') ? path : `${ctx.cwd}/${path}`);
    // The cookie engine runs when a cookie file is read or a jar is to be written.
    const literalCookies = parsed.cookies.filter((c) => c.includes('='));
    const cookieFiles = parsed.cookies.filter((c) => !c.includes('='));
    const jar = cookieFiles.length > 0 || parsed.cookieJar !== undefined ? new CookieJar() : undefined;
    for (const file of cookieFiles) {
      // A missing cookie file is not an error for curl: it starts with an empty jar.
      if (jar !== undefined && file !== '-' && (await ctx.fs.exists(resolvePath(file)))) jar.load(await ctx.fs.readFile(resolvePath(file)));
    }
    for (const rawUrl of parsed.urls) {
      let url = withScheme(rawUrl);
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rawUrl)?.[1];
        const message = scheme !== undefined ? `Protocol "${scheme}" not supported` : 'URL rejected: Malformed input to a URL function';
        if (showErrors) stderr += `curl: (${scheme !== undefined ? 1 : 3}) ${message}\n`;
        exitCode = scheme !== undefined ? 1 : 3;
        continue;
      }
      let method = parsed.method ?? (parsed.head ? 'HEAD' : parsed.data !== undefined ? 'POST' : 'GET');
      let body = parsed.data ?? '';
      let code = '000';
      // -w values of the transfer: times span every redirect followed, sizes are the last answer's.
      let totalMs = 0;
      let connectedMs = 0;
      let sizeDownload = 0;
      let contentType = '';
      let remoteIp = '';
      let followed = 0;
      for (let redirects = 0; ; redirects++) {
        followed = redirects;
        const headers: Record<string, string> = { 'user-agent': `curl/${CURL_VERSION}`, accept: '*/*' };
        const cookie = [...literalCookies, jar?.header(url, now())].filter((c) => c !== undefined && c !== '').join('; ');
        if (cookie !== '') headers.cookie = cookie;
        if (parsed.data !== undefined && body !== '') headers['content-type'] = 'application/x-www-form-urlencoded';
        for (const header of parsed.headers) {
          const colon = header.indexOf(':');
          if (colon <= 0) continue;
          const value = header.slice(colon + 1).trim();
          const name = header.slice(0, colon).trim().toLowerCase();
          // `-H "Name:"` removes a header curl would send.
          if (value === '') delete headers[name];
          else headers[name] = value;
        }
        const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const pinned = parsed.resolve.get(`${host.toLowerCase()}:${port}`);
        const target = new URL(url.href);
        if (pinned !== undefined) {
          headers.host ??= url.host;
          target.hostname = pinned.includes(':') ? `[${pinned}]` : pinned;
        }
        const path = `${url.pathname}${url.search}`;
        const send = (): Promise<DataPlaneResult> =>
          options.plane.send({
            ...options.from,
            method,
            url: target.href,
            headers,
            body,
            ...(parsed.maxTimeMs === undefined ? {} : { timeoutMs: parsed.maxTimeMs }),
            ...(parsed.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: parsed.connectTimeoutMs }),
            ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
          });
        let result = await send();
        for (let retry = 0; retry < parsed.retries; retry++) {
          const problem = transientProblem(result, parsed.retryConnRefused);
          if (problem === undefined || ctx.signal?.aborted === true) break;
          // curl's default backoff starts at one second and doubles.
          const delayMs = parsed.retryDelayMs ?? Math.min(1000 * 2 ** retry, 600_000);
          const left = parsed.retries - retry;
          const delaySeconds = Math.floor(delayMs / 1000);
          if (!parsed.silent) stderr += `Warning: Problem ${problem}. Will retry in ${delaySeconds} second${delaySeconds === 1 ? '' : 's'}. ${left} retr${left > 1 ? 'ies' : 'y'} left.\n`;
          await sleep(delayMs, ctx.signal);
          result = await send();
        }
        const setCookie = result.response?.headers['set-cookie'];
        if (jar !== undefined && setCookie !== undefined) for (const value of splitSetCookie(setCookie)) jar.receive(value, url, now());
        const address = pinned ?? resolvedAddress(result);
        if (redirects === 0) connectedMs = connectMs(result);
        totalMs += result.elapsedMs;
        remoteIp = result.response === undefined && result.error?.phase !== 'transfer' ? '' : (address ?? '');
        if (parsed.verbose) {
          if (pinned !== undefined) stderr += `* Added ${host}:${port}:${pinned} to DNS cache\n`;
          if (address !== undefined) {
            stderr += `* Host ${host}:${port} was resolved.\n* IPv6: (none)\n* IPv4: ${address}\n*   Trying ${address}:${port}...\n`;
          }
          if (result.response !== undefined || result.error?.phase === 'transfer') {
            stderr += `* Connected to ${host} (${address ?? host}) port ${port}\n* using HTTP/1.x\n`;
            stderr += `> ${method} ${path} HTTP/1.1\r\n> Host: ${headers.host ?? (url.port === '' ? host : `${host}:${port}`)}\r\n`;
            for (const [name, value] of Object.entries(headers)) {
              if (name === 'host') continue;
              stderr += `> ${name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())}: ${value}\r\n`;
            }
            if (body !== '') stderr += `> Content-Length: ${Buffer.byteLength(body)}\r\n`;
            stderr += '> \r\n';
            if (body !== '') stderr += `* upload completely sent off: ${Buffer.byteLength(body)} bytes\n`;
            else stderr += '* Request completely sent off\n';
          }
        }
        if (result.response === undefined) {
          const failure = curlFailure(result.error ?? (() => { throw new Error('data plane returned neither response nor error'); })());
          if (parsed.verbose) stderr += `* ${failure.message}\n* closing connection #0\n`;
          if (showErrors) stderr += `curl: (${failure.exitCode}) ${failure.message}\n`;
          exitCode = failure.exitCode;
          code = '000';
          break;
        }
        const response = result.response;
        code = String(response.status).padStart(3, '0');
        const headOnly = parsed.head || method === 'HEAD';
        sizeDownload = headOnly ? 0 : Buffer.byteLength(response.body);
        contentType = response.headers['content-type'] ?? '';
        if (parsed.verbose) {
          stderr += `< ${statusLine(response.status)}\r\n`;
          for (const [name, value] of Object.entries(response.headers)) stderr += `< ${name}: ${value}\r\n`;
          stderr += '< \r\n';
        }
        const location = response.headers.location;
        if (parsed.location && location !== undefined && [301, 302, 303, 307, 308].includes(response.status)) {
          if (redirects >= 50) {
            if (showErrors) stderr += 'curl: (47) Maximum (50) redirects followed\n';
            exitCode = 47;
            break;
          }
          if (parsed.include || parsed.head) stdout += headerBlock(response);
          if (parsed.verbose) stderr += `* Connection #0 to host ${host} left intact\n* Issue another request to this URL: '${new URL(location, url).href}'\n`;
          url = new URL(location, url);
          if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
            method = parsed.head ? 'HEAD' : 'GET';
            body = '';
          }
          continue;
        }
        if (parsed.fail && response.status >= 400) {
          if (showErrors) stderr += `curl: (22) The requested URL returned error: ${response.status}\n`;
          exitCode = 22;
          break;
        }
        if (parsed.include || parsed.head) await emitBody(headerBlock(response));
        if (!parsed.head && method !== 'HEAD') await emitBody(response.body);
        if (parsed.verbose) stderr += `* Connection #0 to host ${host} left intact\n`;
        break;
      }
      if (parsed.writeOut !== undefined) {
        stdout += writeOut(parsed.writeOut, {
          http_code: code,
          response_code: code,
          url_effective: url.href,
          exitcode: String(exitCode),
          time_total: secondsText(totalMs),
          time_connect: secondsText(connectedMs),
          size_download: String(sizeDownload),
          content_type: contentType,
          remote_ip: remoteIp,
          num_redirects: String(followed),
        });
      }
    }
    if (jar !== undefined && parsed.cookieJar !== undefined) {
      if (parsed.cookieJar === '-') stdout += jar.serialize();
      else await ctx.fs.writeFile(resolvePath(parsed.cookieJar), jar.serialize());
    }
    return { stdout, stderr, exitCode };
  });
}
