// The Admin API (contract §14, plus the audit log and the moderation delete):
// names for its generated types and one function per call.
import { api } from './index';
import type { Schemas } from './types';

export type DayCount = Schemas['DayCount'];
export type AdminStats = Schemas['AdminStats'];
export type AdminUser = Schemas['AdminUser'];
export type AdminUserPage = Schemas['AdminUserPage'];
export type AdminUserFull = Schemas['AdminUserFull'];
export type AdminUserChat = Schemas['AdminUserChat'];
export type AdminUserMessage = Schemas['AdminUserMessage'];
export type AdminUserDetail = Schemas['AdminUserDetail'];
export type AdminMessage = Schemas['AdminMessage'];
export type AdminMessagePage = Schemas['AdminMessagePage'];
export type SupportUser = Schemas['SupportUser'];
export type SupportUsers = Schemas['SupportUsers'];
export type SupportChat = Schemas['SupportChat'];
export type SupportChats = Schemas['SupportChats'];
export type SupportMessage = Schemas['SupportMessage'];
export type SupportMessages = Schemas['SupportMessages'];
export type SupportSendRequest = Schemas['SupportSendRequest'];
export type SupportSent = Schemas['SupportSent'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditPage = Schemas['AuditPage'];

/** The audit log's actions (the schema types them as plain strings). */
export const AUDIT_ACTIONS = ['block', 'unblock', 'soft-delete', 'toggle-admin', 'support-send', 'message-delete'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type UserAction = 'block' | 'unblock' | 'soft-delete' | 'toggle-admin';
export type UserStatus = '' | 'active' | 'blocked' | 'admin' | 'inactive';

export interface UsersQuery {
  page?: number;
  per_page?: number;
  q?: string;
  status?: UserStatus;
}
export interface MessagesQuery {
  page?: number;
  per_page?: number;
  user_id?: number;
  chat_id?: number;
  q?: string;
}
export interface AuditQuery {
  page?: number;
  per_page?: number;
  admin_id?: number;
  target_id?: number;
  action?: AuditAction;
}

/** Drops empty filters so that the URL carries only what is set. */
function present<Q extends object>(query: Q): Partial<Q> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '' && v !== 0)) as Partial<Q>;
}

export const adminApi = {
  stats: () => api.get('/admin-api/stats'),
  users: (query: UsersQuery) => api.get('/admin-api/users', { query: present(query) }),
  user: (id: number) => api.get('/admin-api/users/{id}', { params: { id } }),
  userAction: (id: number, action: UserAction) => api.post('/admin-api/users/{id}/{action}', { params: { id, action } }),
  messages: (query: MessagesQuery) => api.get('/admin-api/messages', { query: present(query) }),
  deleteMessage: (id: number) => api.delete('/admin-api/messages/{id}', { params: { id } }),
  supportUsers: () => api.get('/admin-api/support/users'),
  supportChats: () => api.get('/admin-api/support/chats'),
  supportMessages: () => api.get('/admin-api/support/messages'),
  supportSend: (body: SupportSendRequest) => api.post('/admin-api/support/send', { body }),
  audit: (query: AuditQuery) => api.get('/admin-api/audit', { query: present(query) }),
};
