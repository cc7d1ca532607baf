// Request routing (istio.io tasks/traffic-management/request-routing): every service to v1,
// then reviews v2 for the user jason only, with the Istio APIs and with HTTPRoutes on the
// reviews Service (Gateway API tab). The learner logs in from the workstation the way
// the docs' own scripts do, with curl and a cookie jar, instead of a browser.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { gatewayApiCrdsManifest } from './gateway-api-crds-manifest.ts';
import { installBookinfo } from './install-bookinfo.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

/** Which stars each of n page loads shows: none, black (v2) or red (v3). */
async function starsOver(terminal: LearnerTerminal, requests: number, cookieArgs = ''): Promise<string[]> {
  const out = await terminal.ok(
    `for i in $(seq 1 ${requests}); do page=$(curl -s ${cookieArgs} "http://\${GATEWAY_URL}/productpage"); ` +
      `if echo "$page" | grep -q "text-black-500"; then echo black; elif echo "$page" | grep -q "text-red-500"; then echo red; ` +
      `elif echo "$page" | grep -q "Reviewer1"; then echo none; else echo broken; fi; done`,
  );
  return out.trimEnd().split('\n');
}

describe('request routing', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('request-routing');
    await installBookinfo(terminal);
  });
  after(async () => {
    await terminal?.close();
  });

  it('before any rule, refreshing shows no stars, black stars and red stars', async () => {
    assert.deepEqual(new Set(await starsOver(terminal, 12)), new Set(['none', 'black', 'red']));
  });

  it('destination-rule-all.yaml defines the subsets', async () => {
    assert.equal(
      await terminal.ok('kubectl apply -f samples/bookinfo/networking/destination-rule-all.yaml'),
      'destinationrule.networking.istio.io/productpage created\ndestinationrule.networking.istio.io/reviews created\ndestinationrule.networking.istio.io/ratings created\ndestinationrule.networking.istio.io/details created\n',
    );
    const subsets = await terminal.ok(`kubectl get destinationrules reviews -o jsonpath='{.spec.subsets[*].name}'`);
    assert.equal(subsets, 'v1 v2 v3');
  });

  it('virtual-service-all-v1.yaml sends everything to v1: never any stars', async () => {
    assert.equal(
      await terminal.ok('kubectl apply -f samples/bookinfo/networking/virtual-service-all-v1.yaml'),
      'virtualservice.networking.istio.io/productpage created\nvirtualservice.networking.istio.io/reviews created\nvirtualservice.networking.istio.io/ratings created\nvirtualservice.networking.istio.io/details created\n',
    );
    const yaml = await terminal.ok('kubectl get virtualservices -o yaml');
    assert.match(yaml, /^- apiVersion: networking\.istio\.io\/v1\n {2}kind: VirtualService\n/m);
    assert.match(yaml, /\n {2}spec:\n {4}hosts:\n {4}- details\n {4}http:\n {4}- route:\n {6}- destination:\n {10}host: details\n {10}subset: v1\n/);
    assert.deepEqual(new Set(await starsOver(terminal, 10)), new Set(['none']));
  });

  it('virtual-service-reviews-test-v2.yaml: jason sees black stars on every refresh, others none', async () => {
    assert.equal(await terminal.ok('kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-test-v2.yaml'), 'virtualservice.networking.istio.io/reviews configured\n');
    const yaml = await terminal.ok('kubectl get virtualservice reviews -o yaml');
    assert.match(yaml, /\nspec:\n {2}hosts:\n {2}- reviews\n {2}http:\n {2}- match:\n {4}- headers:\n {8}end-user:\n {10}exact: jason\n {4}route:\n {4}- destination:\n {8}host: reviews\n {8}subset: v2\n {2}- route:\n {4}- destination:\n {8}host: reviews\n {8}subset: v1\n/);
    // Signing in: productpage keeps the user in its session cookie and redirects back.
    const login = await terminal.type(`curl -s -c jason.cookies "http://\${GATEWAY_URL}/login" --data "username=jason&passwd=password" -o /dev/null -w "%{http_code}\\n"`);
    assert.deepEqual([login.exitCode, login.stdout], [0, '302\n']);
    assert.match(await terminal.ok('cat jason.cookies'), /^#HttpOnly_\d+\.\d+\.\d+\.\d+\tFALSE\t\/\tFALSE\t0\tsession\t\S+$/m);
    const page = await terminal.ok(`curl -s -b jason.cookies "http://\${GATEWAY_URL}/productpage"`);
    assert.match(page, /jason/);
    assert.deepEqual(new Set(await starsOver(terminal, 10, '-b jason.cookies')), new Set(['black']));
    assert.deepEqual(new Set(await starsOver(terminal, 10)), new Set(['none']));
  });

  it('logged out again, jason is anonymous: no stars', async () => {
    await terminal.ok(`curl -s -b jason.cookies -c jason.cookies "http://\${GATEWAY_URL}/logout" -o /dev/null`);
    assert.deepEqual(new Set(await starsOver(terminal, 5, '-b jason.cookies')), new Set(['none']));
  });

  it('cleanup removes the routes: every version answers again', async () => {
    const out = await terminal.ok('kubectl delete -f samples/bookinfo/networking/virtual-service-all-v1.yaml');
    assert.equal(out, 'virtualservice.networking.istio.io "productpage" deleted\nvirtualservice.networking.istio.io "reviews" deleted\nvirtualservice.networking.istio.io "ratings" deleted\nvirtualservice.networking.istio.io "details" deleted\n');
    assert.deepEqual(new Set(await starsOver(terminal, 12)), new Set(['none', 'black', 'red']));
  });
});

describe('request routing with the Gateway API', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('request-routing-gateway-api');
    await terminal.ok('istioctl install -f samples/bookinfo/demo-profile-no-gateways.yaml -y');
    await terminal.ok('kubectl label namespace default istio-injection=enabled');
    await terminal.ok('kubectl apply -f -', gatewayApiCrdsManifest());
    await terminal.ok('kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml');
    await terminal.ok('kubectl apply -f samples/bookinfo/platform/kube/bookinfo-versions.yaml');
    await terminal.ok('kubectl apply -f samples/bookinfo/gateway-api/bookinfo-gateway.yaml');
    await terminal.ok('kubectl wait --for=condition=programmed gtw bookinfo-gateway');
    await terminal.ok('kubectl wait --for=condition=available deployment --all --timeout=60s');
    await terminal.ok(`export INGRESS_HOST=$(kubectl get gtw bookinfo-gateway -o jsonpath='{.status.addresses[0].value}')`);
    await terminal.ok(`export INGRESS_PORT=$(kubectl get gtw bookinfo-gateway -o jsonpath='{.spec.listeners[?(@.name=="http")].port}')`);
    await terminal.ok('export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT');
  });
  after(async () => {
    await terminal?.close();
  });

  it('an HTTPRoute on the reviews Service sends everyone to reviews-v1', async () => {
    const applied = await terminal.ok(`kubectl apply -f - <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
    port: 9080
  rules:
  - backendRefs:
    - name: reviews-v1
      port: 9080
EOF`);
    assert.equal(applied, 'httproute.gateway.networking.k8s.io/reviews created\n');
    assert.deepEqual(new Set(await starsOver(terminal, 10)), new Set(['none']));
  });

  it('a header match on end-user: jason sees black stars, others none', async () => {
    const applied = await terminal.ok(`kubectl apply -f - <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
    port: 9080
  rules:
  - matches:
    - headers:
      - name: end-user
        value: jason
    backendRefs:
    - name: reviews-v2
      port: 9080
  - backendRefs:
    - name: reviews-v1
      port: 9080
EOF`);
    assert.equal(applied, 'httproute.gateway.networking.k8s.io/reviews configured\n');
    await terminal.ok(`curl -s -c jason.cookies "http://\${GATEWAY_URL}/login" --data "username=jason&passwd=password" -o /dev/null`);
    assert.deepEqual(new Set(await starsOver(terminal, 10, '-b jason.cookies')), new Set(['black']));
    assert.deepEqual(new Set(await starsOver(terminal, 10)), new Set(['none']));
  });

  it('cleanup: kubectl delete httproute reviews', async () => {
    assert.equal(await terminal.ok('kubectl delete httproute reviews'), 'httproute.gateway.networking.k8s.io "reviews" deleted\n');
    assert.deepEqual(new Set(await starsOver(terminal, 12)), new Set(['none', 'black', 'red']));
  });
});
