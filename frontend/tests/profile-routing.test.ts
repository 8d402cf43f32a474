import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), delete: vi.fn(), refresh: vi.fn() }));
const session = vi.hoisted(() => ({ tokens: null as null | { access: string; refresh: string } }));
vi.mock('../src/api', async () => {
  const { ApiError } = await import('../src/api/client');
  return {
    api,
    ApiError,
    tokens: { get: () => session.tokens, set: vi.fn(), clear: vi.fn() },
    onLoggedOut: vi.fn(),
    websocketUrl: () => 'ws://test/ws',
  };
});

const { ApiError } = await import('../src/api/client');
const { guard, routes } = await import('../src/router');
const { nextPath } = await import('../src/router/next');
const { makeI18n } = await import('../src/i18n');
const { useSessionStore } = await import('../src/stores/session');
const { inviteUrl } = await import('../src/stores/invites');

// The app's routes with empty views: the tests are about where navigation goes,
// and loading the real views lazily would only make them slow.
const Empty = { render: () => null };
const stubbedRoutes = routes.map((route) => ('component' in route ? { ...route, component: Empty } : route));

function router() {
  const r = createRouter({ history: createMemoryHistory(), routes: stubbedRoutes as typeof routes });
  r.beforeEach((to) => guard(to, useSessionStore().loggedIn));
  return r;
}

describe('the deep links', () => {
  it('resolve to their views; numeric /c/{id} stays the chat, any other /c/{name} is a public chat', () => {
    const r = createRouter({ history: createMemoryHistory(), routes });
    const name = (path: string) => r.resolve(path).name;
    expect(name('/c/123')).toBe('chat');
    expect(name('/c/123/456')).toBe('chat');
    expect(name('/c/news')).toBe('channel');
    expect(name('/c/12a')).toBe('channel');
    expect(r.resolve('/c/news').params.name).toBe('news');
    expect(name('/@bob')).toBe('username');
    expect(r.resolve('/@bob').params.username).toBe('bob');
    expect(name('/u/7')).toBe('user');
    expect(name('/u/me')).toBe('settings');
    expect(name('/dm/7')).toBe('dm');
    expect(name('/join/0b8c2c9e-4a59-4b0e-9d7e-6c1f0f0e8a11')).toBe('join');
  });

  it('send a logged-out visitor to the login with the link kept, except an invite, which anyone may preview', () => {
    expect(guard({ name: 'join', fullPath: '/join/abc' }, false)).toBe(true);
    expect(guard({ name: 'join', fullPath: '/join/abc' }, true)).toBe(true);
    for (const path of ['/u/5', '/@bob', '/dm/5', '/c/news', '/u/me']) {
      expect(guard({ name: 'x', fullPath: path }, false)).toEqual({ name: 'login', query: { next: path } });
    }
    expect(guard({ name: 'login', fullPath: '/login' }, true)).toEqual({ name: 'app' });
    expect(guard({ name: 'user', fullPath: '/u/5' }, true)).toBe(true);
    // After the login (or the registration) the app goes back to the link.
    expect(nextPath('/join/abc')).toBe('/join/abc');
    expect(nextPath('//evil.example/join/abc')).toBe('/app');
  });

  it('keep /settings working inside the app although the server answers that path itself', async () => {
    setActivePinia(createPinia());
    session.tokens = { access: 'a', refresh: 'r' };
    const r = router();
    await r.push('/settings');
    expect(r.currentRoute.value.fullPath).toBe('/u/me');
  });

  it('build the shared invite URL from the origin and the relative link (§8)', () => {
    expect(inviteUrl({ token: 't', link: '/join/t' }, 'https://chat.example')).toBe('https://chat.example/join/t');
  });
});

describe('the join page', () => {
  const JoinView = async () => (await import('../src/views/JoinView.vue')).default;

  beforeEach(() => {
    setActivePinia(createPinia());
    vi.resetAllMocks();
  });

  async function open(token: string) {
    const r = router();
    await r.push(`/join/${token}`);
    const wrapper = mount(await JoinView(), { global: { plugins: [makeI18n('en'), r] } });
    await flushPromises();
    return { wrapper, r };
  }

  it('shows the preview to a logged-out visitor, with login and registration that come back here', async () => {
    session.tokens = null;
    api.get.mockResolvedValue({ chat_id: 4, type: 'group', title: 'Team', description: 'We test', member_count: 3 });
    const { wrapper } = await open('tok');
    expect(api.get).toHaveBeenCalledWith('/invites/{token}/preview', { params: { token: 'tok' } });
    expect(wrapper.get('h1').text()).toBe('Team');
    expect(wrapper.text()).toContain('Members: 3');
    const links = wrapper.findAll('a').map((a) => a.attributes('href'));
    expect(links).toContain('/login?next=/join/tok');
    expect(links).toContain('/register?next=/join/tok');
    expect(wrapper.find('button.btn').exists()).toBe(false);
  });

  it('joins when logged in and opens the chat', async () => {
    session.tokens = { access: 'a', refresh: 'r' };
    api.get.mockImplementation((path: string) =>
      path === '/chats' ? Promise.resolve([]) : Promise.resolve({ chat_id: 4, type: 'channel', title: 'News', description: null, member_count: 9 }),
    );
    api.post.mockResolvedValue({ chat_id: 4, role: 'member', already_member: false });
    const { wrapper, r } = await open('tok');
    expect(wrapper.text()).toContain('You are invited to the channel');
    await wrapper.get('button.btn').trigger('click');
    await flushPromises();
    expect(api.post).toHaveBeenCalledWith('/invites/{token}/join', { params: { token: 'tok' } });
    expect(r.currentRoute.value.fullPath).toBe('/c/4');
  });

  it('says clearly that a revoked invite does not work, in the server\'s words', async () => {
    session.tokens = null;
    api.get.mockRejectedValue(new ApiError(410, 'Invite has been revoked'));
    const { wrapper } = await open('old');
    expect(wrapper.get('h1').text()).toBe('This invite link does not work');
    expect(wrapper.get('[role="alert"]').text()).toBe('Invite has been revoked');
    expect(wrapper.find('button.btn').exists()).toBe(false);
  });
});
