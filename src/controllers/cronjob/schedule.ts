/**
 * Cron schedule times for the CronJob controller (upstream robfig/cron Schedule.Next plus
 * pkg/controller/cronjob/utils.go mostRecentScheduleTime). Parsing is the API's parseCronSchedule;
 * this file computes the next activation after an instant, in a time zone, and the most recent
 * activation that is due, with the number of activations missed.
 */
import { parseCronSchedule, type CronSchedule } from '../../api/kinds/batch/cron-schedule.js';

export { parseCronSchedule, type CronSchedule };

interface WallClock {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall clock of an instant in an IANA zone (UTC when none). */
export function wallClock(t: number, timeZone = 'UTC'): WallClock {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', month: 'numeric', day: 'numeric', weekday: 'short', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(t)) parts[p.type] = p.value;
  return { month: Number(parts.month), day: Number(parts.day), weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0, hour: Number(parts.hour), minute: Number(parts.minute) };
}

function dayMatches(s: CronSchedule, w: WallClock): boolean {
  if (!s.month.has(w.month)) return false;
  const dom = s.dom.has(w.day);
  const dow = s.dow.has(w.weekday);
  // robfig: when either day field is `*`, both must match; otherwise either may.
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}

const MINUTE = 60_000;

/** The first activation strictly after `after` (ms), or undefined if none within 5 years. */
export function nextTime(s: CronSchedule, after: number, timeZone?: string): number | undefined {
  if (s.everyMs !== undefined) return Math.floor((after + s.everyMs) / 1000) * 1000;
  const tz = s.timeZone ?? timeZone ?? 'UTC';
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const limit = after + 5 * 366 * 24 * 60 * MINUTE;
  while (t <= limit) {
    const w = wallClock(t, tz);
    if (!dayMatches(s, w)) t += ((23 - w.hour) * 60 + (60 - w.minute)) * MINUTE;
    else if (!s.hour.has(w.hour)) t += (60 - w.minute) * MINUTE;
    else if (!s.minute.has(w.minute)) t += MINUTE;
    else return t;
  }
  return undefined;
}

/**
 * The latest activation in (earliest, now], and how many activations fell in that window
 * (upstream warns above 100). Undefined time when none is due.
 */
export function mostRecentScheduleTime(s: CronSchedule, earliest: number, now: number, timeZone?: string): { time?: number; missed: number; next?: number } {
  let missed = 0;
  let latest: number | undefined;
  let cursor = earliest;
  let skipped = false;
  for (;;) {
    const t = nextTime(s, cursor, timeZone);
    if (t === undefined || t > now) return { ...(latest !== undefined ? { time: latest } : {}), missed, ...(t !== undefined ? { next: t } : {}) };
    latest = t;
    missed++;
    cursor = t;
    if (missed > 100 && !skipped) {
      // Far behind: jump to ten average intervals before now, then walk to the most recent one.
      skipped = true;
      const avg = (t - earliest) / missed;
      const jump = now - avg * 10;
      if (jump > cursor) {
        missed += Math.floor((jump - cursor) / avg);
        cursor = jump;
      }
    }
  }
}
