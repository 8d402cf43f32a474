// Invite links (§8): a chat's links for its owner/admins, and the join flow of
// `/join/{token}` (the preview needs no login, joining does).
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { api } from '../api';
import type { Invite, InviteJoined, InvitePreview } from '../api/types';
import { serverAddress } from '../platform/server';
import { useChatsStore } from './chats';
import { useSessionStore } from './session';

/** The link people share: this app's origin (the desktop app's server) and the invite's relative `link`. */
export function inviteUrl(invite: Pick<Invite, 'link' | 'token'>, origin: string = serverAddress() ?? location.origin): string {
  return origin + (invite.link || `/join/${invite.token}`);
}

export const useInvitesStore = defineStore('invites', () => {
  const chatId = ref<number | null>(null);
  const list = ref<Invite[]>([]);
  const error = ref<unknown>(null);

  watch(
    () => useSessionStore().loggedIn,
    (loggedIn) => {
      if (loggedIn) return;
      chatId.value = null;
      list.value = [];
    },
  );

  async function load(id: number): Promise<void> {
    chatId.value = id;
    list.value = [];
    error.value = null;
    try {
      const answer = await api.get('/chats/{id}/invites', { params: { id } });
      if (chatId.value === id) list.value = answer;
    } catch (e) {
      if (chatId.value === id) error.value = e;
    }
  }

  async function create(id: number): Promise<Invite> {
    const invite = await api.post('/chats/{id}/invites', { params: { id } });
    if (chatId.value === id) list.value = [invite, ...list.value.filter((i) => i.token !== invite.token)];
    return invite;
  }

  async function revoke(token: string): Promise<void> {
    await api.delete('/invites/{token}', { params: { token } });
    list.value = list.value.filter((i) => i.token !== token);
  }

  function preview(token: string): Promise<InvitePreview> {
    return api.get('/invites/{token}/preview', { params: { token } });
  }

  /** Joins and lists the chat, so that it opens with its title at once. */
  async function join(token: string): Promise<InviteJoined> {
    const joined = await api.post('/invites/{token}/join', { params: { token } });
    await useChatsStore().load();
    return joined;
  }

  return { chatId, list, error, load, create, revoke, preview, join };
});
