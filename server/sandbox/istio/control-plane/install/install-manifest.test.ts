import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { resolveInstallConfig } from './install-config.ts';
import { installManifest, type InstalledObject } from './install-manifest.ts';
import { istioctlInstallText, removedByPurge } from './istioctl-install-text.ts';
import { asArray, asObject, readPath, type JsonObject } from '../../../core/json-object.ts';

function find(objects: InstalledObject[], kind: string, name: string): JsonObject {
  const found = objects.find(({ object }) => object.kind === kind && asObject(object.metadata).name === name);
  assert.ok(found, `${kind}/${name} missing`);
  return found.object;
}

function names(objects: InstalledObject[], kind: string): string[] {
  return objects.filter(({ object }) => object.kind === kind).map(({ object }) => String(asObject(object.metadata).name));
}

function portsLine(service: JsonObject): string {
  return asArray(readPath(service, ['spec', 'ports'])).map((p) => `${String(asObject(p).port)}/TCP`).join(',');
}

describe('installManifest', () => {
  const demo = installManifest(resolveInstallConfig({ set: ['profile=demo'] }));

  it('demo creates the three Deployments and Services of `kubectl get deploy,svc -n istio-system`', () => {
    assert.deepEqual(names(demo, 'Deployment').sort(), ['istio-egressgateway', 'istio-ingressgateway', 'istiod']);
    assert.deepEqual(names(demo, 'Service').sort(), ['istio-egressgateway', 'istio-ingressgateway', 'istiod']);
    assert.equal(readPath(find(demo, 'Service', 'istiod'), ['spec', 'type']), 'ClusterIP');
    assert.equal(portsLine(find(demo, 'Service', 'istiod')), '15010/TCP,15012/TCP,443/TCP,15014/TCP');
    const ingress = find(demo, 'Service', 'istio-ingressgateway');
    assert.equal(readPath(ingress, ['spec', 'type']), 'LoadBalancer');
    assert.deepEqual(
      asArray(readPath(ingress, ['spec', 'ports'])).map((p) => [asObject(p).name, asObject(p).port, asObject(p).targetPort]),
      [['status-port', 15021, 15021], ['http2', 80, 8080], ['https', 443, 8443], ['tcp', 31400, 31400], ['tls', 15443, 15443]],
    );
    const egress = find(demo, 'Service', 'istio-egressgateway');
    assert.equal(readPath(egress, ['spec', 'type']), 'ClusterIP');
    assert.equal(portsLine(egress), '80/TCP,443/TCP');
    for (const object of demo.map((o) => o.object)) {
      if (object.kind !== 'CustomResourceDefinition' && object.kind !== 'MutatingWebhookConfiguration' && object.kind !== 'ValidatingWebhookConfiguration') {
        assert.equal(asObject(object.metadata).namespace, 'istio-system');
      }
    }
  });

  it('the default profile ingress has only 15021/80/443', () => {
    const objects = installManifest(resolveInstallConfig());
    assert.equal(portsLine(find(objects, 'Service', 'istio-ingressgateway')), '15021/TCP,80/TCP,443/TCP');
    assert.deepEqual(names(objects, 'Deployment').sort(), ['istio-ingressgateway', 'istiod']);
  });

  it('minimal creates istiod only; empty creates nothing', () => {
    assert.deepEqual(names(installManifest(resolveInstallConfig({ set: ['profile=minimal'] })), 'Deployment'), ['istiod']);
    assert.deepEqual(installManifest(resolveInstallConfig({ set: ['profile=empty'] })), []);
  });

  it('istiod runs one discovery container labelled app=istiod istio=pilot', () => {
    const deployment = find(demo, 'Deployment', 'istiod');
    const template = asObject(readPath(deployment, ['spec', 'template']));
    assert.equal(readPath(template, ['metadata', 'labels', 'app']), 'istiod');
    assert.equal(readPath(template, ['metadata', 'labels', 'istio']), 'pilot');
    const containers = asArray(readPath(template, ['spec', 'containers'])).map(asObject);
    assert.deepEqual(containers.map((c) => c.name), ['discovery']);
    assert.deepEqual(asArray(containers[0]?.ports).map((p) => asObject(p).containerPort), [8080, 15010, 15012, 15017, 15014]);
    assert.equal(containers[0]?.image, 'docker.io/istio/pilot:1.30.3');
    assert.deepEqual(readPath(deployment, ['spec', 'selector', 'matchLabels']), { istio: 'pilot' });
  });

  it('a revision\'s istiod pods stay out of the default istiod Service (istio=istiod, not pilot)', () => {
    const canary = installManifest(resolveInstallConfig({ set: ['profile=minimal', 'revision=canary'] }));
    const deployment = find(canary, 'Deployment', 'istiod-canary');
    const labels = asObject(readPath(deployment, ['spec', 'template', 'metadata', 'labels']));
    assert.equal(labels.istio, 'istiod');
    assert.equal(labels['istio.io/rev'], 'canary');
    const defaultService = asObject(readPath(find(demo, 'Service', 'istiod'), ['spec', 'selector']));
    assert.ok(!Object.entries(defaultService).every(([key, value]) => labels[key] === value));
  });

  it('the ingress gateway pod is a single istio-proxy router with its health probe', () => {
    const deployment = find(demo, 'Deployment', 'istio-ingressgateway');
    const labels = asObject(readPath(deployment, ['spec', 'template', 'metadata', 'labels']));
    assert.equal(labels.app, 'istio-ingressgateway');
    assert.equal(labels.istio, 'ingressgateway');
    const containers = asArray(readPath(deployment, ['spec', 'template', 'spec', 'containers'])).map(asObject);
    assert.deepEqual(containers.map((c) => c.name), ['istio-proxy']);
    assert.deepEqual(asArray(containers[0]?.args).slice(0, 2), ['proxy', 'router']);
    assert.deepEqual(asArray(containers[0]?.ports).map((p) => asObject(p).containerPort), [15021, 8080, 8443, 31400, 15443, 15090]);
    assert.deepEqual(readPath(containers[0], ['readinessProbe', 'httpGet']), { path: '/healthz/ready', port: 15021, scheme: 'HTTP' });
    assert.equal(readPath(find(demo, 'Deployment', 'istio-egressgateway'), ['spec', 'template', 'metadata', 'labels', 'istio']), 'egressgateway');
  });

  it('creates the service accounts, config maps and the Istio CRDs', () => {
    assert.deepEqual(names(demo, 'ServiceAccount').sort(), ['istio-egressgateway-service-account', 'istio-ingressgateway-service-account', 'istio-reader-service-account', 'istiod']);
    assert.deepEqual(names(demo, 'ConfigMap').sort(), ['istio', 'istio-sidecar-injector']);
    const mesh = parse(String(readPath(find(demo, 'ConfigMap', 'istio'), ['data', 'mesh']))) as JsonObject;
    assert.equal(mesh.accessLogFile, '/dev/stdout');
    assert.equal(mesh.rootNamespace, 'istio-system');
    assert.equal(readPath(mesh, ['defaultConfig', 'discoveryAddress']), 'istiod.istio-system.svc:15012');
    const defaultMesh = parse(String(readPath(find(installManifest(resolveInstallConfig()), 'ConfigMap', 'istio'), ['data', 'mesh']))) as JsonObject;
    assert.equal(defaultMesh.accessLogFile, undefined);
    assert.ok(names(demo, 'CustomResourceDefinition').includes('virtualservices.networking.istio.io'));
  });

  it('registers the injection webhooks with the exact selectors of §2.2', () => {
    const webhook = find(demo, 'MutatingWebhookConfiguration', 'istio-sidecar-injector');
    const hooks = asArray(webhook.webhooks).map(asObject);
    assert.deepEqual(hooks.map((h) => h.name), [
      'rev.namespace.sidecar-injector.istio.io',
      'rev.object.sidecar-injector.istio.io',
      'namespace.sidecar-injector.istio.io',
      'object.sidecar-injector.istio.io',
    ]);
    assert.deepEqual(readPath(hooks[0], ['namespaceSelector', 'matchExpressions']), [
      { key: 'istio.io/rev', operator: 'In', values: ['default'] },
      { key: 'istio-injection', operator: 'DoesNotExist' },
    ]);
    assert.deepEqual(readPath(hooks[3], ['objectSelector', 'matchExpressions']), [
      { key: 'sidecar.istio.io/inject', operator: 'In', values: ['true'] },
      { key: 'istio.io/rev', operator: 'DoesNotExist' },
    ]);
    for (const hook of hooks) {
      assert.equal(hook.failurePolicy, 'Fail');
      assert.deepEqual(asObject(asArray(hook.rules)[0]).operations, ['CREATE']);
      assert.deepEqual(readPath(hook, ['clientConfig', 'service']), { name: 'istiod', namespace: 'istio-system', path: '/inject', port: 443 });
    }
    assert.deepEqual(names(demo, 'ValidatingWebhookConfiguration'), ['istio-validator-istio-system', 'istiod-default-validator']);
    assert.equal(readPath(find(demo, 'ValidatingWebhookConfiguration', 'istiod-default-validator'), ['webhooks', '0', 'name']), 'validation.istio.io');
  });

  it('names a canary revision as upstream does', () => {
    const objects = installManifest(resolveInstallConfig({ set: ['profile=minimal', 'revision=canary'] }));
    assert.deepEqual(names(objects, 'Deployment'), ['istiod-canary']);
    assert.deepEqual(names(objects, 'Service'), ['istiod-canary']);
    assert.deepEqual(names(objects, 'ConfigMap').sort(), ['istio-canary', 'istio-sidecar-injector-canary']);
    assert.deepEqual(names(objects, 'ValidatingWebhookConfiguration'), ['istio-validator-canary-istio-system']);
    const webhook = find(objects, 'MutatingWebhookConfiguration', 'istio-sidecar-injector-canary');
    const hooks = asArray(webhook.webhooks).map(asObject);
    assert.deepEqual(hooks.map((h) => h.name), ['rev.namespace.sidecar-injector.istio.io', 'rev.object.sidecar-injector.istio.io']);
    assert.deepEqual(readPath(hooks[0], ['namespaceSelector', 'matchExpressions', '0', 'values']), ['canary']);
    assert.equal(readPath(hooks[0], ['clientConfig', 'service', 'name']), 'istiod-canary');
    const deployment = find(objects, 'Deployment', 'istiod-canary');
    assert.equal(readPath(deployment, ['metadata', 'labels', 'istio.io/rev']), 'canary');
    assert.deepEqual(readPath(deployment, ['spec', 'selector', 'matchLabels']), { app: 'istiod', 'istio.io/rev': 'canary' });
  });
});

describe('istioctlInstallText', () => {
  it('prints the 1.30 progress lines with icons', () => {
    assert.deepEqual(istioctlInstallText.installed(resolveInstallConfig({ set: ['profile=demo'] })), [
      '✔ Istio core installed ⛵️',
      '✔ Istiod installed 🧠',
      '✔ Egress gateways installed 🛫',
      '✔ Ingress gateways installed 🛬',
      '✔ Installation complete',
    ]);
    const noGateways = resolveInstallConfig({ files: [{ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', spec: { profile: 'demo', components: { ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }], egressGateways: [{ name: 'istio-egressgateway', enabled: false }] } } }] });
    assert.deepEqual(istioctlInstallText.installed(noGateways), ['✔ Istio core installed ⛵️', '✔ Istiod installed 🧠', '✔ Installation complete']);
    assert.equal(istioctlInstallText.installed(resolveInstallConfig({ set: ['profile=ambient'] })).at(-1), 'The ambient profile has been installed successfully, enjoy Istio without sidecars!');
  });

  it('asks for confirmation naming version and profile', () => {
    assert.equal(istioctlInstallText.confirmation(resolveInstallConfig()), 'This will install the Istio 1.30.3 profile "default" into the cluster. Proceed? (y/N)');
    assert.equal(istioctlInstallText.cancelled, 'Cancelled.');
  });

  it('prints version lines with proxy counts, or the no-control-plane error', () => {
    assert.deepEqual(istioctlInstallText.version(['1.30.3'], ['1.30.3', '1.30.3', '1.30.3']).stdout, [
      'client version: 1.30.3',
      'control plane version: 1.30.3',
      'data plane version: 1.30.3 (3 proxies)',
    ]);
    assert.equal(istioctlInstallText.version(['1.30.3'], []).stdout[2], 'data plane version: none');
    assert.deepEqual(istioctlInstallText.version([], []), {
      stdout: ['client version: 1.30.3'],
      stderr: ['Istio is not present in the cluster: no running Istio pods in "istio-system"'],
    });
  });

  it('purge removes every installed object and the CRDs but not the namespace or user objects', () => {
    const objects = installManifest(resolveInstallConfig({ set: ['profile=demo'] }));
    assert.ok(objects.every(({ object }) => removedByPurge(object)));
    assert.equal(removedByPurge({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } }), false);
    assert.equal(removedByPurge({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'default' } }), false);
    const lines = istioctlInstallText.purged(objects.filter(({ object }) => object.kind === 'Deployment'));
    assert.deepEqual(lines, [
      'All Istio resources will be pruned from the cluster',
      '  Removed Deployment:istio-system:istiod.',
      '  Removed Deployment:istio-system:istio-egressgateway.',
      '  Removed Deployment:istio-system:istio-ingressgateway.',
      '✔ Uninstall complete',
    ]);
  });
});
