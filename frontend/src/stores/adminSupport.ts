// Support messaging (§14.6): who can be written to, the support account's chats
// and recent messages, and sending as support to a user or a chat.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { adminApi, type SupportChat, type SupportMessage, type SupportSent, type SupportUser } from '../api/admin';

export type SupportTarget = { kind: 'user'; id: number } | { kind: 'chat'; id: number };

export const useAdminSupportStore = defineStore('adminSupport', () => {
  const users = ref<SupportUser[]>([]);
  const chats = ref<SupportChat[]>([]);
  const messages = ref<SupportMessage[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = shallowRef<unknown>(null);
  const sending = ref(false);
  const sendError = shallowRef<unknown>(null);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const [u, c, m] = await Promise.all([adminApi.supportUsers(), adminApi.supportChats(), adminApi.supportMessages()]);
      users.value = u.users;
      chats.value = c.chats;
      messages.value = m.messages;
      loaded.value = true;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  /** The user list only (the user page's "message as support" form). */
  async function loadUsers(): Promise<void> {
    if (users.value.length > 0) return;
    try {
      users.value = (await adminApi.supportUsers()).users;
    } catch (e) {
      error.value = e;
    }
  }

  /** Sends as support; the server's refusal text stays in `sendError`. */
  /** With no target the server's own refusal ("target_user_id or chat_id required") is shown. */
  async function send(target: SupportTarget | null, content: string): Promise<SupportSent | null> {
    sending.value = true;
    sendError.value = null;
    try {
      const sent = await adminApi.supportSend(
        target === null
          ? { content }
          : target.kind === 'user'
            ? { content, target_user_id: target.id }
            : { content, chat_id: target.id },
      );
      if (loaded.value) {
        // The new (or newly joined) chat and the message appear in the lists.
        const [c, m] = await Promise.all([adminApi.supportChats(), adminApi.supportMessages()]).catch(() => [null, null]);
        if (c) chats.value = c.chats;
        if (m) messages.value = m.messages;
      }
      return sent;
    } catch (e) {
      sendError.value = e;
      return null;
    } finally {
      sending.value = false;
    }
  }

  return { users, chats, messages, loading, loaded, error, sending, sendError, load, loadUsers, send };
});
