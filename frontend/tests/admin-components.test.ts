import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter, RouterView } from 'vue-router';
import type { AdminStats, AdminUser } from '../src/api/admin';
import type { Me } from '../src/api/types';

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
// No canvas here: a stand-in chart that keeps what it was given.
const charts = vi.hoisted(() => [] as { data: number[][] }[]);
vi.mock('uplot', () => {
  class FakePlot {
    static paths = { bars: () => () => null };
    constructor(_opts: unknown, data: number[][]) {
      charts.push({ data });
    }
    setSize(): void {}
    destroy(): void {}
  }
  return { default: FakePlot };
});
vi.mock('uplot/dist/uPlot.min.css', () => ({}));

const { ApiError } = await import('../src/api/client');
const { makeI18n } = await import('../src/i18n');
const { guard, routes } = await import('../src/router');
const { useSessionStore } = await import('../src/stores/session');
const { fillDays, trendSummary, utcDay } = await import('../src/components/admin/trend');
const AdminLayout = (await import('../src/views/admin/AdminLayout.vue')).default;
const DashboardView = (await import('../src/views/admin/DashboardView.vue')).default;
const UsersView = (await import('../src/views/admin/UsersView.vue')).default;
const UserDetailView = (await import('../src/views/admin/UserDetailView.vue')).default;
const MessagesView = (await import('../src/views/admin/MessagesView.vue')).default;
const SupportView = (await import('../src/views/admin/SupportView.vue')).default;
const DataState = (await import('../src/components/admin/DataState.vue')).default;

const Empty = { render: () => null };

function me(isAdmin: boolean): Me {
  return { id: 1, username: 'alice', email: 'a@x', display_name: 'Alice', bio: null, created_at: '', is_admin: isAdmin, avatar_url: null };
}

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

/** The admin frame with its real screens, at `path`. */
async function open(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/app', name: 'app', component: Empty },
      {
        path: '/admin',
        component: AdminLayout,
        children: [
          { path: '', name: 'admin', component: DashboardView },
          { path: 'users', name: 'admin-users', component: UsersView },
          { path: 'users/:id(\\d+)', name: 'admin-user', component: UserDetailView },
          { path: 'messages', name: 'admin-messages', component: MessagesView },
          { path: 'support', name: 'admin-support', component: SupportView },
          { path: 'audit', name: 'admin-audit', component: Empty },
        ],
      },
    ],
  });
  await router.push(path);
  const wrapper = mount(RouterView, { global: { plugins: [makeI18n('en'), router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.resetAllMocks();
  charts.length = 0;
  document.body.innerHTML = '';
});

describe('the admin guard', () => {
  it('sends a logged-out visitor to the login with the admin link kept; the panel\'s deep links resolve', () => {
    expect(guard({ name: 'admin-users', fullPath: '/admin/users?q=bo' }, false)).toEqual({ name: 'login', query: { next: '/admin/users?q=bo' } });
    const r = createRouter({ history: createMemoryHistory(), routes });
    expect(r.resolve('/admin').name).toBe('admin');
    expect(r.resolve('/admin/users/7').name).toBe('admin-user');
    expect(r.resolve('/admin/audit').name).toBe('admin-audit');
  });

  it('shows a non-admin a clear refusal, and asks the Admin API nothing', async () => {
    useSessionStore().me = me(false);
    const { wrapper } = await open('/admin/users');
    expect(wrapper.get('h1').text()).toBe('Admins only');
    expect(wrapper.text()).toContain('your account has no admin rights');
    expect(wrapper.findAll('a').map((a) => a.text())).toContain('Back to chats');
    expect(api.get).not.toHaveBeenCalled();
  });

  it('asks /me first when the session does not know yet, then opens the panel for an admin', async () => {
    api.get.mockImplementation((path: string) => Promise.resolve(path === '/me' ? me(true) : { users: [], page: 1, per_page: 20, total: 0, total_pages: 1 }));
    const { wrapper } = await open('/admin/users');
    expect(api.get).toHaveBeenCalledWith('/me');
    expect(wrapper.get('nav[aria-label="Admin sections"]').text()).toContain('Audit log');
    expect(wrapper.get('h1').text()).toBe('Users');
    expect(wrapper.text()).toContain('No user matches.');
  });
});

describe('the dashboard', () => {
  const stats: AdminStats = {
    total_users: 42,
    dau: 5,
    wau: 9,
    total_chats: 7,
    chats_by_type: { group: 4, direct: 3 },
    total_messages: 1234,
    messages_today: 17,
    new_users_today: 2,
    blocked_users: 1,
    reg_trend: [{ day: utcDay(Date.now() - 3 * 86_400_000), count: 2 }],
    msg_trend: [],
  };

  it('fills the days the API leaves out with 0, over the whole 14-day window', () => {
    const days = fillDays([{ day: '2026-03-10', count: 2 }, { day: '2026-03-14', count: 1 }], '2026-03-14');
    expect(days).toHaveLength(15);
    expect(days[0]).toEqual({ day: '2026-02-28', count: 0 });
    expect(days.find((d) => d.day === '2026-03-10')?.count).toBe(2);
    expect(days.filter((d) => d.count === 0)).toHaveLength(13);
    expect(days[14]).toEqual({ day: '2026-03-14', count: 1 });
    // The server's "today" may be ahead of this clock: that day still shows.
    expect(fillDays([{ day: '2026-03-15', count: 3 }], '2026-03-14').at(-1)).toEqual({ day: '2026-03-15', count: 3 });
    expect(trendSummary(days)).toEqual({ total: 3, max: 2, maxDay: '2026-03-10' });
  });

  it('shows the cards, and each chart with every day in its text table', async () => {
    useSessionStore().me = me(true);
    api.get.mockResolvedValue(stats);
    const { wrapper } = await open('/admin');
    expect(api.get).toHaveBeenCalledWith('/admin-api/stats');
    expect(wrapper.get('[data-stat="totalUsers"] dd').text()).toBe('42');
    expect(wrapper.get('[data-stat="messages"] dd').text()).toBe('1,234');
    const tables = wrapper.findAll('section.trend table');
    expect(tables.map((t) => t.get('caption').text())).toEqual(['Messages, last 14 days', 'New users, last 14 days']);
    for (const table of tables) expect(table.findAll('tbody tr')).toHaveLength(15);
    expect(tables[0]!.findAll('tbody td').every((td) => td.text() === '0')).toBe(true);
    expect(wrapper.findAll('section.trend .summary').map((p) => p.text())[0]).toBe('None in the last 14 days.');
    expect(tables[1]!.findAll('tbody td').map((td) => td.text())).toContain('2');
    expect(charts).toHaveLength(2);
    expect(charts[0]!.data[0]).toHaveLength(15);
    expect(wrapper.text()).toContain('Group');
  });
});

describe('the users screen', () => {
  const list = () => ({ users: [user(2, 'bob'), user(1, 'alice', { is_admin: true })], page: 1, per_page: 20, total: 2, total_pages: 1 });

  it('asks before an action; cancel does nothing, confirm changes the row at once', async () => {
    useSessionStore().me = me(true);
    api.get.mockImplementation(() => Promise.resolve(list()));
    let answer!: () => void;
    api.post.mockReturnValue(new Promise<void>((resolve) => (answer = resolve)));
    const { wrapper } = await open('/admin/users');
    const row = () => wrapper.get('tr[data-user="bob"]');
    await row().get('button[aria-label="Block bob"]').trigger('click');
    const dialog = () => wrapper.find('[role="alertdialog"]');
    expect(dialog().get('h2').text()).toBe('Block bob?');
    await dialog().findAll('button').find((b) => b.text() === 'Cancel')!.trigger('click');
    expect(dialog().exists()).toBe(false);
    expect(api.post).not.toHaveBeenCalled();

    await row().get('button[aria-label="Block bob"]').trigger('click');
    await dialog().findAll('button').find((b) => b.text() === 'Block')!.trigger('click');
    expect(api.post).toHaveBeenCalledWith('/admin-api/users/{id}/{action}', { params: { id: 2, action: 'block' } });
    expect(row().text()).toContain('blocked');
    expect(row().find('button[aria-label="Unblock bob"]').exists()).toBe(true);
    answer();
    await flushPromises();
    expect(wrapper.get('[role="status"]').text()).toBe('bob: done.');
  });

  it('shows the server\'s refusal readably and puts the row back', async () => {
    useSessionStore().me = me(true);
    api.get.mockImplementation(() => Promise.resolve(list()));
    api.post.mockRejectedValue(new ApiError(400, 'Cannot block yourself'));
    const { wrapper } = await open('/admin/users');
    await wrapper.get('button[aria-label="Block alice"]').trigger('click');
    await wrapper.get('[role="alertdialog"]').findAll('button').find((b) => b.text() === 'Block')!.trigger('click');
    await flushPromises();
    expect(wrapper.get('p[role="alert"]').text()).toBe('Cannot block yourself');
    expect(wrapper.get('tr[data-user="alice"]').text()).not.toContain('blocked');
  });

  it('keeps search, state and page in the URL', async () => {
    useSessionStore().me = me(true);
    api.get.mockImplementation(() => Promise.resolve({ ...list(), page: 2, total: 30, total_pages: 2 }));
    const { wrapper, router } = await open('/admin/users?status=admin&page=2');
    expect(api.get).toHaveBeenCalledWith('/admin-api/users', { query: { status: 'admin', page: 2 } });
    expect((wrapper.get('select[name="status"]').element as HTMLSelectElement).value).toBe('admin');
    expect(wrapper.text()).toContain('Page 2 of 2 · 30 in all');
    await wrapper.get('select[name="status"]').setValue('blocked');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ status: 'blocked' });
    await wrapper.get('input[name="q"]').setValue('bo');
    await new Promise((r) => setTimeout(r, 350));
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ status: 'blocked', q: 'bo' });
    expect(api.get).toHaveBeenLastCalledWith('/admin-api/users', { query: { q: 'bo', status: 'blocked', page: 1 } });
  });

  it('shows a failed load in the contract\'s words, with a retry', async () => {
    useSessionStore().me = me(true);
    api.get.mockRejectedValueOnce(new ApiError(403, 'Admin access required')).mockResolvedValue(list());
    const { wrapper } = await open('/admin/users');
    expect(wrapper.get('[role="alert"]').text()).toContain('Admin access required');
    await wrapper.get('[role="alert"] button').trigger('click');
    await flushPromises();
    expect(wrapper.find('tr[data-user="bob"]').exists()).toBe(true);
  });
});

describe('the other admin screens', () => {
  it('a user page of an unknown id says "User not found"', async () => {
    useSessionStore().me = me(true);
    api.get.mockRejectedValue(new ApiError(404, 'User not found'));
    const { wrapper } = await open('/admin/users/99');
    expect(wrapper.get('h1').text()).toBe('User not found');
  });

  it('messages: a deleted message reads as deleted (its text kept for the moderator) and offers no delete', async () => {
    useSessionStore().me = me(true);
    const row = (id: number, content: string | null, deleted = false) => ({
      id,
      chat_id: 5,
      sender_id: 2,
      content,
      message_type: 'text',
      created_at: '2026-03-01 10:00:00+00',
      sender_username: 'bob',
      sender_display_name: null,
      chat_name: null,
      chat_type: 'group',
      is_deleted: deleted,
    });
    api.get.mockResolvedValue({ messages: [row(8, 'hello'), row(7, null, true), row(6, 'rude', true)], page: 1, per_page: 50, total: 3, total_pages: 1 });
    const { wrapper } = await open('/admin/messages?chat_id=5');
    expect(api.get).toHaveBeenCalledWith('/admin-api/messages', { query: { chat_id: 5, page: 1 } });
    expect((wrapper.get('input[name="chat_id"]').element as HTMLInputElement).value).toBe('5');
    expect(wrapper.get('tr[data-message="7"]').text()).toContain('Deleted message');
    expect(wrapper.get('tr[data-message="7"]').find('button').exists()).toBe(false);
    expect(wrapper.get('tr[data-message="6"]').get('td.text').text()).toBe('deleted rude');
    expect(wrapper.get('tr[data-message="6"]').find('button').exists()).toBe(false);
    expect(wrapper.get('tr[data-message="8"]').get('button').attributes('aria-label')).toBe('Delete message 8 for everyone');
  });

  it('support: the server\'s refusal shows under the form', async () => {
    useSessionStore().me = me(true);
    api.get.mockImplementation((path: string) =>
      Promise.resolve(
        path.endsWith('/users') ? { users: [{ id: 2, username: 'bob', display_name: 'Bob' }] } : path.endsWith('/chats') ? { chats: [] } : { messages: [] },
      ),
    );
    api.post.mockRejectedValue(new ApiError(400, 'content required'));
    const { wrapper } = await open('/admin/support');
    await wrapper.get('select[name="support-user"]').setValue('2');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.post).toHaveBeenCalledWith('/admin-api/support/send', { body: { content: '', target_user_id: 2 } });
    expect(wrapper.get('form [role="alert"]').text()).toBe('content required');
  });

  it('the loading, error and empty states', async () => {
    const i18n = makeI18n('en');
    const loading = mount(DataState, { props: { loading: true, error: null, empty: true, emptyText: 'None.' }, global: { plugins: [i18n] } });
    expect(loading.text()).toBe('Loading…');
    const empty = mount(DataState, { props: { loading: false, error: null, empty: true, emptyText: 'None.' }, global: { plugins: [i18n] } });
    expect(empty.text()).toBe('None.');
    const failed = mount(DataState, { props: { loading: false, error: new ApiError(0, 'Network error'), empty: true, emptyText: 'None.' }, global: { plugins: [i18n] } });
    expect(failed.get('[role="alert"]').text()).toContain('No connection to the server.');
    await failed.get('button').trigger('click');
    expect(failed.emitted('retry')).toHaveLength(1);
  });
});
