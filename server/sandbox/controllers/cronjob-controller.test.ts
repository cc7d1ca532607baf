import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterApi } from '../api-server/cluster-api.ts';
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { startControllers } from './start-controllers.ts';

function cluster(): { api: ClusterApi; clock: ManualClock; stop: () => void } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 30));
  const rng = createRng('cron');
  const api = new ClusterApi({ clock, rng });
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
  const errors: unknown[] = [];
  const running = startControllers(api, { profile: 'instant', rng, onError: (_key, error) => errors.push(error) });
  return { api, clock, stop: () => { running.stop(); assert.deepEqual(errors, []); } };
}

const cronJob = (name: string, spec: JsonObject, command: string[]): JsonObject => ({
  metadata: { name },
  spec: { schedule: '*/5 * * * *', ...spec, jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'task', image: 'busybox:1.36', command }] } } } } },
});

describe('cronjob controller', () => {
  it('creates a Job at each schedule time, named by the minute, and keeps three successful ones', () => {
    const { api, clock, stop } = cluster();
    const cronJobs = api.resource('batch', 'v1', 'cronjobs');
    const jobs = api.resource('batch', 'v1', 'jobs');
    api.create(cronJobs, 'default', cronJob('tick', {}, ['date']));
    clock.advance(4 * 60_000);
    assert.equal(api.list(jobs, 'default').items.length, 0, 'nothing before 00:05');
    clock.advance(60_000);
    const first = api.list(jobs, 'default').items;
    const minute = Date.UTC(2026, 0, 1, 0, 5) / 60_000;
    assert.deepEqual(first.map((job) => asObject(job.metadata).name), [`tick-${minute}`]);
    assert.equal(asObject(asObject(first[0]?.metadata).annotations)['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-01-01T00:05:00Z');
    assert.equal(asObject(asArray(asObject(first[0]?.metadata).ownerReferences)[0]).kind, 'CronJob');
    clock.advance(20 * 60_000);
    const names = api.list(jobs, 'default').items.map((job) => String(asObject(job.metadata).name)).sort();
    assert.deepEqual(names, [minute + 10, minute + 15, minute + 20].map((m) => `tick-${m}`));
    const status = asObject(api.get(cronJobs, 'default', 'tick').status);
    assert.equal(status.lastScheduleTime, '2026-01-01T00:25:00Z');
    assert.equal(status.lastSuccessfulTime, '2026-01-01T00:25:00Z');
    const reasons = api.list(api.resource('', 'v1', 'events'), 'default').items.filter((e) => asObject(e.involvedObject).kind === 'CronJob').map((e) => `${String(e.reason)}: ${String(e.message)}`);
    assert.ok(reasons.includes(`SuccessfulCreate: Created job tick-${minute}`));
    assert.ok(reasons.includes(`SawCompletedJob: Saw completed job: tick-${minute}, condition: Complete`));
    assert.ok(reasons.includes(`SuccessfulDelete: Deleted job tick-${minute}`));
    stop();
  });

  it('Forbid skips a run while one is active; Replace swaps it; suspend stops scheduling', () => {
    const { api, clock, stop } = cluster();
    const cronJobs = api.resource('batch', 'v1', 'cronjobs');
    const jobs = api.resource('batch', 'v1', 'jobs');
    api.create(cronJobs, 'default', cronJob('forbid', { concurrencyPolicy: 'Forbid' }, ['sleep', '3600']));
    api.create(cronJobs, 'default', cronJob('replace', { concurrencyPolicy: 'Replace' }, ['sleep', '3600']));
    api.create(cronJobs, 'default', cronJob('paused', { suspend: true }, ['date']));
    // A long-running job: the instant profile completes run-to-completion pods at once, so use a pull failure to keep it active.
    for (const name of ['forbid', 'replace']) {
      api.patch(cronJobs, 'default', name, 'merge', JSON.stringify({ spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'task', image: 'busybox:doesnotexist' }] } } } } } }));
    }
    clock.advance(11 * 60_000);
    const owned = (owner: string): string[] => api.list(jobs, 'default').items.filter((job) => asObject(asArray(asObject(job.metadata).ownerReferences)[0]).name === owner && asObject(job.metadata).deletionTimestamp === undefined).map((job) => String(asObject(job.metadata).name));
    const minute = Date.UTC(2026, 0, 1, 0, 5) / 60_000;
    assert.deepEqual(owned('forbid'), [`forbid-${minute}`]);
    assert.deepEqual(owned('replace'), [`replace-${minute + 5}`]);
    assert.deepEqual(owned('paused'), []);
    assert.equal(asArray(asObject(api.get(cronJobs, 'default', 'replace').status).active).length, 1);
    stop();
  });
});
