// The chat list (`GET /chats`, in the server's order: pinned, favourites, recent),
// kept live by incoming messages and chat events, and every per-user action on a
// chat (pin, favourite, mute, archive, leave, delete, create).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api';
import type { ChatListItem, Message, WsChatMemberJoined, WsChatMemberLeft, WsChatUpdated } from '../api/types';
import { compareChats, detailToItem, MUTE_DURATIONS, splitSections, type MuteDuration } from './chatListing';
import { isMutedNow, loadPrefs, savePrefs, type ChatPrefs } from './chatPrefs';
import { useNotificationsStore } from './notifications';
import { usePresenceStore } from './presence';
import { useSessionStore } from './session';
import { useTypingStore } from './typing';

export { chatTitle, compareChats, detailToItem, isSavedMessages, MUTE_DURATIONS, splitSections } from './chatListing';
export type { ChatSections, MuteDuration } from './chatListing';

export const useChatsStore = defineStore('chats', () => {
  const list = ref<ChatListItem[]>([]);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  /** `message_type` of each chat's last message (the list only says `""` for non-text). */
  const lastTypes = ref<Record<number, string>>({});
  const prefs = ref<ChatPrefs>({ archived: {}, muteUntil: {} });
  /** Ticks every 30 s so timed mutes end on screen by themselves. */
  const now = ref(Date.now());
  let clock: ReturnType<typeof setInterval> | null = null;
  let prefsOwner: number | null = null;

  const myId = (): number | null => useSessionStore().me?.id ?? null;

  function ensurePrefs(): void {
    const id = myId();
    if (id === prefsOwner) return;
    prefsOwner = id;
    prefs.value = loadPrefs(id);
  }
  function persist(): void {
    savePrefs(prefsOwner, prefs.value);
  }

  const sections = computed(() => splitSections(list.value));
  /** The visible order (sections flattened): Alt+↑/↓ and the switcher follow it. */
  const ordered = computed(() => [...sections.value.pinned, ...sections.value.favourites, ...sections.value.all]);
  const archived = computed(() => Object.values(prefs.value.archived));

  function isMuted(chat: Pick<ChatListItem, 'id' | 'is_muted'>): boolean {
    return isMutedNow(chat, prefs.value.muteUntil, now.value);
  }
  function mutedUntil(chatId: number): string | null {
    return prefs.value.muteUntil[chatId] ?? null;
  }
  /** Unread messages in chats that are not muted: the tab title's count. */
  const unreadTotal = computed(() => list.value.reduce((n, c) => (isMuted(c) ? n : n + c.unread_count), 0));

  /** Loads started so far; a chat changed here remembers the count it was changed under. */
  let loads = 0;
  const touchedIn = new Map<number, number>();
  function touch(chatId: number): void {
    touchedIn.set(chatId, loads);
  }
  /** Changes shown here and not yet answered by the server, per chat. */
  const unsaved = new Map<number, number>();
  function saving(chatId: number, by: 1 | -1): void {
    unsaved.set(chatId, (unsaved.get(chatId) ?? 0) + by);
  }

  async function load(): Promise<void> {
    ensurePrefs();
    clock ??= setInterval(() => (now.value = Date.now()), 30_000);
    const started = ++loads;
    try {
      const fresh = await api.get('/chats');
      keepTouched(fresh, started);
      list.value = fresh.sort(compareChats);
      error.value = null;
      loaded.value = true;
      reconcile(fresh);
      usePresenceStore().seed(fresh);
      void fillLastTypes();
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    }
  }

  /** A listed chat is not archived any more (unarchived elsewhere); ended mutes are removed on the server too. */
  function reconcile(fresh: readonly ChatListItem[]): void {
    let changed = false;
    for (const chat of fresh) {
      if (prefs.value.archived[chat.id]) {
        delete prefs.value.archived[chat.id];
        changed = true;
      }
      if (!chat.is_muted && chat.id in prefs.value.muteUntil) {
        delete prefs.value.muteUntil[chat.id];
        changed = true;
      } else if (chat.is_muted && !isMuted(chat)) {
        delete prefs.value.muteUntil[chat.id];
        chat.is_muted = false;
        changed = true;
        void api.delete('/chats/{id}/mute', { params: { id: chat.id } }).catch(() => undefined);
      }
    }
    if (changed) persist();
  }

  /** Non-text last messages: one look at the latest message tells "Photo", "File", … */
  async function fillLastTypes(): Promise<void> {
    // The first screenfuls only: a long list should not cost a request per chat.
    const unknown = list.value.filter((c) => c.last_message === '' && !(c.id in lastTypes.value)).slice(0, 40);
    for (const chat of unknown) {
      try {
        const [last] = (await api.get('/chats/{id}/messages', { params: { id: chat.id }, query: { limit: 1 } })).slice(-1);
        if (last) lastTypes.value[chat.id] = last.message_type;
      } catch {
        // the preview stays "Attachment"
      }
    }
  }

  /** A list fetched before a chat changed here — a live message, a pin or mute
   *  not yet saved, a read — must not roll that chat back: it keeps what it
   *  shows (a reload racing a new chat's first message left "No messages yet"
   *  for good; one racing a pin unpinned it). The next load brings the rest. */
  function keepTouched(fresh: ChatListItem[], started: number): void {
    const kept = (id: number) => (unsaved.get(id) ?? 0) > 0 || (touchedIn.get(id) ?? 0) >= started;
    // One look-up table, not a scan of the list per chat (500 chats: 250 000 comparisons).
    const shown = new Map(list.value.filter((c) => kept(c.id)).map((c) => [c.id, c]));
    fresh.forEach((chat, i) => {
      fresh[i] = shown.get(chat.id) ?? chat;
    });
  }

  let reloadTimer: ReturnType<typeof setTimeout> | null = null;
  /** Several events in a burst (a new chat, its first message) cost one reload. */
  function reloadSoon(): void {
    if (reloadTimer) clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      void load();
    }, 150);
  }

  function byId(id: number): ChatListItem | undefined {
    return list.value.find((c) => c.id === id) ?? prefs.value.archived[id];
  }

  function resort(): void {
    list.value = [...list.value].sort(compareChats);
  }

  /** A new message: preview, time, unread (unless mine or the chat is open), order. */
  function applyMessage(message: Message, me: number | null, openChatId: number | null): void {
    useTypingStore().stop(message.chat_id, message.sender_id);
    const chat = list.value.find((c) => c.id === message.chat_id);
    if (!chat) {
      reloadSoon();
      return;
    }
    touch(chat.id);
    if (!chat.last_at || message.created_at >= chat.last_at) {
      chat.last_message = message.message_type === 'text' ? (message.content ?? '') : '';
      chat.last_at = message.created_at;
      lastTypes.value[chat.id] = message.message_type;
      if (message.created_at > chat.updated_at) chat.updated_at = message.created_at;
    }
    if (message.sender_id !== me) {
      // The open chat counts too while the tab is hidden: it is read once shown (ChatView).
      if (message.chat_id !== openChatId || (typeof document !== 'undefined' && document.hidden)) chat.unread_count += 1;
      if (!isMuted(chat)) useNotificationsStore().messageArrived(message, chat);
    }
    resort();
  }

  async function markRead(chatId: number): Promise<void> {
    const chat = byId(chatId);
    if (chat) chat.unread_count = 0;
    saving(chatId, 1);
    await api.post('/chats/{id}/read', { params: { id: chatId } }).catch(() => undefined);
    saving(chatId, -1);
    touch(chatId);
  }

  /** Applies a change at once; puts it back and rethrows when the server refuses. */
  async function optimistic(chatId: number, change: (c: ChatListItem) => void, call: () => Promise<unknown>): Promise<void> {
    const chat = byId(chatId);
    const before = chat ? { ...chat } : null;
    if (chat) change(chat);
    saving(chatId, 1);
    resort();
    try {
      await call();
    } catch (e) {
      if (chat && before) Object.assign(chat, before);
      resort();
      throw e;
    } finally {
      saving(chatId, -1);
      // A load in flight may have been answered before the server saved it.
      touch(chatId);
    }
  }

  const path = (id: number) => ({ params: { id } });

  function setPinned(id: number, on: boolean): Promise<void> {
    return optimistic(id, (c) => (c.is_pinned = on), () => (on ? api.post('/chats/{id}/pin', path(id)) : api.delete('/chats/{id}/pin', path(id))));
  }

  function setFavorite(id: number, on: boolean): Promise<void> {
    return optimistic(
      id,
      (c) => (c.is_favorite = on),
      () => (on ? api.post('/chats/{id}/favorite', path(id)) : api.delete('/chats/{id}/favorite', path(id))),
    );
  }

  async function mute(id: number, duration: MuteDuration): Promise<void> {
    const ms = MUTE_DURATIONS[duration];
    const until = ms === null ? null : new Date(Date.now() + ms).toISOString();
    await optimistic(id, (c) => (c.is_muted = true), () => api.post('/chats/{id}/mute', { ...path(id), body: { muted_until: until } }));
    prefs.value.muteUntil[id] = until;
    persist();
  }

  async function unmute(id: number): Promise<void> {
    await optimistic(id, (c) => (c.is_muted = false), () => api.delete('/chats/{id}/mute', path(id)));
    delete prefs.value.muteUntil[id];
    persist();
  }

  async function archive(id: number): Promise<void> {
    const chat = list.value.find((c) => c.id === id);
    await api.post('/chats/{id}/archive', path(id));
    if (chat) prefs.value.archived[id] = { ...chat, is_archived: true };
    list.value = list.value.filter((c) => c.id !== id);
    persist();
  }

  async function unarchive(id: number): Promise<void> {
    await api.delete('/chats/{id}/archive', path(id));
    delete prefs.value.archived[id];
    persist();
    await load();
  }

  /** Refreshes the archive view from the server; chats that are gone leave it. */
  async function refreshArchived(): Promise<void> {
    ensurePrefs();
    for (const before of Object.values(prefs.value.archived)) {
      try {
        const detail = await api.get('/chats/{id}', path(before.id));
        prefs.value.archived[before.id] = detailToItem(detail, myId(), before);
      } catch {
        delete prefs.value.archived[before.id];
      }
    }
    persist();
  }

  function forget(id: number): void {
    list.value = list.value.filter((c) => c.id !== id);
    if (prefs.value.archived[id] || id in prefs.value.muteUntil) {
      delete prefs.value.archived[id];
      delete prefs.value.muteUntil[id];
      persist();
    }
  }

  async function leave(id: number): Promise<void> {
    await api.delete('/chats/{id}/leave', path(id));
    forget(id);
  }

  async function remove(id: number): Promise<void> {
    await api.delete('/chats/{id}', path(id));
    forget(id);
  }

  /** Opens (or creates) the direct chat with a person; with myself it is Saved Messages. */
  async function openDirect(userId: number): Promise<number> {
    const created = await api.post('/chats', {
      body: { type: 'direct', name: '', title: '', description: '', public_name: '', member_ids: [userId] },
    });
    if (!byId(created.id)) await load();
    return created.id;
  }

  async function savedMessages(): Promise<number> {
    const me = myId();
    if (me === null) throw new Error('not logged in');
    return openDirect(me);
  }

  async function create(type: 'group' | 'channel', title: string, memberIds: number[], publicName = ''): Promise<number> {
    const created = await api.post('/chats', {
      body: { type, name: '', title, description: '', public_name: publicName, member_ids: memberIds },
    });
    await load();
    return created.id;
  }

  function applyUpdated(ev: WsChatUpdated): void {
    const chat = byId(ev.chat_id);
    if (!chat) return reloadSoon();
    if (ev.title !== undefined) chat.title = ev.title;
    if (ev.description !== undefined) chat.description = ev.description;
    if (ev.avatar_url !== undefined) chat.avatar_url = ev.avatar_url;
  }

  function applyMemberJoined(ev: WsChatMemberJoined): void {
    const chat = byId(ev.chat_id);
    if (chat && ev.user_id !== myId()) chat.member_count += 1;
  }

  function applyMemberLeft(ev: WsChatMemberLeft): void {
    if (ev.user_id === myId()) return forget(ev.chat_id);
    const chat = byId(ev.chat_id);
    if (chat) chat.member_count = Math.max(1, chat.member_count - 1);
  }

  /** My role in a chat (for "Delete", owner only, §7.7), asked once per chat. */
  const roles = ref<Record<number, string>>({});
  async function roleIn(id: number): Promise<string | null> {
    if (roles.value[id]) return roles.value[id];
    try {
      const detail = await api.get('/chats/{id}', path(id));
      roles.value[id] = detail.my_role;
      return detail.my_role;
    } catch {
      return null;
    }
  }

  /** Logging out forgets the previous user's chats, and who was online or typing for them. */
  function reset(): void {
    usePresenceStore().reset();
    useTypingStore().reset();
    roles.value = {};
    list.value = [];
    loaded.value = false;
    lastTypes.value = {};
    prefsOwner = null;
    prefs.value = { archived: {}, muteUntil: {} };
    if (clock) clearInterval(clock);
    clock = null;
  }

  return {
    list,
    loaded,
    error,
    lastTypes,
    sections,
    ordered,
    archived,
    unreadTotal,
    isMuted,
    mutedUntil,
    load,
    reloadSoon,
    byId,
    applyMessage,
    markRead,
    setPinned,
    setFavorite,
    mute,
    unmute,
    archive,
    unarchive,
    refreshArchived,
    leave,
    remove,
    forget,
    openDirect,
    savedMessages,
    create,
    applyUpdated,
    applyMemberJoined,
    applyMemberLeft,
    roleIn,
    reset,
  };
});
