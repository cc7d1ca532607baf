import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSystemClock } from '../core/clock.ts';
import { createRng } from '../core/rng.ts';
import { ClusterApi } from './cluster-api.ts';
import { createApiHandler } from './http-handler.ts';

describe('createApiHandler', () => {
  let server: Server;
  let base: string;
  before(async () => {
    const api = new ClusterApi({ clock: createSystemClock(), rng: createRng('http') });
    api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
    const handler = createApiHandler({ api, pathPrefix: '/clusters/c1', tokens: new Map([['good', 'admin']]), maxBodyBytes: 4096, maxJsonDepth: 20, bookmarkIntervalMs: 50, maxWatches: 2 });
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/clusters/c1`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const auth = { Authorization: 'Bearer good' };

  it('serves /version and health without credentials, everything else only with a valid token', async () => {
    assert.equal((await (await fetch(`${base}/version`)).json() as { minor: string }).minor, '32');
    assert.equal(await (await fetch(`${base}/healthz`)).text(), 'ok');
    const denied = await fetch(`${base}/api/v1/namespaces`, { headers: { Authorization: 'Bearer bad' } });
    assert.equal(denied.status, 401);
    assert.equal((await fetch(`${base}/api/v1/namespaces`)).status, 401);
    assert.equal((await fetch(`http://${new URL(base).host}/api/v1/namespaces`, { headers: auth })).status, 404);
  });

  it('answers aggregated discovery only with its exact content type, legacy documents otherwise', async () => {
    const aggregated = await fetch(`${base}/apis`, { headers: { ...auth, Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
    assert.equal(aggregated.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const body = (await aggregated.json()) as { items: Array<{ metadata: { name: string } }> };
    assert.equal(body.items[0]?.metadata.name, 'apps');
    const legacy = (await (await fetch(`${base}/apis`, { headers: auth })).json()) as { kind: string };
    assert.equal(legacy.kind, 'APIGroupList');
    const v1 = (await (await fetch(`${base}/api/v1`, { headers: auth })).json()) as { resources: Array<{ name: string; kind: string }> };
    assert.deepEqual(v1.resources.find((r) => r.name === 'pods/log'), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  });

  it('publishes OpenAPI v3 with a PATCH operation carrying the GVK and fieldValidation', async () => {
    const index = (await (await fetch(`${base}/openapi/v3`, { headers: auth })).json()) as { paths: Record<string, { serverRelativeURL: string }> };
    const apps = index.paths['apis/apps/v1'];
    assert.ok(apps);
    const doc = (await (await fetch(`http://${new URL(base).host}/clusters/c1${apps.serverRelativeURL}`, { headers: auth })).json()) as { paths: Record<string, { patch?: { parameters: Array<{ name: string }>; 'x-kubernetes-group-version-kind': unknown } }> };
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']?.patch;
    assert.deepEqual(patch?.['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.ok(patch?.parameters.some((p) => p.name === 'fieldValidation'));
  });

  it('refuses oversized and deeply nested bodies cleanly, and unknown patch types with 415', async () => {
    const big = await fetch(`${base}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'big' }, data: { x: 'y'.repeat(5000) } }) });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as { reason: string }).reason, 'RequestEntityTooLarge');
    const deep = await fetch(`${base}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: `${'['.repeat(50)}${']'.repeat(50)}` });
    assert.equal(deep.status, 400);
    const weird = await fetch(`${base}/api/v1/namespaces/default`, { method: 'PATCH', headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{}' });
    assert.equal(weird.status, 415);
  });

  it('prints Tables with PartialObjectMetadata rows when asked', async () => {
    const table = (await (await fetch(`${base}/api/v1/namespaces`, { headers: { ...auth, Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } })).json()) as {
      kind: string; columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[]; object: { kind: string } }>;
    };
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Status', 'Age']);
    assert.equal(table.rows[0]?.cells[0], 'default');
    assert.equal(table.rows[0]?.object.kind, 'PartialObjectMetadata');
  });

  it('streams watches with headers flushed at once, bookmarks and timeoutSeconds', async () => {
    const response = await fetch(`${base}/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=1`, { headers: auth });
    assert.equal(response.status, 200);
    await fetch(`${base}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"metadata":{"name":"watched"}}' });
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as { type: string; object: { metadata: { name?: string } } });
    assert.equal(lines[0]?.type, 'ADDED');
    assert.equal(lines[0]?.object.metadata.name, 'watched');
    assert.ok(lines.some((line) => line.type === 'BOOKMARK'));
  });

  it('refuses logs of containers that have not started, with the kubelet wording', async () => {
    await fetch(`${base}/api/v1/namespaces/default/pods`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}' });
    const waiting = await fetch(`${base}/api/v1/namespaces/default/pods/p/log?container=a`, { headers: auth });
    assert.equal(waiting.status, 400);
    assert.equal(((await waiting.json()) as { message: string }).message, 'container "a" in pod "p" is waiting to start: ContainerCreating');
    const unnamed = await fetch(`${base}/api/v1/namespaces/default/pods/p/log`, { headers: auth });
    assert.equal(((await unnamed.json()) as { message: string }).message, 'a container name must be specified for pod p, choose one of: [a b]');
  });

  it('caps concurrent watches with 429 TooManyRequests', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(controllers.map((c) => fetch(`${base}/api/v1/namespaces?watch=true`, { headers: auth, signal: c.signal })));
    assert.deepEqual(open.map((r) => r.status), [200, 200]);
    const refused = await fetch(`${base}/api/v1/namespaces?watch=true`, { headers: auth });
    assert.equal(refused.status, 429);
    for (const c of controllers) c.abort();
  });

  it('answers a malformed path escape with 400 BadRequest, not an internal error', async () => {
    const response = await fetch(`${base}/api/v1/namespaces/default/configmaps/%zz`, { headers: auth });
    assert.equal(response.status, 400);
    const status = (await response.json()) as { kind: string; reason: string };
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'BadRequest');
  });
});
