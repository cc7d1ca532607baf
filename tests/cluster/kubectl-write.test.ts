import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

const BOOKINFO = fileURLToPath(new URL('./fixtures/bookinfo.yaml', import.meta.url));
const OBJECTS = [
  'service/details', 'serviceaccount/bookinfo-details', 'deployment.apps/details-v1',
  'service/ratings', 'serviceaccount/bookinfo-ratings', 'deployment.apps/ratings-v1',
  'service/reviews', 'serviceaccount/bookinfo-reviews', 'deployment.apps/reviews-v1', 'deployment.apps/reviews-v2', 'deployment.apps/reviews-v3',
  'service/productpage', 'serviceaccount/bookinfo-productpage', 'deployment.apps/productpage-v1',
];

function lines(objects: string[], verb: string): string {
  return objects.map((object) => `${object} ${verb}\n`).join('');
}

describe('kubectl writes against the emulated cluster', () => {
  let h: KubectlHarness;
  before(async () => {
    h = await startKubectlHarness();
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('applies bookinfo (created), re-applies it (unchanged), applies a change (configured) and deletes it', async () => {
    const created = await h.kubectl(['apply', '-f', BOOKINFO]);
    assert.equal(created.stderr, '');
    assert.equal(created.stdout, lines(OBJECTS, 'created'));
    const unchanged = await h.kubectl(['apply', '-f', BOOKINFO]);
    assert.equal(unchanged.stdout, lines(OBJECTS, 'unchanged'));
    const changedFile = join(h.dir, 'bookinfo-changed.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(changedFile, readFileSync(BOOKINFO, 'utf8').replace('examples-bookinfo-reviews-v2:1.20.3', 'examples-bookinfo-reviews-v2:1.20.2'));
    const configured = await h.kubectl(['apply', '-f', changedFile]);
    assert.equal(configured.stdout, lines(OBJECTS, 'unchanged').replace('deployment.apps/reviews-v2 unchanged', 'deployment.apps/reviews-v2 configured'));
    const image = await h.kubectl(['get', 'deploy', 'reviews-v2', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}']);
    assert.equal(image.stdout, 'registry.istio.io/release/examples-bookinfo-reviews-v2:1.20.2 2');
    const deleted = await h.kubectl(['delete', '-f', BOOKINFO]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, OBJECTS.map((object) => `${object.replace('/', ' "')}" deleted\n`).join(''));
    const again = await h.kubectl(['delete', '-f', BOOKINFO]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^Error from server \(NotFound\): error when deleting ".*bookinfo\.yaml": services "details" not found\n/);
    assert.match(again.stderr, /deployments\.apps "productpage-v1" not found\n$/);
  });

  it('creates a namespace from a protobuf body and refuses a duplicate and an invalid name', async () => {
    const created = await h.kubectl(['create', 'namespace', 'team-a']);
    assert.equal(created.stdout, 'namespace/team-a created\n');
    const again = await h.kubectl(['create', 'namespace', 'team-a']);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'Error from server (AlreadyExists): namespaces "team-a" already exists\n');
    const invalid = await h.kubectl(['create', 'namespace', 'Team_A']);
    assert.equal(invalid.code, 1);
    assert.equal(
      invalid.stderr,
      `The Namespace "Team_A" is invalid: metadata.name: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n`,
    );
    const labels = await h.kubectl(['get', 'ns', 'team-a', '-o', 'jsonpath={.metadata.labels}']);
    assert.equal(labels.stdout, '{"kubernetes.io/metadata.name":"team-a"}');
  });

  it('creates deployments, configmaps, secrets and service accounts sent as protobuf', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=0', '--port=80'])).stdout, 'deployment.apps/web created\n');
    const web = JSON.parse((await h.kubectl(['get', 'deploy', 'web', '-o', 'json'])).stdout) as { spec: { replicas: number; selector: unknown; template: { spec: { containers: Array<Record<string, unknown>> } } } };
    assert.equal(web.spec.replicas, 0);
    assert.deepEqual(web.spec.selector, { matchLabels: { app: 'web' } });
    assert.deepEqual(web.spec.template.spec.containers[0]?.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.equal(web.spec.template.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.equal((await h.kubectl(['create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=level=3'])).stdout, 'configmap/settings created\n');
    assert.equal((await h.kubectl(['get', 'cm', 'settings', '-o', 'jsonpath={.data.mode}/{.data.level}'])).stdout, 'fast/3');
    assert.equal((await h.kubectl(['create', 'secret', 'generic', 'token', '--from-literal=key=s3cret'])).stdout, 'secret/token created\n');
    assert.equal((await h.kubectl(['get', 'secret', 'token', '-o', 'jsonpath={.data.key} {.type}'])).stdout, `${Buffer.from('s3cret').toString('base64')} Opaque`);
    assert.equal((await h.kubectl(['create', 'serviceaccount', 'robot'])).stdout, 'serviceaccount/robot created\n');
    const missingNs = await h.kubectl(['create', 'configmap', 'x', '-n', 'nowhere']);
    assert.equal(missingNs.stderr, 'error: failed to create configmap: namespaces "nowhere" not found\n');
  });

  it('creates services, RBAC objects, quotas, budgets and ingresses sent as protobuf', async () => {
    assert.equal((await h.kubectl(['create', 'service', 'nodeport', 'np', '--tcp=80:8080'])).stdout, 'service/np created\n');
    const np = JSON.parse((await h.kubectl(['get', 'svc', 'np', '-o', 'json'])).stdout) as { spec: { type: string; ports: Array<Record<string, unknown>>; selector: unknown } };
    assert.equal(np.spec.type, 'NodePort');
    assert.equal(np.spec.ports[0]?.targetPort, 8080);
    assert.ok(Number(np.spec.ports[0]?.nodePort) >= 30000 && Number(np.spec.ports[0]?.nodePort) <= 32767);
    assert.deepEqual(np.spec.selector, { app: 'np' });
    assert.equal((await h.kubectl(['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps'])).stdout, 'role.rbac.authorization.k8s.io/reader created\n');
    const role = JSON.parse((await h.kubectl(['get', 'role', 'reader', '-o', 'json'])).stdout) as { rules: unknown };
    assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }]);
    assert.equal((await h.kubectl(['create', 'rolebinding', 'read', '--role=reader', '--serviceaccount=default:robot'])).stdout, 'rolebinding.rbac.authorization.k8s.io/read created\n');
    const binding = await h.kubectl(['get', 'rolebinding', 'read', '-o', 'wide', '--no-headers']);
    assert.match(binding.stdout, /^read\s+Role\/reader\s+\d+s\s+default\/robot\n$/);
    assert.equal((await h.kubectl(['create', 'pdb', 'budget', '--selector=app=x', '--min-available=50%'])).stdout, 'poddisruptionbudget.policy/budget created\n');
    assert.equal((await h.kubectl(['get', 'pdb', 'budget', '-o', 'jsonpath={.spec.minAvailable}'])).stdout, '50%');
    assert.equal((await h.kubectl(['create', 'ingress', 'web', '--rule=shop.example.com/*=web:80'])).stdout, 'ingress.networking.k8s.io/web created\n');
    assert.equal((await h.kubectl(['get', 'ingress', 'web', '-o', 'jsonpath={.spec.rules[0].http.paths[0].backend.service.name}'])).stdout, 'web');
  });

  it('labels and annotates: add, overwrite, remove', async () => {
    assert.equal((await h.kubectl(['label', 'ns', 'default', 'istio-injection=enabled'])).stdout, 'namespace/default labeled\n');
    const clash = await h.kubectl(['label', 'ns', 'default', 'istio-injection=disabled']);
    assert.equal(clash.stderr, "error: 'istio-injection' already has a value (enabled), and --overwrite is false\n");
    assert.equal((await h.kubectl(['label', 'ns', 'default', 'istio-injection=disabled', '--overwrite'])).stdout, 'namespace/default labeled\n');
    const shown = await h.kubectl(['get', 'ns', 'default', '-L', 'istio-injection', '--no-headers']);
    assert.match(shown.stdout, /^default\s+Active\s+\d+s\s+disabled\n$/);
    assert.equal((await h.kubectl(['label', 'ns', 'default', 'istio-injection-'])).stdout, 'namespace/default unlabeled\n');
    const absent = await h.kubectl(['label', 'ns', 'default', 'istio-injection-']);
    assert.equal(absent.stdout, 'label "istio-injection" not found.\nnamespace/default not labeled\n');
    assert.equal((await h.kubectl(['annotate', 'ns', 'default', 'owner=platform'])).stdout, 'namespace/default annotated\n');
    assert.equal((await h.kubectl(['annotate', 'ns', 'default', 'owner-'])).stdout, 'namespace/default annotated\n');
    assert.equal((await h.kubectl(['get', 'ns', 'default', '-o', 'jsonpath={.metadata.annotations}'])).stdout, '');
  });

  it('reports NotFound, unknown fields (Strict and Warn) and patches of every type', async () => {
    const missing = await h.kubectl(['get', 'pod', 'nope']);
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "nope" not found\n');
    const bad = join(h.dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndatas:\n  a: b\n');
    const strict = await h.kubectl(['apply', '-f', bad]);
    assert.equal(strict.code, 1);
    assert.equal(strict.stderr, `Error from server (BadRequest): error when creating "${bad}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datas"\n`);
    const warn = await h.kubectl(['apply', '-f', bad, '--validate=warn']);
    assert.equal(warn.stderr, 'Warning: unknown field "datas"\n');
    assert.equal(warn.stdout, 'configmap/bad created\n');
    await h.kubectl(['create', 'deployment', 'patchme', '--image=busybox:1.36']);
    assert.equal((await h.kubectl(['patch', 'deploy', 'patchme', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"busybox","env":[{"name":"A","value":"1"}]}]}}}}'])).stdout, 'deployment.apps/patchme patched\n');
    assert.equal((await h.kubectl(['patch', 'deploy', 'patchme', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"web"}}}'])).stdout, 'deployment.apps/patchme patched\n');
    assert.equal((await h.kubectl(['patch', 'deploy', 'patchme', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]'])).stdout, 'deployment.apps/patchme patched\n');
    const result = await h.kubectl(['get', 'deploy', 'patchme', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[0].value} {.metadata.labels.tier} {.spec.replicas}']);
    assert.equal(result.stdout, 'busybox:1.36 1 web 3');
    assert.equal((await h.kubectl(['scale', 'deploy', 'patchme', '--replicas=1'])).stdout, 'deployment.apps/patchme scaled\n');
    assert.equal((await h.kubectl(['get', 'deploy', 'patchme', '-o', 'jsonpath={.spec.replicas}'])).stdout, '1');
    const dry = await h.kubectl(['create', 'configmap', 'dry', '--dry-run=server']);
    assert.equal(dry.stdout, 'configmap/dry created (server dry run)\n');
    assert.equal((await h.kubectl(['get', 'cm', 'dry'])).stderr, 'Error from server (NotFound): configmaps "dry" not found\n');
  });

  it('applies server-side and records the field manager', async () => {
    const file = join(h.dir, 'ssa.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n');
    assert.equal((await h.kubectl(['apply', '--server-side', '-f', file])).stdout, 'configmap/ssa serverside-applied\n');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "2"\n');
    assert.equal((await h.kubectl(['apply', '--server-side', '-f', file])).stdout, 'configmap/ssa serverside-applied\n');
    const managed = JSON.parse((await h.kubectl(['get', 'cm', 'ssa', '-o', 'json', '--show-managed-fields'])).stdout) as { data: Record<string, string>; metadata: { managedFields: Array<{ manager: string; operation: string }> } };
    assert.equal(managed.data.a, '2');
    assert.ok(managed.metadata.managedFields.some((entry) => entry.manager === 'kubectl' && entry.operation === 'Apply'));
    // Another manager's different value is a conflict until forced.
    await h.kubectl(['create', 'deployment', 'owned', '--image=nginx:1.27', '--replicas=1']);
    const manifest = join(h.dir, 'owned.yaml');
    writeFileSync(manifest, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: owned\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: owned\n  template:\n    metadata:\n      labels:\n        app: owned\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n');
    const conflict = await h.kubectl(['apply', '--server-side', '-f', manifest]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl-create" using apps\/v1: \.spec\.replicas\nPlease review the fields above/);
    assert.equal((await h.kubectl(['apply', '--server-side', '--force-conflicts', '-f', manifest])).stdout, 'deployment.apps/owned serverside-applied\n');
    assert.equal((await h.kubectl(['get', 'deploy', 'owned', '-o', 'jsonpath={.spec.replicas}'])).stdout, '3');
  });

  it('answers access reviews sent as protobuf: auth can-i and auth whoami', async () => {
    assert.equal((await h.kubectl(['auth', 'can-i', 'create', 'deployments'])).stdout, 'yes\n');
    const whoami = await h.kubectl(['auth', 'whoami']);
    assert.equal(whoami.stdout, 'ATTRIBUTE   VALUE\nUsername    admin\nGroups      [system:masters system:authenticated]\n');
  });
});
