// Bad input through the real kubectl and raw HTTP: the API server's status codes and messages,
// and nothing stored (resourceVersion and object count unchanged) after each refusal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKubectlHarness, type KubectlHarness, type KubectlResult } from './kubectl-harness.ts';

const NAME_RULE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('bad input', () => {
  let h: KubectlHarness;
  before(async () => {
    h = await startKubectlHarness({ profile: 'none', maxBodyBytes: 64 * 1024 });
  });
  after(() => h.close());

  const state = (): { rv: number; count: number } => ({ rv: h.cluster.api.store.resourceVersion, count: h.cluster.api.store.snapshot().objects.length });
  /** Runs kubectl, expecting a failure that leaves the store as it was. */
  const refused = async (args: string[], input?: string): Promise<KubectlResult> => {
    const before = state();
    const result = await h.kubectl(args, input === undefined ? {} : { input });
    assert.equal(result.code, 1, result.stdout);
    assert.equal(result.stdout, '');
    assert.deepEqual(state(), before);
    return result;
  };
  const post = async (body: string, contentType = 'application/json', path = '/api/v1/namespaces/default/configmaps'): Promise<{ status: number; body: { kind: string; code: number; reason: string; message: string } }> => {
    const before = state();
    const response = await fetch(`${h.server.url}${path}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
    const answer = { status: response.status, body: (await response.json()) as { kind: string; code: number; reason: string; message: string } };
    assert.equal(answer.body.kind, 'Status');
    assert.equal(answer.body.code, answer.status);
    assert.deepEqual(state(), before);
    return answer;
  };

  it('malformed YAML and JSON: kubectl refuses them itself, the server with 400', async () => {
    assert.equal((await refused(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n data: [\n')).stderr, 'error: error parsing STDIN: error converting YAML to JSON: yaml: line 4: did not find expected key\n');
    assert.equal((await refused(['apply', '-f', '-'], '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"},')).stderr, 'error: error parsing STDIN: unexpected EOF\n');
    const json = await post('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},');
    assert.deepEqual([json.status, json.body.reason, json.body.message], [400, 'BadRequest', "couldn't get version/kind; json parse error: unexpected end of JSON input"]);
    const token = await post('{"apiVersion":"v1",]');
    assert.equal(token.body.message, "couldn't get version/kind; json parse error: invalid character ']' looking for beginning of object key string");
    const yaml = await post('metadata: [\n', 'application/yaml');
    assert.equal(yaml.status, 400);
    assert.match(yaml.body.message, /^error converting YAML to JSON: /);
  });

  it('unknown fields under Strict validation: 400 strict decoding error, also with kubectl --validate=strict', async () => {
    // (kubectl's YAML 1.1 reads a bare `y` as true, which fails decoding before the strict check.)
    const result = await refused(['apply', '--validate=strict', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbogus: 1\ndata: {x: v, z: w}\n');
    assert.equal(result.stderr, 'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"\n');
    const raw = await post('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","colour":"red"}}', 'application/json', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict');
    assert.deepEqual([raw.status, raw.body.message], [400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.colour"']);
  });

  it('values of the wrong JSON type in built-in kinds: 400 with the decoder\'s message, nothing stored', async () => {
    const deployment = (labels: string, replicas = '1', port = '80', annotations = '{}'): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, annotations: ${annotations}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web${labels}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: ${port}}]}]
`;
    const prefix = 'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal';
    // The classic mistake: `false` unquoted is a YAML bool, and label values are strings.
    assert.equal((await refused(['apply', '-f', '-'], deployment(', sidecar.istio.io/inject: false'))).stderr, `${prefix} bool into Go struct field ObjectMeta.spec.template.metadata.labels of type string\n`);
    assert.equal((await refused(['create', '-f', '-'], deployment(', sidecar.istio.io/inject: false'))).stderr, `${prefix} bool into Go struct field ObjectMeta.spec.template.metadata.labels of type string\n`);
    assert.equal((await refused(['apply', '-f', '-'], deployment('', '"3"'))).stderr, `${prefix} string into Go struct field DeploymentSpec.spec.replicas of type int32\n`);
    assert.equal((await refused(['apply', '-f', '-'], deployment('', '1', '"80"'))).stderr, `${prefix} string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32\n`);
    // kubectl decodes the top-level metadata itself, with the same decoder and words.
    assert.equal((await refused(['apply', '-f', '-'], deployment('', '1', '80', '{retries: 3}'))).stderr, 'error: unable to decode "STDIN": json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string\n');
    const raw = await post(JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', annotations: { retries: 3 } } }), 'application/json', '/apis/apps/v1/namespaces/default/deployments');
    assert.deepEqual([raw.status, raw.body.reason, raw.body.message], [400, 'BadRequest', 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string']);
    const configMap = await refused(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags}\ndata: {enabled: true}\n');
    assert.equal(configMap.stderr, 'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string\n');
    // Quoted, the same Deployment is fine.
    assert.equal((await h.kubectl(['apply', '-f', '-'], { input: deployment(', sidecar.istio.io/inject: "false"') })).stdout, 'deployment.apps/web created\n');
    assert.equal((await h.kubectl(['delete', 'deployment', 'web'])).code, 0);
  });

  it('wrong apiVersion or kind', async () => {
    assert.equal((await refused(['apply', '-f', '-'], 'apiVersion: v1\nkind: Bogus\nmetadata: {name: a}\n')).stderr, 'error: resource mapping not found for name: "a" namespace: "" from "STDIN": no matches for kind "Bogus" in version "v1"\nensure CRDs are installed first\n');
    assert.equal((await refused(['apply', '-f', '-'], 'apiVersion: v9\nkind: ConfigMap\nmetadata: {name: a}\n')).stderr, 'error: resource mapping not found for name: "a" namespace: "" from "STDIN": no matches for kind "ConfigMap" in version "v9"\nensure CRDs are installed first\n');
    const kind = await post('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}');
    assert.deepEqual([kind.status, kind.body.message], [400, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "Pod" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"']);
    const version = await post('{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"a"}}');
    assert.deepEqual([version.status, version.body.message], [400, 'the API version in the data (apps/v1) does not match the expected API version (v1)']);
  });

  it('invalid names and labels: 422 Invalid with the validation messages', async () => {
    assert.equal((await refused(['create', 'configmap', 'Bad_Name'])).stderr, `error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${NAME_RULE}\n`);
    const key = await refused(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {"bad label": x}}\n');
    assert.equal(key.stderr, `The ConfigMap "a" is invalid: metadata.labels: Invalid value: "bad label": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n`);
    const value = await post(JSON.stringify({ metadata: { name: 'a', labels: { app: 'x'.repeat(64) } } }));
    assert.equal(value.status, 422);
    assert.equal(value.body.reason, 'Invalid');
    assert.equal(value.body.message, `ConfigMap "a" is invalid: metadata.labels: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`);
    assert.equal((await refused(['label', 'namespace', 'default', 'ok/-bad-=1'])).stderr.startsWith('The Namespace "default" is invalid: metadata.labels: Invalid value: "ok/-bad-": name part must consist of'), true);
  });

  it('a missing namespace: 404 NotFound for the namespace', async () => {
    assert.equal((await refused(['create', 'configmap', 'x', '-n', 'nope'])).stderr, 'error: failed to create configmap: namespaces "nope" not found\n');
    const raw = await post('{"metadata":{"name":"x"}}', 'application/json', '/api/v1/namespaces/nope/configmaps');
    assert.deepEqual([raw.status, raw.body.reason, raw.body.message], [404, 'NotFound', 'namespaces "nope" not found']);
  });

  it('bodies over the limit and deeply nested JSON: 413 and 400', async () => {
    const big = await post(JSON.stringify({ metadata: { name: 'big' }, data: { blob: 'x'.repeat(70 * 1024) } }));
    assert.deepEqual([big.status, big.body.reason, big.body.message], [413, 'RequestEntityTooLarge', 'Request entity too large: limit is 65536']);
    const deep = await post(`{"metadata":{"name":"deep"},"data":${'{"a":'.repeat(200)}1${'}'.repeat(200)}}`);
    assert.deepEqual([deep.status, deep.body.reason, deep.body.message], [400, 'BadRequest', 'json: exceeded max depth of 100']);
  });

  it('a multi-object file with one bad object: the good ones are applied and the bad one reported', async () => {
    const before = state();
    const result = await h.kubectl(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good1}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_One}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: good2}\n' });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, 'configmap/good1 created\nconfigmap/good2 created\n');
    assert.equal(result.stderr, `The ConfigMap "Bad_One" is invalid: metadata.name: Invalid value: "Bad_One": ${NAME_RULE}\n`);
    assert.equal(state().count, before.count + 2);
    assert.equal((await h.kubectl(['get', 'configmaps', '-o', 'name'])).stdout, 'configmap/good1\nconfigmap/good2\nconfigmap/kube-root-ca.crt\n'.replace('configmap/kube-root-ca.crt\n', (await h.kubectl(['get', 'configmap', 'kube-root-ca.crt', '-o', 'name'])).stdout));
  });
});
