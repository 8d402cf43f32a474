// What the message list shows around each message: a date separator before the
// first message of each day and the unread divider before the first unread one.
import type { Message } from '../../../api/types';
import { parseTimestamp } from '../../../utils/time';

export interface HistoryRow {
  /** The message id: the virtual list's key, stable when pages load above. */
  key: number;
  message: Message;
  /** The day's label when this message opens a new day in the list, else null. */
  day: string | null;
  /** The unread divider goes right before this message. */
  unread: boolean;
}

export interface DayWords {
  today: string;
  yesterday: string;
}

/** The local calendar day of a timestamp, as a comparable key (`2026-3-1`). */
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "Today", "Yesterday", else the locale's date (with the year when it is not this year's). */
export function dayLabel(d: Date, locale: string, words: DayWords, now: Date = new Date()): string {
  if (localDay(d) === localDay(now)) return words.today;
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (localDay(d) === localDay(yesterday)) return words.yesterday;
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long' };
  if (d.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return d.toLocaleDateString(locale, options);
}

/** Each message's local day, computed once per message object (10 000 timestamps parse slowly). */
const dayOf = new WeakMap<Message, { at: string; day: string | null; date: Date }>();

function dayKey(message: Message): { day: string | null; date: Date } {
  const cached = dayOf.get(message);
  if (cached && cached.at === message.created_at) return cached;
  const date = parseTimestamp(message.created_at);
  const entry = { at: message.created_at, day: Number.isNaN(date.getTime()) ? null : localDay(date), date };
  dayOf.set(message, entry);
  return entry;
}

export function buildRows(
  items: readonly Message[],
  firstUnreadId: number | null,
  locale: string,
  words: DayWords,
  now: Date = new Date(),
): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let previousDay = '';
  // One label per day, not per message: Intl formatting is the costly part of 10 000 rows.
  const labels = new Map<string, string>();
  for (const message of items) {
    const { day: known, date } = dayKey(message);
    const key = known ?? previousDay;
    let day: string | null = null;
    if (key !== previousDay) {
      day = labels.get(key) ?? dayLabel(date, locale, words, now);
      labels.set(key, day);
      previousDay = key;
    }
    rows.push({ key: message.id, message, day, unread: message.id === firstUnreadId });
  }
  return rows;
}

/** Splits a text around case-insensitive matches of `query`, for highlighting as text (never HTML). */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  const q = query.trim().toLowerCase();
  if (!q) return [{ text, match: false }];
  const lower = text.toLowerCase();
  const parts: { text: string; match: boolean }[] = [];
  let from = 0;
  for (let at = lower.indexOf(q); at >= 0; at = lower.indexOf(q, at + q.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + q.length), match: true });
    from = at + q.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}
