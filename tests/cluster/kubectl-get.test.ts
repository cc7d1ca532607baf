import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startKubectlHarness, tableRows, type KubectlHarness } from './kubectl-harness.ts';

const BOOKINFO = fileURLToPath(new URL('./fixtures/bookinfo.yaml', import.meta.url));
const AGE = /^\d+s$/;

describe('kubectl get against the emulated cluster', () => {
  let h: KubectlHarness;
  before(async () => {
    h = await startKubectlHarness();
    const applied = await h.kubectl(['apply', '-f', BOOKINFO]);
    assert.equal(applied.code, 0, applied.stderr);
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('prints namespaces as a server-side table', async () => {
    const result = await h.kubectl(['get', 'ns']);
    assert.equal(result.code, 0, result.stderr);
    const rows = tableRows(result.stdout);
    assert.deepEqual(rows[0], ['NAME', 'STATUS', 'AGE']);
    assert.deepEqual(rows.slice(1).map((row) => row[0]), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    for (const row of rows.slice(1)) {
      assert.equal(row[1], 'Active');
      assert.match(row[2] ?? '', AGE);
    }
  });

  it('prints services and deployments with their real columns, -o wide adds priority-1 columns', async () => {
    const svc = tableRows((await h.kubectl(['get', 'svc', '-o', 'wide'])).stdout);
    assert.deepEqual(svc[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    const details = svc.find((row) => row[0] === 'details');
    assert.ok(details);
    assert.equal(details[1], 'ClusterIP');
    assert.match(details[2] ?? '', /^10\.96\.\d+\.\d+$/);
    assert.deepEqual(details.slice(3, 5), ['<none>', '9080/TCP']);
    assert.equal(details[6], 'app=details');
    const deploy = tableRows((await h.kubectl(['get', 'deploy', '-o', 'wide'])).stdout);
    assert.deepEqual(deploy[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const reviews = deploy.find((row) => row[0] === 'reviews-v2');
    assert.deepEqual(reviews?.slice(5), ['reviews', 'registry.istio.io/release/examples-bookinfo-reviews-v2:1.20.3', 'app=reviews,version=v2']);
  });

  it('supports -l, -L, --show-labels and -A', async () => {
    const byLabel = tableRows((await h.kubectl(['get', 'deploy', '-l', 'app=reviews,version!=v1'])).stdout);
    assert.deepEqual(byLabel.slice(1).map((row) => row[0]), ['reviews-v2', 'reviews-v3']);
    const setBased = tableRows((await h.kubectl(['get', 'svc', '-l', 'app in (ratings,details)'])).stdout);
    assert.deepEqual(setBased.slice(1).map((row) => row[0]), ['details', 'ratings']);
    const columns = tableRows((await h.kubectl(['get', 'deploy', '-L', 'version'])).stdout);
    assert.deepEqual(columns[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'VERSION']);
    assert.equal(columns.find((row) => row[0] === 'ratings-v1')?.[5], 'v1');
    const shown = tableRows((await h.kubectl(['get', 'svc', 'productpage', '--show-labels'])).stdout);
    assert.equal(shown[1]?.at(-1), 'app=productpage,service=productpage');
    const all = tableRows((await h.kubectl(['get', 'sa', '-A'])).stdout);
    assert.deepEqual(all[0], ['NAMESPACE', 'NAME', 'SECRETS', 'AGE']);
    assert.ok(all.some((row) => row[0] === 'default' && row[1] === 'bookinfo-ratings'));
  });

  it('prints yaml, json, name, jsonpath and custom-columns from full objects', async () => {
    const yaml = await h.kubectl(['get', 'svc', 'ratings', '-o', 'yaml']);
    assert.match(yaml.stdout, /^apiVersion: v1\nkind: Service\n/);
    assert.match(yaml.stdout, /\n  uid: [0-9a-f-]{36}\n/);
    assert.match(yaml.stdout, /\n  sessionAffinity: None\n/);
    assert.match(yaml.stdout, /\n  internalTrafficPolicy: Cluster\n/);
    assert.match(yaml.stdout, /\n  ipFamilies:\n  - IPv4\n/);
    const json = JSON.parse((await h.kubectl(['get', 'deploy', 'ratings-v1', '-o', 'json'])).stdout) as { spec: { template: { spec: Record<string, unknown> } } };
    assert.equal(json.spec.template.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(json.spec.template.spec.terminationGracePeriodSeconds, 30);
    const names = await h.kubectl(['get', 'svc', '-o', 'name']);
    assert.equal(names.stdout, 'service/details\nservice/kubernetes\nservice/productpage\nservice/ratings\nservice/reviews\n');
    const path = await h.kubectl(['get', 'svc', 'reviews', '-o', 'jsonpath={.spec.ports[0].port} {.spec.ports[0].name}']);
    assert.equal(path.stdout, '9080 http');
    const custom = tableRows((await h.kubectl(['get', 'deploy', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas', '-l', 'app=details'])).stdout);
    assert.deepEqual(custom, [['NAME', 'REPLICAS'], ['details-v1', '1']]);
  });

  it('lists api-resources from aggregated discovery and explains pods from OpenAPI v3', async () => {
    const resources = tableRows((await h.kubectl(['api-resources'])).stdout);
    assert.deepEqual(resources[0], ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    assert.deepEqual(resources.find((row) => row[0] === 'deployments'), ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    assert.deepEqual(resources.find((row) => row[0] === 'namespaces'), ['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    const explain = await h.kubectl(['explain', 'pod']);
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stdout, /^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n\s+Pod is a collection of containers/);
    assert.match(explain.stdout, /\n {2}spec\t<PodSpec>\n/);
    const spec = await h.kubectl(['explain', 'deployment.spec.template.spec.containers']);
    assert.match(spec.stdout, /FIELD: containers <\[\]Container>/);
    assert.match(spec.stdout, /\n {2}name\t<string> -required-\n/);
  });

  it('reports an empty namespace the way kubectl does for an empty table', async () => {
    const result = await h.kubectl(['get', 'pods', '-n', 'kube-public']);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'No resources found in kube-public namespace.\n');
  });
});
