import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, meta, nameOf, namespaceOf, tolerant, uidOf, type ControllerContext } from './controller-context.ts';
import { recordEvent } from './event-recorder.ts';
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
  const conditions = (pod: JsonObject, ready: boolean, reason?: string): JsonObject[] => {
    const now = api.now();
    const previous = asArray(asObject(pod.status).conditions).map(asObject);
    const make = (type: string, status: boolean, why?: string): JsonObject => {
      const old = previous.find((c) => c.type === type);
      const value = status ? 'True' : 'False';
      const condition: JsonObject = { type, status: value, lastProbeTime: null, lastTransitionTime: old !== undefined && old.status === value ? old.lastTransitionTime : now };
      if (!status && why !== undefined) {
        condition.reason = why;
        if (why === 'ContainersNotReady') condition.message = `containers with unready status: [${containersOf(pod).map((c) => String(c.name)).join(' ')}]`;
      }
      return condition;
    };
    return [
      make('PodReadyToStartContainers', phase(pod) !== 'Pending' || reason !== 'ContainerCreating'),
      make('Initialized', true),
      make('Ready', ready, reason === 'PodCompleted' ? 'PodCompleted' : 'ContainersNotReady'),
      make('ContainersReady', ready, reason === 'PodCompleted' ? 'PodCompleted' : 'ContainersNotReady'),
      make('PodScheduled', true),
    ];
  };
  const containerStatus = (container: JsonObject, state: JsonObject, ready: boolean, started: boolean): JsonObject => ({
    containerID: started ? `containerd://${rng.hex(64)}` : undefined,
    image: String(container.image ?? '').includes(':') || String(container.image ?? '').includes('@') ? String(container.image) : `docker.io/library/${String(container.image)}:latest`,
    imageID: started ? `${repositoryOf(String(container.image ?? ''))}@sha256:${rng.hex(64)}` : '',
    lastState: {},
    name: container.name,
    ready,
    restartCount: 0,
    started,
    state,
    volumeMounts: asArray(container.volumeMounts).map(asObject).map((m) => ({ mountPath: m.mountPath, name: m.name, ...(m.readOnly === true ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}) })),
  });

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
        writeStatus(pod, {
          phase: 'Pending',
          conditions: conditions(pod, false, 'ContainerCreating'),
          hostIP,
          hostIPs: [{ ip: hostIP }],
          startTime: api.now(),
          containerStatuses: containersOf(pod).map((c) => containerStatus(c, { waiting: { reason: 'ContainerCreating' } }, false, false)),
        });
      },
    },
    {
      name: 'running',
      matches: (pod) => nodeName(pod) !== undefined && !terminating(pod) && phase(pod) === 'Pending' && asObject(pod.status).containerStatuses !== undefined,
      delayMs: () => profile.startMs(rng),
      run: (pod) => {
        const now = api.now();
        const host = nodeName(pod) ?? '';
        for (const c of containersOf(pod)) {
          const image = String(c.image ?? '');
          const pulled = c.imagePullPolicy === 'Always'
            ? [['Pulling', `Pulling image "${image}"`], ['Pulled', `Successfully pulled image "${image}" in 1.204s (1.204s including waiting). Image size: 52428800 bytes.`]]
            : [['Pulled', `Container image "${image}" already present on machine`]];
          for (const [reason, message] of [...pulled, ['Created', `Created container: ${String(c.name)}`], ['Started', `Started container ${String(c.name)}`]]) {
            recordEvent(context, { type: types.pods, object: pod, fieldPath: `spec.containers{${String(c.name)}}` }, 'Normal', reason ?? '', message ?? '', { component: 'kubelet', host });
          }
        }
        const podIP = nextIP(host);
        const probed = containersOf(pod).some((c) => c.readinessProbe !== undefined) && profile.readyMs(rng) > 0;
        writeStatus(pod, {
          phase: 'Running',
          podIP,
          podIPs: [{ ip: podIP }],
          conditions: conditions({ ...pod, status: { ...asObject(pod.status), phase: 'Running' } }, !probed),
          containerStatuses: containersOf(pod).map((c) => containerStatus(c, { running: { startedAt: now } }, !probed, true)),
        });
      },
    },
    {
      name: 'ready',
      matches: (pod) => phase(pod) === 'Running' && !terminating(pod) && asArray(asObject(pod.status).containerStatuses).some((s) => asObject(s).ready !== true) && !runsToCompletion(pod),
      delayMs: () => profile.readyMs(rng),
      run: (pod) => {
        writeStatus(pod, {
          conditions: conditions(pod, true),
          containerStatuses: asArray(asObject(pod.status).containerStatuses).map((s) => ({ ...asObject(s), ready: true })),
        });
      },
    },
    {
      name: 'complete',
      matches: (pod) => phase(pod) === 'Running' && !terminating(pod) && runsToCompletion(pod),
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
