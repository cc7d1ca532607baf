// Ingress gateways (istio.io tasks/traffic-management/ingress/ingress-control): httpbin
// behind istio-ingressgateway with an Istio Gateway and VirtualService, and behind a Gateway
// API Gateway with an HTTPRoute, typed as the docs print them (heredocs included).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { gatewayApiCrdsManifest } from './gateway-api-crds-manifest.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

const GATEWAY = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
spec:
  # The selector matches the ingress gateway pod labels.
  # If you installed Istio using Helm following the standard documentation, this would be "istio=ingress"
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "httpbin.example.com"
EOF`;

const VIRTUAL_SERVICE = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - "httpbin.example.com"
  gateways:
  - httpbin-gateway
  http:
  - match:
    - uri:
        prefix: /status
    - uri:
        prefix: /delay
    route:
    - destination:
        port:
          number: 8000
        host: httpbin
EOF`;

/** The status line of a `curl -s -I` answer. */
function statusOf(head: string): string {
  return head.split('\r\n')[0] ?? '';
}

describe('ingress gateway for httpbin', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('ingress-httpbin');
    await terminal.ok('istioctl install --set profile=demo -y');
    await terminal.ok('kubectl label namespace default istio-injection=enabled');
  });
  after(async () => {
    await terminal?.close();
  });

  it('deploys httpbin, the Gateway and the VirtualService', async () => {
    assert.equal(await terminal.ok('kubectl apply -f samples/httpbin/httpbin.yaml'), 'serviceaccount/httpbin created\nservice/httpbin created\ndeployment.apps/httpbin created\n');
    await terminal.ok('kubectl wait --for=condition=available deployment/httpbin --timeout=60s');
    assert.equal(await terminal.ok(GATEWAY), 'gateway.networking.istio.io/httpbin-gateway created\n');
    assert.equal(await terminal.ok(VIRTUAL_SERVICE), 'virtualservice.networking.istio.io/httpbin created\n');
  });

  it('finds the ingress IP and ports', async () => {
    await terminal.ok('export INGRESS_NAME=istio-ingressgateway');
    await terminal.ok('export INGRESS_NS=istio-system');
    const svc = await terminal.ok('kubectl get svc "$INGRESS_NAME" -n "$INGRESS_NS"');
    assert.match(svc, /^istio-ingressgateway\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+\d+\.\d+\.\d+\.\d+\s+15021:\d+\/TCP,80:\d+\/TCP,443:\d+\/TCP,31400:\d+\/TCP,15443:\d+\/TCP\s+\d+s$/m);
    await terminal.ok(`export INGRESS_HOST=$(kubectl -n "$INGRESS_NS" get service "$INGRESS_NAME" -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`);
    await terminal.ok(`export INGRESS_PORT=$(kubectl -n "$INGRESS_NS" get service "$INGRESS_NAME" -o jsonpath='{.spec.ports[?(@.name=="http2")].port}')`);
    await terminal.ok(`export SECURE_INGRESS_PORT=$(kubectl -n "$INGRESS_NS" get service "$INGRESS_NAME" -o jsonpath='{.spec.ports[?(@.name=="https")].port}')`);
    await terminal.ok(`export TCP_INGRESS_PORT=$(kubectl -n "$INGRESS_NS" get service "$INGRESS_NAME" -o jsonpath='{.spec.ports[?(@.name=="tcp")].port}')`);
    const external = svc.split('\n')[1]?.split(/\s+/)[3];
    assert.equal(await terminal.ok('echo "INGRESS_HOST=$INGRESS_HOST, INGRESS_PORT=$INGRESS_PORT"'), `INGRESS_HOST=${external}, INGRESS_PORT=80\n`);
    assert.equal(await terminal.ok('echo "$SECURE_INGRESS_PORT $TCP_INGRESS_PORT"'), '443 31400\n');
  });

  it('a routed path with the right Host: 200 from httpbin, through istio-envoy', async () => {
    const head = await terminal.ok('curl -s -I -HHost:httpbin.example.com "http://$INGRESS_HOST:$INGRESS_PORT/status/200"');
    assert.equal(statusOf(head), 'HTTP/1.1 200 OK');
    assert.match(head, /\r\nserver: istio-envoy\r\n/);
    // go-httpbin's headers as net/http writes them, then what the two Envoys add.
    assert.deepEqual(
      head.trimEnd().split('\r\n').slice(1).map((line) => line.slice(0, line.indexOf(':'))),
      ['access-control-allow-credentials', 'access-control-allow-origin', 'content-type', 'date', 'content-length', 'x-envoy-upstream-service-time', 'server'],
    );
    assert.match(head, /\r\ncontent-type: text\/plain; charset=utf-8\r\n/);
    const teapot = await terminal.ok('curl -s -o /dev/null -w "%{http_code}\\n" -HHost:httpbin.example.com "http://$INGRESS_HOST:$INGRESS_PORT/status/418"');
    assert.equal(teapot, '418\n');
  });

  it('a path the VirtualService does not list: 404 from the gateway itself', async () => {
    const head = await terminal.ok('curl -s -I -HHost:httpbin.example.com "http://$INGRESS_HOST:$INGRESS_PORT/headers"');
    // Envoy's own empty answer: no upstream, so no upstream service time.
    assert.match(head, /^HTTP\/1\.1 404 Not Found\r\ndate: [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\r\nserver: istio-envoy\r\ncontent-length: 0\r\n\r\n$/);
  });

  it('another Host header matches no virtual host: 404', async () => {
    const head = await terminal.ok('curl -s -I "http://$INGRESS_HOST:$INGRESS_PORT/status/200"');
    assert.equal(statusOf(head), 'HTTP/1.1 404 Not Found');
    const other = await terminal.ok('curl -s -o /dev/null -w "%{http_code}\\n" -HHost:bookinfo.example.com "http://$INGRESS_HOST:$INGRESS_PORT/status/200"');
    assert.equal(other, '404\n');
  });

  it('inside the mesh, httpbin answers every path: the gateway rule binds only the gateway', async () => {
    await terminal.ok('kubectl apply -f samples/curl/curl.yaml');
    await terminal.ok('kubectl wait --for=condition=available deployment/curl --timeout=60s');
    const out = await terminal.ok(`kubectl exec deploy/curl -- curl -s -o /dev/null -w "%{http_code}\\n" httpbin:8000/headers`);
    assert.equal(out, '200\n');
  });

  it('cleanup, as the docs do it', async () => {
    assert.equal(await terminal.ok('kubectl delete gateway httpbin-gateway'), 'gateway.networking.istio.io "httpbin-gateway" deleted\n');
    assert.equal(await terminal.ok('kubectl delete virtualservice httpbin'), 'virtualservice.networking.istio.io "httpbin" deleted\n');
    const deleted = await terminal.ok('kubectl delete --ignore-not-found=true -f samples/httpbin/httpbin.yaml');
    assert.equal(deleted, 'serviceaccount "httpbin" deleted\nservice "httpbin" deleted\ndeployment.apps "httpbin" deleted\n');
    // With no Gateway left, the ingress Envoy has no listener on 8080: the connection is refused.
    const gone = await terminal.type('curl -sS -o /dev/null -w "%{http_code}\\n" -HHost:httpbin.example.com "http://$INGRESS_HOST:$INGRESS_PORT/status/200"');
    assert.equal(gone.exitCode, 7);
    assert.equal(gone.stdout, '000\n');
    assert.match(gone.stderr, /^curl: \(7\) Failed to connect to \d+\.\d+\.\d+\.\d+ port 80 after \d+ ms: Could not connect to server\n$/);
  });
});

describe('ingress for httpbin with the Gateway API', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('ingress-httpbin-gateway-api');
    // The docs' Gateway API tab installs the minimal profile: istiod deploys the gateway itself.
    await terminal.ok('istioctl install --set profile=minimal -y');
    await terminal.ok('kubectl label namespace default istio-injection=enabled');
    await terminal.ok('kubectl apply -f -', gatewayApiCrdsManifest());
    await terminal.ok('kubectl apply -f samples/httpbin/httpbin.yaml');
    await terminal.ok('kubectl wait --for=condition=available deployment/httpbin --timeout=60s');
  });
  after(async () => {
    await terminal?.close();
  });

  it('the Gateway is programmed, then the HTTPRoute attaches to it', async () => {
    assert.equal(
      await terminal.ok(`kubectl apply -f - <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    hostname: "httpbin.example.com"
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: Same
EOF`),
      'gateway.gateway.networking.k8s.io/httpbin-gateway created\n',
    );
    assert.equal(await terminal.ok('kubectl wait --for=condition=programmed gtw httpbin-gateway'), 'gateway.gateway.networking.k8s.io/httpbin-gateway condition met\n');
    assert.equal(
      await terminal.ok(`kubectl apply -f - <<EOF
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: httpbin
spec:
  parentRefs:
  - name: httpbin-gateway
  hostnames: ["httpbin.example.com"]
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /status
    - path:
        type: PathPrefix
        value: /delay
    backendRefs:
    - name: httpbin
      port: 8000
EOF`),
      'httproute.gateway.networking.k8s.io/httpbin created\n',
    );
    await terminal.ok('kubectl wait --for=condition=available deployment/httpbin-gateway-istio --timeout=60s');
    const attached = await terminal.ok(`kubectl get gtw httpbin-gateway -o jsonpath='{.status.listeners[0].attachedRoutes}'`);
    assert.equal(attached, '1');
  });

  it('through the Gateway address: 200 for a routed path and Host, 404 otherwise', async () => {
    await terminal.ok(`export INGRESS_HOST=$(kubectl get gtw httpbin-gateway -o jsonpath='{.status.addresses[0].value}')`);
    await terminal.ok(`export INGRESS_PORT=$(kubectl get gtw httpbin-gateway -o jsonpath='{.spec.listeners[?(@.name=="http")].port}')`);
    assert.match(await terminal.ok('echo "INGRESS_HOST=$INGRESS_HOST, INGRESS_PORT=$INGRESS_PORT"'), /^INGRESS_HOST=\d+\.\d+\.\d+\.\d+, INGRESS_PORT=80\n$/);
    const ok = await terminal.ok('curl -s -I -HHost:httpbin.example.com "http://$INGRESS_HOST:$INGRESS_PORT/status/200"');
    assert.equal(statusOf(ok), 'HTTP/1.1 200 OK');
    assert.match(ok, /\r\nserver: istio-envoy\r\n/);
    const unrouted = await terminal.ok('curl -s -I -HHost:httpbin.example.com "http://$INGRESS_HOST:$INGRESS_PORT/headers"');
    assert.equal(statusOf(unrouted), 'HTTP/1.1 404 Not Found');
    const otherHost = await terminal.ok('curl -s -o /dev/null -w "%{http_code}\\n" "http://$INGRESS_HOST:$INGRESS_PORT/status/200"');
    assert.equal(otherHost, '404\n');
  });

  it('cleanup: kubectl delete httproute httpbin, kubectl delete gtw httpbin-gateway', async () => {
    assert.equal(await terminal.ok('kubectl delete httproute httpbin'), 'httproute.gateway.networking.k8s.io "httpbin" deleted\n');
    assert.equal(await terminal.ok('kubectl delete gtw httpbin-gateway'), 'gateway.gateway.networking.k8s.io "httpbin-gateway" deleted\n');
  });
});
