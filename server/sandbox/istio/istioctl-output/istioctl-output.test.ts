import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { istioSamplesMissing } from '../../../../tests/support/istio-samples.ts';
import { buildMeshModel, type MeshModel } from '../mesh-model/build-mesh-model.ts';
import { bookinfo } from '../mesh-model/mesh-fixtures.test-support.ts';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import { describePod, DescribeUnmeshedPodError } from './describe-pod.ts';
import { istioctlVersion } from './istioctl-version.ts';
import { describeDomains, proxyConfigSection, renderProxyConfig } from './proxy-config-tables.ts';
import { renderProxyStatus } from './proxy-status.ts';

const ISTIOD = 'istiod-7dc9684c55-qkp9r';

function routing(): MeshModel {
  return buildMeshModel(bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-reviews-test-v2.yaml', 'bookinfo/networking/bookinfo-gateway.yaml'] }).objects());
}

function proxy(model: MeshModel, prefix: string): ProxyConfig {
  const found = model.proxies.find((p) => p.proxy.podName.startsWith(prefix));
  assert.ok(found);
  return found;
}

describe('proxy-status', { skip: istioSamplesMissing }, () => {
  it('prints the 1.30 columns with one row per proxy, sorted, padded by 5', () => {
    const lines = renderProxyStatus(routing().proxies, { istiodPod: ISTIOD }).split('\n');
    assert.equal(lines[0], 'NAME                                                CLUSTER        ISTIOD                      VERSION     SUBSCRIBED TYPES');
    assert.match(lines[1] ?? '', /^details-v1-\S+\.default {5,}Kubernetes {5}istiod-7dc9684c55-qkp9r {5}1\.30\.3 {6}4 \(CDS,LDS,EDS,RDS\)$/);
    assert.match(lines[2] ?? '', /^istio-ingressgateway-\S+\.istio-system {5}Kubernetes/);
    assert.equal(lines.length, 9);
  });

  it('gives a gateway without routes 3 subscribed types', () => {
    const model = buildMeshModel(bookinfo().objects());
    assert.match(renderProxyStatus(model.proxies, { istiodPod: ISTIOD }), /istio-ingressgateway-\S+ +Kubernetes +istiod-\S+ +1\.30\.3 +3 \(CDS,LDS,EDS\)\n/);
  });

  it('prints SYNCED/STALE/NOT SENT in the legacy and -v 1 layouts', () => {
    const model = routing();
    const reviews = proxy(model, 'reviews-v1');
    const acked = new Map([[reviews.proxy.id, { RDS: 'old-version' }]]);
    const legacy = renderProxyStatus(model.proxies, { istiodPod: ISTIOD, layout: 'legacy', acked }).split('\n');
    assert.match(legacy[0] ?? '', /^NAME +CLUSTER +CDS +LDS +EDS +RDS +ECDS +ISTIOD +VERSION$/);
    const row = legacy.find((l) => l.startsWith('reviews-v1'));
    assert.match(row ?? '', /Kubernetes +SYNCED +SYNCED +SYNCED +STALE +NOT SENT +istiod/);
    const verbose = renderProxyStatus(model.proxies, { istiodPod: ISTIOD, layout: 'verbose' }).split('\n');
    assert.match(verbose[0] ?? '', /^NAME +CLUSTER +CDS +ECDS +EDS +LDS +RDS +ISTIOD +VERSION$/);
  });
});

describe('proxy-config', { skip: istioSamplesMissing }, () => {
  it('prints clusters with FQDN, port, subset, direction, type and DestinationRule', () => {
    const text = renderProxyConfig(proxy(routing(), 'productpage'), 'cluster');
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /^SERVICE FQDN {5,}PORT {6}SUBSET {10}DIRECTION {5}TYPE {13}DESTINATION RULE$/);
    assert.ok(lines.some((l) => /^reviews\.default\.svc\.cluster\.local +9080 +v1 +outbound +EDS +reviews\.default$/.test(l)));
    assert.ok(lines.some((l) => /^reviews\.default\.svc\.cluster\.local +9080 +- +outbound +EDS +reviews\.default$/.test(l)));
    assert.ok(lines.some((l) => /^ +9080 +- +inbound +ORIGINAL_DST +$/.test(l)));
    assert.ok(lines.some((l) => /^BlackHoleCluster +- +- +- +STATIC +$/.test(l)));
    // Sorted by FQDN, then subset, port and direction.
    const v2 = lines.findIndex((l) => /^reviews.* v2 /.test(l));
    const v3 = lines.findIndex((l) => /^reviews.* v3 /.test(l));
    assert.ok(v2 > 0 && v2 < v3);
  });

  it('prints listeners with MATCH and DESTINATION, STRICT removing the plaintext inbound chain', () => {
    const text = renderProxyConfig(proxy(routing(), 'productpage'), 'listener');
    assert.match(text, /^ADDRESSES {2}PORT {2}MATCH +DESTINATION\n/);
    assert.match(text, /\n0\.0\.0\.0 +9080 +Trans: raw_buffer; App: http\/1\.1,h2c +Route: 9080\n/);
    assert.match(text, /\n0\.0\.0\.0 +15006 +Trans: raw_buffer; App: http\/1\.1,h2c; Addr: \*:9080 +Inline Route: \/\*\n/);
    const strict = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'default' }, spec: { mtls: { mode: 'STRICT' } } };
    const strictText = renderProxyConfig(proxy(buildMeshModel(bookinfo().add(strict).objects()), 'productpage'), 'listener');
    assert.doesNotMatch(strictText, /Trans: raw_buffer; App: http\/1\.1,h2c; Addr: \*:9080/);
    assert.match(strictText, /Trans: tls; App: istio-http\/1\.0,istio-http\/1\.1,istio-h2; Addr: \*:9080 +Inline Route/);
  });

  it('prints routes with virtual host, folded domains, match and VirtualService', () => {
    const model = routing();
    const text = renderProxyConfig(proxy(model, 'productpage'), 'route');
    assert.match(text, /^NAME {6}VHOST NAME {5,}DOMAINS {5,}MATCH {5,}VIRTUAL SERVICE\n/);
    assert.match(text, /\n9080 +reviews\.default\.svc\.cluster\.local:9080 +reviews, reviews\.default \+ 1 more\.\.\. +\/\* +reviews\.default\n/);
    assert.match(text, /\n9080 +details\.default\.svc\.cluster\.local:9080 +details, details\.default \+ 1 more\.\.\. +\/\* +\n/);
    const gateway = renderProxyConfig(model.proxies.find((p) => p.proxy.type === 'router') as ProxyConfig, 'route');
    assert.equal(
      gateway,
      [
        'NAME          VHOST NAME     DOMAINS     MATCH                  VIRTUAL SERVICE',
        'http.8080     *:8080         *           /productpage           bookinfo.default',
        'http.8080     *:8080         *           /static*               bookinfo.default',
        'http.8080     *:8080         *           /login                 bookinfo.default',
        'http.8080     *:8080         *           /logout                bookinfo.default',
        'http.8080     *:8080         *           /api/v1/products*      bookinfo.default',
        '              backend        *           /stats/prometheus*     ',
        '              backend        *           /healthz/ready*        ',
        '',
      ].join('\n'),
    );
  });

  it('folds Istio domains as istioctl does', () => {
    assert.equal(describeDomains(['a.ns.svc.cluster.local', 'a.ns.svc.cluster.local:80', 'a.ns.svc', 'a.ns.svc:80', 'a.ns', 'a.ns:80', '10.96.0.1', '10.96.0.1:80']), 'a.ns, 10.96.0.1');
    assert.equal(describeDomains(['*']), '*');
  });

  it('prints endpoints per cluster with health', () => {
    const text = renderProxyConfig(proxy(routing(), 'productpage'), 'endpoint');
    assert.match(text, /^ENDPOINT {5,}STATUS {6}OUTLIER CHECK {5}CLUSTER\n/);
    assert.match(text, /\n10\.244\.0\.\d+:9080 +HEALTHY +OK +outbound\|9080\|v2\|reviews\.default\.svc\.cluster\.local\n/);
    assert.equal(text.match(/outbound\|9080\|\|reviews\.default\.svc\.cluster\.local\n/g)?.length, 3);
  });

  it('resolves aliases and prints JSON', () => {
    assert.equal(proxyConfigSection('ep'), 'endpoint');
    assert.equal(proxyConfigSection('clusters'), 'cluster');
    assert.equal(proxyConfigSection('secrets'), undefined);
    const json = JSON.parse(renderProxyConfig(proxy(routing(), 'productpage'), 'route', 'json')) as Array<{ name: string }>;
    assert.deepEqual(json.map((r) => r.name), ['80', '9080', '15021']);
  });
});

describe('describe pod and version', { skip: istioSamplesMissing }, () => {
  it('summarises a reviews pod: service, subsets, VirtualService and mTLS', () => {
    const model = routing();
    const pod = proxy(model, 'reviews-v1').proxy.podName;
    assert.equal(
      describePod(model, pod, 'default'),
      [
        `Pod: ${pod}`,
        '   Pod Revision: default',
        '   Pod Ports: 9080 (reviews), 15090 (istio-proxy)',
        '--------------------',
        'Service: reviews',
        '   Port: http 9080/HTTP targets pod port 9080',
        'DestinationRule: reviews for "reviews"',
        '   Matching subsets: v1',
        '      (Non-matching subsets v2,v3)',
        '   No Traffic Policy',
        'VirtualService: reviews',
        // The jason rule goes to v2, so one of the two rules never reaches a v1 pod; istioctl
        // says so and names the rule (its "Match: " prefix and the space before "when" included).
        '   1 additional destination(s) that will not reach this pod',
        '      Route to non-matching subset v2 for (Match:  when headers are end-user=jason)',
        '--------------------',
        'Effective PeerAuthentication:',
        '   Workload mTLS mode: PERMISSIVE',
        '',
      ].join('\n'),
    );
    assert.match(describePod(model, proxy(model, 'reviews-v3').proxy.podName, 'default'), /WARNING: No destinations match pod subsets \(checked 2 HTTP routes\)/);
    assert.throws(() => describePod(model, 'nope', 'default'), { code: 'DESCRIBE_POD_NOT_FOUND' });
  });

  it('shows no VirtualService for a service whose port Istio treats as TCP: its HTTP rules never apply', () => {
    const objects = bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-reviews-test-v2.yaml'] })
      .objects()
      .map((object) => {
        if (object.kind !== 'Service' || (object.metadata as { name?: string }).name !== 'reviews') return object;
        const spec = object.spec as { ports: { name?: string }[] };
        return { ...object, spec: { ...spec, ports: spec.ports.map((port) => ({ ...port, name: 'tcp' })) } };
      });
    const model = buildMeshModel(objects);
    const out = describePod(model, proxy(model, 'reviews-v2').proxy.podName, 'default');
    assert.match(out, /\n {3}Port: tcp 9080\/TCP targets pod port 9080\n/);
    assert.match(out, /\nDestinationRule: reviews for "reviews"\n/);
    assert.doesNotMatch(out, /VirtualService/);
  });

  it('warns about a pod without a sidecar and fails on its config dump, unless told to ignore unmeshed pods', () => {
    const model = buildMeshModel(bookinfo({ injected: false }).objects());
    const pod = model.snapshot.list('Pod').map((p) => String((p.metadata as { name?: string }).name)).find((name) => name.startsWith('ratings-v1-'));
    assert.ok(pod !== undefined);
    assert.throws(
      () => describePod(model, pod, 'default'),
      (error: unknown) => {
        assert.ok(error instanceof DescribeUnmeshedPodError);
        assert.equal(error.output, [`Pod: ${pod}`, '   Pod Revision: ', '   Pod Ports: 9080 (ratings)', `WARNING: ${pod} is not part of mesh; no Istio sidecar`, '--------------------', ''].join('\n'));
        assert.match(error.message, /^failed to execute command on sidecar: failure running port forward process: Get "http:\/\/localhost:\d+\/config_dump": EOF$/);
        return true;
      },
    );
    const ignored = describePod(model, pod, 'default', { ignoreUnmeshed: true });
    assert.ok(ignored.startsWith([`Pod: ${pod}`, '   Pod Revision: ', '   Pod Ports: 9080 (ratings)', '--------------------', '--------------------', 'Effective PeerAuthentication:', '   Workload mTLS mode: PERMISSIVE', ''].join('\n')));
    assert.doesNotMatch(ignored, /WARNING|Service: ratings/);
  });

  it('names the matches of a rule that reaches the pod: reviews v2 gets the jason rule', () => {
    const model = routing();
    const out = describePod(model, proxy(model, 'reviews-v2').proxy.podName, 'default');
    assert.match(out, /\nVirtualService: reviews\n   Match:  when headers are end-user=jason\n   1 additional destination\(s\) that will not reach this pod\n--------------------\n/);
  });

  it('shows the ingress gateway that exposes productpage and the VirtualService that routes there', () => {
    const model = routing();
    const pod = proxy(model, 'productpage').proxy.podName;
    const out = describePod(model, pod, 'default');
    assert.ok(
      out.endsWith(
        [
          'Effective PeerAuthentication:',
          '   Workload mTLS mode: PERMISSIVE',
          '--------------------',
          // The fixture's gateway Service has no load-balancer address yet: istioctl falls back to the pod's host IP, else "unknown".
          'Exposed on Ingress Gateway http://unknown',
          'VirtualService: bookinfo',
          '   Match: /productpage, Match: /static*, Match: /login, Match: /logout, Match: /api/v1/products*',
          '',
        ].join('\n'),
      ),
      out,
    );
    // reviews is not routed by the gateway: no ingress section at all.
    assert.doesNotMatch(describePod(model, proxy(model, 'reviews-v1').proxy.podName, 'default'), /Ingress/);
  });

  it('says when there is no ingress gateway pod to look at', () => {
    const model = buildMeshModel(bookinfo().objects().filter((o) => !(o.kind === 'Pod' && String((o.metadata as { name?: string }).name).startsWith('istio-ingressgateway'))));
    const out = describePod(model, proxy(model, 'ratings').proxy.podName, 'default');
    assert.ok(out.endsWith('   Workload mTLS mode: PERMISSIVE\nSkipping Gateway information (no ingress gateway pods)\n'), out);
  });

  it('lists the rules of the inbound RBAC filter; a policy without rules adds none', () => {
    const policy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'default' }, spec });
    const viewer = policy('details-viewer', {
      selector: { matchLabels: { app: 'details' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/bookinfo-productpage'] } }], to: [{ operation: { methods: ['GET'] } }] }],
    });
    const model = buildMeshModel(bookinfo().add(policy('allow-nothing', {}), viewer).objects());
    assert.match(describePod(model, proxy(model, 'details').proxy.podName, 'default'), /\n   Port: http 9080\/HTTP targets pod port 9080\nRBAC policies: ns\[default\]-policy\[details-viewer\]-rule\[0\]\n--------------------\n/);
    assert.doesNotMatch(describePod(model, proxy(model, 'ratings').proxy.podName, 'default'), /RBAC/);
  });

  it('counts proxies in istioctl version', () => {
    assert.deepEqual(istioctlVersion(routing(), ['1.30.3']), { stdout: 'client version: 1.30.3\ncontrol plane version: 1.30.3\ndata plane version: 1.30.3 (7 proxies)\n', stderr: '' });
  });
});
