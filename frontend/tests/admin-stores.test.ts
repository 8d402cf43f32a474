import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminMessage, AdminUser } from '../src/api/admin';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), patch: vi.fn(), delete: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', async () => {
  const { ApiError } = await import('../src/api/client');
  return {
    api,
    ApiError,
    tokens: { get: () => ({ access: 'a', refresh: 'r' }), set: vi.fn(), clear: vi.fn() },
    onLoggedOut: vi.fn(),
    websocketUrl: () => 'ws://test/ws',
  };
});

const { ApiError } = await import('../src/api/client');
const { useAdminUsersStore, applyAction } = await import('../src/stores/adminUsers');
const { useAdminUserDetailStore } = await import('../src/stores/adminUserDetail');
const { useAdminMessagesStore } = await import('../src/stores/adminMessages');
const { useAdminStatsStore } = await import('../src/stores/adminStats');
const { useAdminSupportStore } = await import('../src/stores/adminSupport');
const { useAdminAuditStore } = await import('../src/stores/adminAudit');

function user(id: number, username: string, extra: Partial<AdminUser> = {}): AdminUser {
  return {
    id,
    username,
    display_name: null,
    email: `${username}@example.com`,
    is_active: true,
    is_admin: false,
    is_blocked: false,
    created_at: '2026-03-01 10:00:00+00',
    last_activity: null,
    ...extra,
  };
}

function message(id: number, content: string | null): AdminMessage {
  return {
    id,
    chat_id: 5,
    sender_id: 3,
    content,
    message_type: 'text',
    created_at: '2026-03-01 10:00:00+00',
    sender_username: 'bob',
    sender_display_name: 'Bob',
    chat_name: 'Dev Team',
    chat_type: 'group',
    is_deleted: content === null,
  };
}

/** A promise resolved from the outside, to look at the state while a call is on its way. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const page = (users: AdminUser[], p = 1, total = users.length, totalPages = 1) => ({ users, page: p, per_page: 20, total, total_pages: totalPages });

beforeEach(() => {
  setActivePinia(createPinia());
  vi.resetAllMocks();
});

describe('the admin users store', () => {
  it('asks for the filters that are set (trimmed) and keeps the page it got', async () => {
    api.get.mockResolvedValue(page([user(2, 'bob')], 3, 45, 3));
    const store = useAdminUsersStore();
    await store.load({ q: ' bo ', status: 'blocked', page: 3 });
    expect(api.get).toHaveBeenCalledWith('/admin-api/users', { query: { q: 'bo', status: 'blocked', page: 3 } });
    expect(store.rows.map((u) => u.username)).toEqual(['bob']);
    expect([store.page, store.total, store.totalPages]).toEqual([3, 45, 3]);
    await store.load({ q: '', status: '', page: 1 });
    expect(api.get).toHaveBeenLastCalledWith('/admin-api/users', { query: { page: 1 } });
  });

  it('drops an answer to older filters that arrives late', async () => {
    const slow = deferred<ReturnType<typeof page>>();
    api.get.mockReturnValueOnce(slow.promise).mockResolvedValueOnce(page([user(3, 'carol')]));
    const store = useAdminUsersStore();
    const first = store.load({ q: 'b', status: '', page: 1 });
    await store.load({ q: 'ca', status: '', page: 1 });
    slow.resolve(page([user(2, 'bob')]));
    await first;
    expect(store.rows.map((u) => u.username)).toEqual(['carol']);
    expect(store.loading).toBe(false);
  });

  it('keeps the error of a failed load for the screen, and clears it on the next', async () => {
    api.get.mockRejectedValueOnce(new ApiError(403, 'Admin access required'));
    const store = useAdminUsersStore();
    await store.load();
    expect((store.error as InstanceType<typeof ApiError>).error).toBe('Admin access required');
    expect(store.loaded).toBe(false);
    api.get.mockResolvedValueOnce(page([]));
    await store.load();
    expect(store.error).toBeNull();
    expect(store.loaded).toBe(true);
  });

  it('shows an action in the row at once, and keeps it when the server agrees', async () => {
    api.get.mockResolvedValue(page([user(2, 'bob'), user(3, 'carol')]));
    const store = useAdminUsersStore();
    await store.load();
    const call = deferred<undefined>();
    api.post.mockReturnValue(call.promise);
    const done = store.act(2, 'block');
    expect(store.rows[0]!.is_blocked).toBe(true);
    expect(store.busyId).toBe(2);
    call.resolve(undefined);
    expect(await done).toBe(true);
    expect(api.post).toHaveBeenCalledWith('/admin-api/users/{id}/{action}', { params: { id: 2, action: 'block' } });
    expect(store.rows[0]!.is_blocked).toBe(true);
    expect(store.busyId).toBeNull();
  });

  it('takes the change back on a refusal and keeps the server\'s words', async () => {
    api.get.mockResolvedValue(page([user(1, 'alice', { is_admin: true })]));
    const store = useAdminUsersStore();
    await store.load();
    api.post.mockRejectedValue(new ApiError(400, 'Cannot change your own admin status'));
    expect(await store.act(1, 'toggle-admin')).toBe(false);
    expect(store.rows[0]!.is_admin).toBe(true);
    expect((store.actionError as Error).message).toBe('Cannot change your own admin status');
  });

  it('knows what each action does to the flags (§14.4)', () => {
    const u = user(2, 'bob');
    expect(applyAction(u, 'block')).toMatchObject({ is_blocked: true, is_active: true });
    expect(applyAction({ ...u, is_blocked: true }, 'unblock').is_blocked).toBe(false);
    expect(applyAction(u, 'soft-delete')).toMatchObject({ is_blocked: true, is_active: false });
    expect(applyAction(u, 'toggle-admin').is_admin).toBe(true);
    expect(applyAction({ ...u, is_admin: true }, 'toggle-admin').is_admin).toBe(false);
  });
});

describe('the admin user page store', () => {
  const detail = { user: { ...user(2, 'bob'), bio: null, updated_at: '2026-03-01 10:00:00+00' }, message_count: 4, chats: [], messages: [] };

  it('tells "not found" from other failures', async () => {
    const store = useAdminUserDetailStore();
    api.get.mockRejectedValueOnce(new ApiError(404, 'User not found'));
    await store.load(99);
    expect(api.get).toHaveBeenCalledWith('/admin-api/users/{id}', { params: { id: 99 } });
    expect(store.notFound).toBe(true);
    expect(store.error).toBeNull();
    api.get.mockRejectedValueOnce(new ApiError(0, 'Network error'));
    await store.load(2);
    expect(store.notFound).toBe(false);
    expect(store.error).toBeInstanceOf(ApiError);
  });

  it('applies an action at once and takes it back on a refusal', async () => {
    const store = useAdminUserDetailStore();
    api.get.mockResolvedValue(structuredClone(detail));
    await store.load(2);
    api.post.mockResolvedValueOnce(undefined);
    await store.act('soft-delete');
    expect(store.detail?.user).toMatchObject({ is_active: false, is_blocked: true });
    api.post.mockRejectedValueOnce(new ApiError(400, 'Cannot change your own admin status'));
    await store.act('toggle-admin');
    expect(store.detail?.user.is_admin).toBe(false);
    expect((store.actionError as Error).message).toBe('Cannot change your own admin status');
  });
});

describe('the admin messages store', () => {
  it('filters by sender, chat and text and pages', async () => {
    api.get.mockResolvedValue({ messages: [message(7, 'hi')], page: 2, per_page: 50, total: 51, total_pages: 2 });
    const store = useAdminMessagesStore();
    await store.load({ userId: 3, chatId: 0, q: ' hi ', page: 2 });
    expect(api.get).toHaveBeenCalledWith('/admin-api/messages', { query: { user_id: 3, q: 'hi', page: 2 } });
    expect([store.page, store.totalPages, store.total]).toEqual([2, 2, 51]);
  });

  it('shows a deleted message as deleted at once, and brings it back when the delete fails', async () => {
    api.get.mockResolvedValue({ messages: [message(7, 'hi'), message(8, 'there')], page: 1, per_page: 50, total: 2, total_pages: 1 });
    const store = useAdminMessagesStore();
    await store.load();
    const call = deferred<undefined>();
    api.delete.mockReturnValueOnce(call.promise);
    const done = store.remove(7);
    expect(store.rows[0]).toMatchObject({ is_deleted: true, content: 'hi' });
    call.resolve(undefined);
    expect(await done).toBe(true);
    expect(api.delete).toHaveBeenCalledWith('/admin-api/messages/{id}', { params: { id: 7 } });
    api.delete.mockRejectedValueOnce(new ApiError(404, 'Message not found'));
    expect(await store.remove(8)).toBe(false);
    expect(store.rows[1]).toMatchObject({ is_deleted: false, content: 'there' });
    expect((store.actionError as Error).message).toBe('Message not found');
  });
});

describe('the other admin stores', () => {
  it('dashboard: loads the numbers, or keeps the error', async () => {
    const store = useAdminStatsStore();
    api.get.mockRejectedValueOnce(new ApiError(500, 'Internal error'));
    await store.load();
    expect((store.error as Error).message).toBe('Internal error');
    expect(store.stats).toBeNull();
    api.get.mockResolvedValueOnce({ total_users: 3 });
    await store.load();
    expect(api.get).toHaveBeenLastCalledWith('/admin-api/stats');
    expect(store.stats?.total_users).toBe(3);
    expect(store.error).toBeNull();
  });

  it('support: sends to a user, a chat or (refused by the server) nobody', async () => {
    const store = useAdminSupportStore();
    api.post.mockResolvedValueOnce({ id: 40, chat_id: 12, created_at: '' });
    expect(await store.send({ kind: 'user', id: 2 }, 'Hello')).toEqual({ id: 40, chat_id: 12, created_at: '' });
    expect(api.post).toHaveBeenLastCalledWith('/admin-api/support/send', { body: { content: 'Hello', target_user_id: 2 } });
    api.post.mockResolvedValueOnce({ id: 41, chat_id: 5, created_at: '' });
    await store.send({ kind: 'chat', id: 5 }, 'Hi all');
    expect(api.post).toHaveBeenLastCalledWith('/admin-api/support/send', { body: { content: 'Hi all', chat_id: 5 } });
    api.post.mockRejectedValueOnce(new ApiError(400, 'target_user_id or chat_id required'));
    expect(await store.send(null, 'x')).toBeNull();
    expect((store.sendError as Error).message).toBe('target_user_id or chat_id required');
    expect(store.sending).toBe(false);
  });

  it('support: loads users, chats and messages, and refreshes the lists after sending', async () => {
    api.get.mockImplementation((path: string) =>
      Promise.resolve(
        path.endsWith('/users')
          ? { users: [{ id: 2, username: 'bob', display_name: 'Bob' }] }
          : path.endsWith('/chats')
            ? { chats: [] }
            : { messages: [] },
      ),
    );
    const store = useAdminSupportStore();
    await store.load();
    expect(store.users.map((u) => u.username)).toEqual(['bob']);
    api.post.mockResolvedValueOnce({ id: 40, chat_id: 12, created_at: '' });
    await store.send({ kind: 'user', id: 2 }, 'Hello');
    expect(api.get).toHaveBeenCalledTimes(5);
  });

  it('audit: filters by admin, target and action', async () => {
    api.get.mockResolvedValue({ entries: [], page: 1, per_page: 50, total: 0, total_pages: 1 });
    const store = useAdminAuditStore();
    await store.load({ adminId: 1, targetId: 0, action: 'block', page: 1 });
    expect(api.get).toHaveBeenCalledWith('/admin-api/audit', { query: { admin_id: 1, action: 'block', page: 1 } });
    expect(store.totalPages).toBe(1);
  });
});
