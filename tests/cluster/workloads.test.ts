// The emulated cluster's workloads answer the real kubectl: port-forward reaches the apps, and
// exec runs a small shell in the pod whose curl goes through the data plane.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createSystemClock } from '../../server/sandbox/core/clock.ts';
import { createWorkloadRuntime, type WorkloadRuntime } from '../../server/sandbox/workloads/workload-runtime.ts';
import { readFile } from 'node:fs/promises';
import { runIstioctl } from '../../server/sandbox/istioctl/run-istioctl.ts';
import { istioSamplePath, istioSamplesMissing } from '../support/istio-samples.ts';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

/** Starts `kubectl port-forward TARGET :REMOTE` and resolves with the local port once it listens. */
function portForward(h: KubectlHarness, target: string, remote: string, namespace = 'default'): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn('kubectl', ['port-forward', '-n', namespace, target, `:${remote}`], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: h.dir, KUBECONFIG: h.kubeconfig, LANG: 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => void stop().then(() => reject(new Error(`port-forward did not start: ${output}`))), 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /^Forwarding from 127\.0\.0\.1:(\d+) -> \d+$/m.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`port-forward exited: ${output}`));
    });
  });
}

describe('workloads behind the real kubectl', { skip: istioSamplesMissing }, () => {
  let h: KubectlHarness;
  let runtime: WorkloadRuntime;
  before(async () => {
    const clock = createSystemClock();
    runtime = createWorkloadRuntime({ clock });
    h = await startKubectlHarness({ clock, portForward: runtime.portForward, exec: runtime.exec });
    runtime.attach(h.cluster.api);
    for (const sample of ['samples/bookinfo/platform/kube/bookinfo.yaml', 'samples/curl/curl.yaml']) {
      const applied = await h.kubectl(['apply', '-f', istioSamplePath(sample)]);
      assert.equal(applied.code, 0, applied.stderr);
    }
    const wait = await h.kubectl(['wait', '--for=condition=Ready', 'pods', '--all', '--timeout=20s']);
    assert.equal(wait.code, 0, wait.stderr);
  });
  after(async () => {
    runtime?.dispose();
    await h?.close();
  });

  it('port-forward to svc/productpage serves the Bookinfo page, with reviews fetched through the mesh', async () => {
    const forwarding = await portForward(h, 'svc/productpage', '9080');
    try {
      const response = await fetch(`http://127.0.0.1:${forwarding.port}/productpage`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(response.status, 200);
      const page = await response.text();
      assert.match(page, /<title>Simple Bookstore App<\/title>/);
      assert.match(page, /Reviews served by: \n\s*reviews-v[123]-[a-z0-9]+-[a-z0-9]+\n/);
      assert.doesNotMatch(page, /Sorry, product reviews are currently unavailable/);
      const health = await fetch(`http://127.0.0.1:${forwarding.port}/health`, { signal: AbortSignal.timeout(5_000) });
      assert.equal(health.status, 200);
    } finally {
      await forwarding.stop();
    }
  });

  it('port-forward to the ingress gateway serves what its routes point at', async () => {
    let output = '';
    const installed = await runIstioctl(['install', '--set', 'profile=demo', '-y'], {
      stdin: '', env: {}, cwd: '/', kubeconfig: await readFile(h.kubeconfig, 'utf8'),
      readFile: async () => undefined,
      stdout: (chunk) => { output += chunk; },
      stderr: (chunk) => { output += chunk; },
    });
    assert.equal(installed, 0, output);
    const routed = await h.kubectl(['apply', '-f', istioSamplePath('samples/bookinfo/networking/bookinfo-gateway.yaml')]);
    assert.equal(routed.code, 0, routed.stderr);
    const forwarding = await portForward(h, 'svc/istio-ingressgateway', '80', 'istio-system');
    try {
      const page = await fetch(`http://127.0.0.1:${forwarding.port}/productpage`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('server'), 'istio-envoy');
      assert.match(await page.text(), /<title>Simple Bookstore App<\/title>/);
      const unrouted = await fetch(`http://127.0.0.1:${forwarding.port}/not-routed`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(unrouted.status, 404);
    } finally {
      await forwarding.stop();
    }
  });

  it('port-forward refuses a port the app does not listen on', async () => {
    const forwarding = await portForward(h, 'deploy/details-v1', '7777');
    try {
      await assert.rejects(fetch(`http://127.0.0.1:${forwarding.port}/`, { signal: AbortSignal.timeout(5_000) }));
    } finally {
      await forwarding.stop();
    }
  });

  it('exec runs curl in the curl pod, through the mesh to productpage', async () => {
    const result = await h.kubectl(['exec', 'deploy/curl', '--', 'curl', '-sS', 'productpage:9080/productpage']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /<title>Simple Bookstore App<\/title>/);
    assert.equal(result.stderr, '');
  });

  it('runs the docs smoke test: curl from the ratings container, piped through grep in the pod', async () => {
    const pod = await h.kubectl(['get', 'pod', '-l', 'app=ratings', '-o', 'jsonpath={.items[0].metadata.name}']);
    assert.equal(pod.code, 0, pod.stderr);
    assert.match(pod.stdout, /^ratings-v1-/);
    const result = await h.kubectl(['exec', pod.stdout, '-c', 'ratings', '--', 'sh', '-c', 'curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '<title>Simple Bookstore App</title>\n');
    // As the docs write it: the grep runs on the learner's side of the pipe.
    const piped = await h.kubectl(['exec', pod.stdout, '-c', 'ratings', '--', 'curl', '-sS', 'productpage:9080/productpage']);
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(piped.stdout.match(/<title>.*<\/title>/g), ['<title>Simple Bookstore App</title>']);
  });

  it('an unknown host prints 000 with -w, exits 6, and kubectl reports the exit code', async () => {
    const result = await h.kubectl(['exec', 'deploy/curl', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://nope:80/']);
    assert.equal(result.stdout, '000');
    assert.equal(result.code, 6);
    assert.equal(result.stderr, 'command terminated with exit code 6\n');
    const shown = await h.kubectl(['exec', 'deploy/curl', '--', 'curl', '-sS', 'http://nope/']);
    assert.equal(shown.stderr, 'curl: (6) Could not resolve host: nope\ncommand terminated with exit code 6\n');
  });

  it('-w prints the status code with escapes, -i the status line and headers', async () => {
    const code = await h.kubectl(['exec', 'deploy/curl', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}\\n', 'http://details:9080/details/0']);
    assert.equal(code.stdout, '200\n');
    const head = await h.kubectl(['exec', 'deploy/curl', '--', 'curl', '-sI', 'http://reviews:9080/health']);
    assert.equal(head.code, 0, head.stderr);
    assert.match(head.stdout, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(head.stdout, /\r\ncontent-length: \d+\r\n/i);
    assert.ok(head.stdout.endsWith('\r\n\r\n'));
  });

  it('refuses a container the pod does not have, as kubectl prints it', async () => {
    const result = await h.kubectl(['exec', 'deploy/curl', '-c', 'nope', '--', 'true']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error from server \(BadRequest\): container nope is not valid for pod curl-[a-z0-9]+-[a-z0-9]+\n$/);
  });

  it('runs an interactive shell over stdin: the pod name, the environment, exit', async () => {
    const result = await h.kubectl(['exec', '-i', 'deploy/curl', '--', 'sh'], { input: 'hostname\necho $PRODUCTPAGE_SERVICE_PORT\nexit 3\necho never\n' });
    assert.equal(result.code, 3);
    const [hostname, port] = result.stdout.split('\n');
    assert.match(hostname ?? '', /^curl-[a-z0-9]+-[a-z0-9]+$/);
    assert.equal(port, '9080');
    assert.doesNotMatch(result.stdout, /never/);
  });
});
