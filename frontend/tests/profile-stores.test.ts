import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatDetail, ChatListItem, Message } from '../src/api/types';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), patch: vi.fn(), delete: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', () => ({
  api,
  tokens: { get: () => ({ access: 'a', refresh: 'r' }), set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const { useChatInfoStore } = await import('../src/stores/chatinfo');
const { useProfilesStore } = await import('../src/stores/profiles');
const { useInvitesStore } = await import('../src/stores/invites');
const { useChatsStore } = await import('../src/stores/chats');
const { useMessagesStore } = await import('../src/stores/messages');
const { useSessionStore } = await import('../src/stores/session');
const { lastSeenText } = await import('../src/components/profile/lastSeen');
const { makeI18n } = await import('../src/i18n');

function detail(): ChatDetail {
  return {
    id: 9,
    type: 'group',
    name: '',
    title: 'Team',
    description: '',
    public_name: null,
    owner_id: 1,
    created_at: '2026-03-01 10:00:00+00',
    avatar_url: null,
    member_count: 2,
    my_role: 'owner',
    members: [
      { id: 1, username: 'alice', display_name: 'Alice', role: 'owner', joined_at: '2026-03-01 10:00:00+00', avatar_url: null },
      { id: 2, username: 'bob', display_name: 'Bob', role: 'member', joined_at: '2026-03-01 10:00:00+00', avatar_url: null },
    ],
  };
}

describe('the chat-info store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.resetAllMocks();
    api.get.mockImplementation((path: string) => Promise.resolve(path === '/chats' ? [] : detail()));
  });

  it('stays current with the chat\'s live events', async () => {
    const info = useChatInfoStore();
    await info.open(9);
    expect(info.isOwner).toBe(true);
    info.applyJoined({ type: 'chat_member_joined', chat_id: 9, user_id: 3, username: 'carol', display_name: 'Carol' });
    info.applyJoined({ type: 'chat_member_joined', chat_id: 9, user_id: 3, username: 'carol', display_name: 'Carol' });
    info.applyJoined({ type: 'chat_member_joined', chat_id: 8, user_id: 4, username: 'dave', display_name: 'Dave' });
    expect(info.detail?.members.map((m) => m.id)).toEqual([1, 2, 3]);
    info.applyProfile({ type: 'user_profile_updated', user_id: 2, display_name: 'Robert' });
    expect(info.detail?.members[1]?.display_name).toBe('Robert');
    info.applyUpdated({ type: 'chat_updated', chat_id: 9, title: 'New team', description: 'd' });
    expect(info.detail?.title).toBe('New team');
    info.applyUpdated({ type: 'chat_updated', chat_id: 9, avatar_url: 'http://s/a.png' });
    expect(info.detail?.avatar_url).toBe('http://s/a.png');
    info.applyLeft({ type: 'chat_member_left', chat_id: 9, user_id: 2 }, 1);
    expect(info.detail?.members.map((m) => m.id)).toEqual([1, 3]);
    expect(info.gone).toBe(false);
    info.applyLeft({ type: 'chat_member_left', chat_id: 9, user_id: 1 }, 1);
    expect(info.gone).toBe(true);
  });

  it('promotes and demotes through the owner endpoints (§7.11)', async () => {
    const info = useChatInfoStore();
    await info.open(9);
    api.post.mockResolvedValueOnce({ role: 'admin' });
    await info.setRole(2, 'promote');
    expect(api.post).toHaveBeenCalledWith('/chats/{id}/members/{userId}/promote', { params: { id: 9, userId: 2 } });
    expect(info.detail?.members[1]?.role).toBe('admin');
    api.post.mockResolvedValueOnce({ role: 'member' });
    await info.setRole(2, 'demote');
    expect(info.detail?.members[1]?.role).toBe('member');
  });

  it('marks the chat gone after leaving and reloads the list', async () => {
    const info = useChatInfoStore();
    await info.open(9);
    api.delete.mockResolvedValue(undefined);
    await info.leave();
    expect(api.delete).toHaveBeenCalledWith('/chats/{id}/leave', { params: { id: 9 } });
    expect(api.get).toHaveBeenCalledWith('/chats');
    expect(info.gone).toBe(true);
  });
});

describe('the profiles store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.resetAllMocks();
  });

  it('sends the username only when it changed, and updates the session', async () => {
    const session = useSessionStore();
    session.me = { id: 3, username: 'carol', email: 'c@x', display_name: 'Carol', bio: null, created_at: '', is_admin: false, avatar_url: null };
    api.put.mockResolvedValue({ id: 3, username: 'carol', display_name: 'Caro', bio: 'hi' });
    const profiles = useProfilesStore();
    await profiles.saveOwn({ display_name: ' Caro ', username: 'carol', bio: 'hi' });
    expect(api.put).toHaveBeenCalledWith('/users/{id}', { params: { id: 3 }, body: { display_name: 'Caro', bio: 'hi' } });
    expect(session.me?.display_name).toBe('Caro');
    api.put.mockResolvedValue({ id: 3, username: 'caro_2', display_name: 'Caro', bio: 'hi' });
    await profiles.saveOwn({ display_name: 'Caro', username: 'caro_2', bio: 'hi' });
    expect(api.put).toHaveBeenLastCalledWith('/users/{id}', { params: { id: 3 }, body: { display_name: 'Caro', bio: 'hi', username: 'caro_2' } });
    expect(session.me?.username).toBe('caro_2');
  });

  it('renames a person live in cached profiles and in direct chats of the list', async () => {
    api.get.mockImplementation((path: string) =>
      path === '/chats'
        ? Promise.resolve([{ id: 5, type: 'direct', other_user_id: 3, other_username: 'carol', other_display_name: 'Carol' } as ChatListItem])
        : Promise.resolve({ id: 3, username: 'carol', display_name: 'Carol', bio: null, is_admin: false, avatar_url: null, is_online: true, last_activity: null }),
    );
    await useChatsStore().load();
    const profiles = useProfilesStore();
    await profiles.load(3);
    useMessagesStore().upsert(5, [
      { id: 1, chat_id: 5, seq: 1, sender_id: 3, sender_display_name: 'Carol', content: 'hi', message_type: 'text', created_at: '2026-03-01 10:00:00+00' } as Message,
    ]);
    profiles.applyProfileUpdate({ type: 'user_profile_updated', user_id: 3, display_name: 'Carol Renamed' });
    expect(profiles.byId[3]?.display_name).toBe('Carol Renamed');
    expect(useChatsStore().byId(5)?.other_display_name).toBe('Carol Renamed');
    expect(useMessagesStore().of(5).items[0]?.sender_display_name).toBe('Carol Renamed');
    profiles.applyPresence({ type: 'presence', user_id: 3, username: 'carol', status: 'offline' });
    expect(profiles.byId[3]?.is_online).toBe(false);
  });

  it('opens the direct chat (get-or-create) and lists it before it opens', async () => {
    api.post.mockResolvedValue({ id: 12, type: 'direct' });
    api.get.mockResolvedValue([]);
    expect(await useProfilesStore().openDirect(3)).toBe(12);
    expect(api.post).toHaveBeenCalledWith('/chats', expect.objectContaining({ body: expect.objectContaining({ type: 'direct', member_ids: [3] }) }));
    expect(api.get).toHaveBeenCalledWith('/chats');
  });
});

describe('the invites store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.resetAllMocks();
  });

  it('lists, creates (newest first) and revokes a chat\'s links', async () => {
    const invite = (token: string) => ({ token, chat_id: 9, created_by: 1, created_at: '', link: `/join/${token}` });
    api.get.mockResolvedValue([invite('a')]);
    const invites = useInvitesStore();
    await invites.load(9);
    api.post.mockResolvedValue(invite('b'));
    await invites.create(9);
    expect(invites.list.map((i) => i.token)).toEqual(['b', 'a']);
    api.delete.mockResolvedValue({ revoked: true });
    await invites.revoke('a');
    expect(api.delete).toHaveBeenCalledWith('/invites/{token}', { params: { token: 'a' } });
    expect(invites.list.map((i) => i.token)).toEqual(['b']);
  });
});

describe('last seen', () => {
  const { t } = makeI18n('en').global;
  const now = new Date('2026-03-01T15:00:00Z');

  it('honours what the person\'s privacy reveals (§5.2)', () => {
    expect(lastSeenText({ is_online: true, last_activity: null }, t, 'en', now)).toBe('online');
    expect(lastSeenText({ is_online: null, last_activity: null, last_seen_approx: 'this week' }, t, 'en', now)).toBe('last seen this week');
    expect(lastSeenText({ is_online: null, last_activity: null }, t, 'en', now)).toBe('last seen hidden');
    expect(lastSeenText({ is_online: false, last_activity: null }, t, 'en', now)).toBe('not seen yet');
    expect(lastSeenText({ is_online: false, last_activity: '2026-02-20 09:30:00+00' }, t, 'en', now)).toMatch(/^last seen February 20/);
  });
});
