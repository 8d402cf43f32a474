// Contract timestamps (`YYYY-MM-DD HH:MM:SS[.F]+00`, §1.5) as Dates and short labels.
export function parseTimestamp(ts: string): Date {
  const iso = ts.replace(' ', 'T').replace(/\+00$/, 'Z');
  return new Date(iso.endsWith('Z') ? iso : `${iso}Z`);
}

/** Time of day for today's messages, else the date. */
export function shortTime(ts: string, locale: string, now: Date = new Date()): string {
  const d = parseTimestamp(ts);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

export function clockTime(ts: string, locale: string): string {
  const d = parseTimestamp(ts);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}
