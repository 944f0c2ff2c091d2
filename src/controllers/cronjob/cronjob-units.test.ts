import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatInZone, jobNameFor } from './sync.js';

describe('CronJob naming and timestamps', () => {
  it('names jobs by scheduled minutes since the epoch', () => {
    assert.equal(jobNameFor('hello', Date.parse('2026-01-01T00:05:00Z')), `hello-${Date.parse('2026-01-01T00:05:00Z') / 60_000}`);
    assert.equal(jobNameFor('hello', Date.parse('2026-01-01T00:05:59Z')), jobNameFor('hello', Date.parse('2026-01-01T00:05:00Z')));
  });
  it('formats the scheduled timestamp annotation in the CronJob time zone', () => {
    const t = Date.parse('2026-01-10T14:00:00Z');
    assert.equal(formatInZone(t, undefined), '2026-01-10T14:00:00Z');
    assert.equal(formatInZone(t, 'America/New_York'), '2026-01-10T09:00:00-05:00');
    assert.equal(formatInZone(t, 'Asia/Kolkata'), '2026-01-10T19:30:00+05:30');
  });
});
