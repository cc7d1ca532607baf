import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterApi } from '../api-server/cluster-api.ts';
import { ResourceRegistry } from '../api-server/resource-registry.ts';
import { printTable } from '../api-server/table-printers.ts';
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import type { ProfileName } from './profiles.ts';
import { startControllers } from './start-controllers.ts';

function cluster(profile: ProfileName): { api: ClusterApi; clock: ManualClock; stop: () => void } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rng = createRng('pod-lifecycle');
  const api = new ClusterApi({ clock, rng });
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
  const errors: unknown[] = [];
  const running = startControllers(api, { profile, rng, onError: (_key, error) => errors.push(error) });
  return {
    api,
    clock,
    stop: () => {
      running.stop();
      assert.deepEqual(errors, []);
    },
  };
}

const pod = (name: string, container: JsonObject, spec: JsonObject = {}): JsonObject => ({
  metadata: { name, labels: { app: name } },
  spec: { containers: [{ name: 'app', ...container }], ...spec },
});

function container(api: ClusterApi, name: string): JsonObject {
  const found = api.get(api.resource('', 'v1', 'pods'), 'default', name);
  return asObject(asArray(asObject(found.status).containerStatuses)[0]);
}

const phaseOf = (api: ClusterApi, name: string): unknown => asObject(api.get(api.resource('', 'v1', 'pods'), 'default', name).status).phase;
const waiting = (status: JsonObject): JsonObject => asObject(asObject(status.state).waiting);

function events(api: ClusterApi, name: string): Array<{ reason: unknown; message: unknown; count: unknown; type: unknown }> {
  return api.list(api.resource('', 'v1', 'events'), 'default').items
    .filter((event) => asObject(event.involvedObject).name === name)
    .map((event) => ({ reason: event.reason, message: event.message, count: event.count, type: event.type }));
}

/** Records each (state, restartCount) the container passes through, with the virtual time. */
function timeline(api: ClusterApi, clock: ManualClock, name: string): Array<{ at: number; state: string; restarts: number }> {
  const seen: Array<{ at: number; state: string; restarts: number }> = [];
  const start = clock.now();
  api.onChange((change) => {
    if (change.storageKey !== '/pods' || change.name !== name || change.type === 'DELETED') return;
    const status = asObject(asArray(asObject(change.object.status).containerStatuses)[0]);
    const state = asObject(status.state);
    const label = state.running !== undefined ? 'Running' : String(asObject(state.waiting).reason ?? asObject(state.terminated).reason ?? 'none');
    if (label === 'none') return;
    const last = seen[seen.length - 1];
    const restarts = Number(status.restartCount ?? 0);
    if (last === undefined || last.state !== label || last.restarts !== restarts) seen.push({ at: clock.now() - start, state: label, restarts });
  });
  return seen;
}

describe('pod lifecycle: failures', () => {
  it('a container that exits crash-loops with growing back-off (instant: no wait before the loop)', () => {
    const { api, clock, stop } = cluster('instant');
    api.create(api.resource('', 'v1', 'pods'), 'default', pod('crash', { image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; exit 3'] }));
    clock.advance(0);
    let status = container(api, 'crash');
    assert.equal(phaseOf(api, 'crash'), 'Running');
    assert.equal(waiting(status).reason, 'CrashLoopBackOff');
    assert.equal(status.restartCount, 1);
    assert.equal(status.ready, false);
    assert.deepEqual(asObject(asObject(status.lastState).terminated).exitCode, 3);
    assert.equal(asObject(asObject(status.lastState).terminated).reason, 'Error');
    const uid = String(asObject(api.get(api.resource('', 'v1', 'pods'), 'default', 'crash').metadata).uid);
    assert.equal(waiting(status).message, `back-off 10s restarting failed container=app pod=crash_default(${uid})`);
    clock.advance(9_999);
    assert.equal(container(api, 'crash').restartCount, 1, 'still backing off');
    clock.advance(1);
    status = container(api, 'crash');
    assert.equal(status.restartCount, 2);
    assert.equal(waiting(status).message, `back-off 20s restarting failed container=app pod=crash_default(${uid})`);
    clock.advance(20_000);
    assert.equal(container(api, 'crash').restartCount, 3);
    const backOff = events(api, 'crash').find((e) => e.reason === 'BackOff');
    assert.deepEqual(backOff, { reason: 'BackOff', message: `Back-off restarting failed container app in pod crash_default(${uid})`, count: 3, type: 'Warning' });
    const ready = asArray(asObject(api.get(api.resource('', 'v1', 'pods'), 'default', 'crash').status).conditions).map(asObject).find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    stop();
  });

  it('realistic: Running → Error → CrashLoopBackOff, restarts spaced 10s, 20s, 40s… capped at 5m', () => {
    const { api, clock, stop } = cluster('realistic');
    const seen = timeline(api, clock, 'crash');
    api.create(api.resource('', 'v1', 'pods'), 'default', pod('crash', { image: 'busybox', command: ['false'] }));
    clock.advance(60 * 60 * 1000);
    const states = seen.map((s) => `${s.state}/${s.restarts}`);
    assert.deepEqual(states.slice(0, 8), ['ContainerCreating/0', 'Running/0', 'Error/0', 'Running/1', 'Error/1', 'CrashLoopBackOff/1', 'Running/2', 'Error/2']);
    const restartsAt = seen.filter((s) => s.state === 'Running').map((s) => s.at);
    const gaps = restartsAt.slice(2).map((at, i) => at - (seen.find((s) => s.state === 'CrashLoopBackOff' && s.restarts === i + 1)?.at ?? 0));
    assert.deepEqual(gaps.slice(0, 7), [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    const uid = String(asObject(api.get(api.resource('', 'v1', 'pods'), 'default', 'crash').metadata).uid);
    assert.equal(waiting(container(api, 'crash')).message, `back-off 5m0s restarting failed container=app pod=crash_default(${uid})`);
    stop();
  });

  it('restartPolicy Never ends Failed; OnFailure with exit 0 ends Succeeded', () => {
    const { api, clock, stop } = cluster('instant');
    api.create(api.resource('', 'v1', 'pods'), 'default', pod('never', { image: 'busybox', command: ['sh', '-c', 'exit 1'] }, { restartPolicy: 'Never' }));
    api.create(api.resource('', 'v1', 'pods'), 'default', pod('once', { image: 'busybox', command: ['echo', 'hello'] }, { restartPolicy: 'OnFailure' }));
    clock.advance(0);
    assert.equal(phaseOf(api, 'never'), 'Failed');
    assert.equal(asObject(asObject(container(api, 'never').state).terminated).reason, 'Error');
    assert.equal(container(api, 'never').restartCount, 0);
    assert.equal(phaseOf(api, 'once'), 'Succeeded');
    assert.equal(asObject(asObject(container(api, 'once').state).terminated).reason, 'Completed');
    stop();
  });

  it('an image that does not exist: ErrImagePull, ImagePullBackOff, retries on the back-off, runs once fixed', () => {
    const { api, clock, stop } = cluster('instant');
    const pods = api.resource('', 'v1', 'pods');
    api.create(pods, 'default', pod('missing', { image: 'nginx:doesnotexist' }));
    clock.advance(0);
    const status = container(api, 'missing');
    assert.equal(phaseOf(api, 'missing'), 'Pending');
    assert.equal(waiting(status).reason, 'ImagePullBackOff');
    const why = 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference "docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found';
    assert.equal(waiting(status).message, `Back-off pulling image "nginx:doesnotexist": ErrImagePull: ${why}`);
    // Same-millisecond events have no order between them: compare them sorted.
    assert.deepEqual(events(api, 'missing').filter((e) => e.reason !== 'Scheduled').map((e) => [e.type, e.reason, e.message, e.count]).sort(), [
      ['Normal', 'Pulling', 'Pulling image "nginx:doesnotexist"', 1],
      ['Warning', 'Failed', `Failed to pull image "nginx:doesnotexist": ${why}`, 1],
      ['Warning', 'Failed', 'Error: ErrImagePull', 1],
      ['Normal', 'BackOff', 'Back-off pulling image "nginx:doesnotexist"', 1],
      ['Warning', 'Failed', 'Error: ImagePullBackOff', 1],
    ].sort());
    clock.advance(10_000);
    assert.equal(events(api, 'missing').find((e) => e.reason === 'Pulling')?.count, 2);
    clock.advance(19_999);
    assert.equal(events(api, 'missing').find((e) => e.reason === 'Pulling')?.count, 2, 'second back-off is 20s');
    clock.advance(1);
    assert.equal(events(api, 'missing').find((e) => e.reason === 'Pulling')?.count, 3);
    api.patch(pods, 'default', 'missing', 'strategic', JSON.stringify({ spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }));
    clock.advance(40_000);
    assert.equal(phaseOf(api, 'missing'), 'Running');
    assert.equal(container(api, 'missing').ready, true);
    stop();
  });

  it('an invalid image name never pulls: InvalidImageName', () => {
    const { api, clock, stop } = cluster('instant');
    api.create(api.resource('', 'v1', 'pods'), 'default', pod('upper', { image: 'NGINX' }));
    clock.advance(60_000);
    const message = 'Failed to apply default image tag "NGINX": couldn\'t parse image name "NGINX": invalid reference format: repository name (library/NGINX) must be lowercase';
    assert.deepEqual(waiting(container(api, 'upper')), { reason: 'InvalidImageName', message });
    assert.deepEqual(events(api, 'upper').filter((e) => e.type === 'Warning').map((e) => [e.reason, e.message, e.count]).sort(), [['Failed', 'Error: InvalidImageName', 1], ['InspectFailed', message, 1]]);
    stop();
  });
});

describe('pod lifecycle: changes to a running pod', () => {
  it('a new image restarts the container with it; a missing one leaves the pod Running in ImagePullBackOff', () => {
    const { api, clock, stop } = cluster('instant');
    const pods = api.resource('', 'v1', 'pods');
    api.create(pods, 'default', pod('web', { image: 'nginx:1.26' }));
    clock.advance(0);
    api.patch(pods, 'default', 'web', 'strategic', JSON.stringify({ spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }));
    clock.advance(0);
    let status = container(api, 'web');
    assert.deepEqual([status.image, status.restartCount, asObject(status.state).running !== undefined], ['nginx:1.27', 1, true]);
    assert.ok(events(api, 'web').some((e) => e.reason === 'Killing' && e.message === 'Container app definition changed, will be restarted'));
    api.patch(pods, 'default', 'web', 'strategic', JSON.stringify({ spec: { containers: [{ name: 'app', image: 'nginx:nope' }] } }));
    clock.advance(0);
    status = container(api, 'web');
    assert.equal(waiting(status).reason, 'ImagePullBackOff');
    assert.equal(phaseOf(api, 'web'), 'Running');
    stop();
  });
});

describe('pod lifecycle: readiness', () => {
  it('realistic: READY 0/1 Running until initialDelaySeconds, and endpoints follow', () => {
    const { api, clock, stop } = cluster('realistic');
    api.create(api.resource('', 'v1', 'services'), 'default', { metadata: { name: 'slow' }, spec: { selector: { app: 'slow' }, ports: [{ port: 80 }] } });
    api.create(api.resource('', 'v1', 'pods'), 'default', pod('slow', { image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 20, periodSeconds: 5 } }));
    const seen = timeline(api, clock, 'slow');
    let readyAt: number | undefined;
    const start = clock.now();
    api.onChange((change) => {
      if (change.storageKey === '/pods' && change.name === 'slow' && readyAt === undefined && container(api, 'slow').ready === true) readyAt = clock.now() - start;
    });
    clock.advance(10_000);
    assert.equal(phaseOf(api, 'slow'), 'Running');
    assert.equal(container(api, 'slow').ready, false);
    const endpoints = (): JsonObject => asObject(asArray(api.get(api.resource('', 'v1', 'endpoints'), 'default', 'slow').subsets)[0]);
    assert.equal(endpoints().addresses, undefined);
    assert.equal(asArray(endpoints().notReadyAddresses).length, 1);
    clock.advance(30_000);
    assert.equal(container(api, 'slow').ready, true);
    assert.equal(asArray(endpoints().addresses).length, 1);
    const runningAt = seen.find((s) => s.state === 'Running')?.at ?? 0;
    assert.ok(readyAt !== undefined && readyAt - runningAt >= 20_000 && readyAt - runningAt < 25_000, `ready ${String(readyAt)}ms, running ${runningAt}ms`);
    stop();
  });
});

describe('pod lifecycle: init containers', () => {
  const podsType = new ResourceRegistry().find('', 'v1', 'pods');
  /** READY and STATUS as `kubectl get pods` prints them (the API server's table). */
  const row = (api: ClusterApi, clock: ManualClock, name: string): string => {
    if (podsType === undefined) throw new Error('pods not served');
    const table = printTable(podsType, [api.get(api.resource('', 'v1', 'pods'), 'default', name)], clock.now(), { include: 'None' });
    const cells = asArray(asObject(asArray(table.rows)[0]).cells);
    return `${String(cells[1])} ${String(cells[2])} ${String(cells[3])}`;
  };
  /** Each distinct READY/STATUS/RESTARTS the pod shows, in order. */
  const rows = (api: ClusterApi, clock: ManualClock, name: string): string[] => {
    const seen: string[] = [];
    api.onChange((change) => {
      if (change.storageKey !== '/pods' || change.name !== name || change.type === 'DELETED') return;
      const shown = row(api, clock, name);
      if (seen.at(-1) !== shown) seen.push(shown);
    });
    return seen;
  };
  const injectedLike = (name: string, init: JsonObject = {}, spec: JsonObject = {}): JsonObject => ({
    metadata: { name, labels: { app: name } },
    spec: {
      initContainers: [{ name: 'istio-init', image: 'docker.io/istio/proxyv2:1.30.3', args: ['istio-iptables', '-p', '15001'], ...init }],
      containers: [{ name: 'app', image: 'nginx' }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3', args: ['proxy', 'sidecar'] }],
      ...spec,
    },
  });
  const statusOf = (api: ClusterApi, name: string): JsonObject => asObject(api.get(api.resource('', 'v1', 'pods'), 'default', name).status);

  it('realistic: Init:0/1 → PodInitializing → Running, with the statuses the kubelet reports', () => {
    const { api, clock, stop } = cluster('realistic');
    const shown = rows(api, clock, 'web');
    const seenStatuses: JsonObject[] = [];
    api.onChange((change) => {
      if (change.storageKey === '/pods' && change.name === 'web' && change.type !== 'DELETED') seenStatuses.push(asObject(change.object.status));
    });
    api.create(api.resource('', 'v1', 'pods'), 'default', injectedLike('web'));
    clock.advance(30_000);
    assert.deepEqual(shown, ['0/2 Pending 0', '0/2 Init:0/1 0', '0/2 PodInitializing 0', '2/2 Running 0']);

    // While the init container waits: PodInitializing everywhere, Initialized False.
    const first = seenStatuses.find((s) => s.initContainerStatuses !== undefined);
    assert.ok(first);
    assert.equal(waiting(asObject(asArray(first.initContainerStatuses)[0])).reason, 'PodInitializing');
    assert.deepEqual(asArray(first.containerStatuses).map((s) => waiting(asObject(s)).reason), ['PodInitializing', 'PodInitializing']);
    const initialized = asArray(first.conditions).map(asObject).find((c) => c.type === 'Initialized');
    assert.deepEqual([initialized?.status, initialized?.reason, initialized?.message], ['False', 'ContainersNotInitialized', 'containers with incomplete status: [istio-init]']);
    // Then it runs, then it is done: terminated Completed, exit code 0, ready.
    assert.ok(seenStatuses.some((s) => asObject(asObject(asArray(s.initContainerStatuses)[0]).state).running !== undefined));
    const done = statusOf(api, 'web');
    const init = asObject(asArray(done.initContainerStatuses)[0]);
    const terminated = asObject(asObject(init.state).terminated);
    assert.deepEqual([terminated.reason, terminated.exitCode, init.ready, init.started, init.restartCount], ['Completed', 0, true, false, 0]);
    assert.equal(asArray(done.conditions).map(asObject).find((c) => c.type === 'Initialized')?.status, 'True');
    assert.equal(done.phase, 'Running');
    stop();
  });

  it('instant: the same end state at once', () => {
    const { api, clock, stop } = cluster('instant');
    api.create(api.resource('', 'v1', 'pods'), 'default', injectedLike('web'));
    clock.advance(0);
    assert.equal(row(api, clock, 'web'), '2/2 Running 0');
    const init = asObject(asArray(statusOf(api, 'web').initContainerStatuses)[0]);
    assert.deepEqual([asObject(asObject(init.state).terminated).reason, init.ready], ['Completed', true]);
    stop();
  });

  it('a failing init container: Init:Error, then Init:CrashLoopBackOff with restarts; with restartPolicy Never the pod fails', () => {
    const { api, clock, stop } = cluster('instant');
    api.create(api.resource('', 'v1', 'pods'), 'default', injectedLike('broken', { image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'], args: [] }));
    clock.advance(0);
    assert.equal(row(api, clock, 'broken'), '0/2 Init:CrashLoopBackOff 1 (0s ago)');
    assert.equal(statusOf(api, 'broken').phase, 'Pending');
    clock.advance(10_000);
    assert.equal(row(api, clock, 'broken'), '0/2 Init:CrashLoopBackOff 2 (0s ago)');

    api.create(api.resource('', 'v1', 'pods'), 'default', injectedLike('once', { image: 'busybox:1.36', command: ['sh', '-c', 'exit 2'], args: [] }, { restartPolicy: 'Never' }));
    clock.advance(0);
    assert.equal(row(api, clock, 'once'), '0/2 Init:Error 0');
    assert.equal(statusOf(api, 'once').phase, 'Failed');
    stop();
  });

  it('a second init container starts after the first: Init:1/2 on the way', () => {
    const { api, clock, stop } = cluster('realistic');
    const shown = rows(api, clock, 'two');
    const spec = injectedLike('two');
    asArray(asObject(spec.spec).initContainers).push({ name: 'migrate', image: 'busybox:1.36', command: ['sh', '-c', 'echo done'] });
    api.create(api.resource('', 'v1', 'pods'), 'default', spec);
    clock.advance(30_000);
    assert.deepEqual(shown, ['0/2 Pending 0', '0/2 Init:0/2 0', '0/2 Init:1/2 0', '0/2 PodInitializing 0', '2/2 Running 0']);
    stop();
  });
});
