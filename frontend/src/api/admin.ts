// The Admin API (contract §14, plus the audit log and moderation delete).
// TEMPORARY: the generated schema (schema.d.ts) has no `/admin-api/` paths yet, so
// the types below are written by hand after the contract and the calls go through
// one loosely typed view of the client. Once the service's types are generated,
// these become `Schemas['…']` names and the calls the typed `api.get(...)`.
import { api } from './index';

export interface DayCount {
  /** `YYYY-MM-DD` (a plain date, §1.5 exception). */
  day: string;
  count: number;
}

export interface AdminStats {
  total_users: number;
  dau: number;
  wau: number;
  total_chats: number;
  chats_by_type: Record<string, number>;
  total_messages: number;
  messages_today: number;
  new_users_today: number;
  blocked_users: number;
  reg_trend: DayCount[];
  msg_trend: DayCount[];
}

export interface AdminUser {
  id: number;
  username: string;
  display_name: string | null;
  email: string;
  is_active: boolean;
  is_admin: boolean;
  is_blocked: boolean;
  created_at: string;
  last_activity: string | null;
}

export interface AdminUserPage {
  users: AdminUser[];
  page: number;
  per_page: number;
  total: number;
  total_pages: number;
}

export interface AdminUserFull extends AdminUser {
  bio: string | null;
  updated_at: string;
}

export interface AdminUserChat {
  id: number;
  type: string;
  name: string | null;
  title: string | null;
  role: string;
  joined_at: string;
  member_count: number;
}

export interface AdminUserMessage {
  id: number;
  chat_id: number;
  content: string | null;
  message_type: string;
  created_at: string;
  chat_name: string | null;
  chat_type: string;
}

export interface AdminUserDetail {
  user: AdminUserFull;
  message_count: number;
  chats: AdminUserChat[];
  messages: AdminUserMessage[];
}

export interface AdminMessage {
  id: number;
  chat_id: number;
  sender_id: number;
  content: string | null;
  message_type: string;
  created_at: string;
  sender_username: string;
  sender_display_name: string | null;
  chat_name: string | null;
  chat_type: string;
}

export interface AdminMessagePage {
  messages: AdminMessage[];
  page: number;
  per_page: number;
  total: number;
  total_pages: number;
}

export interface SupportUser {
  id: number;
  username: string;
  display_name: string;
}
export interface SupportUsers {
  users: SupportUser[];
}

export interface SupportChat {
  id: number;
  type: string;
  name: string | null;
  title: string | null;
  member_count: number;
}
export interface SupportChats {
  chats: SupportChat[];
}

export interface SupportMessage {
  id: number;
  chat_id: number;
  content: string | null;
  created_at: string;
  chat_name: string | null;
  chat_type: string;
}
export interface SupportMessages {
  messages: SupportMessage[];
}

export interface SupportSendRequest {
  content: string;
  target_user_id?: number | null;
  chat_id?: number | null;
}

export interface SupportSent {
  id: number;
  chat_id: number;
  created_at: string;
}

export const AUDIT_ACTIONS = ['block', 'unblock', 'soft-delete', 'toggle-admin', 'support-send', 'message-delete'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  admin_id: number;
  admin_username: string;
  action: AuditAction;
  target_type: 'user' | 'chat' | 'message';
  target_id: number;
  detail: Record<string, unknown> | null;
  ip: string | null;
  created_at: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  page: number;
  per_page: number;
  total: number;
  total_pages: number;
}

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

// The one cast: the typed client's methods over paths the schema does not know yet.
interface Init {
  params?: Record<string, string | number>;
  query?: object;
  body?: unknown;
}
const loose = api as unknown as {
  get<T>(path: string, init?: Init): Promise<T>;
  post<T>(path: string, init?: Init): Promise<T>;
  delete(path: string, init?: Init): Promise<undefined>;
};

/** Drops empty filters so that the URL carries only what is set. */
function present<Q extends object>(query: Q): Partial<Q> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '' && v !== 0)) as Partial<Q>;
}

export const adminApi = {
  stats: () => loose.get<AdminStats>('/admin-api/stats'),
  users: (query: UsersQuery) => loose.get<AdminUserPage>('/admin-api/users', { query: present(query) }),
  user: (id: number) => loose.get<AdminUserDetail>('/admin-api/users/{id}', { params: { id } }),
  userAction: (id: number, action: UserAction) =>
    loose.post<undefined>('/admin-api/users/{id}/{action}', { params: { id, action } }),
  messages: (query: MessagesQuery) => loose.get<AdminMessagePage>('/admin-api/messages', { query: present(query) }),
  deleteMessage: (id: number) => loose.delete('/admin-api/messages/{id}', { params: { id } }),
  supportUsers: () => loose.get<SupportUsers>('/admin-api/support/users'),
  supportChats: () => loose.get<SupportChats>('/admin-api/support/chats'),
  supportMessages: () => loose.get<SupportMessages>('/admin-api/support/messages'),
  supportSend: (body: SupportSendRequest) => loose.post<SupportSent>('/admin-api/support/send', { body }),
  audit: (query: AuditQuery) => loose.get<AuditPage>('/admin-api/audit', { query: present(query) }),
};
