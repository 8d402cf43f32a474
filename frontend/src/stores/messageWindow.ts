// Pure bookkeeping of the loaded window of a chat's history (no API, no Vue):
// where the unread divider goes, and how a jump's pages join into one window.
import type { Message } from '../api/types';

/**
 * The first unread message among the loaded ones (oldest first): the
 * `unreadCount`-th newest message not sent by me (§11.3 counts only others'
 * messages). Null when nothing is unread or it is not loaded (yet).
 */
export function firstUnreadId(items: readonly Message[], unreadCount: number, myId: number | null): number | null {
  if (unreadCount <= 0) return null;
  let seen = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i];
    if (!m || m.sender_id === myId) continue;
    seen += 1;
    if (seen === unreadCount) return m.id;
  }
  return null;
}

/** Messages the client made up itself (a pending send): no server `seq` yet. */
export function isLocalOnly(m: Message): boolean {
  return typeof m.seq !== 'number' || m.seq <= 0;
}

/** Merges pages into one list, one entry per id, in the server's order (id order = time order, §9.4). */
export function mergeById(...pages: readonly (readonly Message[])[]): Message[] {
  const byId = new Map<number, Message>();
  for (const page of pages) for (const m of page) byId.set(m.id, { ...byId.get(m.id), ...m });
  return [...byId.values()].sort((a, b) => (a.created_at === b.created_at ? a.id - b.id : a.created_at < b.created_at ? -1 : 1));
}
