// The chat list's pure rules: order, sections, names, Saved Messages, mute durations.
import type { ChatDetail, ChatListItem } from '../api/types';

/** The server's order (§7.3): pinned first, then favourites, then most recent. */
export function compareChats(a: ChatListItem, b: ChatListItem): number {
  if (a.is_pinned !== b.is_pinned) return a.is_pinned ? -1 : 1;
  if (a.is_favorite !== b.is_favorite) return a.is_favorite ? -1 : 1;
  return a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0;
}

/** What the list shows as a chat's name ('' for Saved Messages: the view names it). */
export function chatTitle(chat: ChatListItem): string {
  if (chat.type === 'direct') return chat.other_display_name || chat.other_username || chat.title || '';
  return chat.title || chat.name || chat.public_name || '';
}

/** A self-chat (§1.7): a direct chat whose only member is me. */
export function isSavedMessages(chat: Pick<ChatListItem, 'type' | 'other_user_id' | 'member_count'>): boolean {
  return chat.type === 'direct' && chat.other_user_id === null && chat.member_count <= 1;
}

export interface ChatSections {
  pinned: ChatListItem[];
  favourites: ChatListItem[];
  all: ChatListItem[];
}

/** Pinned, then favourites (not pinned), then the rest; each keeps the list's order. */
export function splitSections(list: readonly ChatListItem[]): ChatSections {
  const out: ChatSections = { pinned: [], favourites: [], all: [] };
  for (const chat of list) {
    if (chat.is_pinned) out.pinned.push(chat);
    else if (chat.is_favorite) out.favourites.push(chat);
    else out.all.push(chat);
  }
  return out;
}

/** Mute durations offered by the menu (§7.9 `muted_until`); null = until unmuted. */
export const MUTE_DURATIONS = { hour: 3_600_000, eightHours: 8 * 3_600_000, day: 86_400_000, forever: null } as const;
export type MuteDuration = keyof typeof MUTE_DURATIONS;

/** A chat's detail (§7.4) as a list line: what the archive view shows. */
export function detailToItem(detail: ChatDetail, myId: number | null, before?: ChatListItem): ChatListItem {
  const other = detail.type === 'direct' ? detail.members.find((m) => m.id !== myId) : undefined;
  return {
    ...before,
    id: detail.id,
    type: detail.type,
    name: detail.name,
    title: detail.title,
    description: detail.description,
    public_name: detail.public_name,
    updated_at: before?.updated_at ?? detail.created_at,
    last_message: before?.last_message ?? null,
    last_at: before?.last_at ?? null,
    is_favorite: before?.is_favorite ?? false,
    is_muted: before?.is_muted ?? false,
    is_pinned: before?.is_pinned ?? false,
    is_archived: true,
    unread_count: before?.unread_count ?? 0,
    other_user_id: other?.id ?? null,
    other_username: other?.username ?? null,
    other_display_name: other ? other.display_name || other.username : null,
    other_avatar_url: other?.avatar_url ?? null,
    avatar_url: detail.avatar_url,
    member_count: detail.member_count,
  };
}
