// Each opened chat's messages, oldest first, one entry per id.
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import { api } from '../api';
import type { Message } from '../api/types';

export const PAGE_SIZE = 50;

export interface ChatMessages {
  items: Message[];
  loaded: boolean;
  loadingOlder: boolean;
  hasOlder: boolean;
}

/** A sender-chosen id, echoed by the server (not a secret: no secure context needed). */
function clientMessageId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function byTime(a: Message, b: Message): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id - b.id;
}

export const useMessagesStore = defineStore('messages', () => {
  const chats = reactive<Record<number, ChatMessages>>({});

  function of(chatId: number): ChatMessages {
    chats[chatId] ??= { items: [], loaded: false, loadingOlder: false, hasOlder: true };
    return chats[chatId];
  }

  /** Adds or completes messages by id (an echo replaces the short POST answer). */
  function upsert(chatId: number, messages: readonly Message[]): void {
    const state = of(chatId);
    let changed = false;
    for (const m of messages) {
      const at = state.items.findIndex((x) => x.id === m.id);
      // Catch-up keeps messages deleted for everyone in the seq order, emptied (§9.7): never shown.
      if (m.is_deleted) {
        if (at >= 0) state.items.splice(at, 1);
        continue;
      }
      if (at >= 0) state.items[at] = { ...state.items[at], ...m };
      else {
        state.items.push(m);
        changed = true;
      }
    }
    if (changed) state.items.sort(byTime);
  }

  async function loadLatest(chatId: number): Promise<Message[]> {
    const page = await api.get('/chats/{id}/messages', { params: { id: chatId }, query: { limit: PAGE_SIZE } });
    const state = of(chatId);
    upsert(chatId, page);
    state.loaded = true;
    state.hasOlder = page.length >= PAGE_SIZE;
    return page;
  }

  /** The page before the oldest loaded message (the client sends its `created_at`, §9.4). */
  async function loadOlder(chatId: number): Promise<Message[]> {
    const state = of(chatId);
    const oldest = state.items[0];
    if (!oldest || state.loadingOlder || !state.hasOlder) return [];
    state.loadingOlder = true;
    try {
      const page = await api.get('/chats/{id}/messages', {
        params: { id: chatId },
        query: { limit: PAGE_SIZE, before: oldest.created_at },
      });
      upsert(chatId, page);
      state.hasOlder = page.length >= PAGE_SIZE;
      return page;
    } finally {
      state.loadingOlder = false;
    }
  }

  /** Sends a text; the WebSocket echo (full message) completes what the 201 says. */
  async function send(chatId: number, content: string, sender: { id: number; username: string; display_name: string }): Promise<void> {
    const body = {
      content,
      type: 'text',
      file_id: 0,
      sticker_id: 0,
      duration_seconds: 0,
      reply_to_message_id: 0,
      client_msg_id: clientMessageId(),
    };
    const sent = await api.post('/chats/{id}/messages', { params: { id: chatId }, body });
    const known = of(chatId).items.some((m) => m.id === sent.id);
    if (known) return;
    upsert(chatId, [
      {
        attachment_filename: null,
        attachment_mime_type: null,
        attachment_url: null,
        duration_seconds: null,
        forwarded_from_chat_id: null,
        forwarded_from_display_name: null,
        forwarded_from_message_id: null,
        forwarded_from_user_id: null,
        reply_to_message_id: null,
        sticker_label: null,
        sticker_url: null,
        ...sent,
        is_edited: false,
        sender_username: sender.username,
        sender_display_name: sender.display_name,
        sender_is_admin: false,
        sender_avatar_url: null,
      } as unknown as Message,
    ]);
  }

  /** Saves a new text of one of my text messages (§9.6); the composer calls it when editing. */
  async function edit(chatId: number, messageId: number, content: string): Promise<void> {
    const answer = await api.put('/chats/{id}/messages/{messageId}', {
      params: { id: chatId, messageId },
      body: { content },
    });
    applyEdit(chatId, messageId, answer.content, answer.updated_at);
  }

  /** An edit, mine (answer) or anyone's (`message_updated`). */
  function applyEdit(chatId: number, messageId: number, content: string, updatedAt: string): void {
    const m = chats[chatId]?.items.find((x) => x.id === messageId);
    if (m) Object.assign(m, { content, is_edited: true, updated_at: updatedAt });
  }

  /** A message gone: out of the list; deleted for everyone, its text also leaves the
   *  replies quoting it (§9.2: never readable again). */
  function drop(chatId: number, messageId: number, forEveryone = true): void {
    const state = chats[chatId];
    if (!state) return;
    state.items = state.items.filter((m) => m.id !== messageId);
    for (const m of state.items) {
      if (forEveryone && m.reply_to_message_id === messageId) Object.assign(m, { reply_to_content: null, reply_to_type: null });
    }
  }

  function reset(): void {
    for (const key of Object.keys(chats)) delete chats[Number(key)];
  }

  return { chats, of, upsert, loadLatest, loadOlder, send, edit, applyEdit, drop, reset };
});
