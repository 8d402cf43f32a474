// The admin's message search (§14.5) and moderation delete for everyone: the row
// shows the message as deleted at once, and comes back if the server refuses.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { adminApi, type AdminMessage } from '../api/admin';
import { pagedList } from './adminList';

export interface MessageFilters {
  /** Sender id; 0 = any. */
  userId: number;
  /** Chat id; 0 = any. */
  chatId: number;
  q: string;
  page: number;
}

export const useAdminMessagesStore = defineStore('adminMessages', () => {
  const list = pagedList<MessageFilters, Awaited<ReturnType<typeof adminApi.messages>>, AdminMessage>(
    { userId: 0, chatId: 0, q: '', page: 1 },
    (f) => adminApi.messages({ user_id: f.userId, chat_id: f.chatId, q: f.q.trim(), page: f.page }),
    (answer) => answer.messages,
  );
  const busyId = ref<number | null>(null);
  const actionError = shallowRef<unknown>(null);

  async function remove(id: number): Promise<boolean> {
    const at = list.rows.value.findIndex((m) => m.id === id);
    const before = at >= 0 ? list.rows.value[at]! : null;
    if (before) list.rows.value.splice(at, 1, { ...before, is_deleted: true });
    busyId.value = id;
    actionError.value = null;
    try {
      await adminApi.deleteMessage(id);
      return true;
    } catch (e) {
      const now = list.rows.value.findIndex((m) => m.id === id);
      if (before && now >= 0) list.rows.value.splice(now, 1, before);
      actionError.value = e;
      return false;
    } finally {
      busyId.value = null;
    }
  }

  return { ...list, busyId, actionError, remove };
});
