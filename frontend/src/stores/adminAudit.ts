// The audit log of admin actions: paged, filtered by admin, target and action.
import { defineStore } from 'pinia';
import { adminApi, type AuditAction, type AuditEntry } from '../api/admin';
import { pagedList } from './adminList';

export interface AuditFilters {
  /** 0 = any. */
  adminId: number;
  /** 0 = any. */
  targetId: number;
  action: AuditAction | '';
  page: number;
}

export const useAdminAuditStore = defineStore('adminAudit', () => {
  const list = pagedList<AuditFilters, Awaited<ReturnType<typeof adminApi.audit>>, AuditEntry>(
    { adminId: 0, targetId: 0, action: '', page: 1 },
    (f) => adminApi.audit({ admin_id: f.adminId, target_id: f.targetId, action: f.action || undefined, page: f.page }),
    (answer) => answer.entries,
  );
  return { ...list };
});
