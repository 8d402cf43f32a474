// What the server does not tell the list, kept per user in localStorage:
// the chats I archived (§7.9: archived chats leave `GET /chats` and no endpoint
// lists them) and until when I muted a chat (`is_muted` ignores `muted_until`).
import type { ChatListItem } from '../api/types';

export interface ChatPrefs {
  /** Archived chats as they looked when archived (shown in the archive view). */
  archived: Record<number, ChatListItem>;
  /** ISO time a mute ends; null = muted until I unmute. */
  muteUntil: Record<number, string | null>;
}

function key(userId: number): string {
  return `chorus.chatlist.${userId}`;
}

export function loadPrefs(userId: number | null): ChatPrefs {
  const empty: ChatPrefs = { archived: {}, muteUntil: {} };
  if (userId === null) return empty;
  try {
    const parsed = JSON.parse(localStorage.getItem(key(userId)) ?? '{}') as Partial<ChatPrefs> | null;
    return {
      archived: typeof parsed?.archived === 'object' && parsed.archived ? parsed.archived : {},
      muteUntil: typeof parsed?.muteUntil === 'object' && parsed.muteUntil ? parsed.muteUntil : {},
    };
  } catch {
    return empty;
  }
}

export function savePrefs(userId: number | null, prefs: ChatPrefs): void {
  if (userId === null) return;
  try {
    localStorage.setItem(key(userId), JSON.stringify(prefs));
  } catch {
    // storage full or disabled: the preference lasts until the tab closes
  }
}

/** Muted right now: a mute record exists and its end (if known) is still ahead. */
export function isMutedNow(chat: Pick<ChatListItem, 'id' | 'is_muted'>, muteUntil: Record<number, string | null>, now: number): boolean {
  if (!chat.is_muted) return false;
  const until = muteUntil[chat.id];
  if (until === undefined || until === null) return true;
  const end = Date.parse(until);
  return Number.isNaN(end) || end > now;
}
