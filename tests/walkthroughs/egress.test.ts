// Accessing External Services (istio.io tasks/traffic-management/egress/egress-control): the
// curl sample calls hosts of the sandbox's emulated internet, first with the default
// ALLOW_ANY outbound policy, then under REGISTRY_ONLY, then through a ServiceEntry for
// httpbin.org, and finally with a VirtualService timeout on it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

const CALL_GOOGLE_AND_CNN = 'kubectl exec "$SOURCE_POD" -c curl -- curl -sSI https://www.google.com | grep  "HTTP/"; kubectl exec "$SOURCE_POD" -c curl -- curl -sI https://edition.cnn.com | grep "HTTP/"';

const SERVICE_ENTRY = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: httpbin-ext
spec:
  hosts:
  - httpbin.org
  ports:
  - number: 80
    name: http
    protocol: HTTP
  resolution: DNS
  location: MESH_EXTERNAL
EOF`;

const TIMEOUT = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin-ext
spec:
  hosts:
  - httpbin.org
  http:
  - timeout: 3s
    route:
      - destination:
          host: httpbin.org
        weight: 100
EOF`;

describe('accessing external services', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('egress');
    await terminal.ok('istioctl install --set profile=demo -y');
    await terminal.ok('kubectl label namespace default istio-injection=enabled');
    await terminal.ok('kubectl apply -f samples/curl/curl.yaml');
    await terminal.ok('kubectl wait --for=condition=available deployment/curl --timeout=60s');
    await terminal.ok(`export SOURCE_POD=$(kubectl get pod -l app=curl -o jsonpath='{.items..metadata.name}')`);
  });
  after(async () => {
    await terminal?.close();
  });

  it('ALLOW_ANY (the default): external HTTPS calls pass through', async () => {
    const heads = await terminal.ok(CALL_GOOGLE_AND_CNN);
    assert.match(heads, /^HTTP\/[\d.]+ 200 ?[^\n]*\nHTTP\/[\d.]+ 200 ?[^\n]*\n$/);
    // Plain HTTP passes through unrouted: httpbin.org sees no Envoy routing headers.
    const body = await terminal.ok('kubectl exec "$SOURCE_POD" -c curl -- curl -sS http://httpbin.org/headers');
    const headers = (JSON.parse(body) as { headers: Record<string, string> }).headers;
    assert.equal(headers.Host, 'httpbin.org');
    assert.equal(headers['X-Envoy-Attempt-Count'], undefined);
  });

  it('a name outside the emulated internet does not resolve', async () => {
    const result = await terminal.type('kubectl exec "$SOURCE_POD" -c curl -- curl -sS http://no-such-host.example');
    assert.equal(result.exitCode, 6);
    assert.match(result.stderr, /curl: \(6\) Could not resolve host: no-such-host\.example/);
  });

  it('REGISTRY_ONLY: external calls are blocked', async () => {
    await terminal.ok('istioctl install --set profile=demo --set meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY -y');
    assert.equal(await terminal.ok('kubectl get configmap istio -n istio-system -o yaml | grep -o "mode: REGISTRY_ONLY" | uniq'), 'mode: REGISTRY_ONLY\n');
    const https = await terminal.type(CALL_GOOGLE_AND_CNN);
    assert.equal(https.stdout, '');
    assert.match(https.stderr, /curl: \(35\) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to www\.google\.com:443/);
    assert.match(https.stderr, /command terminated with exit code 35\n[^]*command terminated with exit code 35\n/);
    const http = await terminal.ok('kubectl exec "$SOURCE_POD" -c curl -- curl -s -o /dev/null -w "%{http_code}\\n" http://httpbin.org/headers');
    assert.equal(http, '502\n');
  });

  it('a ServiceEntry lets httpbin.org through', async () => {
    assert.equal(await terminal.ok(SERVICE_ENTRY), 'serviceentry.networking.istio.io/httpbin-ext created\n');
    const body = await terminal.ok('kubectl exec "$SOURCE_POD" -c curl -- curl -sS http://httpbin.org/headers');
    const headers = (JSON.parse(body) as { headers: Record<string, string> }).headers;
    assert.equal(headers.Host, 'httpbin.org');
    // Routed by the sidecar through the ServiceEntry's cluster (a passthrough adds nothing).
    assert.equal(headers['X-Envoy-Attempt-Count'], '1');
    // resolution NONE: the sidecar forwards to the address the app connected to.
    const none = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: cnn-plain
spec:
  hosts:
  - edition.cnn.com
  ports:
  - number: 80
    name: http
    protocol: HTTP
  resolution: NONE
  location: MESH_EXTERNAL
EOF`;
    assert.equal(await terminal.ok('kubectl exec "$SOURCE_POD" -c curl -- curl -s -o /dev/null -w "%{http_code}\\n" http://edition.cnn.com/'), '502\n');
    assert.equal(await terminal.ok(none), 'serviceentry.networking.istio.io/cnn-plain created\n');
    assert.equal(await terminal.ok('kubectl exec "$SOURCE_POD" -c curl -- curl -s -o /dev/null -w "%{http_code}\\n" http://edition.cnn.com/'), '200\n');
    // Other hosts are still blocked.
    assert.notEqual((await terminal.type('kubectl exec "$SOURCE_POD" -c curl -- curl -sSI https://www.google.com')).exitCode, 0);
  });

  it('a ServiceEntry for an HTTPS host lets www.google.com through by SNI', async () => {
    const google = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: google
spec:
  hosts:
  - www.google.com
  ports:
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS
  location: MESH_EXTERNAL
EOF`;
    assert.equal(await terminal.ok(google), 'serviceentry.networking.istio.io/google created\n');
    assert.match(await terminal.ok('kubectl exec "$SOURCE_POD" -c curl -- curl -sSI https://www.google.com | grep  "HTTP/"'), /^HTTP\/[\d.]+ 200/);
    assert.notEqual((await terminal.type('kubectl exec "$SOURCE_POD" -c curl -- curl -sSI https://edition.cnn.com')).exitCode, 0);
    await terminal.ok('kubectl delete serviceentry google');
  });

  it('a VirtualService timeout on the ServiceEntry host answers 504 after 3 s', async () => {
    const slow = await terminal.ok('kubectl exec "$SOURCE_POD" -c curl -- curl -o /dev/null -sS -w "%{http_code} %{time_total}\\n" http://httpbin.org/delay/5');
    const [status, seconds] = slow.trim().split(' ');
    assert.equal(status, '200');
    assert.ok(Number(seconds) >= 5, slow);
    assert.equal(await terminal.ok(TIMEOUT), 'virtualservice.networking.istio.io/httpbin-ext created\n');
    const cut = await terminal.ok('kubectl exec "$SOURCE_POD" -c curl -- curl -o /dev/null -sS -w "%{http_code} %{time_total}\\n" http://httpbin.org/delay/5');
    const [cutStatus, cutSeconds] = cut.trim().split(' ');
    assert.equal(cutStatus, '504');
    assert.ok(Number(cutSeconds) >= 3 && Number(cutSeconds) < 5, cut);
  });

  it('the outboundTrafficPolicy of a Sidecar resource overrides the mesh for its namespace', async () => {
    const sidecar = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
spec:
  outboundTrafficPolicy:
    mode: ALLOW_ANY
EOF`;
    assert.equal(await terminal.ok(sidecar), 'sidecar.networking.istio.io/default created\n');
    assert.match(await terminal.ok('kubectl exec "$SOURCE_POD" -c curl -- curl -sSI https://www.google.com | grep "HTTP/"'), /^HTTP\/[\d.]+ 200/);
    await terminal.ok('kubectl delete sidecar default');
    assert.notEqual((await terminal.type('kubectl exec "$SOURCE_POD" -c curl -- curl -sSI https://www.google.com')).exitCode, 0);
  });

  it('the learner workstation reaches the emulated internet too', async () => {
    assert.equal(await terminal.ok('curl -s -o /dev/null -w "%{http_code}\\n" http://httpbin.org/status/418'), '418\n');
    assert.match(await terminal.ok('curl -sI https://edition.cnn.com'), /^HTTP\/[\d.]+ 200/);
    assert.equal((await terminal.type('curl -sS http://no-such-host.example')).exitCode, 6);
  });
});
