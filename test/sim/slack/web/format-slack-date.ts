/** Where and when a reader reads: Slack shows `<!date^…>` tokens in the reader's time zone, relative to now. */
export interface DateContext {
  /** An IANA zone (`Europe/Paris`); an unknown one is read as UTC. */
  timeZone: string;
  /** The reader's current time, ms since the epoch (for "today", "yesterday" and "… ago"). */
  now: number;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface LocalParts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
}

/** Whether `Intl` knows the zone (an unknown zone throws RangeError there). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function localParts(ms: number, timeZone: string): LocalParts {
  const zone = isKnownTimeZone(timeZone) ? timeZone : 'UTC';
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  return {
    year: Number(get('year')),
    month: Number(get('month')) - 1,
    day: Number(get('day')),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    hour: Number(get('hour')) % 24,
    minute: Number(get('minute')),
    second: Number(get('second')),
  };
}

function ordinal(n: number): string {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Days from the reader's today to the date of `p` (calendar days in the reader's zone). */
function dayOffset(p: LocalParts, today: LocalParts): number {
  return Math.round((Date.UTC(p.year, p.month, p.day) - Date.UTC(today.year, today.month, today.day)) / 86_400_000);
}

function ago(seconds: number, nowSeconds: number): string {
  const diff = nowSeconds - seconds;
  const future = diff < 0;
  const abs = Math.abs(diff);
  const units: [number, string][] = [
    [365 * 86_400, 'year'],
    [30 * 86_400, 'month'],
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(abs / size);
    if (n >= 1) return future ? `in ${n} ${name}${n === 1 ? '' : 's'}` : `${n} ${name}${n === 1 ? '' : 's'} ago`;
  }
  return future ? 'in a few seconds' : 'just now';
}

/**
 * Slack's date token `<!date^SECONDS^FORMAT^LINK|FALLBACK>` as a reader sees it (Slack docs, "Formatting text for app
 * surfaces", dates): `{date_num}` 2014-02-18, `{date}` February 18th, 2014, `{date_short}` Feb 18, 2014, `{date_long}`
 * Tuesday, February 18th, 2014, the `_pretty` variants say today/yesterday/tomorrow instead, `{time}` 6:39 AM,
 * `{time_secs}` 6:39:42 AM, `{ago}` 3 minutes ago. Returns undefined when the seconds are not an integer (Slack then
 * shows the fallback).
 */
export function formatSlackDate(seconds: string, format: string, ctx: DateContext): string | undefined {
  if (!/^-?\d{1,12}$/.test(seconds)) return undefined;
  const s = Number(seconds);
  const p = localParts(s * 1000, ctx.timeZone);
  const today = localParts(ctx.now, ctx.timeZone);
  const month = MONTHS[p.month] ?? '';
  const weekday = WEEKDAYS[p.weekday] ?? '';
  const dateLong = `${weekday}, ${month} ${ordinal(p.day)}, ${p.year}`;
  const date = `${month} ${ordinal(p.day)}, ${p.year}`;
  const dateShort = `${month.slice(0, 3)} ${p.day}, ${p.year}`;
  const relative = (absolute: string): string => {
    const offset = dayOffset(p, today);
    return offset === 0 ? 'today' : offset === -1 ? 'yesterday' : offset === 1 ? 'tomorrow' : absolute;
  };
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const meridiem = p.hour < 12 ? 'AM' : 'PM';
  const tokens: Record<string, () => string> = {
    date_num: () => `${p.year}-${pad(p.month + 1)}-${pad(p.day)}`,
    date: () => date,
    date_short: () => dateShort,
    date_long: () => dateLong,
    date_pretty: () => relative(date),
    date_short_pretty: () => relative(dateShort),
    date_long_pretty: () => relative(dateLong),
    time: () => `${hour12}:${pad(p.minute)} ${meridiem}`,
    time_secs: () => `${hour12}:${pad(p.minute)}:${pad(p.second)} ${meridiem}`,
    ago: () => ago(s, Math.floor(ctx.now / 1000)),
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, name: string) => tokens[name]?.() ?? whole);
}
