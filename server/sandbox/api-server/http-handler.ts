import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { admitEviction } from './disruption-budget.ts';
import { issueServiceAccountToken } from './service-account-token.ts';
import { asObject, isJsonObject, type JsonObject } from '../core/json-object.ts';
import { StatusError } from '../core/status-error.ts';
import { PATCH_CONTENT_TYPES, type ClusterApi, type DeleteOptions, type FieldValidation, type WriteOptions } from './cluster-api.ts';
import { answerReview } from './access-reviews.ts';
import { AGGREGATED_V2, AGGREGATED_V2BETA1, aggregatedDiscovery, aggregatedVersionAccepted, apiResourceList, legacyApiGroup, legacyApiGroupList, legacyApiVersions } from './discovery.ts';
import { OpenApiDocuments } from './openapi-documents.ts';
import { forbiddenReason, type RequestAttributes, type UserInfo } from './rbac-authorizer.ts';
import { execRequestFor, refuseUpgrade, serveExec, type ExecHandler } from './pod-exec.ts';
import { attachRequestFor } from './pod-attach.ts';
import { isSpdyUpgrade, portForwardTargetFor, servePortForward, type PortForwardHandler } from './pod-portforward.ts';
import { serveSpdyExec } from './spdy-exec.ts';
import { streamPodLogs, type PodLogSource } from './pod-logs.ts';
import { decodeBody, readBody } from './request-body.ts';
import type { ResourceType } from './resource-type.ts';
import { printTable, type IncludeObject } from './table-printers.ts';
import { streamWatch } from './watch-response.ts';
import { TokenBucket } from './token-bucket.ts';
import { DEFAULT_CLUSTER_LIMITS } from '../core/cluster-limits.ts';

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export interface ApiHandlerOptions {
  api: ClusterApi;
  /** Reported by /version; kubectl's dispatcher picks its client by the minor. */
  version?: ServerVersion;
  /** Mount point, e.g. `/clusters/abc`; requests outside it get 404. */
  pathPrefix?: string;
  /** Bearer token → user name (a superuser) or full user info. When absent, every request is anonymous and allowed. */
  tokens?: ReadonlyMap<string, string | UserInfo>;
  /**
   * Who a request without credentials acts as. kubectl never sends a bearer token over plain
   * http (kubernetes/kubectl#744), so a loopback-only server may treat anonymous as admin.
   * Unset: requests without a token get 401.
   */
  anonymousUser?: string;
  maxBodyBytes?: number;
  maxJsonDepth?: number;
  bookmarkIntervalMs?: number;
  /** Upper bound for a watch's timeoutSeconds (and the default when none is asked). */
  maxWatchSeconds?: number;
  /** Concurrent watches this cluster serves before answering 429. */
  maxWatches?: number;
  /** Sustained request rate before 429 with Retry-After (0: unlimited). */
  requestsPerSecond?: number;
  requestBurst?: number;
  /** Container output for `pods/log` (empty logs when absent). */
  podLogs?: PodLogSource;
  /** Runs `pods/exec` commands (without one, every exec fails as a missing executable). */
  exec?: ExecHandler;
  /** Connects `pods/portforward` streams to pod ports (without one, every port refuses). */
  portForward?: PortForwardHandler;
  /** Joins the container's own process for `pods/attach` (without one, attach is refused). */
  attach?: ExecHandler;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The REST handler, plus the handler for Node's `'upgrade'` event (exec, port-forward). */
export type ApiHandler = RequestHandler & { upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void };

interface ResourcePath {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string;
}

function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', warnings: string[] = []): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': String(Buffer.byteLength(text)) };
  // Warning values are quoted strings; inner quotes must be escaped or client-go drops them.
  if (warnings.length > 0) headers.Warning = warnings.map((warning) => `299 - ${JSON.stringify(warning)}`);
  res.writeHead(code, headers);
  res.end(text);
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  const status = error instanceof StatusError ? error : StatusError.internal(error instanceof Error ? error.message : String(error));
  if (res.headersSent) {
    res.end();
    return;
  }
  if (status.details?.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(status.details.retryAfterSeconds));
  sendJson(res, status.code, status.toStatus());
}

/** A malformed escape (`%zz`) is the client's mistake: 400, as Go's URL parser answers, never a 500. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw StatusError.badRequest(`invalid URL escape in path segment "${segment.slice(0, 64)}"`);
  }
}

/** `as=Table` in the Accept header asks for server-side printing. */
function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && accept.split(',').some((part) => part.split(';').some((param) => param.trim() === 'as=Table'));
}

function includeObject(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function fieldValidation(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === null || value === '') return 'Ignore';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw StatusError.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict"; got "${value}"`);
}

const ADMIN_GROUPS = ['system:masters', 'system:authenticated'];

function verbOf(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case 'GET': return named ? 'get' : watch ? 'watch' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return named ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}

function writeOptions(query: URLSearchParams, user: string): WriteOptions {
  const options: WriteOptions = { fieldValidation: fieldValidation(query), user };
  const manager = query.get('fieldManager');
  if (manager !== null && manager !== '') options.fieldManager = manager;
  const dryRun = query.getAll('dryRun');
  if (dryRun.length > 0) {
    if (dryRun.some((value) => value !== 'All')) throw StatusError.badRequest(`unsupported dry run value: ${dryRun.join(',')}`);
    options.dryRun = true;
  }
  if (query.get('force') === 'true') options.force = true;
  return options;
}

/** The Kubernetes REST surface as a plain Node request handler, mountable under a prefix. */
export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const { api } = options;
  const version = options.version ?? { major: '1', minor: '32', gitVersion: 'v1.32.0' };
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  const maxBody = options.maxBodyBytes ?? DEFAULT_CLUSTER_LIMITS.maxBodyBytes;
  const maxDepth = options.maxJsonDepth ?? 100;
  const maxWatch = options.maxWatchSeconds ?? 1800;
  const openapi = new OpenApiDocuments(api.registry);
  const maxWatches = options.maxWatches ?? DEFAULT_CLUSTER_LIMITS.maxWatches;
  const rate = options.requestsPerSecond ?? DEFAULT_CLUSTER_LIMITS.requestsPerSecond;
  const bucket = rate > 0 ? new TokenBucket(rate, options.requestBurst ?? DEFAULT_CLUSTER_LIMITS.requestBurst) : undefined;
  let activeWatches = 0;

  const authenticate = (req: IncomingMessage): UserInfo => {
    if (options.tokens === undefined) return { name: 'system:admin', groups: ADMIN_GROUPS };
    const header = req.headers.authorization ?? '';
    if (header === '' && options.anonymousUser !== undefined) return { name: options.anonymousUser, groups: ADMIN_GROUPS };
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const token = match?.[1]?.trim() ?? '';
    const known = options.tokens.get(token);
    if (known !== undefined) return typeof known === 'string' ? { name: known, groups: ADMIN_GROUPS } : known;
    const issued = api.issuedTokens.get(token);
    if (issued !== undefined && issued.expires > api.clock.now()) {
      const account = api.tryGet(api.resource('', 'v1', 'serviceaccounts'), issued.namespace, issued.name);
      if (account !== undefined && asObject(account.metadata).uid === issued.uid) {
        return {
          name: `system:serviceaccount:${issued.namespace}:${issued.name}`,
          groups: ['system:serviceaccounts', `system:serviceaccounts:${issued.namespace}`, 'system:authenticated'],
        };
      }
    }
    throw StatusError.unauthorized();
  };

  /** `kubectl --as/--as-group`: Impersonate-* headers, allowed to whoever may impersonate. */
  const impersonate = (req: IncomingMessage, user: UserInfo): UserInfo => {
    const as = req.headers['impersonate-user'];
    if (typeof as !== 'string' || as === '') return user;
    authorize(user, { verb: 'impersonate', resource: as.startsWith('system:serviceaccount:') ? 'serviceaccounts' : 'users', apiGroup: '', name: as }, { group: '', resource: 'users' });
    const raw = req.headers['impersonate-group'];
    const groups = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
    const account = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(as);
    if (account !== null && groups.length === 0) groups.push('system:serviceaccounts', `system:serviceaccounts:${account[1] ?? ''}`);
    if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
    return { name: as, groups };
  };

  const authorize = (user: UserInfo, attributes: RequestAttributes, target?: { group: string; resource: string }): void => {
    if (api.authorizer.allows(user, attributes)) return;
    if (target === undefined) throw new StatusError(403, 'Forbidden', `forbidden: ${forbiddenReason(user, attributes)}`);
    throw StatusError.forbidden(target, attributes.name ?? '', forbiddenReason(user, attributes));
  };

  const parseResourcePath = (segments: string[]): ResourcePath | undefined => {
    let group: string;
    let groupVersion: string;
    let rest: string[];
    if (segments[0] === 'api') {
      group = '';
      groupVersion = segments[1] ?? '';
      rest = segments.slice(2);
    } else {
      group = segments[1] ?? '';
      groupVersion = segments[2] ?? '';
      rest = segments.slice(3);
    }
    if (rest.length === 0) return undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const nested = api.registry.find(group, groupVersion, rest[2] ?? '');
      if (nested !== undefined && nested.namespaced) {
        if (rest.length > 5) return undefined;
        return { type: nested, namespace: rest[1], name: rest[3], subresource: rest[4] ?? '' };
      }
    }
    const type = api.registry.find(group, groupVersion, rest[0] ?? '');
    if (type === undefined || rest.length > 3) return undefined;
    return { type, namespace: undefined, name: rest[1], subresource: rest[2] ?? '' };
  };

  const handleResource = async (req: IncomingMessage, res: ServerResponse, path: ResourcePath, query: URLSearchParams, userInfo: UserInfo): Promise<void> => {
    const { type, name, subresource } = path;
    const namespace = type.namespaced ? path.namespace : '';
    if (!type.namespaced && path.namespace !== undefined) throw StatusError.pathNotFound();
    if (subresource !== '' && !type.subresources.some((sub) => sub.name === subresource)) throw StatusError.pathNotFound();
    const method = req.method ?? 'GET';
    const attributes: RequestAttributes = {
      verb: verbOf(method, name !== undefined && name !== '', query.get('watch') === 'true' || query.get('watch') === '1'),
      resource: type.plural,
      apiGroup: type.group,
    };
    if (subresource !== '') attributes.subresource = subresource;
    if (type.namespaced && path.namespace !== undefined) attributes.namespace = path.namespace;
    if (name !== undefined && name !== '') attributes.name = name;
    authorize(userInfo, attributes, { group: type.group, resource: type.plural });
    const user = userInfo.name;
    const accept = req.headers.accept;
    const now = api.clock.now();

    if (name === undefined || name === '') {
      if (method === 'GET') {
        if (query.get('watch') === 'true' || query.get('watch') === '1') {
          const timeout = Math.min(Number(query.get('timeoutSeconds') ?? maxWatch) || maxWatch, maxWatch);
          const watchQuery: { resourceVersion?: string; labelSelector?: string; fieldSelector?: string } = {};
          for (const key of ['resourceVersion', 'labelSelector', 'fieldSelector'] as const) {
            const value = query.get(key);
            if (value !== null) watchQuery[key] = value;
          }
          // Selector errors must surface as a Status before the stream starts.
          api.watch(type, namespace, watchQuery, () => {})();
          if (activeWatches >= maxWatches) {
            throw new StatusError(429, 'TooManyRequests', `too many watches on this sandbox (limit ${maxWatches}), please try again later`, { retryAfterSeconds: 1 });
          }
          activeWatches++;
          res.on('close', () => activeWatches--);
          streamWatch(res, api, type, namespace, {
            query: watchQuery,
            timeoutSeconds: timeout,
            bookmarks: query.get('allowWatchBookmarks') === 'true',
            bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
            table: wantsTable(accept) ? includeObject(query) : undefined,
            clock: api.clock,
          });
          return;
        }
        const listQuery: { labelSelector?: string; fieldSelector?: string; limit?: number; continueToken?: string } = {};
        const labelSelector = query.get('labelSelector');
        const fieldSelector = query.get('fieldSelector');
        const limit = query.get('limit');
        const continueToken = query.get('continue');
        if (labelSelector !== null) listQuery.labelSelector = labelSelector;
        if (fieldSelector !== null) listQuery.fieldSelector = fieldSelector;
        if (limit !== null) listQuery.limit = Number(limit);
        if (continueToken !== null && continueToken !== '') listQuery.continueToken = continueToken;
        const result = api.list(type, namespace, listQuery);
        if (wantsTable(accept)) {
          const tableOptions: { include: IncludeObject; resourceVersion: string; continueToken?: string } = { include: includeObject(query), resourceVersion: result.resourceVersion };
          if (result.continueToken !== undefined) tableOptions.continueToken = result.continueToken;
          sendJson(res, 200, printTable(type, result.items, now, tableOptions), 'application/json');
          return;
        }
        const metadata: JsonObject = { resourceVersion: result.resourceVersion };
        if (result.continueToken !== undefined) {
          metadata.continue = result.continueToken;
          metadata.remainingItemCount = result.remainingItemCount;
        }
        sendJson(res, 200, { apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`, items: result.items, kind: type.listKind, metadata });
        return;
      }
      if (method === 'POST') {
        if (namespace === undefined) throw StatusError.methodNotAllowed();
        const body = decodeBody(await readBody(req, maxBody), req.headers['content-type'], maxDepth);
        const review = answerReview(type, body, userInfo, api.authorizer, namespace);
        if (review !== undefined) {
          sendJson(res, 201, review);
          return;
        }
        const result = api.create(type, namespace, body, writeOptions(query, user));
        sendJson(res, 201, result.object, 'application/json', result.warnings);
        return;
      }
      if (method === 'DELETE') {
        const listQuery: { labelSelector?: string; fieldSelector?: string } = {};
        const labelSelector = query.get('labelSelector');
        const fieldSelector = query.get('fieldSelector');
        if (labelSelector !== null) listQuery.labelSelector = labelSelector;
        if (fieldSelector !== null) listQuery.fieldSelector = fieldSelector;
        const deleteOptions = await readDeleteOptions(req, query);
        const items = api.list(type, namespace, listQuery).items.map((item) =>
          api.delete(type, String(asObject(item.metadata).namespace ?? ''), String(asObject(item.metadata).name ?? ''), deleteOptions).object,
        );
        sendJson(res, 200, { apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`, kind: type.listKind, metadata: {}, items });
        return;
      }
      throw StatusError.methodNotAllowed();
    }

    if (namespace === undefined) throw StatusError.pathNotFound();
    switch (method) {
      case 'GET': {
        if (subresource === 'scale') {
          sendJson(res, 200, api.getScale(type, namespace, name));
          return;
        }
        if (subresource === 'log') {
          const tail = query.get('tailLines');
          streamPodLogs(res, api.get(type, namespace, name), {
            container: query.get('container'),
            follow: query.get('follow') === 'true',
            tailLines: tail === null ? undefined : Number(tail),
            timestamps: query.get('timestamps') === 'true',
            previous: query.get('previous') === 'true',
          }, options.podLogs, () => api.now());
          return;
        }
        if (subresource !== '' && subresource !== 'status') throw StatusError.methodNotAllowed();
        const object = api.get(type, namespace, name);
        if (wantsTable(accept)) {
          sendJson(res, 200, printTable(type, [object], now, { include: includeObject(query), resourceVersion: String(asObject(object.metadata).resourceVersion ?? '') }));
          return;
        }
        sendJson(res, 200, object);
        return;
      }
      case 'PUT': {
        const body = decodeBody(await readBody(req, maxBody), req.headers['content-type'], maxDepth);
        const options = writeOptions(query, user);
        if (subresource === 'scale') {
          const result = api.updateScale(type, namespace, name, body, options);
          sendJson(res, 200, result.object, 'application/json', result.warnings);
          return;
        }
        if (subresource === 'finalize') {
          const finalizers = asObject(asObject(body).spec).finalizers;
          const result = api.patch(type, namespace, name, 'merge', JSON.stringify({ spec: { finalizers: finalizers ?? null } }), options);
          sendJson(res, 200, result.object);
          return;
        }
        const result = api.update(type, namespace, name, body, options, subresource);
        sendJson(res, 200, result.object, 'application/json', result.warnings);
        return;
      }
      case 'PATCH': {
        const media = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const patchType = PATCH_CONTENT_TYPES[media];
        if (patchType === undefined) {
          throw StatusError.unsupportedMediaType(
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${type.custom === undefined ? ', application/strategic-merge-patch+json' : ''}`,
          );
        }
        const raw = await readBody(req, maxBody);
        decodeBody(raw, patchType === 'apply' ? 'application/apply-patch+yaml' : 'application/json', maxDepth);
        const result = api.patch(type, namespace, name, patchType, raw, writeOptions(query, user), subresource);
        sendJson(res, result.created ? 201 : 200, result.object, 'application/json', result.warnings);
        return;
      }
      case 'DELETE': {
        if (subresource !== '') throw StatusError.methodNotAllowed();
        const deleteOptions = await readDeleteOptions(req, query);
        const result = api.delete(type, namespace, name, deleteOptions);
        sendJson(res, 200, api.deleteResponse(type, result));
        return;
      }
      case 'POST': {
        if (type.kind === 'ServiceAccount' && subresource === 'token') {
          const body = asObject(decodeBody(await readBody(req, maxBody), req.headers['content-type'], maxDepth));
          const spec = asObject(body.spec);
          const seconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : 3600;
          const { token } = issueServiceAccountToken(api, namespace, name, seconds);
          sendJson(res, 201, {
            kind: 'TokenRequest',
            apiVersion: 'authentication.k8s.io/v1',
            metadata: { name, namespace, creationTimestamp: null },
            spec: { audiences: spec.audiences ?? ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: seconds, boundObjectRef: spec.boundObjectRef ?? null },
            status: { token, expirationTimestamp: new Date(now + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z') },
          });
          return;
        }
        if (type.kind === 'Pod' && type.group === '' && subresource === 'eviction') {
          // An eviction is a delete that PodDisruptionBudgets may refuse.
          const body = asObject(decodeBody(await readBody(req, maxBody), req.headers['content-type'], maxDepth));
          const options = asObject(body.deleteOptions);
          const evictionOptions: DeleteOptions = {};
          if (typeof options.gracePeriodSeconds === 'number') evictionOptions.gracePeriodSeconds = options.gracePeriodSeconds;
          if (Array.isArray(options.dryRun) && options.dryRun.includes('All')) evictionOptions.dryRun = true;
          admitEviction(api, namespace, api.get(type, namespace, name), evictionOptions.dryRun === true);
          api.delete(type, namespace, name, evictionOptions);
          sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
          return;
        }
        throw StatusError.methodNotAllowed();
      }
      default:
        throw StatusError.methodNotAllowed();
    }
  };

  const readDeleteOptions = async (req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> => {
    const body = decodeBody(await readBody(req, maxBody), req.headers['content-type'], maxDepth);
    const raw = isJsonObject(body) ? body : {};
    const options: DeleteOptions = {};
    const policy = raw.propagationPolicy ?? query.get('propagationPolicy') ?? undefined;
    if (policy === 'Background' || policy === 'Foreground' || policy === 'Orphan') options.propagationPolicy = policy;
    else if (raw.orphanDependents === true) options.propagationPolicy = 'Orphan';
    const grace = raw.gracePeriodSeconds ?? query.get('gracePeriodSeconds') ?? undefined;
    if (grace !== undefined && grace !== null) options.gracePeriodSeconds = Number(grace);
    const dryRun = Array.isArray(raw.dryRun) ? raw.dryRun : query.getAll('dryRun');
    if (dryRun.includes('All')) options.dryRun = true;
    if (isJsonObject(raw.preconditions)) {
      const preconditions: { uid?: string; resourceVersion?: string } = {};
      if (typeof raw.preconditions.uid === 'string') preconditions.uid = raw.preconditions.uid;
      if (typeof raw.preconditions.resourceVersion === 'string') preconditions.resourceVersion = raw.preconditions.resourceVersion;
      options.preconditions = preconditions;
    }
    return options;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    let path = url.pathname;
    if (prefix !== '') {
      if (path !== prefix && !path.startsWith(`${prefix}/`)) throw StatusError.pathNotFound();
      path = path.slice(prefix.length) || '/';
    }
    const query = url.searchParams;
    if (path === '/healthz' || path === '/readyz' || path === '/livez' || /^\/(healthz|readyz|livez)\//.test(path)) {
      sendText(res, 200, 'ok');
      return;
    }
    const segments = path.split('/').filter((segment) => segment !== '').map(decodeSegment);
    const accept = req.headers.accept;
    const first = segments[0];
    if (path === '/version' || path === '/version/') {
      sendJson(res, 200, {
        major: version.major,
        minor: version.minor,
        gitVersion: version.gitVersion,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.23.0',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
      return;
    }
    // Like the real server's public-info-viewer role: /version needs no credentials.
    const user = impersonate(req, authenticate(req));
    if (first !== 'api' && first !== 'apis' || segments.length <= (first === 'api' ? 2 : 3)) {
      if (first !== 'api' && first !== 'apis' && first !== 'openapi') throw StatusError.pathNotFound();
      authorize(user, { verb: 'get', path });
    }
    if (first === 'api' && segments.length === 1) {
      const aggregated = aggregatedVersionAccepted(accept);
      if (aggregated !== undefined) sendJson(res, 200, aggregatedDiscovery(api.registry, true, aggregated), aggregated === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
      else sendJson(res, 200, legacyApiVersions(req.headers.host ?? '127.0.0.1'));
      return;
    }
    if (first === 'apis' && segments.length === 1) {
      const aggregated = aggregatedVersionAccepted(accept);
      if (aggregated !== undefined) sendJson(res, 200, aggregatedDiscovery(api.registry, false, aggregated), aggregated === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
      else sendJson(res, 200, legacyApiGroupList(api.registry));
      return;
    }
    if (first === 'apis' && segments.length === 2) {
      const group = legacyApiGroup(api.registry, segments[1] ?? '');
      if (group === undefined) throw StatusError.pathNotFound();
      sendJson(res, 200, group);
      return;
    }
    if ((first === 'api' && segments.length === 2) || (first === 'apis' && segments.length === 3)) {
      const list = first === 'api' ? apiResourceList(api.registry, '', segments[1] ?? '') : apiResourceList(api.registry, segments[1] ?? '', segments[2] ?? '');
      if (list === undefined) throw StatusError.pathNotFound();
      sendJson(res, 200, list);
      return;
    }
    if (first === 'openapi' && segments[1] === 'v2' && segments.length === 2) {
      // An empty OpenAPI v2 document (protobuf, as clients ask for it). kubectl falls back to v2
      // to validate kinds the v3 documents do not cover; with no v2 at all, applying an unknown
      // kind fails with "the server could not find the requested resource" instead of the real
      // "no matches for kind … ensure CRDs are installed first".
      res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': '0' });
      res.end();
      return;
    }
    if (first === 'openapi' && segments[1] === 'v3') {
      if (segments.length === 2) {
        sendJson(res, 200, openapi.index());
        return;
      }
      const document = openapi.document(segments.slice(2).join('/'));
      if (document === undefined) throw StatusError.pathNotFound();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(document.body)), ETag: `"${document.hash}"` });
      res.end(document.body);
      return;
    }
    if (first === 'api' || first === 'apis') {
      const resourcePath = parseResourcePath(segments);
      if (resourcePath === undefined) throw StatusError.pathNotFound();
      await handleResource(req, res, resourcePath, query, user);
      return;
    }
    throw StatusError.pathNotFound();
  };

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      let path = url.pathname;
      if (prefix !== '') {
        if (path !== prefix && !path.startsWith(`${prefix}/`)) throw StatusError.pathNotFound();
        path = path.slice(prefix.length) || '/';
      }
      const user = impersonate(req, authenticate(req));
      const segments = path.split('/').filter((segment) => segment !== '').map(decodeSegment);
      const target = segments[0] === 'api' || segments[0] === 'apis' ? parseResourcePath(segments) : undefined;
      if (target === undefined || target.type.kind !== 'Pod' || target.type.group !== '' || target.name === undefined || target.namespace === undefined) throw StatusError.pathNotFound();
      const subresource = target.subresource;
      if (subresource !== 'exec' && subresource !== 'portforward' && (subresource !== 'attach' || options.attach === undefined)) throw StatusError.badRequest(`${subresource} is not supported by this sandbox`);
      const attributes: RequestAttributes = { verb: 'create', resource: 'pods', subresource, apiGroup: '', namespace: target.namespace, name: target.name };
      // Websocket exec and port-forward arrive as GET: either verb allows them, as on real servers.
      if (!api.authorizer.allows(user, { ...attributes, verb: 'get' })) authorize(user, attributes, { group: '', resource: 'pods' });
      const pod = api.get(target.type, target.namespace, target.name);
      if (subresource === 'portforward') servePortForward(req, socket, head, portForwardTargetFor(pod), options.portForward);
      else {
        // Attach rides exec's streams, over websockets or SPDY alike.
        const streams = subresource === 'attach' ? attachRequestFor(pod, url.searchParams) : execRequestFor(pod, url.searchParams);
        const serve = isSpdyUpgrade(req) ? serveSpdyExec : serveExec;
        serve(req, socket, head, streams, subresource === 'attach' ? options.attach : options.exec);
      }
    } catch (error) {
      refuseUpgrade(socket, error instanceof StatusError ? error : StatusError.internal(error instanceof Error ? error.message : String(error)));
    }
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const token = bucket?.take();
    if (token !== undefined && !token.ok) {
      // client-go waits Retry-After and tries again (up to 10 times) before reporting the 429.
      req.resume();
      sendError(res, new StatusError(429, 'TooManyRequests', `too many requests to this sandbox (limit ${rate} per second), please try again later`, { retryAfterSeconds: token.retryAfterSeconds }));
      return;
    }
    handle(req, res).catch((error: unknown) => {
      // Drain what the client sent so the error reaches it on a keep-alive connection.
      if (!req.complete) req.resume();
      sendError(res, error);
    });
  };
  return Object.assign(handler, { upgrade });
}
