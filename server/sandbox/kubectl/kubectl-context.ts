import { ApiClient, resolveClusterTarget, type ClusterTarget } from './api-client.ts';
import { Discovery } from './discovery.ts';
import type { SocketConnect } from './exec-socket.ts';
import { flagList, flagString, type ParsedFlags } from './flag-parser.ts';

/** kubectl keeps its discovery cache for six hours; a shell session is shorter-lived. */
const DISCOVERY_TTL_MS = 10 * 60_000;

/** What kubectl may touch of its surroundings; the shell supplies it. */
export interface KubectlIo {
  stdin: string;
  env: Record<string, string>;
  cwd: string;
  /** Text of a file (absolute path), undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Entries of a directory (names), undefined when it is not a directory. */
  listDir?(path: string): Promise<string[] | undefined>;
  /** The kubeconfig YAML text. */
  kubeconfig: string;
  /** Receives the new kubeconfig text after `config set-context` and friends. */
  writeKubeconfig?(text: string): Promise<void> | void;
  signal?: AbortSignal;
  /**
   * Every HTTP request to the cluster goes through this (default: the global fetch), so the
   * shell can confine kubectl to its own cluster whatever kubeconfig the learner writes.
   */
  fetch?: typeof fetch;
  /**
   * Opens the WebSocket of `exec` (default: the `ws` client), for the same reason as `fetch`.
   * Receives the ws:// URL, the subprotocols and the `ws` options carrying the credentials.
   */
  connect?: SocketConnect;
  /**
   * Discovery kept between invocations, per server, like kubectl's ~/.kube/cache: pass the
   * same Map to every call of one shell. Refreshed when a resource name is not found.
   */
  discoveryCache?: Map<string, { discovery: Discovery; loadedAt: number }>;
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

/** Per-invocation state shared by the commands: the parsed global flags, client and discovery. */
export class KubectlContext {
  readonly io: KubectlIo;
  readonly flags: ParsedFlags;
  #target: ClusterTarget | undefined;
  #client: ApiClient | undefined;
  #discovery: Promise<Discovery> | undefined;

  constructor(io: KubectlIo, flags: ParsedFlags) {
    this.io = io;
    this.flags = flags;
  }

  out(text: string): void {
    this.io.stdout(text);
  }

  err(text: string): void {
    this.io.stderr(text);
  }

  get target(): ClusterTarget {
    this.#target ??= resolveClusterTarget(this.io.kubeconfig, flagString(this.flags, 'context'));
    return this.#target;
  }

  get client(): ApiClient {
    const options: ConstructorParameters<typeof ApiClient>[1] = { onWarning: (text) => this.err(`Warning: ${text}\n`) };
    if (this.io.signal !== undefined) options.signal = this.io.signal;
    if (this.io.fetch !== undefined) options.fetch = this.io.fetch;
    if (this.#client === undefined) {
      this.#client = new ApiClient(this.target, options);
      // --as: the API server answers as the impersonated user (if we may impersonate).
      const as = flagString(this.flags, 'as');
      if (as !== undefined && as !== '') this.#client.headers['Impersonate-User'] = as;
      const groups = flagList(this.flags, 'as-group');
      if (groups.length > 0) this.#client.headers['Impersonate-Group'] = groups.join(', ');
      const uid = flagString(this.flags, 'as-uid');
      if (uid !== undefined && uid !== '') this.#client.headers['Impersonate-Uid'] = uid;
    }
    return this.#client;
  }

  discovery(): Promise<Discovery> {
    this.#discovery ??= this.#loadDiscovery();
    return this.#discovery;
  }

  async #loadDiscovery(): Promise<Discovery> {
    const cache = this.io.discoveryCache;
    const cached = cache?.get(this.target.server);
    if (cached !== undefined && Date.now() - cached.loadedAt < DISCOVERY_TTL_MS) {
      this.discoveryFromCache = true;
      return cached.discovery;
    }
    const discovery = await Discovery.load(this.client);
    cache?.set(this.target.server, { discovery, loadedAt: Date.now() });
    return discovery;
  }

  /** Whether discovery came from the cache (and so may miss a CRD created since). */
  discoveryFromCache = false;

  /** Drops the cached catalogue, as kubectl does when a name is not found, and loads it again. */
  refreshDiscovery(): Promise<Discovery> {
    this.io.discoveryCache?.delete(this.target.server);
    this.discoveryFromCache = false;
    this.#discovery = this.#loadDiscovery();
    return this.#discovery;
  }

  /** `-n`, else the context's namespace. */
  get namespace(): string {
    return flagString(this.flags, 'namespace') ?? this.target.namespace;
  }

  get explicitNamespace(): boolean {
    return flagString(this.flags, 'namespace') !== undefined;
  }
}
