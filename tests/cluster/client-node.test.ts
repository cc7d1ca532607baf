import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'virtualservices.networking.istio.io' },
  spec: {
    group: 'networking.istio.io',
    scope: 'Namespaced',
    names: { plural: 'virtualservices', singular: 'virtualservice', kind: 'VirtualService', listKind: 'VirtualServiceList', shortNames: ['vs'], categories: ['istio-io', 'networking-istio-io'] },
    versions: [{
      name: 'v1', served: true, storage: true, subresources: { status: {} },
      additionalPrinterColumns: [
        { name: 'Gateways', type: 'string', jsonPath: '.spec.gateways', description: 'The names of gateways and sidecars that should apply these routes' },
        { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The destination hosts to which traffic is being sent' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { hosts: { type: 'array', items: { type: 'string' } } } }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
    }],
  },
};

describe('@kubernetes/client-node against the emulated cluster', () => {
  let h: KubectlHarness;
  let config: k8s.KubeConfig;
  before(async () => {
    h = await startKubectlHarness({
      exec: async (request, streams) => {
        streams.stdout(`hello from ${request.container}\n`);
        streams.stderr('a warning\n');
        return request.command.includes('fail') ? 3 : 0;
      },
    });
    config = new k8s.KubeConfig();
    config.loadFromFile(h.kubeconfig);
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('lists and creates with the typed CoreV1Api and surfaces Status errors as ApiException', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const namespaces = await core.listNamespace();
    assert.deepEqual(namespaces.items.map((ns) => ns.metadata?.name), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-client' }, data: { a: '1' } } });
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    await assert.rejects(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'from-client' } } }), (error: unknown) => {
      assert.ok(error instanceof k8s.ApiException);
      assert.equal(error.code, 409);
      assert.match(String(error.body), /configmaps \\"from-client\\" already exists/);
      return true;
    });
  });

  it('applies a CRD and manages its custom resources through KubernetesObjectApi, printed by kubectl with the CRD columns', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(config);
    await objects.create(CRD);
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' }, spec: { hosts: ['reviews'] } };
    const created = await objects.create(vs);
    assert.equal(created.metadata?.name, 'reviews');
    const read = await objects.read({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' } });
    assert.deepEqual((read as unknown as { spec: unknown }).spec, { hosts: ['reviews'] });
    const listed = await h.kubectl(['get', 'vs']);
    assert.match(listed.stdout, /^NAME\s+GATEWAYS\s+HOSTS\s+AGE\nreviews\s+\["reviews"\]\s+\d+s\n$/);
    const crds = await h.kubectl(['get', 'crd']);
    assert.match(crds.stdout, /^NAME\s+CREATED AT\nvirtualservices\.networking\.istio\.io\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    const patched = await h.kubectl(['patch', 'vs', 'reviews', '-p', '{"spec":{"hosts":["x"]}}']);
    assert.equal(patched.code, 1);
    assert.match(patched.stderr, /application\/strategic-merge-patch\+json is not supported by networking\.istio\.io\/v1, Kind=VirtualService/);
    assert.equal((await h.kubectl(['patch', 'vs', 'reviews', '--type=merge', '-p', '{"spec":{"hosts":["x"]}}'])).stdout, 'virtualservice.networking.istio.io/reviews patched\n');
  });

  it('watches with the Watch helper', async () => {
    const watch = new k8s.Watch(config);
    const seen: string[] = [];
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const request = await watch.watch('/api/v1/namespaces/default/configmaps', { labelSelector: 'app=watched' }, (type, object: k8s.V1ConfigMap) => {
      seen.push(`${type} ${object.metadata?.name ?? ''}`);
      if (seen.length === 2) resolveDone();
    }, () => {});
    const core = config.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'ignored' } } });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w1', labels: { app: 'watched' } } } });
    await core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' });
    await done;
    request.abort();
    assert.deepEqual(seen, ['ADDED w1', 'DELETED w1']);
  });

  it('runs commands with the Exec helper and receives the final Status', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'shell' }, spec: { containers: [{ name: 'box', image: 'busybox:1.36' }] } } });
    for (let i = 0; i < 50; i++) {
      const pod = await core.readNamespacedPod({ name: 'shell', namespace: 'default' });
      if (pod.status?.phase === 'Running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const run = (command: string[]): Promise<{ out: string; err: string; status: k8s.V1Status }> =>
      new Promise((resolve, reject) => {
        let out = '';
        let err = '';
        const stdout = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
        const stderr = new Writable({ write(chunk, _enc, done) { err += String(chunk); done(); } });
        new k8s.Exec(config).exec('default', 'shell', 'box', command, stdout, stderr, null, false, (status) => resolve({ out, err, status })).catch(reject);
      });
    const ok = await run(['sh', '-c', 'true']);
    assert.deepEqual([ok.out, ok.err, ok.status.status], ['hello from box\n', 'a warning\n', 'Success']);
    const failed = await run(['fail']);
    assert.equal(failed.status.reason, 'NonZeroExitCode');
    assert.deepEqual(failed.status.details?.causes, [{ reason: 'ExitCode', message: '3' }]);
  });
});
