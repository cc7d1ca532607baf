// Getting Started, both ingress styles: the Istio ingress gateway with the Istio APIs
// (Gateway + VirtualService), and a Kubernetes Gateway API Gateway that istiod deploys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { gatewayApiCrdsManifest } from './gateway-api-crds-manifest.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

const TITLE = '<title>Simple Bookstore App</title>\n';

describe('getting started with the Istio APIs (istio-ingressgateway)', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('getting-started');
    await terminal.ok('istioctl install --set profile=demo -y');
    await terminal.ok('kubectl label namespace default istio-injection=enabled');
    await terminal.ok('kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml');
    await terminal.ok('kubectl wait --for=condition=available deployment --all --timeout=60s');
  });
  after(async () => {
    await terminal?.close();
  });

  it('applies the bookinfo gateway, and istioctl analyze stays clean', async () => {
    assert.equal(
      await terminal.ok('kubectl apply -f samples/bookinfo/networking/bookinfo-gateway.yaml'),
      'gateway.networking.istio.io/bookinfo-gateway created\nvirtualservice.networking.istio.io/bookinfo created\n',
    );
    const analyze = await terminal.type('istioctl analyze');
    assert.equal(analyze.exitCode, 0);
    assert.equal(analyze.stderr, '✔ No validation issues found when analyzing namespace: default.\n');
    assert.match(await terminal.ok('kubectl get gateway'), /^NAME\s+AGE\nbookinfo-gateway\s+\d+s\n$/);
  });

  it('INGRESS_HOST, INGRESS_PORT and SECURE_INGRESS_PORT come from the ingress Service', async () => {
    await terminal.ok(`export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`);
    await terminal.ok(`export INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="http2")].port}')`);
    await terminal.ok(`export SECURE_INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="https")].port}')`);
    const host = await terminal.ok('echo "$INGRESS_HOST"');
    assert.match(host, /^\d+\.\d+\.\d+\.\d+\n$/);
    assert.equal(await terminal.ok('echo "$INGRESS_PORT"'), '80\n');
    assert.equal(await terminal.ok('echo "$SECURE_INGRESS_PORT"'), '443\n');
    await terminal.ok('export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT');
    assert.equal(await terminal.ok('echo "$GATEWAY_URL"'), `${host.trim()}:80\n`);
    assert.equal(await terminal.ok('echo "http://$GATEWAY_URL/productpage"'), `http://${host.trim()}:80/productpage\n`);
  });

  it('from outside, curl through the gateway shows the Bookstore title', async () => {
    assert.equal(await terminal.ok(`curl -s "http://\${GATEWAY_URL}/productpage" | grep -o "<title>.*</title>"`), TITLE);
  });

  it('from inside the mesh, the ratings pod reaches productpage', async () => {
    const out = await terminal.ok(`kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"`);
    assert.equal(out, TITLE);
  });

  it('the gateway routes only the paths the VirtualService lists: others are 404 from Envoy', async () => {
    const api = await terminal.ok(`curl -s -o /dev/null -w "%{http_code}\\n" "http://\${GATEWAY_URL}/api/v1/products"`);
    assert.equal(api, '200\n');
    const landing = await terminal.ok(`curl -s -i "http://\${GATEWAY_URL}/"`);
    assert.match(landing, /^HTTP\/1\.1 404 Not Found\r\n/);
    assert.match(landing, /\r\nserver: istio-envoy\r\n/);
  });

  it('refreshing the page, reviews answers from v1, v2 and v3 in turn (no routing rules yet)', async () => {
    const served = await terminal.ok(`for i in $(seq 1 12); do curl -s "http://\${GATEWAY_URL}/productpage" | grep -o "reviews-v[123]-[a-z0-9]*-[a-z0-9]*" ; done | sed 's/-[a-z0-9]*-[a-z0-9]*$//' | sort -u`);
    assert.equal(served, 'reviews-v1\nreviews-v2\nreviews-v3\n');
  });
});

describe('getting started with the Kubernetes Gateway API', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('getting-started-gateway-api');
  });
  after(async () => {
    await terminal?.close();
  });

  it('installs Istio without gateways, then the Gateway API CRDs when they are missing', async () => {
    const install = await terminal.type('istioctl install -f samples/bookinfo/demo-profile-no-gateways.yaml -y');
    assert.equal(install.exitCode, 0, install.stderr);
    assert.deepEqual((install.stdout + install.stderr).split('\n').filter((l) => l !== ''), ['✔ Istio core installed ⛵️', '✔ Istiod installed 🧠', '✔ Installation complete']);
    assert.equal(await terminal.ok('kubectl label namespace default istio-injection=enabled'), 'namespace/default labeled\n');
    // The docs' check, verbatim: the CRDs are not there yet.
    const check = await terminal.type('kubectl get crd gateways.gateway.networking.k8s.io &> /dev/null || echo missing');
    assert.equal(check.stdout, 'missing\n');
    // The docs then fetch the CRDs from GitHub with kubectl kustomize; the sandbox has no
    // internet, so the learner applies the bundle the sandbox ships.
    const applied = await terminal.ok('kubectl apply -f -', gatewayApiCrdsManifest());
    assert.match(applied, /^customresourcedefinition\.apiextensions\.k8s\.io\/gateways\.gateway\.networking\.k8s\.io created$/m);
    assert.match(applied, /^customresourcedefinition\.apiextensions\.k8s\.io\/httproutes\.gateway\.networking\.k8s\.io created$/m);
    const again = await terminal.type(`kubectl get crd gateways.gateway.networking.k8s.io &> /dev/null || \\
{ kubectl kustomize "github.com/kubernetes-sigs/gateway-api/config/crd?ref=v1.1.0" | kubectl apply -f -; }`);
    assert.deepEqual([again.exitCode, again.stdout], [0, '']);
  });

  it('deploys Bookinfo and its Gateway; istiod deploys bookinfo-gateway-istio and programs it', async () => {
    await terminal.ok('kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml');
    assert.equal(
      await terminal.ok('kubectl apply -f samples/bookinfo/gateway-api/bookinfo-gateway.yaml'),
      'gateway.gateway.networking.k8s.io/bookinfo-gateway created\nhttproute.gateway.networking.k8s.io/bookinfo created\n',
    );
    assert.equal(await terminal.ok('kubectl wait --for=condition=programmed gtw bookinfo-gateway'), 'gateway.gateway.networking.k8s.io/bookinfo-gateway condition met\n');
    await terminal.ok('kubectl wait --for=condition=available deployment --all --timeout=60s');
    const pods = await terminal.ok('kubectl get pods');
    assert.match(pods, /^bookinfo-gateway-istio-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\d+s$/m);
    assert.equal((pods.match(/\s2\/2\s+Running\s/g) ?? []).length, 6, pods);
  });

  it('through the Gateway address from its status, curl shows the Bookstore title', async () => {
    await terminal.ok(`export INGRESS_HOST=$(kubectl get gtw bookinfo-gateway -o jsonpath='{.status.addresses[0].value}')`);
    await terminal.ok(`export INGRESS_PORT=$(kubectl get gtw bookinfo-gateway -o jsonpath='{.spec.listeners[?(@.name=="http")].port}')`);
    await terminal.ok('export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT');
    assert.match(await terminal.ok('echo "$GATEWAY_URL"'), /^\d+\.\d+\.\d+\.\d+:80\n$/);
    assert.equal(await terminal.ok(`curl -s "http://\${GATEWAY_URL}/productpage" | grep -o "<title>.*</title>"`), TITLE);
    const inside = await terminal.ok(`kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"`);
    assert.equal(inside, TITLE);
  });

  it('annotated as a ClusterIP service, the Gateway reports its in-cluster hostname', async () => {
    assert.equal(
      await terminal.ok('kubectl annotate gateway bookinfo-gateway networking.istio.io/service-type=ClusterIP --namespace=default'),
      'gateway.gateway.networking.k8s.io/bookinfo-gateway annotated\n',
    );
    const gateways = await terminal.ok('kubectl get gateway');
    assert.match(gateways, /^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE\nbookinfo-gateway\s+istio\s+bookinfo-gateway-istio\.default\.svc\.cluster\.local\s+True\s+\d+s\n$/);
    const type = await terminal.ok(`kubectl get svc bookinfo-gateway-istio -o jsonpath='{.spec.type}'`);
    assert.equal(type, 'ClusterIP');
    const inside = await terminal.ok(`kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -sS bookinfo-gateway-istio/productpage | grep -o "<title>.*</title>"`);
    assert.equal(inside, TITLE);
  });
});
