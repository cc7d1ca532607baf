import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { ResourceRegistry } from './resource-registry.ts';
import { printTable } from './table-printers.ts';

const registry = new ResourceRegistry();
const hpas = registry.find('autoscaling', 'v2', 'horizontalpodautoscalers');
const pods = registry.find('', 'v1', 'pods');

function cells(type: typeof hpas, object: JsonObject, now: number): unknown[] {
  if (type === undefined) throw new Error('type not served');
  const table = printTable(type, [object], now, { include: 'None' });
  return asArray(asObject(asArray(table.rows)[0]).cells);
}

describe('table printers', () => {
  it('HPA TARGETS as formatHPAMetrics words them', () => {
    const hpa = (metrics: JsonObject[], currentMetrics?: JsonObject[]): JsonObject => ({
      metadata: { name: 'web', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics },
      status: { currentReplicas: 2, ...(currentMetrics === undefined ? {} : { currentMetrics }) },
    });
    const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } };
    const pods = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } };
    const now = Date.parse('2026-01-01T00:01:00Z');
    assert.deepEqual(cells(hpas, hpa([cpu]), now), ['web', 'Deployment/web', 'cpu: <unknown>/50%', 1, 5, 2, '60s']);
    assert.equal(cells(hpas, hpa([cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12 } } }]), now)[2], 'cpu: 12%/50%');
    assert.equal(cells(hpas, hpa([cpu, memory]), now)[2], 'cpu: <unknown>/50%, memory: <unknown>/500Mi');
    assert.equal(cells(hpas, hpa([cpu, memory, pods]), now)[2], 'cpu: <unknown>/50%, memory: <unknown>/500Mi + 1 more...');
    assert.equal(cells(hpas, hpa([]), now)[2], '<none>');
  });

  it('RESTARTS shows when the last restart happened', () => {
    const pod: JsonObject = {
      metadata: { name: 'crash', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { containers: [{ name: 'app' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'app', restartCount: 3, ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:00:50Z' } } }] },
    };
    const row = cells(pods, pod, Date.parse('2026-01-01T00:01:00Z'));
    assert.deepEqual(row.slice(0, 4), ['crash', '0/1', 'CrashLoopBackOff', '3 (10s ago)']);
  });

  it('pod STATUS while init containers run, as printPod words it', () => {
    const now = Date.parse('2026-01-01T00:01:00Z');
    const podWith = (initStatuses: JsonObject[], extra: JsonObject = {}, initSpecs: JsonObject[] = [{ name: 'istio-init' }]): JsonObject => ({
      metadata: { name: 'web', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { initContainers: initSpecs, containers: [{ name: 'app' }, { name: 'istio-proxy' }] },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'Initialized', status: 'False' }],
        initContainerStatuses: initStatuses,
        containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }, { name: 'istio-proxy', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
        ...extra,
      },
    });
    const shown = (pod: JsonObject): string => cells(pods, pod, now).slice(1, 4).join(' ');
    assert.equal(shown(podWith([{ name: 'istio-init', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }])), '0/2 Init:0/1 0');
    assert.equal(shown(podWith([{ name: 'istio-init', restartCount: 0, state: { running: {} } }])), '0/2 Init:0/1 0');
    assert.equal(shown(podWith([{ name: 'istio-init', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }])), '0/2 Init:CrashLoopBackOff 2');
    assert.equal(shown(podWith([{ name: 'istio-init', restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }])), '0/2 Init:Error 0');
    assert.equal(shown(podWith([{ name: 'istio-init', restartCount: 0, state: { terminated: { exitCode: 3 } } }])), '0/2 Init:ExitCode:3 0');
    assert.equal(shown(podWith([{ name: 'istio-init', restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }])), '0/2 Init:Signal:9 0');
    const done = { name: 'istio-init', ready: true, restartCount: 1, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    // Initialized: the containers decide, and the init container's restarts no longer count.
    assert.equal(shown(podWith([done], { conditions: [{ type: 'Initialized', status: 'True' }] })), '0/2 PodInitializing 0');
    assert.equal(
      shown(podWith([done, { name: 'migrate', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }], {}, [{ name: 'istio-init' }, { name: 'migrate' }])),
      '0/2 Init:1/2 1',
    );
    // A native sidecar counts as a container once started, and READY counts it when ready.
    const native: JsonObject = {
      metadata: { name: 'web', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { initContainers: [{ name: 'istio-init' }, { name: 'istio-proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
        initContainerStatuses: [done, { name: 'istio-proxy', ready: true, started: true, restartCount: 0, state: { running: {} } }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
      },
    };
    assert.equal(shown(native), '2/2 Running 0');
  });
});
