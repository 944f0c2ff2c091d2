/**
 * Cron schedule and time zone checks for CronJob (upstream uses robfig/cron's ParseStandard and
 * Go's time.LoadLocation). Input: the schedule string; output: the parse error message upstream
 * would report, or undefined when the schedule is valid. Also exports the parsed field sets so the
 * CronJob controller can compute next run times from the same parser.
 */

interface FieldBounds {
  name: string;
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: FieldBounds[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'dom', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'dow', min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A parsed standard schedule: the allowed values of each of the five fields. */
export interface CronSchedule {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  /** True when day-of-month or day-of-week was `*` (robfig's star bit: the other one decides alone). */
  domStar: boolean;
  dowStar: boolean;
  /** `@every <duration>` schedules: the interval in milliseconds. */
  everyMs?: number;
  /** A `TZ=`/`CRON_TZ=` prefix, when present. */
  timeZone?: string;
}

class CronError extends Error {}

function parseValue(text: string, f: FieldBounds): number {
  const named = f.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^-?\d+$/.test(text)) throw new CronError(`failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${text}`);
  return n;
}

function parseRange(expr: string, f: FieldBounds, out: Set<number>): boolean {
  const [rangePart, stepPart, extra] = expr.split('/');
  if (extra !== undefined) throw new CronError(`too many slashes: ${expr}`);
  let start: number;
  let end: number;
  let star = false;
  const bounds = (rangePart ?? '').split('-');
  if (rangePart === '*' || rangePart === '?') {
    start = f.min;
    end = f.max;
    star = true;
  } else {
    if (bounds.length > 2) throw new CronError(`too many hyphens: ${expr}`);
    start = parseValue(bounds[0] ?? '', f);
    end = bounds.length === 2 ? parseValue(bounds[1] ?? '', f) : start;
  }
  let step = 1;
  if (stepPart !== undefined) {
    step = parseValue(stepPart, f);
    if (!star && bounds.length === 1) end = f.max;
    if (step > 1) star = false;
  }
  if (start < f.min) throw new CronError(`beginning of range (${start}) below minimum (${f.min}): ${expr}`);
  if (end > f.max) throw new CronError(`end of range (${end}) above maximum (${f.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) out.add(v);
  return star;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function parseGoDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let consumed = 0;
  if (text === '0') return 0;
  while (consumed < text.length) {
    re.lastIndex = consumed;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] ?? 0);
    consumed = re.lastIndex;
  }
  return consumed > 0 ? total : undefined;
}

/** Parses a standard 5-field schedule or a descriptor; throws an Error with upstream's message. */
export function parseCronSchedule(input: string): CronSchedule {
  let spec = input.trim();
  let timeZone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S*)\s*/.exec(spec);
  if (tz) {
    timeZone = tz[1];
    if (!isValidTimeZone(timeZone ?? '')) throw new CronError(`provided bad location ${timeZone}: unknown time zone ${timeZone}`);
    spec = spec.slice(tz[0].length).trim();
  }
  if (spec.startsWith('@')) {
    if (spec.startsWith('@every ')) {
      const ms = parseGoDuration(spec.slice('@every '.length).trim());
      if (ms === undefined) throw new CronError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(spec.slice(7).trim())}`);
      return { minute: new Set(), hour: new Set(), dom: new Set(), month: new Set(), dow: new Set(), domStar: true, dowStar: true, everyMs: Math.max(ms, 1000), ...(timeZone ? { timeZone } : {}) };
    }
    const expanded = DESCRIPTORS[spec];
    if (!expanded) throw new CronError(`unrecognized descriptor: ${spec}`);
    spec = expanded;
  }
  const parts = spec.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) throw new CronError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  const sets = FIELDS.map(() => new Set<number>());
  const stars = FIELDS.map((f, i) => {
    let star = false;
    for (const expr of (parts[i] as string).split(',')) star = parseRange(expr, f, sets[i] as Set<number>) || star;
    return star;
  });
  const [minute, hour, dom, month, dow] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return { minute, hour, dom, month, dow, domStar: stars[2] ?? false, dowStar: stars[4] ?? false, ...(timeZone ? { timeZone } : {}) };
}

/** The error upstream reports for this schedule, or undefined when valid. */
export function cronScheduleError(schedule: string): string | undefined {
  try {
    parseCronSchedule(schedule);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Whether Go's time.LoadLocation would accept this IANA name (checked against Node's ICU zone data). */
export function isValidTimeZone(name: string): boolean {
  if (name === 'UTC' || name === '') return true;
  if (name === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
