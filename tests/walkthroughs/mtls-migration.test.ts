// Mutual TLS migration (istio.io tasks/security/authentication/mtls-migration): httpbin and
// curl with sidecars in foo and bar, curl without one in legacy; the docs' probe loop before
// and after STRICT PeerAuthentication, per namespace and mesh-wide.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

const PROBE_LOOP = `for from in "foo" "bar" "legacy"; do for to in "foo" "bar"; do kubectl exec "$(kubectl get pod -l app=curl -n \${from} -o jsonpath={.items..metadata.name})" -c curl -n \${from} -- curl http://httpbin.\${to}:8000/ip -s -o /dev/null -w "curl.\${from} to httpbin.\${to}: %{http_code}\\n"; done; done`;

const STRICT = (namespace: string): string => `kubectl apply -n ${namespace} -f - <<EOF
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
spec:
  mtls:
    mode: STRICT
EOF`;

describe('mutual TLS migration', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('mtls-migration');
    await terminal.ok('istioctl install --set profile=demo -y');
  });
  after(async () => {
    await terminal?.close();
  });

  it('sets up foo and bar with injected sidecars, legacy without', async () => {
    assert.equal(await terminal.ok('kubectl create ns foo'), 'namespace/foo created\n');
    assert.equal(
      await terminal.ok('kubectl apply -f <(istioctl kube-inject -f samples/httpbin/httpbin.yaml) -n foo'),
      'serviceaccount/httpbin created\nservice/httpbin created\ndeployment.apps/httpbin created\n',
    );
    assert.equal(await terminal.ok('kubectl apply -f <(istioctl kube-inject -f samples/curl/curl.yaml) -n foo'), 'serviceaccount/curl created\nservice/curl created\ndeployment.apps/curl created\n');
    await terminal.ok('kubectl create ns bar');
    await terminal.ok('kubectl apply -f <(istioctl kube-inject -f samples/httpbin/httpbin.yaml) -n bar');
    await terminal.ok('kubectl apply -f <(istioctl kube-inject -f samples/curl/curl.yaml) -n bar');
    await terminal.ok('kubectl create ns legacy');
    await terminal.ok('kubectl apply -f samples/curl/curl.yaml -n legacy');
    for (const ns of ['foo', 'bar', 'legacy']) await terminal.ok(`kubectl wait --for=condition=available deployment --all -n ${ns} --timeout=60s`);
    const ready = await terminal.ok(`kubectl get pods -l app=curl -A -o jsonpath='{range .items[*]}{.metadata.namespace} {.spec.containers[*].name}{"\\n"}{end}'`);
    assert.equal(ready, 'bar curl istio-proxy\nfoo curl istio-proxy\nlegacy curl\n');
  });

  it('by default (PERMISSIVE) every client reaches every httpbin', async () => {
    const out = await terminal.ok(PROBE_LOOP);
    assert.equal(
      out,
      'curl.foo to httpbin.foo: 200\ncurl.foo to httpbin.bar: 200\ncurl.bar to httpbin.foo: 200\ncurl.bar to httpbin.bar: 200\ncurl.legacy to httpbin.foo: 200\ncurl.legacy to httpbin.bar: 200\n',
    );
    const policies = await terminal.type('kubectl get peerauthentication --all-namespaces');
    assert.deepEqual([policies.stdout, policies.stderr], ['', 'No resources found\n']);
    const rules = await terminal.type('kubectl get destinationrule --all-namespaces');
    assert.deepEqual([rules.stdout, rules.stderr], ['', 'No resources found\n']);
  });

  it('sidecar to sidecar goes over mTLS: httpbin sees both SPIFFE identities', async () => {
    const out = await terminal.ok(`kubectl exec "$(kubectl get pod -l app=curl -n foo -o jsonpath={.items..metadata.name})" -c curl -n foo -- curl -s http://httpbin.foo:8000/headers -s | grep -A1 X-Forwarded-Client-Cert`);
    assert.match(out, /"By=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/httpbin;Hash=[a-f0-9]+;Subject=\\"\\";URI=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/curl"/);
    const plain = await terminal.type(`kubectl exec "$(kubectl get pod -l app=curl -n legacy -o jsonpath={.items..metadata.name})" -c curl -n legacy -- curl http://httpbin.foo:8000/headers -s | grep X-Forwarded-Client-Cert`);
    assert.deepEqual([plain.exitCode, plain.stdout], [1, '']);
  });

  it('STRICT in foo: the client without a sidecar gets 000 and curl exits 56; the rest still 200', async () => {
    assert.equal(await terminal.ok(STRICT('foo')), 'peerauthentication.security.istio.io/default created\n');
    assert.match(await terminal.ok('kubectl get pa -n foo'), /^NAME\s+MODE\s+AGE\ndefault\s+STRICT\s+\d+s\n$/);
    // On a terminal the stderr line shows right after the 000 line; the shell hands the two
    // streams back separately (it does not interleave a loop's stdout and stderr, even with 2>&1).
    const result = await terminal.type(PROBE_LOOP);
    assert.equal(
      result.stdout,
      'curl.foo to httpbin.foo: 200\ncurl.foo to httpbin.bar: 200\ncurl.bar to httpbin.foo: 200\ncurl.bar to httpbin.bar: 200\ncurl.legacy to httpbin.foo: 000\ncurl.legacy to httpbin.bar: 200\n',
    );
    assert.equal(result.stderr, 'command terminated with exit code 56\n');
  });

  it('STRICT mesh-wide (istio-system): legacy is refused by both namespaces', async () => {
    assert.equal(await terminal.ok(STRICT('istio-system')), 'peerauthentication.security.istio.io/default created\n');
    const result = await terminal.type(PROBE_LOOP);
    assert.equal(
      result.stdout,
      'curl.foo to httpbin.foo: 200\ncurl.foo to httpbin.bar: 200\ncurl.bar to httpbin.foo: 200\ncurl.bar to httpbin.bar: 200\ncurl.legacy to httpbin.foo: 000\ncurl.legacy to httpbin.bar: 000\n',
    );
    assert.equal(result.stderr, 'command terminated with exit code 56\ncommand terminated with exit code 56\n');
    // The loop's status is its last command's: kubectl exec passing on curl's 56.
    assert.equal(result.exitCode, 56);
    const shown = await terminal.type(`kubectl exec "$(kubectl get pod -l app=curl -n legacy -o jsonpath={.items..metadata.name})" -c curl -n legacy -- curl -sS http://httpbin.bar:8000/ip`);
    assert.equal(shown.exitCode, 56);
    assert.match(shown.stderr, /^curl: \(56\) Recv failure: Connection reset by peer\ncommand terminated with exit code 56\n$/);
  });

  it('cleanup: with the policies gone, legacy is served again', async () => {
    await terminal.ok('kubectl delete peerauthentication -n foo default');
    await terminal.ok('kubectl delete peerauthentication -n istio-system default');
    const out = await terminal.ok(PROBE_LOOP);
    assert.match(out, /curl\.legacy to httpbin\.foo: 200\ncurl\.legacy to httpbin\.bar: 200\n$/);
    assert.equal(await terminal.ok('kubectl delete ns foo bar legacy'), 'namespace "foo" deleted\nnamespace "bar" deleted\nnamespace "legacy" deleted\n');
  });
});
