// Each opened chat's messages, oldest first, one entry per id.
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import { api } from '../api';
import type { Message, SentMessage } from '../api/types';
import { useOutboxStore } from './outbox';

export const PAGE_SIZE = 50;

export interface ChatMessages {
  items: ChatItem[];
  loaded: boolean;
  loadingOlder: boolean;
  hasOlder: boolean;
}

/** How a message of mine not yet confirmed by the server is doing (the outbox sets it). */
export type LocalState = 'sending' | 'queued' | 'failed';

export interface LocalInfo {
  state: LocalState;
  clientMsgId: string;
  error?: string;
}

/** What this tab knows of a file I sent: its size (messages do not carry one) and an
 *  object URL that shows my image or voice until the server's link arrives. */
export interface LocalFile {
  previewUrl?: string;
  size?: number;
}

/** A list entry: a message, or my pending one (negative id, `local` set) rendered like one. */
export type ChatItem = Message & { local?: LocalInfo; localFile?: LocalFile };

/** Server messages by time; my pending ones after them, in the order they were sent. */
function byTime(a: ChatItem, b: ChatItem): number {
  if ((a.id < 0) !== (b.id < 0)) return a.id < 0 ? 1 : -1;
  if (a.id < 0) return b.id - a.id;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id - b.id;
}

/** Whether a message from the server is the one this pending entry is sending (its
 *  echo may come before the POST answer, and the echo carries no client_msg_id). */
function isEchoOf(m: Message, pending: ChatItem): boolean {
  return (
    pending.local?.state === 'sending' &&
    m.sender_id === pending.sender_id &&
    m.message_type === pending.message_type &&
    (m.content ?? '') === (pending.content ?? '') &&
    (m.reply_to_message_id ?? null) === (pending.reply_to_message_id ?? null)
  );
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
      if (at >= 0) {
        state.items[at] = { ...state.items[at], ...m };
        continue;
      }
      const echoOf = state.items.findIndex((x) => x.id < 0 && isEchoOf(m, x));
      const localFile = echoOf >= 0 ? state.items[echoOf]?.localFile : undefined;
      if (echoOf >= 0) state.items.splice(echoOf, 1);
      state.items.push(localFile ? { ...m, localFile } : m);
      changed = true;
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

  /** Sends a text through the outbox (optimistic, retried, kept across reloads). */
  async function send(chatId: number, content: string, replyTo = 0): Promise<void> {
    await useOutboxStore().submit(chatId, { type: 'text', content, reply_to_message_id: replyTo });
  }

  /** Shows my pending message at the end of the chat. */
  function addLocal(chatId: number, item: ChatItem): void {
    const state = of(chatId);
    if (item.local && state.items.some((x) => x.local?.clientMsgId === item.local?.clientMsgId)) return;
    state.items.push(item);
    state.items.sort(byTime);
  }

  function local(chatId: number, clientMsgId: string): ChatItem | undefined {
    return chats[chatId]?.items.find((x) => x.id < 0 && x.local?.clientMsgId === clientMsgId);
  }

  function setLocal(chatId: number, clientMsgId: string, state: LocalState, error?: string): void {
    const item = local(chatId, clientMsgId);
    if (item?.local) item.local = { ...item.local, state, error };
  }

  function removeLocal(chatId: number, clientMsgId: string): void {
    const state = chats[chatId];
    if (!state) return;
    const at = state.items.findIndex((x) => x.id < 0 && x.local?.clientMsgId === clientMsgId);
    if (at < 0) return;
    state.items.splice(at, 1);
  }

  /** The POST answered: the pending entry becomes the message (unless its echo came
   *  first). The short answer is completed by the echo or the catch-up (§9.3). */
  function resolveLocal(chatId: number, clientMsgId: string, sent: SentMessage): void {
    const pending = local(chatId, clientMsgId);
    const known = of(chatId).items.some((m) => m.id === sent.id);
    if (known || !pending) {
      // Its echo came first (and took its place), or it was deleted meanwhile.
      if (pending) removeLocal(chatId, clientMsgId);
      return;
    }
    const state = of(chatId);
    const at = state.items.indexOf(pending);
    const { type: _type, client_msg_id: _cid, sticker_id: _sticker, ...fields } = sent;
    state.items[at] = {
      ...pending,
      ...fields,
      duration_seconds: sent.duration_seconds ?? pending.duration_seconds ?? null,
      reply_to_message_id: sent.reply_to_message_id ?? pending.reply_to_message_id ?? null,
      local: undefined,
    };
    state.items.sort(byTime);
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

  return {
    chats,
    of,
    upsert,
    loadLatest,
    loadOlder,
    send,
    addLocal,
    setLocal,
    removeLocal,
    resolveLocal,
    edit,
    applyEdit,
    drop,
    reset,
  };
});
