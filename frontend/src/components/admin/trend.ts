// The 14-day trends of the dashboard (§14.1): the API leaves out days with no
// count, the chart and its table show every day of the window.
import type { DayCount } from '../../api/admin';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a moment, in UTC (the API's days are UTC days). */
export function utcDay(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function dayMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/**
 * Every day from `today − span` to `today` (UTC), with the API's count or 0.
 * A day the server counts as today although this clock is behind still shows.
 */
export function fillDays(points: readonly DayCount[], today: string = utcDay(Date.now()), span = 14): DayCount[] {
  const counts = new Map(points.map((p) => [p.day, p.count]));
  const lastPoint = points.reduce((last, p) => (p.day > last ? p.day : last), '');
  const end = dayMs(lastPoint > today ? lastPoint : today);
  const out: DayCount[] = [];
  for (let at = end - span * DAY_MS; at <= end; at += DAY_MS) {
    const day = utcDay(at);
    out.push({ day, count: counts.get(day) ?? 0 });
  }
  return out;
}

/** Total and busiest day, for the chart's text summary. */
export function trendSummary(days: readonly DayCount[]): { total: number; max: number; maxDay: string } {
  let total = 0;
  let max = 0;
  let maxDay = days[0]?.day ?? '';
  for (const d of days) {
    total += d.count;
    if (d.count > max) {
      max = d.count;
      maxDay = d.day;
    }
  }
  return { total, max, maxDay };
}

/** A day as "12 Mar" in the reader's language (the day itself, not shifted by the time zone). */
export function dayLabel(day: string, locale: string, long = false): string {
  const d = new Date(dayMs(day));
  return d.toLocaleDateString(locale, long ? { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' } : { timeZone: 'UTC', day: 'numeric', month: 'short' });
}

/** Seconds since the epoch of a day's start (uPlot's x values). */
export function daySeconds(day: string): number {
  return dayMs(day) / 1000;
}
