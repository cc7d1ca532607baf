/**
 * Standard cron schedules (every five minutes, `0 9 * * MON-FRI`, `@hourly`) as the CronJob
 * controller reads them (robfig/cron's standard parser), evaluated in UTC or an IANA zone.
 */
export class CronScheduleError extends Error {
  readonly code = 'CRON_SCHEDULE_INVALID';
}

interface Fields {
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  /** robfig: when either day field is `*`, both must match; otherwise either may. */
  dayStar: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function field(text: string, low: number, high: number, names: string[] = [], nameBase = 0): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toLowerCase());
    const number = named === -1 ? Number(token) : named + nameBase;
    if (!/^\d+$/.test(token) && named === -1) throw new CronScheduleError(`failed to parse int from ${token}: strconv.Atoi: parsing "${token}": invalid syntax`);
    return number;
  };
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronScheduleError(`failed to parse int from ${String(stepText)}`);
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      start = low;
      end = high;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      start = value(a);
      end = value(b);
    } else {
      start = value(range);
      end = stepText === undefined ? start : high;
    }
    if (start < low || end > high || start > end) throw new CronScheduleError(`end of range (${end}) above maximum (${high}): ${part}`);
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return values;
}

export function parseCronSchedule(schedule: string): Fields {
  const text = MACROS[schedule.trim()] ?? schedule.trim();
  if (/^TZ=|^CRON_TZ=/.test(text)) throw new CronScheduleError('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new CronScheduleError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = parts;
  const days = field(dayOfWeek, 0, 7, DAYS);
  if (days.has(7)) days.add(0);
  return {
    minute: field(minute, 0, 59),
    hour: field(hour, 0, 23),
    dayOfMonth: field(dayOfMonth, 1, 31),
    month: field(month, 1, 12, MONTHS, 1),
    dayOfWeek: days,
    dayStar: dayOfMonth.startsWith('*') || dayOfWeek.startsWith('*'),
  };
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

function wallTime(ms: number, timeZone: string | undefined): WallTime {
  if (timeZone === undefined || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay() };
  }
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' })
    .formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), weekday: DAYS.indexOf(String(parts.weekday).toLowerCase()) };
}

/** The first scheduled minute strictly after `afterMs` (within five years), or undefined. */
export function nextScheduleTime(schedule: Fields, afterMs: number, timeZone?: string): number | undefined {
  const MINUTE = 60_000;
  let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
  const limit = afterMs + 5 * 366 * 24 * 60 * MINUTE;
  while (t <= limit) {
    const w = wallTime(t, timeZone);
    const dayMatches = schedule.dayStar
      ? schedule.dayOfMonth.has(w.day) && schedule.dayOfWeek.has(w.weekday)
      : schedule.dayOfMonth.has(w.day) || schedule.dayOfWeek.has(w.weekday);
    // Skip whole days and hours that cannot match (zone offsets are whole-minute; hours suffice).
    if (!schedule.month.has(w.month) || !dayMatches) t += (24 * 60 - (w.hour * 60 + w.minute)) * MINUTE;
    else if (!schedule.hour.has(w.hour)) t += (60 - w.minute) * MINUTE;
    else if (!schedule.minute.has(w.minute)) t += MINUTE;
    else return t;
  }
  return undefined;
}
