// Seeded fuzzing of the emulated API server over real HTTP: thousands of random and mutated
// requests must never crash it, never answer 5xx, and every error must be a Status object.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createRng, type Rng } from '../../server/sandbox/core/rng.ts';
import { createCluster, type Cluster } from '../../server/sandbox/cluster/create-cluster.ts';
import { listenCluster, type ListeningCluster } from '../../server/sandbox/cluster/listen-cluster.ts';

const REQUESTS = 5000;
const TOKEN = 'fuzz-token';

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const streaming = /[?&](watch=(true|1)|follow=true)/.test(path);
    const req = request({ host: '127.0.0.1', port, method, path, timeout: 5000, headers: { ...headers, ...(body === undefined ? {} : { 'Content-Length': String(body.length) }) } }, (res) => {
      // Watches and followed logs stream until their timeout: the status line is the answer.
      if (streaming && res.statusCode === 200) {
        resolve({ status: 200, contentType: String(res.headers['content-type'] ?? ''), body: '' });
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.end(body);
  });
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)] as T;

const RESOURCE_PATHS = [
  '/api/v1/namespaces', '/api/v1/namespaces/default', '/api/v1/namespaces/default/pods', '/api/v1/namespaces/default/pods/p1',
  '/api/v1/namespaces/default/pods/p1/status', '/api/v1/namespaces/default/pods/p1/log', '/api/v1/namespaces/default/pods/p1/eviction',
  '/api/v1/namespaces/default/services', '/api/v1/namespaces/default/services/s1', '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/default/configmaps/c1', '/api/v1/namespaces/default/serviceaccounts/default/token', '/api/v1/nodes', '/api/v1/pods',
  '/apis/apps/v1/namespaces/default/deployments', '/apis/apps/v1/namespaces/default/deployments/d1', '/apis/apps/v1/namespaces/default/deployments/d1/scale',
  '/apis/apps/v1/namespaces/default/deployments/d1/status', '/apis/rbac.authorization.k8s.io/v1/clusterroles', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings',
  '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', '/apis/example.com/v1/namespaces/default/widgets',
  '/apis/example.com/v1/namespaces/default/widgets/w1', '/api/v1/namespaces/default/events', '/apis/events.k8s.io/v1/namespaces/default/events',
  '/apis/batch/v1/namespaces/default/jobs', '/apis/networking.k8s.io/v1/namespaces/default/ingresses', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
  '/api', '/apis', '/apis/apps', '/apis/apps/v1', '/api/v1', '/openapi/v3', '/openapi/v3/apis/apps/v1', '/openapi/v2', '/version', '/healthz',
];

const SEED_OBJECTS: Record<string, unknown>[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', labels: { app: 'x' } }, data: { a: 'b' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 's1' }, spec: { selector: { app: 'x' }, ports: [{ port: 80, targetPort: 8080 }], type: 'NodePort' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd1' }, spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n1' } },
  { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } },
  { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } },
  { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p1' }, deleteOptions: { gracePeriodSeconds: 0 } },
  { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', gracePeriodSeconds: 5, preconditions: { uid: 'x' } },
  [{ op: 'replace', path: '/metadata/labels', value: { a: 'b' } }, { op: 'add', path: '/spec/replicas', value: 3 }, { op: 'remove', path: '/data/a' }, { op: 'test', path: '/x', value: 1 }, { op: 'move', from: '/a', path: '/b' }] as unknown as Record<string, unknown>,
  { metadata: { labels: { a: null } }, spec: { replicas: 4, template: { spec: { containers: [{ name: 'c', image: 'busybox', $patch: 'replace' }] } } }, $setElementOrder: { x: [1] } },
  { apiVersion: 'v1', kind: 'TokenRequest', spec: { expirationSeconds: 600, audiences: ['a'] } },
  { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'd1' }, spec: { replicas: 5 } },
];

const WEIRD_VALUES: unknown[] = [null, true, false, 0, -1, 1e308, -0.5, 2 ** 53 + 1, '', 'x'.repeat(70_000), '\u0000\ud800é漢字🎉', '../..', '{', [], {}, [null], { $patch: 'delete' }, { '': 1 }, NaN];

function mutate(rng: Rng, value: unknown, depth = 0): unknown {
  const roll = rng.int(10);
  if (roll === 0 || depth > 6) return pick(rng, WEIRD_VALUES);
  if (Array.isArray(value)) {
    const copy = value.map((item) => (rng.int(3) === 0 ? mutate(rng, item, depth + 1) : item));
    if (rng.int(5) === 0) copy.push(pick(rng, WEIRD_VALUES));
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of Object.keys(copy)) {
      if (rng.int(4) === 0) copy[key] = mutate(rng, copy[key], depth + 1);
      else if (rng.int(12) === 0) delete copy[key];
    }
    if (rng.int(6) === 0) copy[pick(rng, ['extra', 'status', 'metadata', 'spec', 'kind', 'apiVersion', 'items', 'op', 'path', 'value'])] = pick(rng, WEIRD_VALUES);
    return copy;
  }
  if (roll < 3) return pick(rng, WEIRD_VALUES);
  return value;
}

function deepNest(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function mutatePath(rng: Rng, path: string): string {
  const roll = rng.int(8);
  if (roll === 0) return path.replace(/\/[^/]+$/, `/${pick(rng, ['%2e%2e', 'UPPER', 'a'.repeat(300), '%', '%zz', '%00', '%C3%A9', '', '.', 'x%20y', 'status', 'scale', 'log', 'exec', 'finalize', 'token', 'eviction', 'binding'])}`);
  if (roll === 1) return `${path}/${pick(rng, ['status', 'x', 'scale', 'y/z', '%'])}`;
  if (roll === 2) return path.replace('default', pick(rng, ['missing', 'kube-system', 'n1', 'BAD_NS', '']));
  if (roll === 3) return path.replace(/v1/, pick(rng, ['v2', 'v1beta1', 'vX', '']));
  return path;
}

function randomQuery(rng: Rng): string {
  const params: string[] = [];
  const count = rng.int(4);
  for (let i = 0; i < count; i++) {
    params.push(pick(rng, [
      'labelSelector=app%3Dx', 'labelSelector=app+in+(a,b)', 'labelSelector=!!', 'labelSelector=a%3D%3D%3Db', 'labelSelector=%3D', 'labelSelector=x,y%21%3Dz',
      'fieldSelector=metadata.name%3Dp1', 'fieldSelector=spec.nodeName%3D', 'fieldSelector=bogus%3D1', 'fieldSelector=%3D%3D',
      'limit=1', 'limit=-5', 'limit=abc', 'limit=1e400', 'continue=eyJvZmZzZXQiOjF9', 'continue=%%%', 'continue=bnVsbA==', 'continue=eyJvZmZzZXQiOiJ4In0=', 'continue=eyJvZmZzZXQiOi0xMH0=',
      'watch=true&timeoutSeconds=0', 'watch=1&timeoutSeconds=1&resourceVersion=1', 'resourceVersion=abc', 'resourceVersion=-1', 'resourceVersionMatch=NotOlderThan',
      'dryRun=All', 'dryRun=bogus', 'fieldValidation=Strict', 'fieldValidation=Warn', 'fieldValidation=nope', 'fieldManager=kubectl', 'fieldManager=' + 'm'.repeat(200), 'force=true',
      'propagationPolicy=Orphan', 'gracePeriodSeconds=-1', 'gracePeriodSeconds=abc', 'tailLines=abc', 'tailLines=-3', 'follow=false', 'container=nope', 'previous=true',
      'includeObject=Object', 'pretty=true', '%=%', 'a=%E0%A4%A',
    ]));
  }
  return params.length === 0 ? '' : `?${params.join('&')}`;
}

function randomRequest(rng: Rng): { method: string; path: string; headers: Record<string, string>; body: Buffer | undefined } {
  const method = pick(rng, ['GET', 'GET', 'POST', 'POST', 'PUT', 'PATCH', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE']);
  const path = mutatePath(rng, pick(rng, RESOURCE_PATHS)) + randomQuery(rng);
  const headers: Record<string, string> = { Authorization: rng.int(20) === 0 ? pick(rng, ['Bearer nope', 'Basic eA==', 'Bearer ', '']) : `Bearer ${TOKEN}` };
  headers['Content-Type'] = pick(rng, [
    'application/json', 'application/json', 'application/yaml', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json',
    'application/apply-patch+yaml', 'application/vnd.kubernetes.protobuf', 'text/plain', '', 'application/json; charset=latin1',
  ]);
  if (rng.int(5) === 0) headers.Accept = pick(rng, ['application/json;as=Table;v=v1;g=meta.k8s.io', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', 'application/vnd.kubernetes.protobuf', '*/*', 'text/html']);
  if (rng.int(15) === 0) headers['Impersonate-User'] = pick(rng, ['system:serviceaccount:default:default', 'bob', 'system:serviceaccount:x']);
  if (rng.int(30) === 0) headers['Impersonate-Group'] = pick(rng, ['system:masters', ',,,']);
  let body: Buffer | undefined;
  const kind = rng.int(12);
  if (method === 'GET' || method === 'HEAD' || (method === 'DELETE' && rng.int(2) === 0)) body = undefined;
  else if (kind === 0) body = Buffer.from(deepNest(50 + rng.int(300)));
  else if (kind === 1) body = Buffer.from(pick(rng, ['{', '[1,2', 'null', '"str"', '123', 'key: [unclosed', 'a: *alias', '---\n- a\n- b', '\u0000\u0001', '{"a":1}{"b":2}', 'kind: Pod\nmetadata: {name: [1]}', '']));
  else if (kind === 2) body = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from(Array.from({ length: rng.int(64) }, () => rng.int(256)))]);
  else if (kind === 3) body = Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256)));
  else body = Buffer.from(JSON.stringify(mutate(rng, pick(rng, SEED_OBJECTS))) ?? 'null');
  return { method, path, headers, body };
}

describe('API fuzzing', () => {
  let cluster: Cluster;
  let server: ListeningCluster;
  const controllerErrors: unknown[] = [];
  before(async () => {
    cluster = createCluster({ tokens: new Map([[TOKEN, 'admin']]), profile: 'instant', seed: 'fuzz', maxBodyBytes: 256 * 1024, requestsPerSecond: 0, onControllerError: (_key, error) => controllerErrors.push(error) });
    server = await listenCluster(cluster);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
    };
    const created = await send(server.port, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify(crd)));
    assert.equal(created.status, 201, created.body);
  });
  after(async () => {
    cluster.dispose();
    await server.close();
  });

  it(`answers ${REQUESTS} random and mutated requests without a 5xx, errors always as Status`, async () => {
    const rng = createRng(process.env.FUZZ_SEED ?? 'mesh-academy-fuzz');
    const failures: string[] = [];
    const started = Date.now();
    for (let i = 0; i < REQUESTS && Date.now() - started < 25_000; i++) {
      const sent = randomRequest(rng);
      const describe = `${sent.method} ${sent.path} [${sent.headers['Content-Type']}] ${sent.body?.subarray(0, 160).toString('utf8') ?? ''}`;
      let answer: Answer;
      try {
        answer = await send(server.port, sent.method, sent.path, sent.headers, sent.body);
      } catch (error) {
        failures.push(`${(error as Error).message} for ${describe}`);
        continue;
      }
      if (answer.status >= 500) failures.push(`${answer.status} for ${describe}: ${answer.body.slice(0, 300)}`);
      else if (answer.status >= 400 && sent.method !== 'HEAD' && answer.contentType.startsWith('application/json')) {
        let status: { kind?: unknown; code?: unknown; status?: unknown; message?: unknown };
        try {
          status = JSON.parse(answer.body) as typeof status;
        } catch {
          failures.push(`invalid JSON error body for ${describe}`);
          continue;
        }
        if (status.kind !== 'Status' || status.code !== answer.status || status.status !== 'Failure' || typeof status.message !== 'string') {
          failures.push(`not a Status for ${describe}: ${answer.body.slice(0, 200)}`);
        }
      }
      if (failures.length >= 20) break;
    }
    assert.deepEqual(failures, []);
    // The fuzzer may well have deleted every namespace; a fresh write and read must still work.
    const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
    const created = await send(server.port, 'POST', '/api/v1/namespaces', auth, Buffer.from(JSON.stringify({ metadata: { name: 'after-fuzz' } })));
    assert.equal(created.status, 201, created.body);
    const read = await send(server.port, 'GET', '/api/v1/namespaces/after-fuzz', auth, undefined);
    assert.equal(read.status, 200);
    assert.equal((JSON.parse(read.body) as { metadata: { name: string } }).metadata.name, 'after-fuzz');
    assert.deepEqual(controllerErrors, []);
  });
});
