// The open chat-info panel: a group's or channel's details and members (§7.4),
// editing (§7.6, §7.8), roles (§7.11), leaving (§7.10) and deleting (§7.7),
// kept current by the chat's live events.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { api } from '../api';
import { uploadFile } from '../api/multipart';
import type { ChatDetail, PublicChat } from '../api/types';
import type { ServerEventOf } from './profileEvents';
import { useChatsStore } from './chats';
import { useSessionStore } from './session';

export const useChatInfoStore = defineStore('chatinfo', () => {
  const detail = ref<ChatDetail | null>(null);
  const chatId = ref<number | null>(null);
  const loading = ref(false);
  const error = ref<unknown>(null);
  /** Set when the chat went away while the panel was open (deleted, or we left). */
  const gone = ref(false);

  const role = computed(() => detail.value?.my_role ?? 'member');
  const isOwner = computed(() => role.value === 'owner');
  const canManage = computed(() => role.value === 'owner' || role.value === 'admin');

  async function open(id: number): Promise<void> {
    chatId.value = id;
    detail.value = null;
    error.value = null;
    gone.value = false;
    loading.value = true;
    try {
      const answer = await api.get('/chats/{id}', { params: { id } });
      if (chatId.value === id) detail.value = answer;
    } catch (e) {
      if (chatId.value === id) error.value = e;
    } finally {
      if (chatId.value === id) loading.value = false;
    }
  }

  function close(): void {
    chatId.value = null;
    detail.value = null;
    error.value = null;
  }

  watch(
    () => useSessionStore().loggedIn,
    (loggedIn) => loggedIn || close(),
  );

  function requireId(): number {
    if (chatId.value === null) throw new Error('no chat is open');
    return chatId.value;
  }

  async function save(fields: { title: string; description: string }): Promise<void> {
    const id = requireId();
    const saved = await api.patch('/chats/{id}', { params: { id }, body: { ...fields, public_name: detail.value?.public_name ?? '' } });
    if (detail.value && chatId.value === id) {
      detail.value.title = saved.title;
      detail.value.description = saved.description;
    }
    void useChatsStore().load();
  }

  async function setAvatar(file: File): Promise<void> {
    const id = requireId();
    const uploaded = await uploadFile(file, file.name || 'avatar');
    const answer = await api.post('/chats/{id}/avatar', { params: { id }, body: { file_id: uploaded.id } });
    if (detail.value && chatId.value === id) detail.value.avatar_url = answer.avatar_url;
  }

  async function setRole(userId: number, action: 'promote' | 'demote'): Promise<void> {
    const id = requireId();
    const answer =
      action === 'promote'
        ? await api.post('/chats/{id}/members/{userId}/promote', { params: { id, userId } })
        : await api.post('/chats/{id}/members/{userId}/demote', { params: { id, userId } });
    const member = detail.value?.members.find((m) => m.id === userId);
    if (member) member.role = answer.role;
  }

  async function leave(): Promise<void> {
    const id = requireId();
    await api.delete('/chats/{id}/leave', { params: { id } });
    // The list first, so that the chat is no longer in it once the panel closes.
    await useChatsStore().load();
    gone.value = true;
  }

  async function remove(): Promise<void> {
    const id = requireId();
    await api.delete('/chats/{id}', { params: { id } });
    // The list first, so that the chat is no longer in it once the panel closes.
    await useChatsStore().load();
    gone.value = true;
  }

  /** A public chat by name, and whether the caller is a member (then `GET /chats/{id}` answers). */
  async function findPublic(name: string): Promise<{ chat: PublicChat; member: boolean }> {
    const chat = await api.get('/chats/by-name/{public_name}', { params: { public_name: name } });
    const member = await api
      .get('/chats/{id}', { params: { id: chat.id } })
      .then(() => true)
      .catch(() => false);
    return { chat, member };
  }

  function current(eventChatId: number): ChatDetail | null {
    return detail.value && detail.value.id === eventChatId ? detail.value : null;
  }

  function applyUpdated(ev: ServerEventOf<'chat_updated'>): void {
    const chat = current(ev.chat_id);
    if (!chat) return;
    if (ev.title !== undefined) chat.title = ev.title;
    if (ev.description !== undefined) chat.description = ev.description;
    if (ev.avatar_url !== undefined) chat.avatar_url = ev.avatar_url;
  }

  function applyJoined(ev: ServerEventOf<'chat_member_joined'>): void {
    const chat = current(ev.chat_id);
    if (!chat || chat.members.some((m) => m.id === ev.user_id)) return;
    chat.members.push({
      id: ev.user_id,
      username: ev.username,
      display_name: ev.display_name,
      role: 'member',
      joined_at: new Date().toISOString(),
      avatar_url: null,
    });
    chat.member_count = chat.members.length;
  }

  function applyLeft(ev: ServerEventOf<'chat_member_left'>, myId: number | null): void {
    const chat = current(ev.chat_id);
    if (!chat) return;
    if (ev.user_id === myId) {
      gone.value = true;
      return;
    }
    chat.members = chat.members.filter((m) => m.id !== ev.user_id);
    chat.member_count = chat.members.length;
  }

  function applyDeleted(ev: ServerEventOf<'chat_deleted'>): void {
    if (chatId.value === ev.chat_id) gone.value = true;
  }

  function applyProfile(ev: ServerEventOf<'user_profile_updated'>): void {
    for (const member of detail.value?.members ?? []) {
      if (member.id !== ev.user_id) continue;
      if (ev.display_name !== undefined) member.display_name = ev.display_name;
      if (ev.avatar_url !== undefined) member.avatar_url = ev.avatar_url;
    }
  }

  return {
    detail,
    chatId,
    loading,
    error,
    gone,
    role,
    isOwner,
    canManage,
    open,
    close,
    save,
    setAvatar,
    setRole,
    leave,
    remove,
    findPublic,
    applyUpdated,
    applyJoined,
    applyLeft,
    applyDeleted,
    applyProfile,
  };
});
