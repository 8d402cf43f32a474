// The chat list (`GET /chats`, in the server's order: pinned, favourites, recent),
// kept live by incoming messages.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api';
import type { ChatListItem, Message } from '../api/types';

/** The server's order (§7.3): pinned first, then favourites, then most recent. */
export function compareChats(a: ChatListItem, b: ChatListItem): number {
  if (a.is_pinned !== b.is_pinned) return a.is_pinned ? -1 : 1;
  if (a.is_favorite !== b.is_favorite) return a.is_favorite ? -1 : 1;
  return a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0;
}

/** What the list shows as a chat's name. */
export function chatTitle(chat: ChatListItem): string {
  if (chat.type === 'direct') return chat.other_display_name || chat.other_username || chat.title || '';
  return chat.title || chat.name || chat.public_name || '';
}

export const useChatsStore = defineStore('chats', () => {
  const list = ref<ChatListItem[]>([]);
  const loaded = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    try {
      list.value = await api.get('/chats');
      error.value = null;
      loaded.value = true;
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    }
  }

  function byId(id: number): ChatListItem | undefined {
    return list.value.find((c) => c.id === id);
  }

  /** A new message: preview, time, unread (unless mine or the chat is open), order. */
  function applyMessage(message: Message, myId: number | null, openChatId: number | null): void {
    const chat = byId(message.chat_id);
    if (!chat) {
      void load();
      return;
    }
    if (!chat.last_at || message.created_at >= chat.last_at) {
      chat.last_message = message.message_type === 'text' ? (message.content ?? '') : '';
      chat.last_at = message.created_at;
      if (message.created_at > chat.updated_at) chat.updated_at = message.created_at;
    }
    if (message.sender_id !== myId && message.chat_id !== openChatId) chat.unread_count += 1;
    list.value = [...list.value].sort(compareChats);
  }

  async function markRead(chatId: number): Promise<void> {
    const chat = byId(chatId);
    if (chat) chat.unread_count = 0;
    await api.post('/chats/{id}/read', { params: { id: chatId } }).catch(() => undefined);
  }

  function reset(): void {
    list.value = [];
    loaded.value = false;
  }

  return { list, loaded, error, load, byId, applyMessage, markRead, reset };
});
