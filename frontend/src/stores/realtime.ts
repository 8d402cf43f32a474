// Connects the tab's WebSocket session to the stores: live messages update the
// open chat and the list; a reconnect catches up and reloads the list. Other event
// frames go to the handlers each feature area registers in `realtime/handlers/*.ts`
// (`export default function install(on: On) { on('typing', (ev) => ...) }`).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, tokens, websocketUrl } from '../api';
import type { Message, WsClientMessage } from '../api/types';
import { RealtimeSession, type ServerEvent, type Status } from '../realtime';
import { useChatsStore } from './chats';
import { useMessagesStore } from './messages';
import { useSessionStore } from './session';

/** Registers a handler for one kind of event frame. */
export type On = <T extends ServerEvent['type']>(type: T, handler: (ev: Extract<ServerEvent, { type: T }>) => void) => void;

const installers = Object.values(
  import.meta.glob<(on: On) => void>('../realtime/handlers/*.ts', { eager: true, import: 'default' }),
);

export const useRealtimeStore = defineStore('realtime', () => {
  const status = ref<Status>('closed');
  const wasOpen = ref(false);
  /** Connected before and not now: the app says so until it is back. */
  const lost = computed(() => wasOpen.value && status.value !== 'open');
  const openChatId = ref<number | null>(null);

  function receive(message: Message): void {
    const chats = useChatsStore();
    const messages = useMessagesStore();
    const me = useSessionStore().me;
    if (messages.chats[message.chat_id]?.loaded) messages.upsert(message.chat_id, [message]);
    chats.applyMessage(message, me?.id ?? null, openChatId.value);
    if (message.chat_id === openChatId.value && message.sender_id !== me?.id && !document.hidden) {
      void chats.markRead(message.chat_id);
    }
  }

  const handlers = new Map<string, Set<(ev: ServerEvent) => void>>();
  const on: On = (type, handler) => {
    let set = handlers.get(type);
    if (!set) handlers.set(type, (set = new Set()));
    set.add(handler as (ev: ServerEvent) => void);
  };

  function event(ev: ServerEvent): void {
    // The list itself follows these frames in realtime/handlers/chatlist.ts.
    if (ev.type === 'chat_created') session.subscribe(ev.chat_id);
    for (const handler of handlers.get(ev.type) ?? []) handler(ev);
  }

  function make(): RealtimeSession {
    return new RealtimeSession({
      url: websocketUrl(),
      token: () => tokens.get()?.access ?? null,
      fetchAfter: (chatId, afterSeq) =>
        api.get('/chats/{id}/messages', { params: { id: chatId }, query: { after_seq: afterSeq, limit: 100 } }),
      onMessage: receive,
      onEvent: event,
      onStatus: (s) => {
        status.value = s;
        if (s === 'open') wasOpen.value = true;
      },
      onCaughtUp: () => void useChatsStore().load(),
      onAuthFailed: () => api.refresh(),
    });
  }
  for (const install of installers) install(on);

  // Exists before it connects: what the app loads meanwhile still counts for catch-up.
  let session = make();

  function start(chatIds: number[]): void {
    session.start(chatIds);
    for (const id of chatIds) session.subscribe(id);
  }

  /** Delivers a chat's events from now on (idempotent; e.g. a chat back from the archive). */
  function subscribe(chatId: number): void {
    session.subscribe(chatId);
  }

  /** Sends a client frame (typing, presence_update) when the socket is open. */
  function send(frame: WsClientMessage): void {
    session.sendFrame(frame);
  }

  function noteActivity(): void {
    session.noteActivity();
  }

  function note(messages: readonly Message[]): void {
    session.note(messages);
  }

  function stop(): void {
    session.stop();
    session = make();
    wasOpen.value = false;
  }

  return { status, lost, openChatId, start, stop, subscribe, note, noteActivity, send, on };
});
