// Per-invocation state of istioctl: the shell's io, the parsed global flags and the cluster
// reached through the kubeconfig (`-c/--kubeconfig`, else the one the shell found).
import { ApiClient, resolveClusterTarget, type ClusterTarget } from '../kubectl/api-client.ts';
import type { KubectlIo } from '../kubectl/kubectl-context.ts';
import { flagString, type ParsedFlags } from './istioctl-flags.ts';
import { IstioApi } from './istio-api.ts';
import { IstioctlError } from './istioctl-error.ts';

/** What istioctl may touch of its surroundings: what the shell gives kubectl, plus writing files (`kube-inject -o`). */
export interface IstioctlIo extends KubectlIo {
  writeFile?(path: string, text: string): Promise<void>;
  /** Output reaches a terminal as it is written, so progress may be redrawn in place. */
  terminal?: boolean;
}

export class IstioctlContext {
  readonly io: IstioctlIo;
  readonly flags: ParsedFlags;
  #target: ClusterTarget | undefined;
  #api: IstioApi | undefined;

  constructor(io: IstioctlIo, flags: ParsedFlags) {
    this.io = io;
    this.flags = flags;
  }

  out(text: string): void {
    this.io.stdout(text);
  }

  err(text: string): void {
    this.io.stderr(text);
  }

  async #kubeconfig(): Promise<string> {
    const path = flagString(this.flags, 'kubeconfig');
    if (path === undefined) return this.io.kubeconfig;
    const absolute = path.startsWith('/') ? path : `${this.io.cwd.replace(/\/+$/, '')}/${path}`;
    const text = await this.io.readFile(absolute);
    if (text === undefined) throw new IstioctlError('KUBECONFIG_MISSING', `stat ${path}: no such file or directory`);
    return text;
  }

  async target(): Promise<ClusterTarget> {
    this.#target ??= resolveClusterTarget(await this.#kubeconfig(), flagString(this.flags, 'context'));
    return this.#target;
  }

  async api(): Promise<IstioApi> {
    if (this.#api === undefined) {
      const options: ConstructorParameters<typeof ApiClient>[1] = { onWarning: (text) => this.err(`Warning: ${text}\n`) };
      if (this.io.signal !== undefined) options.signal = this.io.signal;
      this.#api = new IstioApi(new ApiClient(await this.target(), options));
    }
    return this.#api;
  }

  /** `-n`, else the kubeconfig context's namespace (istioctl's defaultNamespace). */
  async namespace(): Promise<string> {
    return flagString(this.flags, 'namespace') ?? (await this.target()).namespace;
  }

  get istioNamespace(): string {
    return flagString(this.flags, 'istioNamespace') ?? 'istio-system';
  }

  /** Reads a file named on the command line, relative to the shell's working directory. */
  async readFile(path: string): Promise<string | undefined> {
    if (path === '-') return this.io.stdin;
    return await this.io.readFile(path.startsWith('/') ? path : `${this.io.cwd.replace(/\/+$/, '')}/${path}`);
  }
}
