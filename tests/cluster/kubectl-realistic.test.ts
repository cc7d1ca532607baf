// The realistic profile on a virtual clock: what `kubectl get` and `rollout status` show while
// pods take their time — readiness after the probe's delay, a crash loop's growing back-off,
// and a rolling update's progress lines.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../server/sandbox/core/manual-clock.ts';
import { startKubectlHarness, tableRows, type KubectlHarness } from './kubectl-harness.ts';

describe('realistic timings through kubectl', () => {
  let h: KubectlHarness;
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const podRow = async (name: string): Promise<string[]> => tableRows((await h.kubectl(['get', 'pod', name])).stdout)[1] ?? [];
  before(async () => {
    h = await startKubectlHarness({ clock, profile: 'realistic' });
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('a readiness probe keeps the pod 0/1 Running, out of the endpoints, until its initial delay', async () => {
    const file = join(h.dir, 'slow.yaml');
    writeFileSync(file, `apiVersion: v1
kind: Pod
metadata: {name: slow, labels: {app: slow}}
spec:
  containers:
  - name: web
    image: nginx:1.27
    readinessProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 15, periodSeconds: 5}
---
apiVersion: v1
kind: Service
metadata: {name: slow}
spec: {selector: {app: slow}, ports: [{port: 80}]}
`);
    assert.equal((await h.kubectl(['apply', '-f', file])).code, 0);
    clock.advance(8_000);
    assert.deepEqual((await podRow('slow')).slice(1, 3), ['0/1', 'Running']);
    assert.equal((await h.kubectl(['get', 'endpoints', 'slow', '-o', 'jsonpath={.subsets[0].addresses}'])).stdout, '');
    clock.advance(15_000);
    assert.deepEqual((await podRow('slow')).slice(1, 3), ['1/1', 'Running']);
    assert.match((await h.kubectl(['get', 'endpoints', 'slow', '-o', 'jsonpath={.subsets[0].addresses[0].ip}'])).stdout, /^10\.244\.\d+\.\d+$/);
  });

  it('a crash loop: Error, then CrashLoopBackOff with restarts 10s, then 20s apart', async () => {
    assert.equal((await h.kubectl(['run', 'crash', '--image=busybox:1.36', '--', 'sh', '-c', 'echo bye; exit 2'])).code, 0);
    clock.advance(4_500);
    const seen = new Set<string>();
    const restartsAt: number[] = [];
    let last = 0;
    for (let t = 0; t < 60_000; t += 500) {
      clock.advance(500);
      const [, , status = '', restarts = '0'] = await podRow('crash');
      seen.add(status);
      const count = Number(restarts.split(' ')[0]);
      if (count > last) {
        restartsAt.push(t);
        last = count;
      }
    }
    assert.ok(seen.has('Error') && seen.has('CrashLoopBackOff'), [...seen].join(','));
    const gaps = restartsAt.slice(1).map((at, i) => at - (restartsAt[i] ?? 0));
    // Each gap is the back-off plus the container's short run before it exits again.
    assert.equal(gaps.length >= 2, true, String(restartsAt));
    assert.ok(gaps[0] !== undefined && gaps[0] >= 10_000 && gaps[0] < 13_000, String(gaps));
    assert.ok(gaps[1] !== undefined && gaps[1] >= 20_000 && gaps[1] < 23_000, String(gaps));
    const described = (await h.kubectl(['describe', 'pod', 'crash'])).stdout;
    // describe ages events by kubectl's own clock, not the virtual one: match the count only.
    assert.match(described, /Warning {2}BackOff +\S+ \(x[2-9] over \S+\) {2}kubelet +Back-off restarting failed container crash in pod crash_default\(/);
  });

  it('a pod with an init container: Init:0/1, PodInitializing, then Running, as kubectl get prints them', async () => {
    const file = join(h.dir, 'init.yaml');
    writeFileSync(file, `apiVersion: v1
kind: Pod
metadata: {name: initialized}
spec:
  initContainers:
  - {name: istio-init, image: "docker.io/istio/proxyv2:1.30.3", args: [istio-iptables, -p, "15001"]}
  containers:
  - {name: web, image: "nginx:1.27"}
`);
    assert.equal((await h.kubectl(['apply', '-f', file])).code, 0);
    const seen: string[] = [];
    for (let t = 0; t < 12_000; t += 250) {
      clock.advance(250);
      const [, ready = '', status = ''] = await podRow('initialized');
      if (seen.at(-1) !== `${ready} ${status}`) seen.push(`${ready} ${status}`);
    }
    assert.deepEqual(seen, ['0/1 Init:0/1', '0/1 PodInitializing', '1/1 Running']);
    const waiting = await h.kubectl(['get', 'pod', 'initialized', '-o', 'jsonpath={.status.initContainerStatuses[0].state.terminated.reason}/{.status.initContainerStatuses[0].state.terminated.exitCode}']);
    assert.equal(waiting.stdout, 'Completed/0');
  });

  it('rollout status prints the real progress lines of a rolling update', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.26', '--replicas=3'])).code, 0);
    clock.advance(30_000);
    assert.equal((await h.kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:1.27'])).code, 0);
    const status = h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s'], { timeoutMs: 60_000 });
    let done = false;
    void status.then(() => { done = true; });
    // Move virtual time while kubectl watches, a little at a time so it sees each step.
    for (let i = 0; i < 400 && !done; i++) {
      clock.advance(250);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const result = await status;
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n').filter((line) => line !== '');
    assert.equal(lines.at(-1), 'deployment "web" successfully rolled out');
    const allowed = [
      /^Waiting for deployment "web" rollout to finish: [0-3] out of 3 new replicas have been updated\.\.\.$/,
      /^Waiting for deployment "web" rollout to finish: [1-3] old replicas are pending termination\.\.\.$/,
      /^Waiting for deployment "web" rollout to finish: [0-2] of 3 updated replicas are available\.\.\.$/,
      /^deployment "web" successfully rolled out$/,
    ];
    for (const line of lines) assert.ok(allowed.some((pattern) => pattern.test(line)), line);
    assert.ok(lines.some((line) => line.includes('new replicas have been updated')), lines.join('\n'));
  });
});
