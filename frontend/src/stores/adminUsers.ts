// The admin's user table (§14.2) and the actions on a user (§14.4). An action
// shows its result in the row at once and is taken back if the server refuses
// (the refusal's text, e.g. "Cannot block yourself", is kept for the screen).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { adminApi, type AdminUser, type UserAction, type UserStatus } from '../api/admin';
import { pagedList } from './adminList';

export interface UserFilters {
  q: string;
  status: UserStatus;
  page: number;
}

export const USER_STATUSES: readonly UserStatus[] = ['', 'active', 'blocked', 'admin', 'inactive'];

/** The flags a user has after an action succeeded (§14.4). */
export function applyAction<U extends Pick<AdminUser, 'is_active' | 'is_admin' | 'is_blocked'>>(user: U, action: UserAction): U {
  switch (action) {
    case 'block':
      return { ...user, is_blocked: true };
    case 'unblock':
      return { ...user, is_blocked: false };
    case 'soft-delete':
      return { ...user, is_active: false, is_blocked: true };
    case 'toggle-admin':
      return { ...user, is_admin: !user.is_admin };
  }
}

export const useAdminUsersStore = defineStore('adminUsers', () => {
  const list = pagedList<UserFilters, Awaited<ReturnType<typeof adminApi.users>>, AdminUser>(
    { q: '', status: '', page: 1 },
    (f) => adminApi.users({ q: f.q.trim(), status: f.status, page: f.page }),
    (answer) => answer.users,
  );
  /** The user whose action is on its way. */
  const busyId = ref<number | null>(null);
  const actionError = shallowRef<unknown>(null);

  /** Runs an action; the row changes at once and changes back on a refusal. */
  async function act(id: number, action: UserAction): Promise<boolean> {
    const at = list.rows.value.findIndex((u) => u.id === id);
    const before = at >= 0 ? list.rows.value[at]! : null;
    if (before) list.rows.value.splice(at, 1, applyAction(before, action));
    busyId.value = id;
    actionError.value = null;
    try {
      await adminApi.userAction(id, action);
      return true;
    } catch (e) {
      const now = list.rows.value.findIndex((u) => u.id === id);
      if (before && now >= 0) list.rows.value.splice(now, 1, before);
      actionError.value = e;
      return false;
    } finally {
      busyId.value = null;
    }
  }

  return { ...list, busyId, actionError, act };
});
