// How the admin screens write dates, names and chats.
import type { LocationQueryValue } from 'vue-router';
import { parseTimestamp } from '../../utils/time';

type T = (key: string, named?: Record<string, unknown>) => string;

/** Date and time of a contract timestamp in the reader's locale (`''` when absent). */
export function dateTime(ts: string | null | undefined, locale: string): string {
  if (!ts) return '';
  const d = parseTimestamp(ts);
  return Number.isNaN(d.getTime()) ? ts : d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function userName(u: { username: string; display_name?: string | null }): string {
  return u.display_name || u.username;
}

/** A chat's name for a table cell: its title or name, else its type and id. */
export function chatLabel(chat: { id: number; type: string; name?: string | null; title?: string | null }, t: T): string {
  const own = chat.title || chat.name;
  if (own) return own;
  const types = ['direct', 'group', 'channel'];
  return `${types.includes(chat.type) ? t(`admin.chatTypes.${chat.type}`) : chat.type} ${chat.id}`;
}

/**
 * The text of a message row. Admins see a message deleted for everyone with its
 * text (`is_deleted`, marked as deleted); one without content reads "Deleted message".
 */
export function messageText(
  m: { content: string | null; message_type?: string; is_deleted?: boolean },
  t: T,
): { text: string; deleted: boolean; gone: boolean } {
  const deleted = m.is_deleted === true || m.content === null;
  if (m.content === null) return { text: t('admin.deleted'), deleted, gone: true };
  if (m.content === '' && m.message_type && m.message_type !== 'text') {
    return { text: t('admin.nonText', { type: m.message_type }), deleted, gone: false };
  }
  return { text: m.content, deleted, gone: false };
}

type QueryValue = LocationQueryValue | LocationQueryValue[] | undefined;

/** A query parameter as text (the first when repeated). */
export function textParam(v: QueryValue): string {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

/** A query parameter as a positive integer, else 0. */
export function idParam(v: QueryValue): number {
  const text = textParam(v).trim();
  return /^\d{1,15}$/.test(text) ? Number(text) : 0;
}

export function pageParam(v: QueryValue): number {
  return Math.max(1, idParam(v));
}

type Flags = { is_active: boolean; is_blocked: boolean; is_admin: boolean };

/** A user's state as badges: deleted or active, blocked, admin. */
export function userFlags(u: Flags): { key: 'active' | 'blocked' | 'admin' | 'deleted'; tone: '' | 'bad' | 'good' }[] {
  const out: { key: 'active' | 'blocked' | 'admin' | 'deleted'; tone: '' | 'bad' | 'good' }[] = [];
  if (!u.is_active) out.push({ key: 'deleted', tone: 'bad' });
  else if (!u.is_blocked) out.push({ key: 'active', tone: '' });
  if (u.is_blocked) out.push({ key: 'blocked', tone: 'bad' });
  if (u.is_admin) out.push({ key: 'admin', tone: 'good' });
  return out;
}

/** The texts' key of an action on this user (`toggle-admin` reads as make or remove). */
export function actionKey(action: string, u: Pick<Flags, 'is_admin'>): string {
  if (action === 'soft-delete') return 'softDelete';
  if (action === 'toggle-admin') return u.is_admin ? 'removeAdmin' : 'makeAdmin';
  return action;
}

/** The texts' key of an audit action (`soft-delete` → `softDelete`). */
export function auditActionKey(action: string): string {
  return action.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}
