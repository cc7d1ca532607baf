import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, meta, nameOf, namespaceOf, tolerant, uidOf, type ControllerContext } from './controller-context.ts';
import { containerExitCode } from './container-exit.ts';
import { recordEvent } from './event-recorder.ts';
import { imagePullOutcome } from './image-pull.ts';
import { backOffMs } from './profiles.ts';
import type { NodeSpec } from './node-bootstrap.ts';

/**
 * Pod lifecycle as declarative stages on the clock (in the spirit of kwok): each stage names
 * which pods it applies to, how long it takes, and what it changes.
 */
interface Stage {
  name: string;
  matches(pod: JsonObject): boolean;
  delayMs(pod: JsonObject): number;
  run(pod: JsonObject): void;
}

const phase = (pod: JsonObject): string => String(asObject(pod.status).phase ?? 'Pending');
const nodeName = (pod: JsonObject): string | undefined => asObject(pod.spec).nodeName as string | undefined;
const terminating = (pod: JsonObject): boolean => meta(pod).deletionTimestamp !== undefined;
const containersOf = (pod: JsonObject): JsonObject[] => asArray(asObject(pod.spec).containers).map(asObject);
const initContainersOf = (pod: JsonObject): JsonObject[] => asArray(asObject(pod.spec).initContainers).map(asObject);
/** A native sidecar: an init container with `restartPolicy: Always` that keeps running. */
const restartableInit = (container: JsonObject): boolean => container.restartPolicy === 'Always';
const runsToCompletion = (pod: JsonObject): boolean => asObject(pod.spec).restartPolicy === 'Never' || asObject(pod.spec).restartPolicy === 'OnFailure';

/** `registry:5000/app:1.2` → `registry:5000/app` (a tag follows the last colon after the last slash). */
function repositoryOf(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

function tolerates(pod: JsonObject, taints: unknown[]): boolean {
  const tolerations = asArray(asObject(pod.spec).tolerations).map(asObject);
  return taints.map(asObject).every((taint) =>
    taint.effect === 'PreferNoSchedule' ||
    tolerations.some((t) => (t.operator === 'Exists' && (t.key === undefined || t.key === taint.key)) || (t.key === taint.key && (t.value ?? '') === (taint.value ?? ''))),
  );
}

export function podLifecycle(context: ControllerContext, nodes: readonly NodeSpec[]): (change: StoreChange, type: ResourceType) => void {
  const { api, types, profile, rng } = context;
  const kubelet = asController('kubelet');
  const usedIPs = new Set<string>();
  const nextIP = (node: string): string => {
    const spec = nodes.find((candidate) => candidate.name === node);
    const base = (spec?.podCIDR ?? '10.244.1.0/24').split('.').slice(0, 3).join('.');
    for (let i = 0; i < 1000; i++) {
      const ip = `${base}.${2 + rng.int(250)}`;
      if (!usedIPs.has(ip)) {
        usedIPs.add(ip);
        return ip;
      }
    }
    return `${base}.254`;
  };
  const writeStatus = (pod: JsonObject, status: JsonObject): void => {
    tolerant(() => api.update(types.pods, namespaceOf(pod), nameOf(pod), { ...pod, status: { ...asObject(pod.status), ...status } }, kubelet, 'status'));
  };
  const conditions = (pod: JsonObject, ready: boolean, reason?: string, unready: string[] = containersOf(pod).map((c) => String(c.name))): JsonObject[] => {
    const now = api.now();
    const previous = asArray(asObject(pod.status).conditions).map(asObject);
    const make = (type: string, status: boolean, why?: string): JsonObject => {
      const old = previous.find((c) => c.type === type);
      const value = status ? 'True' : 'False';
      const condition: JsonObject = { type, status: value, lastProbeTime: null, lastTransitionTime: old !== undefined && old.status === value ? old.lastTransitionTime : now };
      if (!status && why !== undefined) {
        condition.reason = why;
        if (why === 'ContainersNotReady') condition.message = `containers with unready status: [${unready.join(' ')}]`;
        if (why === 'ContainersNotInitialized') condition.message = `containers with incomplete status: [${incompleteInits(pod).join(' ')}]`;
      }
      return condition;
    };
    return [
      make('PodReadyToStartContainers', phase(pod) !== 'Pending' || reason !== 'ContainerCreating'),
      make('Initialized', incompleteInits(pod).length === 0, 'ContainersNotInitialized'),
      make('Ready', ready, reason === 'PodCompleted' || reason === 'PodFailed' ? reason : 'ContainersNotReady'),
      make('ContainersReady', ready, reason === 'PodCompleted' || reason === 'PodFailed' ? reason : 'ContainersNotReady'),
      make('PodScheduled', true),
    ];
  };
  const statusImage = (container: JsonObject): string => (String(container.image ?? '').includes(':') || String(container.image ?? '').includes('@') ? String(container.image) : `docker.io/library/${String(container.image)}:latest`);
  const containerStatus = (container: JsonObject, state: JsonObject, ready: boolean, started: boolean): JsonObject => ({
    containerID: started ? `containerd://${rng.hex(64)}` : undefined,
    image: statusImage(container),
    imageID: started ? `${repositoryOf(String(container.image ?? ''))}@sha256:${rng.hex(64)}` : '',
    lastState: {},
    name: container.name,
    ready,
    restartCount: 0,
    started,
    state,
    volumeMounts: asArray(container.volumeMounts).map(asObject).map((m) => ({ mountPath: m.mountPath, name: m.name, ...(m.readOnly === true ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}) })),
  });

  const policyOf = (pod: JsonObject): string => String(asObject(pod.spec).restartPolicy ?? 'Always');
  const restartsAfter = (pod: JsonObject, exitCode: number): boolean => policyOf(pod) === 'Always' || (policyOf(pod) === 'OnFailure' && exitCode !== 0);
  const statusesOf = (pod: JsonObject): JsonObject[] => asArray(asObject(pod.status).containerStatuses).map(asObject);
  const initStatusesOf = (pod: JsonObject): JsonObject[] => asArray(asObject(pod.status).initContainerStatuses).map(asObject);
  const isInit = (pod: JsonObject, name: unknown): boolean => initContainersOf(pod).some((c) => c.name === name);
  const specOf = (pod: JsonObject, name: unknown): JsonObject => containersOf(pod).find((c) => c.name === name) ?? initContainersOf(pod).find((c) => c.name === name) ?? {};
  /** An init container is done once it exited 0 (a native sidecar: once it started). */
  const initDone = (pod: JsonObject, s: JsonObject): boolean =>
    restartableInit(specOf(pod, s.name)) ? s.started === true : Number(asObject(stateOf(s).terminated).exitCode ?? -1) === 0 && stateOf(s).terminated !== undefined;
  /** Init containers not yet done, in order (all of them before the kubelet reports any). */
  function incompleteInits(pod: JsonObject): string[] {
    const statuses = initStatusesOf(pod);
    return initContainersOf(pod).filter((c) => {
      const s = statuses.find((candidate) => candidate.name === c.name);
      return s === undefined || !initDone(pod, s);
    }).map((c) => String(c.name));
  }
  /** The init container the kubelet works on now: the first one not done. */
  const currentInit = (pod: JsonObject): JsonObject | undefined => initStatusesOf(pod).find((s) => !initDone(pod, s));
  /** A failed init container runs again unless the pod's restartPolicy is Never; one that succeeded never does. */
  const restartsAfterFor = (pod: JsonObject, s: JsonObject, exitCode: number): boolean =>
    isInit(pod, s.name) ? restartableInit(specOf(pod, s.name)) || (exitCode !== 0 && policyOf(pod) !== 'Never') : restartsAfter(pod, exitCode);
  const stateOf = (status: JsonObject): JsonObject => asObject(status.state);
  const waitingReason = (status: JsonObject): unknown => asObject(stateOf(status).waiting).reason;
  const exitsWith = (pod: JsonObject, status: JsonObject): number | undefined => containerExitCode(specOf(pod, status.name));
  const podRef = (pod: JsonObject): string => `${nameOf(pod)}_${namespaceOf(pod)}(${uidOf(pod)})`;
  const hostOf = (pod: JsonObject): string => nodeName(pod) ?? '';
  const containerEvent = (pod: JsonObject, name: unknown, type: 'Normal' | 'Warning', reason: string, message: string): void => {
    recordEvent(context, { type: types.pods, object: pod, fieldPath: `spec.containers{${String(name)}}` }, type, reason, message, { component: 'kubelet', host: hostOf(pod) });
  };
  /** Failed pulls per pod and container: the image back-off grows with them. */
  const pullFailures = new Map<string, number>();
  const readyAtStart = (container: JsonObject): boolean => container.readinessProbe === undefined || profile.name === 'instant';

  const state = (lastState: unknown, terminated: JsonObject): JsonObject => (Object.keys(terminated).length > 0 ? { terminated } : asObject(lastState));
  /** Pulls (or fails to) and starts one container; returns its new status. */
  const startContainer = (pod: JsonObject, container: JsonObject, previous: JsonObject | undefined, restart: boolean): JsonObject => {
    const image = String(container.image ?? '');
    const key = `${uidOf(pod)}/${String(container.name)}`;
    const outcome = imagePullOutcome(image);
    const base = previous ?? containerStatus(container, {}, false, false);
    if (outcome.kind === 'invalid') {
      containerEvent(pod, container.name, 'Warning', 'InspectFailed', outcome.message);
      containerEvent(pod, container.name, 'Warning', 'Failed', 'Error: InvalidImageName');
      return { ...base, image: statusImage(container), ready: false, started: false, lastState: state(base.lastState, asObject(stateOf(base).terminated)), state: { waiting: { reason: 'InvalidImageName', message: outcome.message } } };
    }
    if (outcome.kind === 'failed') {
      pullFailures.set(key, (pullFailures.get(key) ?? 0) + 1);
      containerEvent(pod, container.name, 'Normal', 'Pulling', `Pulling image "${image}"`);
      containerEvent(pod, container.name, 'Warning', 'Failed', `Failed to pull image "${image}": ${outcome.message}`);
      containerEvent(pod, container.name, 'Warning', 'Failed', 'Error: ErrImagePull');
      return { ...base, image: statusImage(container), ready: false, started: false, lastState: state(base.lastState, asObject(stateOf(base).terminated)), state: { waiting: { reason: 'ErrImagePull', message: outcome.message } } };
    }
    pullFailures.delete(key);
    const pulled = container.imagePullPolicy === 'Always' || (previous !== undefined && waitingReason(previous) === 'ImagePullBackOff')
      ? [['Pulling', `Pulling image "${image}"`], ['Pulled', `Successfully pulled image "${image}" in 1.204s (1.204s including waiting). Image size: 52428800 bytes.`]]
      : [['Pulled', `Container image "${image}" already present on machine`]];
    for (const [reason, message] of [...pulled, ['Created', `Created container: ${String(container.name)}`], ['Started', `Started container ${String(container.name)}`]]) {
      containerEvent(pod, container.name, 'Normal', reason ?? '', message ?? '');
    }
    // An init container that runs to completion is ready only once it has succeeded.
    const fresh = containerStatus(container, { running: { startedAt: api.now() } }, readyAtStart(container) && !(isInit(pod, container.name) && !restartableInit(container)), true);
    if (!restart) return fresh;
    const terminated = asObject(stateOf(base).terminated);
    return { ...fresh, imageID: base.imageID ?? fresh.imageID, restartCount: Number(base.restartCount ?? 0) + 1, lastState: state(base.lastState, terminated) };
  };

  /** Pod phase and conditions from its container statuses (kubelet getPhase). */
  const withStatuses = (before: JsonObject, statuses: JsonObject[], initStatuses: JsonObject[] = initStatusesOf(before)): JsonObject => {
    const pod = initStatuses.length === 0 ? before : { ...before, status: { ...asObject(before.status), initContainerStatuses: initStatuses } };
    const current = phase(pod);
    const inits = initStatuses.length === 0 ? {} : { initContainerStatuses: initStatuses };
    const failedInit = initStatuses.find((s) => stateOf(s).terminated !== undefined && Number(asObject(stateOf(s).terminated).exitCode ?? 0) !== 0 && !restartsAfterFor(pod, s, Number(asObject(stateOf(s).terminated).exitCode ?? 0)));
    if (failedInit !== undefined) {
      return { ...inits, phase: 'Failed', conditions: conditions({ ...pod, status: { ...asObject(pod.status), phase: 'Failed' } }, false, 'PodFailed'), containerStatuses: statuses };
    }
    if (incompleteInits(pod).length > 0) {
      const unready = statuses.map((s) => String(s.name));
      return { ...inits, phase: 'Pending', conditions: conditions({ ...pod, status: { ...asObject(pod.status), phase: 'Pending' } }, false, undefined, unready), containerStatuses: statuses };
    }
    const terminatedCode = (s: JsonObject): number | undefined => {
      const t = stateOf(s).terminated;
      return t === undefined ? undefined : Number(asObject(t).exitCode ?? 0);
    };
    let nextPhase = current;
    const everStarted = statuses.every((s) => stateOf(s).running !== undefined || stateOf(s).terminated !== undefined || asObject(s.lastState).terminated !== undefined);
    const allDone = statuses.every((s) => terminatedCode(s) !== undefined && !restartsAfter(pod, terminatedCode(s) ?? 0));
    if (allDone && statuses.length > 0) nextPhase = statuses.every((s) => terminatedCode(s) === 0) ? 'Succeeded' : 'Failed';
    else if (everStarted) nextPhase = 'Running';
    else if (current !== 'Running') nextPhase = 'Pending';
    const ready = statuses.length > 0 && statuses.every((s) => s.ready === true);
    const unready = statuses.filter((s) => s.ready !== true).map((s) => String(s.name));
    const reason = nextPhase === 'Succeeded' ? 'PodCompleted' : nextPhase === 'Failed' ? 'PodFailed' : undefined;
    return { ...inits, phase: nextPhase, conditions: conditions({ ...pod, status: { ...asObject(pod.status), phase: nextPhase } }, ready, reason, unready), containerStatuses: statuses };
  };
  /** Applies a change to every container status, init containers included, and writes the result. */
  const writeAll = (pod: JsonObject, change: (s: JsonObject) => JsonObject, extra: JsonObject = {}): void => {
    writeStatus(pod, { ...extra, ...withStatuses(pod, statusesOf(pod).map(change), initStatusesOf(pod).map(change)) });
  };
  const allStatusesOf = (pod: JsonObject): JsonObject[] => [...initStatusesOf(pod), ...statusesOf(pod)];

  /** Exited, to be started again: at once after the first exit, after the back-off later on. */
  const restartable = (pod: JsonObject, s: JsonObject): boolean => {
    if (waitingReason(s) === 'CrashLoopBackOff') return true;
    const terminated = stateOf(s).terminated;
    return terminated !== undefined && Number(s.restartCount ?? 0) === 0 && restartsAfterFor(pod, s, Number(asObject(terminated).exitCode ?? 0));
  };
  /** Exits now: a main container whose command ends, or the init container being run. */
  const exitCodeNow = (pod: JsonObject, s: JsonObject): number | undefined => {
    if (stateOf(s).running === undefined) return undefined;
    if (!isInit(pod, s.name)) return exitsWith(pod, s);
    if (restartableInit(specOf(pod, s.name))) return exitsWith(pod, s);
    // Init containers are meant to end: without a plain exit in their command they succeed.
    return exitsWith(pod, s) ?? 0;
  };
  const imageChanged = (pod: JsonObject, s: JsonObject): boolean => stateOf(s).running !== undefined && s.image !== statusImage(specOf(pod, s.name));
  const becomesReady = (pod: JsonObject, s: JsonObject): boolean => stateOf(s).running !== undefined && s.ready !== true && exitsWith(pod, s) === undefined;
  /** The first successful readiness probe: `initialDelaySeconds` after the start, then on the probe's period. */
  const readinessDelayMs = (pod: JsonObject): number => {
    const base = profile.readyMs(rng);
    if (profile.name === 'instant') return base;
    const probes = statusesOf(pod).filter((s) => becomesReady(pod, s)).map((s) => asObject(specOf(pod, s.name).readinessProbe));
    const waits = probes.map((probe) => {
      const initial = Number(probe.initialDelaySeconds ?? 0) * 1000;
      const period = Math.max(1, Number(probe.periodSeconds ?? 10)) * 1000;
      // The prober's worker starts at a random point of its first period.
      return initial + rng.int(Math.min(period, 1000));
    });
    return Math.max(base, ...waits);
  };

  const stages: Stage[] = [
    {
      name: 'schedule',
      matches: (pod) => nodeName(pod) === undefined && !terminating(pod) && phase(pod) === 'Pending',
      delayMs: () => profile.scheduleMs(rng),
      run: (pod) => {
        const selector = asObject(asObject(pod.spec).nodeSelector);
        const candidates = api.list(types.nodes, undefined).items.filter((node) => {
          const labels = asObject(meta(node).labels);
          return Object.entries(selector).every(([k, v]) => labels[k] === v) && tolerates(pod, asArray(asObject(node.spec).taints)) && asObject(node.spec).unschedulable !== true;
        });
        if (candidates.length === 0) {
          const total = api.list(types.nodes, undefined).items.length;
          const message = `0/${total} nodes are available: ${total} node(s) didn't match Pod's node affinity/selector. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
          writeStatus(pod, { conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: api.now(), reason: 'Unschedulable', message }] });
          recordEvent(context, { type: types.pods, object: pod }, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' });
          return;
        }
        const load = (node: JsonObject): number => api.list(types.pods, undefined, { fieldSelector: `spec.nodeName=${nameOf(node)}` }).items.length;
        const chosen = [...candidates].sort((a, b) => load(a) - load(b) || nameOf(a).localeCompare(nameOf(b)))[0];
        if (chosen === undefined) return;
        const bound = tolerant(() => api.patch(types.pods, namespaceOf(pod), nameOf(pod), 'merge', JSON.stringify({ spec: { nodeName: nameOf(chosen) } }), asController('kube-scheduler')));
        if (bound === undefined) return;
        recordEvent(context, { type: types.pods, object: bound.object }, 'Normal', 'Scheduled', `Successfully assigned ${namespaceOf(pod)}/${nameOf(pod)} to ${nameOf(chosen)}`, { component: 'default-scheduler' });
      },
    },
    {
      name: 'container-creating',
      matches: (pod) => nodeName(pod) !== undefined && !terminating(pod) && phase(pod) === 'Pending' && asObject(pod.status).containerStatuses === undefined,
      delayMs: () => 0,
      run: (pod) => {
        const node = nodes.find((candidate) => candidate.name === nodeName(pod));
        const hostIP = node?.internalIP ?? '172.18.0.3';
        // With init containers every container waits on them (STATUS Init:0/N) until they are done.
        const inits = initContainersOf(pod);
        const waitingFor = inits.length > 0 ? 'PodInitializing' : 'ContainerCreating';
        writeStatus(pod, {
          phase: 'Pending',
          conditions: conditions(pod, false, 'ContainerCreating'),
          hostIP,
          hostIPs: [{ ip: hostIP }],
          startTime: api.now(),
          ...(inits.length > 0 ? { initContainerStatuses: inits.map((c) => containerStatus(c, { waiting: { reason: 'PodInitializing' } }, false, false)) } : {}),
          containerStatuses: containersOf(pod).map((c) => containerStatus(c, { waiting: { reason: waitingFor } }, false, false)),
        });
      },
    },
    {
      // The sandbox is up (the pod gets its IP) and the next init container starts.
      name: 'init-start',
      matches: (pod) => nodeName(pod) !== undefined && !terminating(pod) && phase(pod) === 'Pending' && waitingReason(currentInit(pod) ?? {}) === 'PodInitializing',
      delayMs: (pod) => (initStatusesOf(pod).every((s) => waitingReason(s) === 'PodInitializing') ? profile.startMs(rng) : profile.readyMs(rng)),
      run: (pod) => {
        const podIP = typeof asObject(pod.status).podIP === 'string' ? String(asObject(pod.status).podIP) : nextIP(hostOf(pod));
        const next = currentInit(pod);
        const initStatuses = initStatusesOf(pod).map((s) => (s === next ? startContainer(pod, specOf(pod, s.name), undefined, false) : s));
        writeStatus(pod, { podIP, podIPs: [{ ip: podIP }], ...withStatuses(pod, statusesOf(pod), initStatuses) });
      },
    },
    {
      name: 'running',
      matches: (pod) =>
        nodeName(pod) !== undefined && !terminating(pod) && phase(pod) === 'Pending' &&
        statusesOf(pod).some((s) => waitingReason(s) === 'ContainerCreating' || (waitingReason(s) === 'PodInitializing' && incompleteInits(pod).length === 0)),
      delayMs: () => profile.startMs(rng),
      run: (pod) => {
        const podIP = typeof asObject(pod.status).podIP === 'string' ? String(asObject(pod.status).podIP) : nextIP(hostOf(pod));
        const starts = (s: JsonObject): boolean => waitingReason(s) === 'ContainerCreating' || waitingReason(s) === 'PodInitializing';
        const statuses = statusesOf(pod).map((s) => (starts(s) ? startContainer(pod, specOf(pod, s.name), undefined, false) : s));
        writeStatus(pod, { podIP, podIPs: [{ ip: podIP }], ...withStatuses(pod, statuses) });
      },
    },
    {
      name: 'pull-back-off',
      matches: (pod) => !terminating(pod) && allStatusesOf(pod).some((s) => waitingReason(s) === 'ErrImagePull'),
      delayMs: () => profile.pullFailMs(rng),
      run: (pod) => {
        writeAll(pod, (s) => {
          if (waitingReason(s) !== 'ErrImagePull') return s;
          const image = String(specOf(pod, s.name).image ?? '');
          containerEvent(pod, s.name, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
          containerEvent(pod, s.name, 'Warning', 'Failed', 'Error: ImagePullBackOff');
          return { ...s, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: ${String(asObject(stateOf(s).waiting).message ?? '')}` } } };
        });
      },
    },
    {
      name: 'pull-retry',
      matches: (pod) => !terminating(pod) && allStatusesOf(pod).some((s) => waitingReason(s) === 'ImagePullBackOff'),
      delayMs: (pod) => Math.min(...allStatusesOf(pod).filter((s) => waitingReason(s) === 'ImagePullBackOff').map((s) => backOffMs(pullFailures.get(`${uidOf(pod)}/${String(s.name)}`) ?? 1))),
      run: (pod) => writeAll(pod, (s) => (waitingReason(s) === 'ImagePullBackOff' ? startContainer(pod, specOf(pod, s.name), s, false) : s)),
    },
    {
      name: 'exit',
      matches: (pod) => !terminating(pod) && allStatusesOf(pod).some((s) => exitCodeNow(pod, s) !== undefined),
      delayMs: () => profile.exitMs(rng),
      run: (pod) => {
        const now = api.now();
        writeAll(pod, (s) => {
          const code = exitCodeNow(pod, s);
          const running = asObject(stateOf(s).running);
          if (running.startedAt === undefined || code === undefined) return s;
          // A finished init container reports ready once it succeeded.
          const ready = code === 0 && isInit(pod, s.name);
          return { ...s, ready, started: false, state: { terminated: { containerID: s.containerID, exitCode: code, finishedAt: now, reason: code === 0 ? 'Completed' : 'Error', startedAt: running.startedAt } } };
        });
      },
    },
    {
      name: 'crash-loop',
      matches: (pod) => !terminating(pod) && allStatusesOf(pod).some((s) => stateOf(s).terminated !== undefined && Number(s.restartCount ?? 0) > 0 && restartsAfterFor(pod, s, Number(asObject(stateOf(s).terminated).exitCode ?? 0))),
      // `Error` shows until the kubelet's next sync notices the exit.
      delayMs: () => profile.exitMs(rng),
      run: (pod) => {
        writeAll(pod, (s) => {
          const terminated = asObject(stateOf(s).terminated);
          if (stateOf(s).terminated === undefined || Number(s.restartCount ?? 0) === 0 || !restartsAfterFor(pod, s, Number(terminated.exitCode ?? 0))) return s;
          // Go's Duration.String(): 10s, 1m20s, 5m0s.
          const seconds = backOffMs(Number(s.restartCount ?? 0)) / 1000;
          const backOff = seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60}s` : `${seconds}s`;
          containerEvent(pod, s.name, 'Warning', 'BackOff', `Back-off restarting failed container ${String(s.name)} in pod ${podRef(pod)}`);
          return { ...s, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backOff} restarting failed container=${String(s.name)} pod=${podRef(pod)}` } }, lastState: { terminated } };
        });
      },
    },
    {
      name: 'restart',
      matches: (pod) => !terminating(pod) && allStatusesOf(pod).some((s) => restartable(pod, s)),
      delayMs: (pod) => Math.min(...allStatusesOf(pod).filter((s) => restartable(pod, s)).map((s) => (waitingReason(s) === 'CrashLoopBackOff' ? backOffMs(Number(s.restartCount ?? 0)) : profile.exitMs(rng)))),
      run: (pod) => writeAll(pod, (s) => (restartable(pod, s) ? startContainer(pod, specOf(pod, s.name), s, true) : s)),
    },
    {
      // `kubectl set image pod/…`: the kubelet stops the container and starts the new image.
      name: 'image-changed',
      matches: (pod) => !terminating(pod) && statusesOf(pod).some((s) => imageChanged(pod, s)),
      delayMs: () => profile.terminateMs(rng, 30),
      run: (pod) => {
        const now = api.now();
        const statuses = statusesOf(pod).map((s) => {
          if (!imageChanged(pod, s)) return s;
          containerEvent(pod, s.name, 'Normal', 'Killing', `Container ${String(s.name)} definition changed, will be restarted`);
          const running = asObject(stateOf(s).running);
          const stopped = { ...s, state: { terminated: { containerID: s.containerID, exitCode: 0, finishedAt: now, reason: 'Completed', startedAt: running.startedAt ?? now } } };
          return startContainer(pod, specOf(pod, s.name), stopped, true);
        });
        writeStatus(pod, withStatuses(pod, statuses));
      },
    },
    {
      name: 'ready',
      matches: (pod) => phase(pod) === 'Running' && !terminating(pod) && [...statusesOf(pod), ...initStatusesOf(pod).filter((s) => restartableInit(specOf(pod, s.name)))].some((s) => becomesReady(pod, s)) && !runsToCompletion(pod),
      delayMs: (pod) => readinessDelayMs(pod),
      run: (pod) => writeAll(pod, (s) => (becomesReady(pod, s) && (!isInit(pod, s.name) || restartableInit(specOf(pod, s.name))) ? { ...s, ready: true } : s)),
    },
    {
      name: 'complete',
      matches: (pod) => phase(pod) === 'Running' && !terminating(pod) && runsToCompletion(pod) && statusesOf(pod).every((s) => stateOf(s).running !== undefined && exitsWith(pod, s) === undefined),
      delayMs: () => profile.completeMs(rng),
      run: (pod) => {
        const now = api.now();
        writeStatus(pod, {
          phase: 'Succeeded',
          conditions: conditions({ ...pod, status: { ...asObject(pod.status), phase: 'Succeeded' } }, false, 'PodCompleted'),
          containerStatuses: asArray(asObject(pod.status).containerStatuses).map((s) => {
            const running = asObject(asObject(asObject(s).state).running);
            return { ...asObject(s), ready: false, started: false, state: { terminated: { containerID: asObject(s).containerID, exitCode: 0, finishedAt: now, reason: 'Completed', startedAt: running.startedAt ?? now } } };
          }),
        });
      },
    },
    {
      name: 'terminate',
      matches: (pod) => terminating(pod) && nodeName(pod) !== undefined,
      delayMs: (pod) => profile.terminateMs(rng, Number(meta(pod).deletionGracePeriodSeconds ?? 30)),
      run: (pod) => {
        for (const c of containersOf(pod)) {
          recordEvent(context, { type: types.pods, object: pod, fieldPath: `spec.containers{${String(c.name)}}` }, 'Normal', 'Killing', `Stopping container ${String(c.name)}`, { component: 'kubelet', host: nodeName(pod) ?? '' });
        }
        // The containers exit on SIGTERM before the pod object goes (`0/1 Completed` in -w).
        const now = api.now();
        if (phase(pod) === 'Running') {
          writeStatus(pod, {
            phase: 'Succeeded',
            conditions: conditions(pod, false, 'PodCompleted'),
            containerStatuses: asArray(asObject(pod.status).containerStatuses).map((s) => {
              const running = asObject(asObject(asObject(s).state).running);
              return { ...asObject(s), ready: false, started: false, state: { terminated: { containerID: asObject(s).containerID, exitCode: 0, finishedAt: now, reason: 'Completed', startedAt: running.startedAt ?? now } } };
            }),
          });
        }
        const ip = asObject(pod.status).podIP;
        if (typeof ip === 'string') usedIPs.delete(ip);
        tolerant(() => api.delete(types.pods, namespaceOf(pod), nameOf(pod), { gracePeriodSeconds: 0, preconditions: { uid: uidOf(pod) } }));
      },
    },
  ];

  return (change, type) => {
    if (type.kind !== 'Pod' || type.group !== '' || change.type === 'DELETED') return;
    const pod = change.object as JsonObject;
    const stage = stages.find((candidate) => candidate.matches(pod));
    if (stage === undefined) return;
    const key = `pod/${stage.name}/${uidOf(pod)}`;
    const namespace = namespaceOf(pod);
    const name = nameOf(pod);
    const uid = uidOf(pod);
    context.queue.add(key, () => {
      // Act on the pod as it is when the stage fires, if the stage still applies.
      const current = api.tryGet(types.pods, namespace, name);
      if (current === undefined || uidOf(current) !== uid || !stage.matches(current)) return;
      stage.run(current);
    }, stage.delayMs(pod));
  };
}
