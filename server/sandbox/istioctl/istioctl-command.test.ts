import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bash } from 'just-bash';
import { createCluster, type Cluster } from '../cluster/create-cluster.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { renderKubeconfig } from '../cluster/kubeconfig.ts';
import { listenCluster, type ListeningCluster } from '../cluster/listen-cluster.ts';
import { createKubectlCommand } from '../kubectl/kubectl-command.ts';
import { createIstioctlCommand } from './istioctl-command.ts';

const HTTPBIN = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: httpbin
spec:
  replicas: 1
  selector:
    matchLabels:
      app: httpbin
  template:
    metadata:
      labels:
        app: httpbin
    spec:
      containers:
      - name: httpbin
        image: docker.io/mccutchen/go-httpbin:v2.15.0
        ports:
        - containerPort: 8080
`;

describe('the istioctl shell command', () => {
  let cluster: Cluster;
  let server: ListeningCluster;
  let bash: Bash;
  before(async () => {
    cluster = createCluster({ profile: 'instant', seed: 'istioctl-command', anonymousUser: 'admin' });
    server = await listenCluster(cluster, { port: 0 });
    bash = new Bash({
      customCommands: [createKubectlCommand(), createIstioctlCommand()],
      files: {
        '/home/learner/.kube/config': renderKubeconfig({ server: server.url, token: 't' }),
        '/home/learner/app/httpbin.yaml': HTTPBIN,
      },
      env: { HOME: '/home/learner' },
      cwd: '/home/learner/app',
    });
  });
  after(async () => {
    cluster.dispose();
    await server.close();
  });

  it('installs from the kubeconfig in ~/.kube/config, answering the question from a pipe', async () => {
    const result = await bash.exec('echo y | istioctl install --set profile=minimal');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, 'This will install the Istio 1.30.3 profile "minimal" into the cluster. Proceed? (y/N) ');
    assert.equal(result.stderr, '✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n✔ Installation complete\n');
  });

  it('pipes kube-inject into kubectl apply, and writes -o files in the shell', async () => {
    const applied = await bash.exec('istioctl kube-inject -f httpbin.yaml | kubectl apply -f -');
    assert.equal(applied.stdout, 'deployment.apps/httpbin created\n', applied.stderr);
    const written = await bash.exec('istioctl kube-inject -f httpbin.yaml -o injected.yaml && grep -c "name: istio-proxy" injected.yaml');
    assert.equal(written.stdout, '1\n', written.stderr);
    const containers = await bash.exec("kubectl get deploy httpbin -o jsonpath='{.spec.template.spec.containers[*].name}'");
    assert.match(containers.stdout, /istio-proxy/);
  });

  it('passes the exit code of analyze to the shell', async () => {
    const result = await bash.exec('istioctl analyze -n default --failure-threshold Info; echo "exit=$?"');
    assert.match(result.stdout, /^Info \[IST0102\] \(Namespace default\)/);
    assert.match(result.stdout, /exit=79\n$/);
  });

  it('finds the kubeconfig named by $KUBECONFIG and reports a missing one', async () => {
    const result = await bash.exec('KUBECONFIG=/nowhere istioctl version');
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /^Error: /);
  });
});

describe('the istioctl shell command with live output', () => {
  it('writes to the live writer while it runs instead of returning the output', async () => {
    const cluster = createCluster({ profile: 'instant', seed: 'istioctl-live', anonymousUser: 'admin' });
    const server = await listenCluster(cluster, { port: 0 });
    try {
      const seen: string[] = [];
      const command = createIstioctlCommand({
        liveOutput: (env) => (env.get('LIVE') === '1' ? { stdout: (chunk) => seen.push(`out:${chunk}`), stderr: (chunk) => seen.push(`err:${chunk}`) } : undefined),
      });
      const bash = new Bash({ customCommands: [command], files: { '/root/.kube/config': renderKubeconfig({ server: server.url, token: 't' }) }, env: { HOME: '/root' } });
      const live = await bash.exec('LIVE=1 istioctl install --set profile=minimal -y');
      assert.equal(live.stderr, '');
      assert.ok(seen.every((chunk) => chunk.startsWith('err:')));
      // What stays on the terminal once the status line is redrawn: only the ✔ lines.
      const screen = seen.map((chunk) => chunk.slice(4)).join('').replace(/\r\u001b\[2K(- Processing[^\r\n]*)?/g, '');
      assert.equal(screen, '✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n✔ Installation complete\n');
      const statuses = seen.filter((chunk) => chunk.includes('Processing'));
      assert.ok(statuses.every((chunk) => /^err:\r\u001b\[2K- Processing resources for (Istio core|Istiod)\. Waiting for Deployment\/istio-system\/istiod$/.test(chunk)), statuses.join('|'));
      const buffered = await bash.exec('istioctl version');
      assert.match(buffered.stdout, /^client version: 1\.30\.3\ncontrol plane version: 1\.30\.3\n/);
      assert.ok(!seen.some((chunk) => chunk.includes('client version')));
    } finally {
      cluster.dispose();
      await server.close();
    }
  });
});

describe('istioctl install on a terminal while istiod is still starting', () => {
  it('redraws one status line until the deployment is ready, then leaves the ✔ line', async () => {
    // Pods only progress when this clock is advanced: the first status line is guaranteed,
    // and advancing from inside the writer lets istiod become ready.
    const clock = new ManualClock();
    const cluster = createCluster({ profile: 'realistic', clock, seed: 'istioctl-progress', anonymousUser: 'admin' });
    const server = await listenCluster(cluster, { port: 0 });
    try {
      const seen: string[] = [];
      const command = createIstioctlCommand({
        liveOutput: () => ({
          stdout: (chunk) => seen.push(chunk),
          stderr: (chunk) => {
            seen.push(chunk);
            if (chunk.includes('Waiting for')) setTimeout(() => clock.advance(60_000), 0);
          },
        }),
      });
      const bash = new Bash({ customCommands: [command], files: { '/root/.kube/config': renderKubeconfig({ server: server.url, token: 't' }) }, env: { HOME: '/root' } });
      const result = await bash.exec('istioctl install --set profile=minimal -y');
      assert.equal(result.exitCode, 0, seen.join(''));
      assert.equal(seen[0], '✔ Istio core installed ⛵️\n');
      assert.equal(seen[1], '\r\u001b[2K- Processing resources for Istiod. Waiting for Deployment/istio-system/istiod');
      assert.deepEqual(seen.slice(-3), ['\r\u001b[2K', '✔ Istiod installed 🧠\n', '✔ Installation complete\n']);
    } finally {
      cluster.dispose();
      await server.close();
    }
  });
});

describe('istioctl install when istiod never becomes ready', () => {
  it('reports the component that timed out and fails the install', async () => {
    // The clock is never advanced, so istiod's pod never gets ready.
    const cluster = createCluster({ profile: 'realistic', clock: new ManualClock(), seed: 'istioctl-timeout', anonymousUser: 'admin' });
    const server = await listenCluster(cluster, { port: 0 });
    try {
      const bash = new Bash({ customCommands: [createIstioctlCommand()], files: { '/root/.kube/config': renderKubeconfig({ server: server.url, token: 't' }) }, env: { HOME: '/root' } });
      const result = await bash.exec('istioctl install --set profile=minimal --readiness-timeout 1s -y');
      assert.equal(result.exitCode, 1);
      assert.equal(
        result.stderr,
        [
          '✔ Istio core installed ⛵️',
          '✘ Istiod encountered an error: failed to wait for resource: resources not ready after 1s: context deadline exceeded',
          'Deployment/istio-system/istiod',
          'Error: failed to install manifests: errors occurred during operation',
          '',
        ].join('\n'),
      );
      const bad = await bash.exec('istioctl install --readiness-timeout soon -y');
      assert.equal(bad.stderr, 'Error: invalid argument "soon" for "--readiness-timeout" flag: time: invalid duration "soon"\n');
      assert.equal(bad.exitCode, 64);
    } finally {
      cluster.dispose();
      await server.close();
    }
  });
});
