import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bash } from 'just-bash';
import { createCluster, type Cluster } from '../cluster/create-cluster.ts';
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
      assert.deepEqual(seen, ['err:✔ Istio core installed ⛵️\n', 'err:✔ Istiod installed 🧠\n', 'err:✔ Installation complete\n']);
      const buffered = await bash.exec('istioctl version');
      assert.match(buffered.stdout, /^client version: 1\.30\.3\ncontrol plane version: 1\.30\.3\n/);
      assert.equal(seen.length, 3);
    } finally {
      cluster.dispose();
      await server.close();
    }
  });
});
