import { describe, expect, it } from 'vitest';
import type { Message } from '../src/api/types';
import { buildRows, dayLabel, splitMatches } from '../src/components/chat/list/rows';
import { appendedSince, isAtBottom, LIVE_TAIL, mountedRows, OVERSCAN_ABOVE, OVERSCAN_BELOW, wantedPages } from '../src/components/chat/list/windowing';
import { firstUnreadId, mergeById } from '../src/stores/messageWindow';

const words = { today: 'Today', yesterday: 'Yesterday' };

function msg(id: number, at: string, senderId = 2): Message {
  return { id, chat_id: 1, seq: id, sender_id: senderId, content: `m${id}`, message_type: 'text', created_at: at } as Message;
}

/** A UTC timestamp (§1.5) for a local date and time, so the test does not depend on the machine's zone. */
function ts(y: number, mo: number, d: number, h = 12, mi = 0): string {
  const iso = new Date(y, mo - 1, d, h, mi).toISOString(); // 2026-03-01T11:00:00.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00`;
}

describe('date separators', () => {
  const now = new Date(2026, 2, 10, 15, 0);

  it('says Today, Yesterday, else the locale date (with the year only when not this year)', () => {
    expect(dayLabel(new Date(2026, 2, 10, 0, 5), 'en-US', words, now)).toBe('Today');
    expect(dayLabel(new Date(2026, 2, 9, 23, 59), 'en-US', words, now)).toBe('Yesterday');
    expect(dayLabel(new Date(2026, 2, 8), 'en-US', words, now)).toBe('March 8');
    expect(dayLabel(new Date(2026, 2, 8), 'de', words, now)).toBe('8. März');
    expect(dayLabel(new Date(2025, 11, 31), 'en-US', words, now)).toBe('December 31, 2025');
  });

  it('goes before the first message of each local day, once', () => {
    const items = [
      msg(1, ts(2026, 3, 8, 9)),
      msg(2, ts(2026, 3, 8, 22)),
      msg(3, ts(2026, 3, 9, 8)),
      msg(4, ts(2026, 3, 10, 1)),
      msg(5, ts(2026, 3, 10, 14)),
    ];
    const rows = buildRows(items, null, 'en-US', words, now);
    expect(rows.map((r) => r.day)).toEqual(['March 8', null, 'Yesterday', 'Today', null]);
    expect(rows.map((r) => r.key)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.some((r) => r.unread)).toBe(false);
  });

  it('marks the row the unread divider goes before', () => {
    const items = [msg(1, ts(2026, 3, 10, 9)), msg(2, ts(2026, 3, 10, 10)), msg(3, ts(2026, 3, 10, 11))];
    expect(buildRows(items, 2, 'en-US', words, now).map((r) => r.unread)).toEqual([false, true, false]);
  });
});

describe('the unread divider', () => {
  const items = [msg(1, ts(2026, 3, 1), 2), msg(2, ts(2026, 3, 1), 2), msg(3, ts(2026, 3, 1), 1), msg(4, ts(2026, 3, 1), 2), msg(5, ts(2026, 3, 1), 1)];

  it('is the unread_count-th newest message of others (mine never count, §11.3)', () => {
    expect(firstUnreadId(items, 1, 1)).toBe(4);
    expect(firstUnreadId(items, 2, 1)).toBe(2);
    expect(firstUnreadId(items, 3, 1)).toBe(1);
  });

  it('is absent when nothing is unread or the first unread one is not loaded', () => {
    expect(firstUnreadId(items, 0, 1)).toBeNull();
    expect(firstUnreadId(items, 4, 1)).toBeNull();
  });
});

describe('the windowing bookkeeping', () => {
  it('mounts the visible rows, more above than below, and the newest rows wherever I am', () => {
    const rows = mountedRows({ startIndex: 500, endIndex: 510, count: 10_000 });
    expect(rows[0]).toBe(500 - OVERSCAN_ABOVE);
    expect(rows).toContain(510 + OVERSCAN_BELOW);
    expect(rows).not.toContain(510 + OVERSCAN_BELOW + 1);
    expect(rows.slice(-LIVE_TAIL)).toEqual([9_997, 9_998, 9_999]);
    expect(new Set(rows).size).toBe(rows.length);
    // Bounded whatever the history's length.
    expect(rows.length).toBe(11 + OVERSCAN_ABOVE + OVERSCAN_BELOW + LIVE_TAIL);
  });

  it('clamps at the edges without duplicates', () => {
    expect(mountedRows({ startIndex: 0, endIndex: 3, count: 5 })).toEqual([0, 1, 2, 3, 4]);
    expect(mountedRows({ startIndex: 0, endIndex: 0, count: 0 })).toEqual([]);
  });

  it('asks for a page above near the top and below near the end of a window, once at a time', () => {
    const s = { hasOlder: true, loadingOlder: false, hasNewer: true, loadingNewer: false };
    expect(wantedPages(3, 12, 200, s)).toEqual({ older: true, newer: false });
    expect(wantedPages(150, 195, 200, s)).toEqual({ older: false, newer: true });
    expect(wantedPages(100, 110, 200, s)).toEqual({ older: false, newer: false });
    expect(wantedPages(0, 199, 200, { ...s, loadingOlder: true, hasNewer: false })).toEqual({ older: false, newer: false });
  });

  it('counts the messages appended since the last one seen, mine apart', () => {
    const items = [msg(1, 'a', 2), msg(2, 'b', 2), msg(3, 'c', 1), msg(4, 'd', 2)];
    expect(appendedSince(items, 2, 1)).toEqual({ mine: 1, others: 1 });
    expect(appendedSince(items, 4, 1)).toEqual({ mine: 0, others: 0 });
    expect(appendedSince(items, null, 1)).toEqual({ mine: 0, others: 0 });
  });

  it('treats the last few pixels as the bottom', () => {
    expect(isAtBottom({ scrollHeight: 2000, scrollTop: 1300, clientHeight: 680 })).toBe(true);
    expect(isAtBottom({ scrollHeight: 2000, scrollTop: 1000, clientHeight: 680 })).toBe(false);
  });

  it('joins the pages of a jump into one list by id, in order', () => {
    const joined = mergeById([msg(3, 'c'), msg(4, 'd')], [msg(4, 'd'), msg(5, 'e')], [msg(1, 'a')]);
    expect(joined.map((m) => m.id)).toEqual([1, 3, 4, 5]);
  });
});

describe('search matches', () => {
  it('splits text around case-insensitive matches, as text', () => {
    expect(splitMatches('Needle in a needle<b>', 'needle')).toEqual([
      { text: 'Needle', match: true },
      { text: ' in a ', match: false },
      { text: 'needle', match: true },
      { text: '<b>', match: false },
    ]);
    expect(splitMatches('nothing', '  ')).toEqual([{ text: 'nothing', match: false }]);
  });
});
