import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { istioSamplesMissing } from '../../../../tests/support/istio-samples.ts';
import { readFileSync } from 'node:fs';
import { istioctlAnalyze } from './istioctl-analyze.ts';
import { bookinfo, clusterBuilder, ingressGateway, loadSample, namespace, SAMPLES } from '../mesh-model/mesh-fixtures.test-support.ts';

const FOOTER = 'Error: Analyzers found issues when analyzing namespace: default.\nSee https://istio.io/v1.30/docs/reference/config/analysis for more information about causes and resolutions.\n';

describe('istioctl analyze', { skip: istioSamplesMissing }, () => {
  it('is clean for injected Bookinfo with its gateway', () => {
    const result = istioctlAnalyze(bookinfo({ extra: ['bookinfo/networking/bookinfo-gateway.yaml'] }).objects());
    assert.equal(result.stdout, '\n');
    assert.equal(result.stderr, '✔ No validation issues found when analyzing namespace: default.\n');
    assert.equal(result.exitCode, 0);
  });

  it('says all namespaces with -A', () => {
    const result = istioctlAnalyze(bookinfo().objects(), { allNamespaces: true });
    assert.equal(result.stderr, '✔ No validation issues found when analyzing all namespaces.\n');
  });

  it('reports IST0102 as Info for an unlabelled namespace and exits 0', () => {
    const result = istioctlAnalyze(bookinfo({ injected: false }).objects());
    assert.equal(
      result.stdout,
      "Info [IST0102] (Namespace default) The namespace is not enabled for Istio injection. Run 'kubectl label namespace default istio-injection=enabled' to enable it, or 'kubectl label namespace default istio-injection=disabled' to explicitly mark it as not needing injection.\n",
    );
    assert.equal(result.stderr, '');
    assert.equal(result.exitCode, 0);
    assert.equal(istioctlAnalyze(bookinfo({ injected: false }).objects(), { outputThreshold: 'Warning' }).stdout, '\n');
  });

  it('reports IST0103 for a pod created before the namespace was labelled', () => {
    const objects = bookinfo({ injected: false }).objects().map((o) => (o.kind === 'Namespace' && (o.metadata as { name: string }).name === 'default' ? { ...o, metadata: { name: 'default', labels: { 'istio-injection': 'enabled' } } } : o));
    const result = istioctlAnalyze(objects, { failureThreshold: 'Warning' });
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 6);
    assert.match(lines[0] ?? '', /^Warning \[IST0103\] \(Pod default\/details-v1-[\w-]+\) The pod default\/details-v1-[\w-]+ is missing the Istio proxy\. This can often be resolved by restarting or redeploying the workload\.$/);
    assert.equal(result.exitCode, 79);
    assert.equal(result.stderr, FOOTER);
  });

  it('reports a missing gateway, host and subset with exit code 79', () => {
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' }, spec: { hosts: ['reviews'], gateways: ['bogus-gateway'], http: [{ route: [{ destination: { host: 'reviewss' } }] }, { route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] } };
    const result = istioctlAnalyze(bookinfo().add(vs).objects());
    assert.equal(
      result.stdout,
      [
        'Error [IST0101] (VirtualService default/reviews) Referenced gateway not found: "bogus-gateway"',
        'Error [IST0101] (VirtualService default/reviews) Referenced host not found: "reviewss"',
        'Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: "reviews+v1"',
        'Warning [IST0130] (VirtualService default/reviews) VirtualService rule #1 not used (route without matches defined before).',
        '',
      ].join('\n'),
    );
    assert.equal(result.exitCode, 79);
    assert.equal(result.stderr, FOOTER);
  });

  it('reports subsets that select no pods after destination-rule-all (subset labels match pods of any service, as upstream)', () => {
    const result = istioctlAnalyze(bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-all-v1.yaml'] }).objects());
    assert.equal(
      result.stdout,
      [
        'Error [IST0173] (DestinationRule default/ratings) The Subset v2-mysql defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
        'Error [IST0173] (DestinationRule default/ratings) The Subset v2-mysql-vm defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
        '',
      ].join('\n'),
    );
  });

  it('reports conflicting mesh VirtualServices, port names, unknown annotations and empty selectors', () => {
    const vs = (name: string) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'default' }, spec: { hosts: ['ratings'], http: [{ route: [{ destination: { host: 'ratings' } }] }] } });
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', annotations: { 'sidecar.istio.io/injet': 'true' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 8080 }] } };
    const ap = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'foo', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'foo' } } } };
    const result = istioctlAnalyze(bookinfo().add(vs('ratings-a'), vs('ratings-b'), svc, ap).objects());
    assert.deepEqual(result.stdout.trimEnd().split('\n'), [
      'Error [IST0109] (VirtualService default/ratings-a) The VirtualServices default/ratings-a,default/ratings-b associated with mesh gateway define the same host ratings.default.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
      'Error [IST0109] (VirtualService default/ratings-b) The VirtualServices default/ratings-a,default/ratings-b associated with mesh gateway define the same host ratings.default.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.',
      'Warning [IST0108] (Service default/web) Unknown annotation: sidecar.istio.io/injet',
      'Warning [IST0127] (AuthorizationPolicy default/foo) No matching workloads for this resource with the following labels: app=foo',
      "Info [IST0118] (Service default/web) Port name web (port: 80, targetPort: 8080) doesn't follow the naming convention of Istio port.",
    ]);
  });

  it('reports a gateway selector matching no pods and a server port not on the service', () => {
    const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'default' }, spec: { selector: { istio: 'ingress' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } };
    const gw2 = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'h', namespace: 'default' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 9999, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } };
    const result = istioctlAnalyze(bookinfo().add(gw, gw2).objects());
    assert.deepEqual(result.stdout.trimEnd().split('\n'), [
      'Error [IST0101] (Gateway default/g) Referenced selector not found: "istio=ingress"',
      'Warning [IST0162] (Gateway default/h) The gateway is listening on a target port (port 9999) that is not defined in the Service associated with its workload instances (Pod selector istio=ingressgateway). If you need to access the gateway port through the gateway Service, it will not be available.',
    ]);
  });

  it('reports schema errors from istiod validation', () => {
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'details', namespace: 'default' }, spec: { hosts: ['details'], http: [{ timeout: 'abc', route: [{ destination: { host: 'details' } }] }] } };
    const result = istioctlAnalyze(bookinfo().add(vs).objects());
    assert.equal(result.stdout, 'Error [IST0106] (VirtualService default/details) Schema validation error: invalid duration "abc"\n');
    assert.equal(result.exitCode, 79);
  });

  it('analyzes files with file:line references, merged with the cluster or alone', () => {
    const text = readFileSync(`${SAMPLES}/bookinfo/networking/virtual-service-reviews-test-v2.yaml`, 'utf8');
    const file = { name: 'samples/bookinfo/networking/virtual-service-reviews-test-v2.yaml', text };
    const merged = istioctlAnalyze(bookinfo().objects(), { files: [file] });
    const lines = text.split('\n');
    const subsetLine = lines.findIndex((l) => l.includes('subset: v2')) + 1;
    assert.equal(merged.stdout.split('\n')[0], `Error [IST0101] (VirtualService default/reviews ${file.name}:${subsetLine}) Referenced host+subset in destinationrule not found: "reviews+v2"`);
    const alone = istioctlAnalyze([], { useKube: false, files: [file] });
    assert.match(alone.stdout, /Referenced host not found: "reviews"/);
    const clean = istioctlAnalyze(bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml'] }).objects().filter((o) => (o.metadata as { name: string }).name !== 'ratings' && (o.metadata as { name: string }).name !== 'details'), { files: [file] });
    assert.equal(clean.stderr, `✔ No validation issues found when analyzing ${file.name}.\n`);
  });

  it('prints json and yaml, and suppresses with -S', () => {
    const objects = clusterBuilder().add(namespace('default'), ...ingressGateway(), ...loadSample('httpbin/httpbin.yaml')).objects();
    const json = istioctlAnalyze(objects, { output: 'json' });
    assert.equal(
      json.stdout,
      '[\n\t{\n\t\t"code": "IST0102",\n\t\t"documentationUrl": "https://istio.io/v1.30/docs/reference/config/analysis/ist0102/?ref=istioctl-analyze",\n\t\t"level": "Info",\n\t\t"message": "The namespace is not enabled for Istio injection. Run \'kubectl label namespace default istio-injection=enabled\' to enable it, or \'kubectl label namespace default istio-injection=disabled\' to explicitly mark it as not needing injection.",\n\t\t"origin": "Namespace default"\n\t}\n]\n',
    );
    assert.match(istioctlAnalyze(objects, { output: 'yaml' }).stdout, /^- code: IST0102\n {2}documentationUrl: /);
    const quiet = istioctlAnalyze(objects, { suppress: ['IST0102=Namespace default'] });
    assert.equal(quiet.stdout, '\n');
    assert.equal(quiet.stderr, '✔ No validation issues found when analyzing namespace: default.\n');
    assert.match(istioctlAnalyze(objects, { suppress: ['IST9999=Pod *'] }).stderr, /^Warning: Supplied message code 'IST9999' is an unknown message code and will not have any effect\.\n/);
  });
});
