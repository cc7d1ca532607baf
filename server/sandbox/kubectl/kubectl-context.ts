import { ApiClient, resolveClusterTarget, type ClusterTarget } from './api-client.ts';
import { Discovery } from './discovery.ts';
import { flagString, type ParsedFlags } from './flag-parser.ts';

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
    this.#client ??= new ApiClient(this.target, options);
    return this.#client;
  }

  discovery(): Promise<Discovery> {
    this.#discovery ??= Discovery.load(this.client);
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
