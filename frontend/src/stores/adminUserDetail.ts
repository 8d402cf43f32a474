// One user as the admin sees it (§14.3): profile, chats with roles, recent
// messages; the same actions as the table, shown at once.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { ApiError } from '../api/client';
import { adminApi, type AdminUserDetail, type UserAction } from '../api/admin';
import { applyAction } from './adminUsers';

export const useAdminUserDetailStore = defineStore('adminUserDetail', () => {
  const id = ref<number | null>(null);
  const detail = ref<AdminUserDetail | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const error = shallowRef<unknown>(null);
  const busy = ref(false);
  const actionError = shallowRef<unknown>(null);

  async function load(userId: number): Promise<void> {
    if (id.value !== userId) detail.value = null;
    id.value = userId;
    loading.value = true;
    notFound.value = false;
    error.value = null;
    actionError.value = null;
    try {
      const answer = await adminApi.user(userId);
      if (id.value === userId) detail.value = answer;
    } catch (e) {
      if (id.value !== userId) return;
      if (e instanceof ApiError && e.status === 404) notFound.value = true;
      else error.value = e;
    } finally {
      if (id.value === userId) loading.value = false;
    }
  }

  async function act(action: UserAction): Promise<boolean> {
    const current = detail.value;
    if (!current) return false;
    const before = current.user;
    current.user = applyAction(before, action);
    busy.value = true;
    actionError.value = null;
    try {
      await adminApi.userAction(before.id, action);
      return true;
    } catch (e) {
      if (detail.value === current) current.user = before;
      actionError.value = e;
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { id, detail, loading, notFound, error, busy, actionError, load, act };
});
