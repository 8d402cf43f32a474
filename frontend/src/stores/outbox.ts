// The offline outbox: every message I send goes through it. It shows at once as a
// pending entry in the chat (negative id), is kept in a queue that survives reloads
// (IndexedDB), and is posted in the order it was written, one at a time, with its
// `client_msg_id` so a repeated POST cannot create it twice (§9.3 retry key). No
// answer (offline) keeps it queued until the network or the WebSocket is back; a
// refusal marks it failed with Retry and Delete.
import { defineStore } from 'pinia';
import { reactive, ref, watch } from 'vue';
import { api, ApiError } from '../api';
import type { Message } from '../api/types';
import { defaultQueue, type OutboxEntry, type OutboxQueue, type OutgoingBody } from '../utils/outboxQueue';
import { useMessagesStore, type ChatItem, type LocalFile } from './messages';
import { useSessionStore } from './session';

let queueFactory: () => OutboxQueue = defaultQueue;
/** Tests use an in-memory queue (there is no IndexedDB in happy-dom). */
export function useOutboxQueue(factory: () => OutboxQueue): void {
  queueFactory = factory;
}

/** A sender-chosen id, echoed by the server (not a secret: no secure context needed). */
export function clientMessageId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;
/** No answer, a lost session (the client refreshed already) or a gateway in between. */
const TRANSIENT = new Set([0, 401, 502, 503, 504]);
let localIds = 0;
let lastOrder = 0;

export type Outgoing = Partial<OutgoingBody> & { type: string };

export const useOutboxStore = defineStore('outbox', () => {
  const queue = queueFactory();
  const entries = reactive(new Map<string, OutboxEntry>());
  /** In memory only: object URLs do not outlive the page. */
  const files = new Map<string, LocalFile>();
  const sending = ref(false);
  let restored: Promise<void> | null = null;
  let restoredFor: number | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = RETRY_MIN_MS;

  function pendingItem(entry: OutboxEntry, state: 'sending' | 'queued' | 'failed'): ChatItem {
    const me = useSessionStore().me;
    return {
      attachment_filename: null,
      attachment_mime_type: null,
      attachment_url: null,
      duration_seconds: entry.body.duration_seconds > 0 ? entry.body.duration_seconds : null,
      forwarded_from_chat_id: null,
      forwarded_from_display_name: null,
      forwarded_from_message_id: null,
      forwarded_from_user_id: null,
      reply_to_message_id: entry.body.reply_to_message_id > 0 ? entry.body.reply_to_message_id : null,
      sticker_label: null,
      sticker_url: null,
      sender_avatar_url: me?.avatar_url ?? null,
      sender_is_admin: false,
      sender_username: me?.username ?? '',
      sender_display_name: me?.display_name ?? me?.username ?? '',
      is_edited: false,
      seq: 0,
      created_at: new Date().toISOString().replace('T', ' ').replace('Z', '+00'),
      ...entry.preview,
      id: -++localIds,
      chat_id: entry.chatId,
      sender_id: entry.userId,
      content: entry.body.content,
      message_type: entry.body.type,
      localFile: files.get(entry.clientMsgId),
      local: { state, clientMsgId: entry.clientMsgId, error: entry.error },
    };
  }

  /** Loads what an earlier visit left queued (mine only) and shows it. */
  function restore(): Promise<void> {
    const me = useSessionStore().me;
    if (!me) return Promise.resolve();
    if (restored && restoredFor === me.id) return restored;
    restoredFor = me.id;
    restored = (async () => {
      let stored: OutboxEntry[] = [];
      try {
        stored = await queue.all();
      } catch {
        return;
      }
      const messages = useMessagesStore();
      for (const entry of stored.filter((e) => e.userId === me.id).sort((a, b) => a.order - b.order)) {
        if (entries.has(entry.clientMsgId)) continue;
        entries.set(entry.clientMsgId, entry);
        lastOrder = Math.max(lastOrder, entry.order);
        messages.addLocal(entry.chatId, pendingItem(entry, entry.state));
      }
    })();
    return restored;
  }

  /** Queues a message and starts sending. `preview` fills the pending bubble. */
  async function submit(chatId: number, outgoing: Outgoing, preview: Partial<Message> = {}, localFile?: LocalFile): Promise<void> {
    const me = useSessionStore().me;
    if (!me) return;
    await restore();
    const entry: OutboxEntry = {
      clientMsgId: clientMessageId(),
      userId: me.id,
      chatId,
      order: (lastOrder = Math.max(Date.now(), lastOrder + 1)),
      body: { content: '', file_id: 0, sticker_id: 0, duration_seconds: 0, reply_to_message_id: 0, ...outgoing },
      preview,
      state: 'queued',
    };
    if (localFile) files.set(entry.clientMsgId, localFile);
    entries.set(entry.clientMsgId, entry);
    // Behind messages that wait for the network, it waits too (and says so).
    const waiting = retryTimer !== null || (typeof navigator !== 'undefined' && navigator.onLine === false);
    useMessagesStore().addLocal(chatId, pendingItem(entry, waiting ? 'queued' : 'sending'));
    await queue.put(entry).catch(() => undefined);
    await flush();
  }

  /** Sends every queued message, oldest first; stops at the first one without an answer. */
  function flush(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      await restore();
      do {
        again = false;
        await sendQueued();
      } while (again);
    })().finally(() => {
      running = null;
      sending.value = false;
    });
    return running;
  }

  async function sendQueued(): Promise<void> {
    const me = useSessionStore().me;
    const messages = useMessagesStore();
    const ready = [...entries.values()].filter((e) => e.state === 'queued' && e.userId === me?.id).sort((a, b) => a.order - b.order);
    for (const entry of ready) {
      if (!entries.has(entry.clientMsgId)) continue; // deleted meanwhile
      sending.value = true;
      messages.setLocal(entry.chatId, entry.clientMsgId, 'sending');
      try {
        const sent = await api.post('/chats/{id}/messages', {
          params: { id: entry.chatId },
          body: { ...entry.body, client_msg_id: entry.clientMsgId },
        });
        entries.delete(entry.clientMsgId);
        files.delete(entry.clientMsgId);
        await queue.remove(entry.clientMsgId).catch(() => undefined);
        messages.resolveLocal(entry.chatId, entry.clientMsgId, sent);
        retryDelay = RETRY_MIN_MS;
      } catch (e) {
        if (!(e instanceof ApiError) || TRANSIENT.has(e.status)) {
          // No answer, or the session or server is away for now: wait, keep the order.
          messages.setLocal(entry.chatId, entry.clientMsgId, 'queued');
          scheduleRetry();
          return;
        }
        entry.state = 'failed';
        entry.error = e.error;
        messages.setLocal(entry.chatId, entry.clientMsgId, 'failed', e.error);
        await queue.put(entry).catch(() => undefined);
      }
    }
  }

  function scheduleRetry(): void {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  /** Back online (browser or WebSocket): try now, not at the next backoff step. */
  function online(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    retryDelay = RETRY_MIN_MS;
    void flush();
  }

  async function retry(clientMsgId: string): Promise<void> {
    const entry = entries.get(clientMsgId);
    if (!entry) return;
    entry.state = 'queued';
    entry.error = undefined;
    entry.order = lastOrder = Math.max(Date.now(), lastOrder + 1);
    useMessagesStore().setLocal(entry.chatId, clientMsgId, 'sending');
    await queue.put(entry).catch(() => undefined);
    await flush();
  }

  async function discard(clientMsgId: string): Promise<void> {
    const entry = entries.get(clientMsgId);
    if (!entry) return;
    entries.delete(clientMsgId);
    const url = files.get(clientMsgId)?.previewUrl;
    if (url) URL.revokeObjectURL(url);
    files.delete(clientMsgId);
    useMessagesStore().removeLocal(entry.chatId, clientMsgId);
    await queue.remove(clientMsgId).catch(() => undefined);
  }

  if (typeof window !== 'undefined') window.addEventListener('online', online);
  // Logged out: forget what is in memory (the queue keeps it for the next login of
  // the same person, whose restore shows and sends it again).
  watch(
    () => useSessionStore().me?.id ?? null,
    (id) => {
      if (id !== null) return;
      entries.clear();
      files.clear();
      restored = null;
      restoredFor = null;
    },
  );

  return { entries, sending, restore, submit, flush, online, retry, discard };
});
