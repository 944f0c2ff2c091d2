import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mostRecentScheduleTime, nextTime, parseCronSchedule } from './schedule.js';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('cron schedule times', () => {
  it('computes next times for fields, steps and descriptors', () => {
    assert.equal(iso(nextTime(parseCronSchedule('*/15 * * * *'), at('2026-01-01T10:07:30Z'))), '2026-01-01T10:15:00.000Z');
    assert.equal(iso(nextTime(parseCronSchedule('@hourly'), at('2026-01-01T10:00:00Z'))), '2026-01-01T11:00:00.000Z');
    assert.equal(iso(nextTime(parseCronSchedule('@daily'), at('2026-01-01T10:00:00Z'))), '2026-01-02T00:00:00.000Z');
    assert.equal(iso(nextTime(parseCronSchedule('@monthly'), at('2026-01-15T00:00:00Z'))), '2026-02-01T00:00:00.000Z');
    assert.equal(iso(nextTime(parseCronSchedule('@yearly'), at('2026-03-01T00:00:00Z'))), '2027-01-01T00:00:00.000Z');
    // 2026-01-04 is a Sunday.
    assert.equal(iso(nextTime(parseCronSchedule('@weekly'), at('2026-01-01T00:00:00Z'))), '2026-01-04T00:00:00.000Z');
    assert.equal(iso(nextTime(parseCronSchedule('30 9 * * mon-fri'), at('2026-01-02T10:00:00Z'))), '2026-01-05T09:30:00.000Z');
    assert.equal(iso(nextTime(parseCronSchedule('@every 90s'), at('2026-01-01T00:00:00Z'))), '2026-01-01T00:01:30.000Z');
  });
  it('ORs day-of-month and day-of-week when both are restricted', () => {
    // 13th of the month or any Friday: after Thu 2026-02-05 comes Fri 2026-02-06.
    assert.equal(iso(nextTime(parseCronSchedule('0 0 13 * 5'), at('2026-02-05T01:00:00Z'))), '2026-02-06T00:00:00.000Z');
  });
  it('honours the time zone', () => {
    // 09:00 in New York (EST, UTC-5) is 14:00 UTC.
    assert.equal(iso(nextTime(parseCronSchedule('0 9 * * *'), at('2026-01-10T00:00:00Z'), 'America/New_York')), '2026-01-10T14:00:00.000Z');
    assert.equal(iso(nextTime(parseCronSchedule('CRON_TZ=Asia/Tokyo 0 9 * * *'), at('2026-01-09T23:00:00Z'))), '2026-01-10T00:00:00.000Z');
    assert.equal(iso(nextTime(parseCronSchedule('CRON_TZ=Asia/Tokyo 0 9 * * *'), at('2026-01-10T01:00:00Z'))), '2026-01-11T00:00:00.000Z');
  });
  it('finds the most recent due time and counts misses, also far behind', () => {
    const s = parseCronSchedule('*/5 * * * *');
    const r = mostRecentScheduleTime(s, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:17:00Z'));
    assert.equal(iso(r.time), '2026-01-01T00:15:00.000Z');
    assert.equal(r.missed, 3);
    assert.equal(iso(r.next), '2026-01-01T00:20:00.000Z');
    assert.equal(mostRecentScheduleTime(s, at('2026-01-01T00:00:00Z'), at('2026-01-01T00:04:00Z')).time, undefined);
    const far = mostRecentScheduleTime(parseCronSchedule('* * * * *'), at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:30Z'));
    assert.equal(iso(far.time), '2026-01-01T00:00:00.000Z');
    assert.ok(far.missed > 100);
  });
});
