import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterHost } from '../cluster/cluster-host.ts';
import { createEmbeddedSandbox, type EmbeddedSandbox } from './create-embedded-sandbox.ts';

const host = new ClusterHost();
let alice: EmbeddedSandbox;
let bob: EmbeddedSandbox;

before(async () => {
  await host.listen();
  alice = await createEmbeddedSandbox({ host, id: 'alice', profile: 'instant', seed: 'alice' });
  bob = await createEmbeddedSandbox({ host, id: 'bob', profile: 'instant', seed: 'bob' });
});

after(async () => {
  await alice.dispose();
  await bob.dispose();
  await host.close();
});

async function sh(sandbox: EmbeddedSandbox, script: string, stdin?: string) {
  return sandbox.shell.host.exec(script, stdin === undefined ? {} : { stdin }).result;
}

test('the workstation is a pod in its own namespace, and the shell is its ServiceAccount', async () => {
  const pods = await sh(alice, 'kubectl get pods -A');
  assert.equal(pods.exitCode, 0, pods.stderr);
  assert.match(pods.stdout, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
  assert.match(pods.stdout, /^mesh-academy\s+workstation\s+1\/1\s+Running\s+0\s+\d+s$/m);
  const user = await sh(alice, 'kubectl config view --minify -o jsonpath={.users[0].name}');
  assert.equal(user.stdout, 'learner');
  const binding = await sh(alice, 'kubectl get clusterrolebinding mesh-academy-learner -o jsonpath={.subjects[0].name}');
  assert.equal(binding.stdout, 'learner');
});

test('curl from the workstation reaches a Service through the sandbox network', async () => {
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: nginx, ports: [{ containerPort: 80 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
`;
  const apply = await sh(alice, 'kubectl apply -f - && kubectl wait --for=condition=available deploy/web --timeout=30s', manifest);
  assert.equal(apply.exitCode, 0, apply.stderr);
  const page = await sh(alice, 'curl -s web.default.svc.cluster.local');
  assert.equal(page.exitCode, 0, page.stderr);
  assert.match(page.stdout, /Welcome to nginx!/);
  const missing = await sh(alice, 'curl -sS web');
  // The workstation lives in its own namespace: a short name resolves there, as on a cluster.
  assert.equal(missing.exitCode, 6);
  assert.equal(missing.stderr, 'curl: (6) Could not resolve host: web\n');
});

test("a learner cannot reach another learner's cluster nor any other address", async () => {
  const pointAt = (server: string) => `sed "s#server: .*#server: ${server}#" ~/.kube/config > /tmp/kubeconfig && KUBECONFIG=/tmp/kubeconfig kubectl get pods`;
  const foreign = await sh(alice, pointAt(bob.server));
  assert.notEqual(foreign.exitCode, 0);
  assert.match(foreign.stderr, /Unauthorized/);
  const elsewhere = await sh(alice, pointAt('http://127.0.0.1:1'));
  assert.notEqual(elsewhere.exitCode, 0);
  assert.match(elsewhere.stderr, /The connection to the server 127\.0\.0\.1:1 was refused/);
  const outside = await sh(alice, 'curl -sS http://example.com/');
  assert.equal(outside.exitCode, 6);
});

test('kubectl exec into the workstation runs the learner shell', async () => {
  const result = await sh(alice, 'kubectl exec -n mesh-academy workstation -- bash -c "echo hello from $(hostname); kubectl get ns mesh-academy -o name"');
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, 'hello from workstation\nnamespace/mesh-academy\n');
});

test('at the prompt, kubectl get -w shows each change as it happens until Ctrl-C', async () => {
  const tty = alice.shell.openShell({ cols: 120, rows: 30 });
  let screen = '';
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in ${JSON.stringify(screen)}`)), 20_000);
      const check = () => {
        if (!pattern.test(screen)) return false;
        clearTimeout(timer);
        resolve();
        return true;
      };
      if (!check()) {
        const stop = tty.onData(() => {
          if (check()) stop();
        });
      }
    });
  tty.onData((data) => {
    screen += data;
  });
  try {
    await waitFor(/\$ (\x1b\[\d+G)?$/);
    tty.write('kubectl get namespaces --watch\r');
    await waitFor(/NAME\s+STATUS\s+AGE\r\n/);
    const namespaces = alice.cluster.api.resource('', 'v1', 'namespaces');
    alice.cluster.api.create(namespaces, '', { metadata: { name: 'appears-while-watching' } });
    await waitFor(/appears-while-watching\s+Active\s+0s\r\n/);
    tty.write('\x03');
    await waitFor(/\^C\r\n.*\$ (\x1b\[\d+G)?$/s);
    tty.write('echo after\r');
    await waitFor(/after\r\n.*\$ (\x1b\[\d+G)?$/s);
  } finally {
    tty.close();
  }
});

test("kubectl logs of a sidecar prints its Envoy access log", async () => {
  const script = [
    "istioctl install --set profile=demo -y >/dev/null 2>&1",
    "kubectl create namespace meshed >/dev/null && kubectl label namespace meshed istio-injection=enabled >/dev/null",
    "kubectl create deployment echo -n meshed --image=nginx >/dev/null && kubectl expose deployment echo -n meshed --port=80 >/dev/null",
    "kubectl wait --for=condition=available deploy/echo -n meshed --timeout=60s >/dev/null",
    "curl -s -o /dev/null -w '%{http_code}\\n' echo.meshed",
    "kubectl logs deploy/echo -n meshed -c istio-proxy | tail -1",
  ].join(" && ");
  const result = await sh(bob, script);
  assert.equal(result.exitCode, 0, result.stderr);
  const [status, log] = result.stdout.trim().split("\n");
  assert.equal(status, "200");
  assert.match(log ?? "", /"GET \/ HTTP\/1\.1" 200 /);
});

test("the docs' Gateway API CRD install works as written, from the bundle the sandbox carries", async () => {
  const install = await sh(bob, 'kubectl get crd gateways.gateway.networking.k8s.io &> /dev/null || { kubectl kustomize "github.com/kubernetes-sigs/gateway-api/config/crd?ref=v1.3.0" | kubectl apply -f -; }');
  assert.equal(install.exitCode, 0, install.stderr);
  assert.match(install.stdout, /^customresourcedefinition\.apiextensions\.k8s\.io\/gateways\.gateway\.networking\.k8s\.io created$/m);
  assert.match(install.stdout, /^customresourcedefinition\.apiextensions\.k8s\.io\/httproutes\.gateway\.networking\.k8s\.io created$/m);
  const again = await sh(bob, "kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml | grep -c unchanged");
  assert.equal(again.exitCode, 0, again.stderr);
  assert.ok(Number(again.stdout) >= 5, again.stdout);
  const elsewhere = await sh(bob, "kubectl apply -f https://example.com/manifest.yaml");
  assert.equal(elsewhere.stderr, 'error: unable to read URL "https://example.com/manifest.yaml": the sandbox has no internet access\n');
});
