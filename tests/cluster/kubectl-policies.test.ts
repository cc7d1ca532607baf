// Quotas, autoscalers, disruption budgets and CronJobs through the real kubectl, on a virtual
// clock the test moves (CronJobs wait for minute boundaries).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../server/sandbox/core/manual-clock.ts';
import { startKubectlHarness, tableRows, type KubectlHarness, type KubectlResult } from './kubectl-harness.ts';

describe('quotas, autoscalers, budgets and cron jobs through kubectl', () => {
  let h: KubectlHarness;
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 30));
  /** Runs kubectl, letting the controllers act on what it wrote. */
  const kubectl = async (args: string[]): Promise<KubectlResult> => {
    const result = await h.kubectl(args);
    clock.advance(0);
    return result;
  };
  before(async () => {
    h = await startKubectlHarness({ clock });
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('a ResourceQuota counts usage and refuses creates past its hard limits', async () => {
    assert.equal((await kubectl(['create', 'namespace', 'quota'])).code, 0);
    assert.equal((await kubectl(['create', 'quota', 'small', '-n', 'quota', '--hard=pods=1,configmaps=2'])).stdout, 'resourcequota/small created\n');
    assert.equal((await kubectl(['create', 'configmap', 'one', '-n', 'quota'])).code, 0);
    const refused = await kubectl(['create', 'configmap', 'two', '-n', 'quota']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'error: failed to create configmap: configmaps "two" is forbidden: exceeded quota: small, requested: configmaps=1, used: configmaps=2, limited: configmaps=2\n');
    assert.equal((await kubectl(['run', 'first', '-n', 'quota', '--image=nginx:1.27'])).code, 0);
    const second = await kubectl(['run', 'second', '-n', 'quota', '--image=nginx:1.27']);
    assert.equal(second.stderr, 'Error from server (Forbidden): pods "second" is forbidden: exceeded quota: small, requested: pods=1, used: pods=1, limited: pods=1\n');
    assert.deepEqual(tableRows((await kubectl(['get', 'quota', 'small', '-n', 'quota'])).stdout)[1]?.filter((_cell, index) => index !== 1), ['small', 'configmaps: 2/2, pods: 1/1']);
    assert.equal((await kubectl(['describe', 'quota', 'small', '-n', 'quota'])).stdout, 'Name:       small\nNamespace:  quota\nResource    Used  Hard\n--------    ----  ----\nconfigmaps  2     2\npods        1     1\n');
  });

  it('kubectl autoscale: TARGETS unknown without metrics-server, and the events say why', async () => {
    assert.equal((await kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2'])).code, 0);
    assert.equal((await kubectl(['autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=5'])).stdout, 'horizontalpodautoscaler.autoscaling/web autoscaled\n');
    const row = tableRows((await kubectl(['get', 'hpa', 'web'])).stdout)[1];
    assert.deepEqual(row?.slice(0, 6), ['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', '5', '2']);
    const reasons = (await kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}'])).stdout.split('\n').filter((r) => r !== '').sort();
    assert.deepEqual(reasons, ['FailedComputeMetricsReplicas', 'FailedGetResourceMetric']);
    const v1 = JSON.parse((await kubectl(['get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web'])).stdout) as { apiVersion: string; spec: Record<string, unknown> };
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
  });

  it('a PodDisruptionBudget reports allowed disruptions', async () => {
    assert.equal((await kubectl(['create', 'pdb', 'web', '--selector=app=web', '--min-available=1'])).stdout, 'poddisruptionbudget.policy/web created\n');
    assert.deepEqual(tableRows((await kubectl(['get', 'pdb', 'web'])).stdout)[1]?.slice(0, 4), ['web', '1', 'N/A', '1']);
    assert.equal((await kubectl(['get', 'pdb', 'web', '-o', 'jsonpath={.status.currentHealthy}/{.status.desiredHealthy}/{.status.expectedPods}'])).stdout, '2/1/2');
  });

  it('a CronJob creates a Job each minute its schedule names', async () => {
    assert.equal((await kubectl(['create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/2 * * * *', '--', 'date'])).stdout, 'cronjob.batch/tick created\n');
    assert.equal((await kubectl(['get', 'jobs', '-o', 'name'])).stdout, '');
    clock.advance(2 * 60_000);
    const minute = Math.floor(Date.UTC(2026, 0, 1, 0, 2) / 60_000);
    assert.equal((await kubectl(['get', 'jobs', '-o', 'name'])).stdout, `job.batch/tick-${minute}\n`);
    assert.equal((await kubectl(['get', 'job', `tick-${minute}`, '-o', 'jsonpath={.status.succeeded}'])).stdout, '1');
    const row = tableRows((await kubectl(['get', 'cronjob', 'tick'])).stdout)[1];
    // LAST SCHEDULE: 00:02:00, seen at 00:02:30.
    assert.deepEqual(row?.slice(0, 6), ['tick', '*/2 * * * *', '<none>', 'False', '0', '30s']);
    const invalid = await kubectl(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=* * *']);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /spec.schedule: Invalid value: "\* \* \*": expected exactly 5 fields, found 3: \[\* \* \*\]/);
  });
});
