// Each opened chat's messages, oldest first, one entry per id: a window of the
// history. Usually it ends at the newest message; after a jump (`jumpTo`) it may
// be a window in the middle (`hasNewer`), completed by `loadNewer` on scroll down.
import { defineStore } from 'pinia';
import { reactive, toRaw } from 'vue';
import { api } from '../api';
import type { Message, SentMessage } from '../api/types';
import { firstUnreadId, isLocalOnly, mergeById } from './messageWindow';
import { useOutboxStore } from './outbox';
import { useSessionStore } from './session';

export const PAGE_SIZE = 50;
/** The server's largest page (§9.4 clamps `limit` to 100). */
export const MAX_PAGE = 100;

export interface ChatMessages {
  items: ChatItem[];
  loaded: boolean;
  loadingOlder: boolean;
  hasOlder: boolean;
  /** The window ends before the newest message (after a jump): newer pages load on scroll down. */
  hasNewer: boolean;
  loadingNewer: boolean;
  /** Live messages that arrived while the window was away from the newest one. */
  missedNewer: number;
  /** The chat's unread count when it opened (it is marked read right after). */
  unreadAtOpen: number;
  /** Where the unread divider goes: found when the chat opens, or later, when scrolling up
   *  loads the page that holds the first unread message. */
  firstUnreadId: number | null;
  /** The message the list scrolls to and highlights; a new `nonce` repeats a jump to the same one. */
  focus: { id: number; nonce: number } | null;
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

let focusNonce = 0;

export const useMessagesStore = defineStore('messages', () => {
  const chats = reactive<Record<number, ChatMessages>>({});
  const returning = new Map<number, Promise<Message[]>>();

  function of(chatId: number): ChatMessages {
    chats[chatId] ??= {
      items: [],
      loaded: false,
      loadingOlder: false,
      hasOlder: true,
      hasNewer: false,
      loadingNewer: false,
      missedNewer: 0,
      unreadAtOpen: 0,
      firstUnreadId: null,
      focus: null,
    };
    return chats[chatId];
  }

  const myId = (): number | null => useSessionStore().me?.id ?? null;
  const oldestServer = (state: ChatMessages) => state.items.find((m) => !isLocalOnly(m));
  function newestServer(state: ChatMessages): Message | undefined {
    for (let i = state.items.length - 1; i >= 0; i--) {
      const m = state.items[i];
      if (m && !isLocalOnly(m)) return m;
    }
    return undefined;
  }

  /** The highest `seq` loaded: the cursor for the next page. Not the seq of the last
   *  message shown — concurrent senders commit in an order (`created_at`, id) other than
   *  their seq, and a cursor below a loaded seq would fetch the same page again forever. */
  function highestSeq(state: ChatMessages): number | null {
    let max: number | null = null;
    for (const m of state.items) {
      if (!isLocalOnly(m) && typeof m.seq === 'number' && (max === null || m.seq > max)) max = m.seq;
    }
    return max;
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
      if (echoOf < 0 && beyondWindow(chatId, state, m)) continue;
      const localFile = echoOf >= 0 ? state.items[echoOf]?.localFile : undefined;
      if (echoOf >= 0) state.items.splice(echoOf, 1);
      state.items.push(localFile ? { ...m, localFile } : m);
      changed = true;
    }
    if (changed) state.items.sort(byTime);
  }

  /** A new message after a window in the middle of history is not shown next to it (the gap
   *  between would be invisible): it is counted for the "N new" pill, and my own one (I just
   *  sent it) brings the window back to the newest messages. */
  function beyondWindow(chatId: number, state: ChatMessages, m: Message): boolean {
    if (!state.hasNewer) return false;
    if (m.sender_id === myId()) {
      void backToLatest(chatId);
      // The short POST answer has no seq yet: shown at once, completed by the newest page.
      return !isLocalOnly(m);
    }
    const newest = newestServer(state);
    if (!newest || m.id <= newest.id) return false;
    state.missedNewer += 1;
    return true;
  }

  /** The newest page; a window in the middle of history is replaced by it (client-only pending
   *  messages stay), otherwise it joins what is loaded. */
  async function loadLatest(chatId: number, limit: number = PAGE_SIZE): Promise<Message[]> {
    const page = await api.get('/chats/{id}/messages', { params: { id: chatId }, query: { limit } });
    const state = of(chatId);
    if (state.hasNewer) {
      state.items = mergeById(page, state.items.filter(isLocalOnly));
      state.hasOlder = page.length >= limit;
      state.hasNewer = false;
      state.missedNewer = 0;
    } else {
      if (!state.loaded) state.hasOlder = page.length >= limit;
      upsert(chatId, page);
    }
    state.loaded = true;
    return page;
  }

  /** Back to the newest messages (the "N new" pill); concurrent calls share one request. */
  function backToLatest(chatId: number): Promise<Message[]> {
    let pending = returning.get(chatId);
    if (!pending) {
      pending = loadLatest(chatId).finally(() => returning.delete(chatId));
      returning.set(chatId, pending);
    }
    return pending;
  }

  /**
   * Opens a chat: the newest page, and the unread divider at the first unread message (from
   * the chat list's `unread_count`, read before the chat is marked read) when that page holds
   * it; otherwise the divider appears once scrolling up loads it. Returns the loaded page.
   */
  async function openChat(chatId: number, unreadCount: number): Promise<Message[]> {
    const loaded = await loadLatest(chatId);
    const state = of(chatId);
    state.unreadAtOpen = unreadCount;
    state.firstUnreadId = firstUnreadId(state.items, unreadCount, myId());
    return loaded;
  }

  /** The page before the oldest loaded message (the client sends its `created_at`, §9.4). */
  async function loadOlder(chatId: number, limit: number = PAGE_SIZE): Promise<Message[]> {
    const state = of(chatId);
    const oldest = oldestServer(state);
    if (!oldest || state.loadingOlder || !state.hasOlder) return [];
    state.loadingOlder = true;
    try {
      const page = await api.get('/chats/{id}/messages', {
        params: { id: chatId },
        query: { limit, before: oldest.created_at },
      });
      // Older than everything loaded: one new array instead of a sort of the reactive one
      // (thousands of proxied reads and writes per page in a long history).
      const loaded = toRaw(state.items);
      const known = new Set(loaded.map((m) => m.id));
      const fresh = page.filter((m) => !known.has(m.id));
      const first = loaded[0];
      if (!first || fresh.every((m) => byTime(m, first) < 0)) state.items = [...fresh, ...loaded];
      else upsert(chatId, page);
      state.hasOlder = page.length >= limit;
      // The unread run counts back from the newest message: only a window that reaches it.
      if (state.firstUnreadId === null && state.unreadAtOpen > 0 && !state.hasNewer) {
        state.firstUnreadId = firstUnreadId(state.items, state.unreadAtOpen, myId());
      }
      return page;
    } finally {
      state.loadingOlder = false;
    }
  }

  /** The page after the newest loaded message of a window in the middle of history (`after_seq`). */
  async function loadNewer(chatId: number, limit: number = PAGE_SIZE): Promise<Message[]> {
    const state = of(chatId);
    const after = highestSeq(state);
    if (after === null || state.loadingNewer || !state.hasNewer) return [];
    state.loadingNewer = true;
    try {
      const page = await api.get('/chats/{id}/messages', {
        params: { id: chatId },
        query: { limit, after_seq: after },
      });
      state.items = mergeById(toRaw(state.items), page);
      if (page.length < limit) {
        state.hasNewer = false;
        state.missedNewer = 0;
      }
      return page;
    } finally {
      state.loadingNewer = false;
    }
  }

  /**
   * Shows one message: scrolls the open list to it and highlights it, loading the history
   * around it first when it is not loaded (the page up to it by id, `before=<id + 1>`, and
   * the page after it, `after_id`, §9.4). Other areas call this for the open chat (a reply's
   * quote, the pin bar, search); for any chat, navigate to the route `/c/{chatId}/{messageId}`,
   * which calls it. Resolves false (nothing changes) when the message is not visible to me.
   */
  async function jumpTo(chatId: number, messageId: number): Promise<{ found: boolean; loaded: Message[] }> {
    const state = of(chatId);
    if (!state.items.some((m) => m.id === messageId)) {
      const [upTo, after] = await Promise.all([
        api.get('/chats/{id}/messages', { params: { id: chatId }, query: { limit: PAGE_SIZE, before: String(messageId + 1) } }),
        api.get('/chats/{id}/messages', { params: { id: chatId }, query: { limit: PAGE_SIZE, after_id: messageId } }),
      ]);
      if (!upTo.some((m) => m.id === messageId)) return { found: false, loaded: [] };
      state.items = mergeById(upTo, after, after.length < PAGE_SIZE ? state.items.filter(isLocalOnly) : []);
      state.hasOlder = upTo.length >= PAGE_SIZE;
      state.hasNewer = after.length >= PAGE_SIZE;
      state.missedNewer = 0;
      state.loaded = true;
      state.focus = { id: messageId, nonce: ++focusNonce };
      return { found: true, loaded: [...upTo, ...after] };
    }
    state.focus = { id: messageId, nonce: ++focusNonce };
    return { found: true, loaded: [] };
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
    loadNewer,
    openChat,
    backToLatest,
    jumpTo,
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
