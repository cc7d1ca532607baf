// What a learner sees when workloads go wrong: crash loops, images that do not exist, stuck
// rollouts, and the deletion cascades of the garbage collector, through the real kubectl.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startKubectlHarness, tableRows, type KubectlHarness } from './kubectl-harness.ts';

/** Polls until `check` passes (the controllers run on the real clock here). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('failures and cascades through kubectl', () => {
  let h: KubectlHarness;
  before(async () => {
    h = await startKubectlHarness({ profile: 'instant' });
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('a container that exits goes into CrashLoopBackOff with a restart count and BackOff events', async () => {
    assert.equal((await h.kubectl(['run', 'crash', '--image=busybox:1.36', '--', 'sh', '-c', 'exit 1'])).stdout, 'pod/crash created\n');
    const row = await eventually(async () => tableRows((await h.kubectl(['get', 'pod', 'crash'])).stdout)[1] ?? [], (cells) => cells[2] === 'CrashLoopBackOff');
    assert.deepEqual(row.slice(0, 3), ['crash', '0/1', 'CrashLoopBackOff']);
    assert.match(row[3] ?? '', /^1 \(\d+s ago\)$/);
    const described = (await h.kubectl(['describe', 'pod', 'crash'])).stdout;
    assert.match(described, /State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff\n\s+Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1\n/);
    assert.match(described, /Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container crash in pod crash_default\(/);
    // The last run's logs stay readable, with or without --previous.
    assert.equal((await h.kubectl(['logs', 'crash'])).code, 0);
    assert.equal((await h.kubectl(['logs', 'crash', '--previous'])).code, 0);
  });

  it('an image that does not exist: ErrImagePull then ImagePullBackOff, with the pull error in the events', async () => {
    assert.equal((await h.kubectl(['run', 'typo', '--image=nginx:doesnotexist'])).code, 0);
    const row = await eventually(async () => tableRows((await h.kubectl(['get', 'pod', 'typo'])).stdout)[1] ?? [], (cells) => cells[2] === 'ImagePullBackOff');
    assert.deepEqual(row.slice(0, 4), ['typo', '0/1', 'ImagePullBackOff', '0']);
    const events = (await h.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=typo', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}'])).stdout;
    assert.ok(events.includes('Failed: Failed to pull image "nginx:doesnotexist": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found\n'), events);
    assert.ok(events.includes('Failed: Error: ErrImagePull\n'));
    assert.ok(events.includes('BackOff: Back-off pulling image "nginx:doesnotexist"\n'));
    assert.ok(events.includes('Failed: Error: ImagePullBackOff\n'));
    assert.equal((await h.kubectl(['logs', 'typo'])).stderr, 'Error from server (BadRequest): container "typo" in pod "typo" is waiting to start: trying and failing to pull image\n');
    assert.equal((await h.kubectl(['logs', 'typo', '--previous'])).stderr, 'Error from server (BadRequest): previous terminated container "typo" in pod "typo" not found\n');
  });

  it('a rollout to a missing image stalls where maxSurge allows, reports it, and rolls back', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.26', '--replicas=2'])).code, 0);
    assert.equal((await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=10s'])).stdout.split('\n').at(-2), 'deployment "web" successfully rolled out');
    assert.equal((await h.kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:doesnotexist'])).stdout, 'deployment.apps/web image updated\n');
    const stalled = await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=2s']);
    assert.equal(stalled.code, 1);
    assert.equal(stalled.stdout.split('\n').filter((line) => line !== '').at(-1), 'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...');
    assert.equal(stalled.stderr, 'error: timed out waiting for the condition\n');
    // 25% of 2: one surge pod, none unavailable, so both old pods keep serving.
    const ready = tableRows((await h.kubectl(['get', 'deployment', 'web'])).stdout)[1];
    assert.deepEqual(ready?.slice(0, 4), ['web', '2/2', '1', '2']);
    assert.equal((await h.kubectl(['rollout', 'undo', 'deployment/web'])).stdout, 'deployment.apps/web rolled back\n');
    assert.equal((await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=10s'])).stdout.split('\n').at(-2), 'deployment "web" successfully rolled out');
  });

  it('a stalled rollout past progressDeadlineSeconds makes rollout status fail', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'late', '--image=nginx:1.26'])).code, 0);
    await h.kubectl(['rollout', 'status', 'deployment/late', '--timeout=10s']);
    assert.equal((await h.kubectl(['patch', 'deployment', 'late', '-p', '{"spec":{"progressDeadlineSeconds":1,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:nope"}]}}}}'])).code, 0);
    const result = await h.kubectl(['rollout', 'status', 'deployment/late', '--timeout=10s']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'error: deployment "late" exceeded its progress deadline\n');
  });

  it('--cascade=orphan leaves the ReplicaSet and its pods running, without owner references', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'orphans', '--image=nginx:1.27', '--replicas=2'])).code, 0);
    await h.kubectl(['rollout', 'status', 'deployment/orphans', '--timeout=10s']);
    assert.equal((await h.kubectl(['delete', 'deployment', 'orphans', '--cascade=orphan'])).stdout, 'deployment.apps "orphans" deleted\n');
    const rs = (await h.kubectl(['get', 'rs', '-l', 'app=orphans', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.ownerReferences} {.status.readyReplicas}{"\\n"}{end}'])).stdout;
    assert.match(rs, /^orphans-[a-z0-9]+  2\n$/);
    const pods = tableRows((await h.kubectl(['get', 'pods', '-l', 'app=orphans'])).stdout).slice(1);
    assert.deepEqual(pods.map((cells) => cells.slice(1, 3)), [['1/1', 'Running'], ['1/1', 'Running']]);
    // The same Deployment again adopts the orphaned ReplicaSet and keeps its pods.
    assert.equal((await h.kubectl(['create', 'deployment', 'orphans', '--image=nginx:1.27', '--replicas=2'])).code, 0);
    await h.kubectl(['rollout', 'status', 'deployment/orphans', '--timeout=10s']);
    const owner = await eventually(async () => (await h.kubectl(['get', 'rs', '-l', 'app=orphans', '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}{"\\n"}{end}'])).stdout, (out) => out === 'Deployment/orphans\n');
    assert.equal(owner, 'Deployment/orphans\n');
    const again = tableRows((await h.kubectl(['get', 'pods', '-l', 'app=orphans'])).stdout).slice(1);
    assert.deepEqual(again.map((cells) => cells[0]), pods.map((cells) => cells[0]));
  });

  it('--cascade=foreground keeps the owner, with the foregroundDeletion finalizer, until its dependents are gone', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'fg', '--image=nginx:1.27'])).code, 0);
    await h.kubectl(['rollout', 'status', 'deployment/fg', '--timeout=10s']);
    // A finalizer on the pod holds the whole chain, as a slow dependent would.
    const pod = (await h.kubectl(['get', 'pods', '-l', 'app=fg', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    assert.equal((await h.kubectl(['patch', 'pod', pod, '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}'])).code, 0);
    assert.equal((await h.kubectl(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false'])).stdout, 'deployment.apps "fg" deleted\n');
    const held = await eventually(async () => (await h.kubectl(['get', 'deployment', 'fg', '-o', 'jsonpath={.metadata.finalizers} {.metadata.deletionTimestamp}'])).stdout, (out) => out.startsWith('["foregroundDeletion"]'));
    assert.match(held, /^\["foregroundDeletion"\] \d{4}-\d\d-\d\dT/);
    assert.match((await h.kubectl(['get', 'rs', '-l', 'app=fg', '-o', 'jsonpath={.items[0].metadata.finalizers}'])).stdout, /foregroundDeletion/);
    assert.equal((await h.kubectl(['patch', 'pod', pod, '--type=merge', '-p', '{"metadata":{"finalizers":null}}'])).code, 0);
    const gone = await h.kubectl(['wait', '--for=delete', 'deployment/fg', '--timeout=10s']);
    assert.equal(gone.code, 0, gone.stderr);
    assert.equal((await h.kubectl(['get', 'rs,pods', '-l', 'app=fg'])).stderr, 'No resources found in default namespace.\n');
  });

  it('kubectl drain respects a PodDisruptionBudget: refused while it would break the budget, done once it allows', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'guarded', '--image=nginx:1.27', '--replicas=2'])).code, 0);
    await h.kubectl(['rollout', 'status', 'deployment/guarded', '--timeout=10s']);
    assert.equal((await h.kubectl(['create', 'pdb', 'guarded', '--selector=app=guarded', '--min-available=2'])).code, 0);
    await eventually(async () => (await h.kubectl(['get', 'pdb', 'guarded', '-o', 'jsonpath={.status.currentHealthy}'])).stdout, (out) => out === '2');
    const pod = (await h.kubectl(['get', 'pods', '-l', 'app=guarded', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    const node = (await h.kubectl(['get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}'])).stdout;
    const refused = await h.kubectl(['drain', node, '--pod-selector=app=guarded', '--ignore-daemonsets', '--timeout=2s'], { timeoutMs: 20_000 });
    assert.equal(refused.code, 1);
    assert.ok(refused.stderr.startsWith(`error when evicting pods/"${pod}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`), refused.stderr);
    assert.equal((await h.kubectl(['patch', 'pdb', 'guarded', '-p', '{"spec":{"minAvailable":1}}'])).code, 0);
    await eventually(async () => (await h.kubectl(['get', 'pdb', 'guarded', '-o', 'jsonpath={.status.disruptionsAllowed}'])).stdout, (out) => out === '1');
    const drained = await h.kubectl(['drain', node, '--pod-selector=app=guarded', '--ignore-daemonsets', '--timeout=10s'], { timeoutMs: 20_000 });
    assert.equal(drained.code, 0, drained.stderr);
    assert.ok(drained.stdout.includes(`pod/${pod} evicted\nnode/${node} drained\n`), drained.stdout);
    assert.equal((await h.kubectl(['uncordon', node])).stdout, `node/${node} uncordoned\n`);
  });
});

