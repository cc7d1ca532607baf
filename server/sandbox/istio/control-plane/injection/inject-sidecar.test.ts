import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { istioSamplesMissing, readIstioSample } from '../../../../../tests/support/istio-samples.ts';
import { injectSidecar, nativeSidecarDefault } from './inject-sidecar.ts';
import { kubeInject } from './kube-inject.ts';
import { asArray, asObject, readPath, type JsonObject } from '../../../core/json-object.ts';

const reviewsPod: JsonObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'reviews-v2-7d79d5bd5d-8zzqd', namespace: 'default', labels: { app: 'reviews', version: 'v2' } },
  spec: {
    serviceAccountName: 'bookinfo-reviews',
    containers: [
      {
        name: 'reviews',
        image: 'registry.istio.io/release/examples-bookinfo-reviews-v2:1.20.3',
        ports: [{ containerPort: 9080 }],
        readinessProbe: { httpGet: { path: '/health', port: 9080 } },
      },
    ],
  },
};

const names = (list: unknown) => asArray(list).map((c) => asObject(c).name);

describe('injectSidecar', () => {
  const injected = injectSidecar(reviewsPod, { revision: 'default', workloadName: 'reviews-v2' });

  it('adds istio-init and istio-proxy around the app container', () => {
    assert.deepEqual(names(readPath(injected, ['spec', 'initContainers'])), ['istio-init']);
    assert.deepEqual(names(readPath(injected, ['spec', 'containers'])), ['reviews', 'istio-proxy']);
    const init = asObject(readPath(injected, ['spec', 'initContainers', '0']));
    assert.equal(asArray(init.args).join(' '), "istio-iptables -p 15001 -z 15006 -u 1337 -m REDIRECT -i * -x  -b * -d 15090,15021,15020 --log_output_level=default:info");
    assert.deepEqual(readPath(init, ['securityContext', 'capabilities', 'add']), ['NET_ADMIN', 'NET_RAW']);
    const proxy = asObject(readPath(injected, ['spec', 'containers', '1']));
    assert.deepEqual(asArray(proxy.args).slice(0, 4), ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local']);
    assert.deepEqual(proxy.ports, [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }]);
    assert.deepEqual(readPath(proxy, ['readinessProbe', 'httpGet']), { path: '/healthz/ready', port: 15021 });
    assert.equal(readPath(proxy, ['securityContext', 'runAsUser']), 1337);
    assert.equal(proxy.image, 'docker.io/istio/proxyv2:1.30.3');
  });

  it('writes the exact sidecar.istio.io/status annotation and the other annotations', () => {
    const annotations = asObject(readPath(injected, ['metadata', 'annotations']));
    assert.equal(
      annotations['sidecar.istio.io/status'],
      '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert","istio-ca-crl"],"imagePullSecrets":null,"revision":"default"}',
    );
    assert.equal(annotations['istio.io/rev'], 'default');
    assert.equal(annotations['kubectl.kubernetes.io/default-container'], 'reviews');
    assert.equal(annotations['kubectl.kubernetes.io/default-logs-container'], 'reviews');
    assert.equal(annotations['prometheus.io/path'], '/stats/prometheus');
    assert.equal(annotations['prometheus.io/port'], '15020');
    assert.equal(annotations['prometheus.io/scrape'], 'true');
    assert.deepEqual(names(readPath(injected, ['spec', 'volumes'])), ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert', 'istio-ca-crl']);
  });

  it('labels the pod with tlsMode and canonical name/revision', () => {
    const labels = asObject(readPath(injected, ['metadata', 'labels']));
    assert.equal(labels['security.istio.io/tlsMode'], 'istio');
    assert.equal(labels['service.istio.io/canonical-name'], 'reviews');
    assert.equal(labels['service.istio.io/canonical-revision'], 'v2');
    const bare = injectSidecar({ metadata: { labels: {} }, spec: { containers: [{ name: 'c' }] } }, { revision: 'default', workloadName: 'web' });
    assert.equal(readPath(bare, ['metadata', 'labels', 'service.istio.io/canonical-name']), 'web');
    assert.equal(readPath(bare, ['metadata', 'labels', 'service.istio.io/canonical-revision']), 'latest');
  });

  it('routes app HTTP probes through the agent on 15020', () => {
    const app = asObject(readPath(injected, ['spec', 'containers', '0']));
    assert.deepEqual(readPath(app, ['readinessProbe', 'httpGet']), { path: '/app-health/reviews/readyz', port: 15020, scheme: 'HTTP' });
    const env = asArray(readPath(injected, ['spec', 'containers', '1', 'env'])).map(asObject);
    const probers = env.find((e) => e.name === 'ISTIO_KUBE_APP_PROBERS');
    assert.equal(probers?.value, '{"/app-health/reviews/readyz":{"httpGet":{"path":"/health","port":9080,"scheme":"HTTP"},"timeoutSeconds":1}}');
    assert.deepEqual(readPath(reviewsPod, ['spec', 'containers', '0', 'readinessProbe', 'httpGet']), { path: '/health', port: 9080 }, 'input untouched');
  });

  it('makes istio-proxy a native sidecar when asked', () => {
    const native = injectSidecar(reviewsPod, { revision: 'default', nativeSidecar: true });
    assert.deepEqual(names(readPath(native, ['spec', 'initContainers'])), ['istio-init', 'istio-proxy']);
    assert.deepEqual(names(readPath(native, ['spec', 'containers'])), ['reviews']);
    assert.equal(readPath(native, ['spec', 'initContainers', '1', 'restartPolicy']), 'Always');
    const status = JSON.parse(String(readPath(native, ['metadata', 'annotations', 'sidecar.istio.io/status']))) as JsonObject;
    assert.deepEqual(status.initContainers, ['istio-init', 'istio-proxy']);
    assert.equal(status.containers, null);
    assert.equal(nativeSidecarDefault(['v1.33.1', 'v1.34.0']), true);
    assert.equal(nativeSidecarDefault(['v1.33.1', 'v1.32.5']), false);
    assert.equal(nativeSidecarDefault([]), false);
  });

  it('uses istio-validation instead of istio-init with CNI, and keeps the revision', () => {
    const cni = injectSidecar(reviewsPod, { revision: 'canary', cni: true });
    assert.deepEqual(names(readPath(cni, ['spec', 'initContainers'])), ['istio-validation']);
    assert.equal(readPath(cni, ['metadata', 'annotations', 'istio.io/rev']), 'canary');
    const env = asArray(readPath(cni, ['spec', 'containers', '1', 'env'])).map(asObject);
    assert.equal(env.find((e) => e.name === 'CA_ADDR')?.value, 'istiod-canary.istio-system.svc:15012');
  });
});

describe('kubeInject', { skip: istioSamplesMissing }, () => {
  it('injects the sleep sample Deployment and leaves the ServiceAccount and Service alone', () => {
    const docs = parseAllDocuments(readIstioSample('samples/sleep/sleep.yaml')).map((d) => asObject(d.toJS())).filter((d) => d.kind !== undefined);
    const out = kubeInject(docs, { revision: 'default' });
    assert.deepEqual(out.map((o) => o.kind), ['ServiceAccount', 'Service', 'Deployment']);
    assert.deepEqual(out[0], docs[0]);
    assert.deepEqual(out[1], docs[1]);
    const template = asObject(readPath(out[2], ['spec', 'template']));
    assert.deepEqual(names(readPath(template, ['spec', 'containers'])), ['sleep', 'istio-proxy']);
    assert.equal(readPath(template, ['metadata', 'labels', 'service.istio.io/canonical-name']), 'sleep');
    const env = asArray(readPath(template, ['spec', 'containers', '1', 'env'])).map(asObject);
    assert.equal(env.find((e) => e.name === 'ISTIO_META_OWNER')?.value, 'kubernetes://apis/apps/v1/namespaces/default/deployments/sleep');
  });

  it('honours a template that opts out', () => {
    const deployment: JsonObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { metadata: { labels: { 'sidecar.istio.io/inject': 'false' } }, spec: { containers: [{ name: 'x' }] } } } };
    assert.deepEqual(kubeInject([deployment], { revision: 'default' }), [deployment]);
  });
});
