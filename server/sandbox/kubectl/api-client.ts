// Authenticated raw HTTP to the cluster named by a kubeconfig. The typed APIs of
// client-node cannot ask for server-side Tables (`as=Table`), so requests are made here with
// the server address and credentials the kubeconfig gives.
import { KubeConfig } from '@kubernetes/client-node';
import { ApiStatusError, KubectlError, type ApiStatus } from './kubectl-error.ts';

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const MAX_ATTEMPTS = 10;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

export interface ApiRequest {
  method?: string;
  path: string;
  accept?: string;
  contentType?: string;
  body?: unknown;
}

export interface ApiResponse {
  status: number;
  text: string;
  warnings: string[];
}

export interface ClusterTarget {
  server: string;
  token: string | undefined;
  /** The namespace of the current context, `default` when unset. */
  namespace: string;
  contextName: string;
}

/** Reads the current context out of kubeconfig YAML through client-node's KubeConfig. */
export function resolveClusterTarget(kubeconfig: string, contextOverride?: string): ClusterTarget {
  const config = new KubeConfig();
  try {
    config.loadFromString(kubeconfig);
  } catch (error) {
    throw new KubectlError('KUBECONFIG_INVALID', `error: error loading config file: ${(error as Error).message}`);
  }
  if (contextOverride !== undefined) {
    if (config.getContextObject(contextOverride) === null) {
      throw new KubectlError('CONTEXT_NOT_FOUND', `error: context "${contextOverride}" does not exist`);
    }
    config.setCurrentContext(contextOverride);
  }
  const contextName = config.getCurrentContext();
  const context = config.getContextObject(contextName);
  const cluster = config.getCurrentCluster();
  if (cluster === null || context === null) {
    throw new KubectlError(
      'NO_CLUSTER',
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
    );
  }
  const user = config.getCurrentUser();
  return {
    server: cluster.server.replace(/\/+$/, ''),
    token: user?.token,
    namespace: context.namespace ?? 'default',
    contextName,
  };
}

export class ApiClient {
  readonly target: ClusterTarget;
  readonly signal: AbortSignal | undefined;
  /** `Warning:` response headers, printed by kubectl on stderr as they arrive. */
  readonly onWarning: (text: string) => void;
  readonly #fetch: typeof fetch;

  constructor(target: ClusterTarget, options: { signal?: AbortSignal; onWarning?: (text: string) => void; fetch?: typeof fetch } = {}) {
    this.target = target;
    this.signal = options.signal;
    this.onWarning = options.onWarning ?? (() => {});
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Extra headers sent with every request (`--as` impersonation). */
  headers: Record<string, string> = {};

  async raw(request: ApiRequest): Promise<ApiResponse> {
    const headers: Record<string, string> = { Accept: request.accept ?? 'application/json', 'User-Agent': 'kubectl/v1.32.4 (linux/amd64) mesh-academy' };
    if (this.target.token !== undefined) headers.Authorization = `Bearer ${this.target.token}`;
    Object.assign(headers, this.headers);
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    }
    let response: Response;
    for (let attempt = 1; ; attempt++) {
      try {
        const init: RequestInit = { method: request.method ?? 'GET', headers };
        if (body !== undefined) init.body = body;
        if (this.signal !== undefined) init.signal = this.signal;
        response = await this.#fetch(this.target.server + request.path, init);
      } catch (error) {
        if (this.signal?.aborted === true) throw error;
        const host = new URL(this.target.server).host;
        throw new KubectlError('CONNECTION_REFUSED', `The connection to the server ${host} was refused - did you specify the right host or port?`);
      }
      // client-go retries 429 answers that carry Retry-After, up to ten times.
      const retryAfter = Number(response.headers.get('retry-after') ?? 'NaN');
      if (response.status !== 429 || !Number.isFinite(retryAfter) || attempt >= MAX_ATTEMPTS) break;
      await response.arrayBuffer();
      await sleep(Math.max(retryAfter, 0.05) * 1000, this.signal);
    }
    const text = await response.text();
    const warnings: string[] = [];
    const header = response.headers.get('warning');
    if (header !== null) {
      for (const match of header.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)) {
        const warning = JSON.parse(`"${match[1] ?? ''}"`) as string;
        warnings.push(warning);
        this.onWarning(warning);
      }
    }
    return { status: response.status, text, warnings };
  }

  /** Streams a text body (pod logs, `--follow`) chunk by chunk; throws for non-2xx answers. */
  async stream(request: ApiRequest, onChunk: (text: string) => void): Promise<void> {
    const headers: Record<string, string> = { Accept: request.accept ?? 'application/json' };
    if (this.target.token !== undefined) headers.Authorization = `Bearer ${this.target.token}`;
    Object.assign(headers, this.headers);
    const init: RequestInit = { headers };
    if (this.signal !== undefined) init.signal = this.signal;
    let response: Response;
    try {
      response = await this.#fetch(this.target.server + request.path, init);
    } catch (error) {
      if (this.signal?.aborted === true) throw error;
      const host = new URL(this.target.server).host;
      throw new KubectlError('CONNECTION_REFUSED', `The connection to the server ${host} was refused - did you specify the right host or port?`);
    }
    if (response.status < 200 || response.status >= 300) throw statusError({ status: response.status, text: await response.text(), warnings: [] });
    const decoder = new TextDecoder();
    if (response.body === null) return;
    for await (const chunk of response.body) {
      const text = decoder.decode(chunk as Uint8Array, { stream: true });
      if (text !== '') onChunk(text);
    }
    const rest = decoder.decode();
    if (rest !== '') onChunk(rest);
  }

  /** A JSON request that throws ApiStatusError for any non-2xx answer. */
  async json<T = Record<string, unknown>>(request: ApiRequest): Promise<T> {
    const response = await this.raw(request);
    if (response.status < 200 || response.status >= 300) throw statusError(response);
    return JSON.parse(response.text) as T;
  }
}

export function statusError(response: ApiResponse): ApiStatusError {
  let status: ApiStatus = {};
  try {
    const parsed = JSON.parse(response.text) as ApiStatus;
    if (parsed.kind === 'Status') status = parsed;
    else status = { message: response.text.trim() };
  } catch {
    status = { message: response.status === 404 ? 'the server could not find the requested resource' : response.text.trim() };
  }
  if (response.status === 404 && status.message === undefined) status.message = 'the server could not find the requested resource';
  return new ApiStatusError(response.status, status);
}
