import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CronScheduleError, nextScheduleTime, parseCronSchedule } from './cron-schedule.ts';

const at = (iso: string): number => Date.parse(iso);
const next = (schedule: string, after: string, zone?: string): string | undefined => {
  const t = nextScheduleTime(parseCronSchedule(schedule), at(after), zone);
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('cron schedules', () => {
  it('steps, ranges, lists and names', () => {
    assert.equal(next('*/5 * * * *', '2026-01-01T00:03:10Z'), '2026-01-01T00:05:00.000Z');
    assert.equal(next('*/5 * * * *', '2026-01-01T00:05:00Z'), '2026-01-01T00:10:00.000Z', 'strictly after');
    assert.equal(next('0 9 * * MON-FRI', '2026-01-02T10:00:00Z'), '2026-01-05T09:00:00.000Z', 'Friday after nine → Monday');
    assert.equal(next('15,45 8-10 * * *', '2026-01-01T10:50:00Z'), '2026-01-02T08:15:00.000Z');
    assert.equal(next('0 0 1 JAN *', '2026-03-01T00:00:00Z'), '2027-01-01T00:00:00.000Z');
    assert.equal(next('0 12 * * 7', '2026-01-01T00:00:00Z'), '2026-01-04T12:00:00.000Z', '7 is Sunday');
  });

  it('macros, the day-of-month OR day-of-week rule, and time zones', () => {
    assert.equal(next('@hourly', '2026-01-01T00:00:01Z'), '2026-01-01T01:00:00.000Z');
    assert.equal(next('@daily', '2026-01-01T00:00:00Z'), '2026-01-02T00:00:00.000Z');
    // The 13th or any Friday: 2026-02-06 is a Friday, before the 13th.
    assert.equal(next('0 0 13 * 5', '2026-02-01T00:00:00Z'), '2026-02-06T00:00:00.000Z');
    assert.equal(next('0 9 * * *', '2026-01-01T00:00:00Z', 'Europe/Berlin'), '2026-01-01T08:00:00.000Z');
    assert.equal(next('0 0 29 2 *', '2026-01-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
  });

  it('refuses what the API server refuses', () => {
    assert.throws(() => parseCronSchedule('* * * *'), CronScheduleError);
    assert.throws(() => parseCronSchedule('61 * * * *'), CronScheduleError);
    assert.throws(() => parseCronSchedule('TZ=UTC 0 * * * *'), /use timeZone field instead/);
  });
});
