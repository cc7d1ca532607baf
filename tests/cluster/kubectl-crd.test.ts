import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '../../server/sandbox/core/status-error.ts';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

function crd(group: string, kind: string, plural: string, shortNames: string[], categories: string[]): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  scope: Namespaced
  names:
    kind: ${kind}
    listKind: ${kind}List
    plural: ${plural}
    singular: ${kind.toLowerCase()}
    shortNames: [${shortNames.join(', ')}]
    categories: [${categories.join(', ')}]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              servers:
                type: integer
              selector:
                type: object
                additionalProperties:
                  type: string
            required: [servers]
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
`;
}

describe('custom resources and admission through kubectl', () => {
  let h: KubectlHarness;
  before(async () => {
    h = await startKubectlHarness();
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('answers a kind nobody installed as a real cluster does, and applies List documents', async () => {
    const file = join(h.dir, 'vs.yaml');
    writeFileSync(file, 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n');
    const missing = await h.kubectl(['apply', '-f', file]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `error: resource mapping not found for name: "reviews" namespace: "" from "${file}": no matches for kind "VirtualService" in version "networking.istio.io/v1"\nensure CRDs are installed first\n`);
    const list = join(h.dir, 'list.json');
    writeFileSync(list, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-list' } }] }));
    assert.equal((await h.kubectl(['apply', '-f', list])).stdout, 'configmap/from-list created\n');
  });

  it('serves CRDs dynamically: discovery order decides `gateway`, short names pick the group', async () => {
    const file = join(h.dir, 'crds.yaml');
    writeFileSync(file, `${crd('networking.istio.io', 'Gateway', 'gateways', ['gw'], ['istio-io'])}---\n${crd('gateway.networking.k8s.io', 'Gateway', 'gateways', ['gtw'], ['gateway-api'])}`);
    const applied = await h.kubectl(['apply', '-f', file]);
    assert.equal(applied.stdout, 'customresourcedefinition.apiextensions.k8s.io/gateways.networking.istio.io created\ncustomresourcedefinition.apiextensions.k8s.io/gateways.gateway.networking.k8s.io created\n');
    const istio = join(h.dir, 'istio-gw.yaml');
    writeFileSync(istio, 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: mesh-gw\nspec:\n  servers: 1\n');
    assert.equal((await h.kubectl(['apply', '-f', istio])).stdout, 'gateway.networking.istio.io/mesh-gw created\n');
    const api = join(h.dir, 'api-gw.yaml');
    writeFileSync(api, 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: k8s-gw\nspec:\n  servers: 2\n');
    assert.equal((await h.kubectl(['apply', '-f', api])).stdout, 'gateway.gateway.networking.k8s.io/k8s-gw created\n');
    assert.equal((await h.kubectl(['get', 'gateway', '-o', 'name'])).stdout, 'gateway.gateway.networking.k8s.io/k8s-gw\n');
    assert.equal((await h.kubectl(['get', 'gw', '-o', 'name'])).stdout, 'gateway.networking.istio.io/mesh-gw\n');
    assert.equal((await h.kubectl(['get', 'gtw', '-o', 'name'])).stdout, 'gateway.gateway.networking.k8s.io/k8s-gw\n');
    assert.equal((await h.kubectl(['get', 'istio-io', '-o', 'name'])).stdout, 'gateway.networking.istio.io/mesh-gw\n');
    const explain = await h.kubectl(['explain', 'gw.spec']);
    assert.match(explain.stdout, /servers\t<integer> -required-/);
  });

  it('validates custom resources against the CRD schema with real messages', async () => {
    const bad = join(h.dir, 'bad-gw.yaml');
    writeFileSync(bad, 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: bad\nspec:\n  servers: many\n');
    const invalid = await h.kubectl(['apply', '-f', bad]);
    assert.equal(invalid.code, 1);
    assert.equal(invalid.stderr, 'The Gateway "bad" is invalid: spec.servers: Invalid value: "string": spec.servers in body must be of type integer: "many"\n');
    writeFileSync(bad, 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: bad\nspec:\n  servers: 1\n  sever: 2\n');
    const unknown = await h.kubectl(['apply', '-f', bad]);
    assert.equal(unknown.stderr, `Error from server (BadRequest): error when creating "${bad}": Gateway in version "v1" cannot be handled as a Gateway: strict decoding error: unknown field "spec.sever"\n`);
  });

  it('keeps custom resource status behind its status subresource', async () => {
    const ignored = await h.kubectl(['patch', 'gw', 'mesh-gw', '--type=merge', '-p', '{"status":{"ready":true}}']);
    assert.equal(ignored.stdout, 'gateway.networking.istio.io/mesh-gw patched (no change)\n');
    const patched = await h.kubectl(['patch', 'gw', 'mesh-gw', '--subresource=status', '--type=merge', '-p', '{"status":{"ready":true}}']);
    assert.equal(patched.stdout, 'gateway.networking.istio.io/mesh-gw patched\n');
    assert.equal((await h.kubectl(['get', 'gw', 'mesh-gw', '-o', 'jsonpath={.status.ready} {.metadata.generation}'])).stdout, 'true 1');
  });

  it('runs mutating then validating admission hooks before storage', async () => {
    const api = h.cluster.api;
    api.admission.addMutating({
      name: 'label-owner',
      admit: (request) => {
        if (request.type.kind !== 'ConfigMap' || request.object === undefined) return;
        const meta = request.object.metadata as Record<string, unknown>;
        meta.labels = { ...(meta.labels as Record<string, string> | undefined), owner: 'platform' };
      },
    });
    api.admission.addValidating({
      name: 'no-forbidden',
      admit: (request) => {
        if (request.type.kind === 'ConfigMap' && request.name === 'forbidden') {
          throw new StatusError(403, 'Forbidden', 'admission webhook "no-forbidden.example.com" denied the request: that name is reserved');
        }
      },
    });
    assert.equal((await h.kubectl(['create', 'configmap', 'allowed'])).stdout, 'configmap/allowed created\n');
    assert.equal((await h.kubectl(['get', 'cm', 'allowed', '-o', 'jsonpath={.metadata.labels.owner}'])).stdout, 'platform');
    const denied = await h.kubectl(['create', 'configmap', 'forbidden']);
    assert.equal(denied.stderr, 'error: failed to create configmap: admission webhook "no-forbidden.example.com" denied the request: that name is reserved\n');
  });

  it('stops serving a CRD and its instances once it is deleted', async () => {
    const deleted = await h.kubectl(['delete', 'crd', 'gateways.gateway.networking.k8s.io']);
    assert.equal(deleted.stdout, 'customresourcedefinition.apiextensions.k8s.io "gateways.gateway.networking.k8s.io" deleted\n');
    assert.equal((await h.kubectl(['get', 'gw', '-o', 'name'])).stdout, 'gateway.networking.istio.io/mesh-gw\n');
    const gone = await h.kubectl(['get', '--raw', '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways']);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, 'Error from server (NotFound): the server could not find the requested resource\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(h.cluster.api.store.list('gateway.networking.k8s.io/gateways'), []);
  });
});
