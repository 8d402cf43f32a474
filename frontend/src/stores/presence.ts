// Who is online, as far as their privacy lets me know (§5.2, §17.4): seeded from
// the list's `other_is_online`, kept live by `presence` frames, and completed by a
// profile lookup when a direct chat opens (its header says "last seen …").
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import { api } from '../api';
import type { ChatListItem, WsPresence } from '../api/types';

/** What the header can say about a person. */
export type Seen =
  | { kind: 'online' }
  | { kind: 'lastSeen'; at: string }
  /** A bucket of §5.2 (`just now`, `today`, …) or the socket's `recently`. */
  | { kind: 'approx'; bucket: string }
  /** Offline, time unknown (e.g. went offline while I watched, with no time given). */
  | { kind: 'offline' }
  /** The person hides it (`nobody`). */
  | { kind: 'hidden' };

export const usePresenceStore = defineStore('presence', () => {
  const byUser = reactive<Record<number, Seen>>({});

  function seed(chats: readonly ChatListItem[]): void {
    for (const chat of chats) {
      const id = chat.other_user_id;
      if (id === null || chat.other_is_online === undefined) continue;
      const known = byUser[id];
      if (chat.other_is_online) byUser[id] = { kind: 'online' };
      else if (!known || known.kind === 'online') byUser[id] = { kind: 'offline' };
    }
  }

  function apply(ev: WsPresence): void {
    if ('status' in ev) {
      byUser[ev.user_id] = ev.status === 'online' ? { kind: 'online' } : { kind: 'lastSeen', at: new Date().toISOString() };
    } else {
      byUser[ev.user_id] = ev.last_seen_bucket === 'online' ? { kind: 'online' } : { kind: 'approx', bucket: 'recently' };
    }
  }

  /** The profile's presence keys (§5.2), asked once when a direct chat opens. */
  async function lookup(userId: number): Promise<void> {
    try {
      const profile = await api.get('/users/{id}', { params: { id: userId } });
      if (profile.is_online === true) byUser[userId] = { kind: 'online' };
      else if (profile.last_seen_approx) byUser[userId] = { kind: 'approx', bucket: profile.last_seen_approx };
      else if (profile.is_online === null) byUser[userId] = { kind: 'hidden' };
      else if (profile.last_activity) byUser[userId] = { kind: 'lastSeen', at: profile.last_activity };
      else byUser[userId] = { kind: 'offline' };
    } catch {
      // the header simply says less
    }
  }

  function isOnline(userId: number | null): boolean {
    return userId !== null && byUser[userId]?.kind === 'online';
  }

  function seen(userId: number | null): Seen | null {
    return userId === null ? null : (byUser[userId] ?? null);
  }

  function reset(): void {
    for (const key of Object.keys(byUser)) delete byUser[Number(key)];
  }

  return { byUser, seed, apply, lookup, isOnline, seen, reset };
});
