import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatListItem, Message } from '../src/api/types';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), delete: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', () => ({
  api,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const { useChatsStore, splitSections, compareChats, isSavedMessages, detailToItem } = await import('../src/stores/chats');
const { useSessionStore } = await import('../src/stores/session');
const { useTypingStore, TYPING_MS } = await import('../src/stores/typing');
const { usePresenceStore } = await import('../src/stores/presence');
const { useNotificationsStore, tabTitle } = await import('../src/stores/notifications');
const { isMutedNow } = await import('../src/stores/chatPrefs');
const { previewOf } = await import('../src/components/chats/preview');
const { ActivityTracker, IDLE_MS, CHECK_EVERY_MS, HIDDEN_GRACE_MS } = await import('../src/realtime/activity');

function chat(id: number, extra: Partial<ChatListItem> = {}): ChatListItem {
  return {
    id,
    type: 'group',
    name: '',
    title: `Chat ${id}`,
    description: '',
    public_name: null,
    updated_at: '2026-03-01 10:00:00+00',
    last_message: null,
    last_at: null,
    is_favorite: false,
    is_muted: false,
    is_pinned: false,
    is_archived: false,
    unread_count: 0,
    other_user_id: null,
    other_username: null,
    other_display_name: null,
    other_avatar_url: null,
    avatar_url: null,
    member_count: 3,
    ...extra,
  } as ChatListItem;
}

function msg(id: number, chatId: number, senderId = 2, type = 'text', content = `m${id}`): Message {
  return { id, chat_id: chatId, seq: id, sender_id: senderId, content, message_type: type, created_at: `2026-03-01 12:00:${String(id % 60).padStart(2, '0')}+00` } as Message;
}

const t = (key: string, named?: Record<string, unknown>) => (named ? `${key}:${JSON.stringify(named)}` : key);

function login(id = 1): void {
  useSessionStore().me = { id, username: 'me', display_name: 'Me' } as never;
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.resetAllMocks();
  localStorage.clear();
  api.post.mockResolvedValue(undefined);
  api.delete.mockResolvedValue(undefined);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('list order and sections', () => {
  it('puts pinned first, then favourites, then the most recent (the server\'s order), in sections', () => {
    const list = [
      chat(1, { updated_at: '2026-03-01 09:00:00+00' }),
      chat(2, { is_favorite: true, updated_at: '2026-03-01 08:00:00+00' }),
      chat(3, { is_pinned: true, is_favorite: true, updated_at: '2026-03-01 07:00:00+00' }),
      chat(4, { updated_at: '2026-03-01 11:00:00+00' }),
      chat(5, { is_pinned: true, updated_at: '2026-03-01 12:00:00+00' }),
    ].sort(compareChats);
    expect(list.map((c) => c.id)).toEqual([3, 5, 2, 4, 1]);
    const sections = splitSections(list);
    expect(sections.pinned.map((c) => c.id)).toEqual([3, 5]);
    expect(sections.favourites.map((c) => c.id)).toEqual([2]);
    expect(sections.all.map((c) => c.id)).toEqual([4, 1]);
  });

  it('re-sorts when pinning, and puts it back when the server refuses', async () => {
    login();
    api.get.mockResolvedValue([chat(1, { updated_at: '2026-03-01 12:00:00+00' }), chat(2)]);
    const chats = useChatsStore();
    await chats.load();
    await chats.setPinned(2, true);
    expect(chats.ordered.map((c) => c.id)).toEqual([2, 1]);
    expect(api.post).toHaveBeenCalledWith('/chats/{id}/pin', { params: { id: 2 } });
    api.post.mockRejectedValueOnce(new Error('Not a member'));
    await expect(chats.setFavorite(1, true)).rejects.toThrow('Not a member');
    expect(chats.byId(1)?.is_favorite).toBe(false);
  });

  it('knows Saved Messages: a direct chat with only me', () => {
    expect(isSavedMessages(chat(1, { type: 'direct', member_count: 1 }))).toBe(true);
    expect(isSavedMessages(chat(1, { type: 'direct', other_user_id: 2, member_count: 2 }))).toBe(false);
    expect(isSavedMessages(chat(1, { type: 'group', member_count: 1 }))).toBe(false);
  });
});

describe('mute and unread', () => {
  it('a timed mute ends by itself; a mute without an end lasts', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const muted = chat(1, { is_muted: true });
    expect(isMutedNow(muted, {}, now)).toBe(true);
    expect(isMutedNow(muted, { 1: null }, now)).toBe(true);
    expect(isMutedNow(muted, { 1: '2026-03-01T13:00:00Z' }, now)).toBe(true);
    expect(isMutedNow(muted, { 1: '2026-03-01T11:59:00Z' }, now)).toBe(false);
    expect(isMutedNow(chat(1), { 1: null }, now)).toBe(false);
  });

  it('mutes with muted_until, remembers the end across a reload, and leaves muted chats out of the title count', async () => {
    login();
    vi.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00Z'), toFake: ['Date'] });
    api.get.mockResolvedValue([chat(1, { unread_count: 2 }), chat(2, { unread_count: 5 })]);
    const chats = useChatsStore();
    await chats.load();
    expect(chats.unreadTotal).toBe(7);
    await chats.mute(2, 'eightHours');
    expect(api.post).toHaveBeenCalledWith('/chats/{id}/mute', { params: { id: 2 }, body: { muted_until: '2026-03-01T20:00:00.000Z' } });
    expect(chats.isMuted(chats.byId(2)!)).toBe(true);
    expect(chats.unreadTotal).toBe(2);

    // A new tab: the list says only "muted"; the end comes from this browser.
    setActivePinia(createPinia());
    login();
    api.get.mockResolvedValue([chat(1, { unread_count: 2 }), chat(2, { unread_count: 5, is_muted: true })]);
    const again = useChatsStore();
    await again.load();
    expect(again.mutedUntil(2)).toBe('2026-03-01T20:00:00.000Z');

    // Once it has ended, the list counts it again and the server forgets the mute.
    vi.setSystemTime(Date.parse('2026-03-01T21:00:00Z'));
    setActivePinia(createPinia());
    login();
    api.get.mockResolvedValue([chat(1, { unread_count: 2 }), chat(2, { unread_count: 5, is_muted: true })]);
    const later = useChatsStore();
    await later.load();
    expect(later.isMuted(later.byId(2)!)).toBe(false);
    expect(later.unreadTotal).toBe(7);
    expect(api.delete).toHaveBeenCalledWith('/chats/{id}/mute', { params: { id: 2 } });
  });

  it('counts a new message as unread (not mine, not the open chat) and notifies only for unmuted chats', async () => {
    login(1);
    api.get.mockResolvedValue([chat(1), chat(2, { is_muted: true })]);
    const chats = useChatsStore();
    const notifications = useNotificationsStore();
    const arrived = vi.spyOn(notifications, 'messageArrived').mockImplementation(() => undefined);
    await chats.load();
    chats.applyMessage(msg(10, 1, 2), 1, null);
    chats.applyMessage(msg(11, 1, 1), 1, null);
    chats.applyMessage(msg(12, 2, 2), 1, null);
    chats.applyMessage(msg(13, 1, 2), 1, 1);
    expect(chats.byId(1)?.unread_count).toBe(1);
    expect(chats.byId(2)?.unread_count).toBe(1);
    expect(arrived.mock.calls.map(([m]) => m.id)).toEqual([10, 13]);
  });

  it('shows "(n) Chorus" in the tab title', () => {
    expect(tabTitle(0)).toBe('Chorus');
    expect(tabTitle(3)).toBe('(3) Chorus');
    expect(tabTitle(1200, 'Chorus')).toBe('(999+) Chorus');
  });
});

describe('archive, leave and live chat events', () => {
  it('archived chats leave the list, are remembered per user and return when unarchived', async () => {
    login(1);
    api.get.mockResolvedValue([chat(1), chat(2)]);
    const chats = useChatsStore();
    await chats.load();
    await chats.archive(2);
    expect(api.post).toHaveBeenCalledWith('/chats/{id}/archive', { params: { id: 2 } });
    expect(chats.list.map((c) => c.id)).toEqual([1]);
    expect(chats.archived.map((c) => c.id)).toEqual([2]);
    expect(JSON.parse(localStorage.getItem('chorus.chatlist.1') ?? '{}').archived[2].title).toBe('Chat 2');
    expect(chats.byId(2)?.is_archived).toBe(true);

    api.get.mockResolvedValue([chat(1), chat(2)]);
    await chats.unarchive(2);
    expect(api.delete).toHaveBeenCalledWith('/chats/{id}/archive', { params: { id: 2 } });
    expect(chats.archived).toEqual([]);
    expect(chats.list.map((c) => c.id)).toEqual([1, 2]);
  });

  it('a chat unarchived elsewhere (listed again) leaves the archive; a deleted one leaves it on refresh', async () => {
    login(1);
    localStorage.setItem('chorus.chatlist.1', JSON.stringify({ archived: { 2: chat(2), 3: chat(3) }, muteUntil: {} }));
    api.get.mockResolvedValueOnce([chat(1), chat(2)]);
    const chats = useChatsStore();
    await chats.load();
    expect(chats.archived.map((c) => c.id)).toEqual([3]);
    api.get.mockRejectedValueOnce(new Error('Chat not found or access denied'));
    await chats.refreshArchived();
    expect(chats.archived).toEqual([]);
  });

  it('follows chat_updated, members joining and leaving, and my leaving, without reloading', async () => {
    login(1);
    api.get.mockResolvedValue([chat(1), chat(2)]);
    const chats = useChatsStore();
    await chats.load();
    api.get.mockClear();
    chats.applyUpdated({ chat_id: 1, title: 'Renamed' });
    chats.applyMemberJoined({ chat_id: 1, user_id: 7, username: 'x', display_name: 'X' });
    chats.applyMemberLeft({ chat_id: 2, user_id: 9 });
    expect(chats.byId(1)?.title).toBe('Renamed');
    expect(chats.byId(1)?.member_count).toBe(4);
    expect(chats.byId(2)?.member_count).toBe(2);
    chats.applyMemberLeft({ chat_id: 2, user_id: 1 });
    expect(chats.byId(2)).toBeUndefined();
    expect(api.get).not.toHaveBeenCalled();
  });

  it('turns a chat detail into a list line (the archive after a reload)', () => {
    const line = detailToItem(
      {
        id: 4,
        type: 'direct',
        name: '',
        title: '',
        description: '',
        public_name: null,
        owner_id: 1,
        created_at: '2026-03-01 10:00:00+00',
        avatar_url: null,
        member_count: 2,
        my_role: 'owner',
        members: [
          { id: 1, username: 'me', display_name: null, role: 'owner', joined_at: '', avatar_url: null },
          { id: 2, username: 'bob', display_name: null, role: 'member', joined_at: '', avatar_url: null },
        ],
      },
      1,
    );
    expect(line).toMatchObject({ id: 4, other_user_id: 2, other_display_name: 'bob', is_archived: true });
  });
});

describe('typing', () => {
  it('shows for 5 s after the last frame, or until that person\'s message arrives', () => {
    vi.useFakeTimers();
    const typing = useTypingStore();
    typing.start(1, 2, 'bob');
    typing.start(1, 3, 'carol');
    expect(typing.names(1, 1)).toEqual(['bob', 'carol']);
    vi.advanceTimersByTime(TYPING_MS - 1000);
    typing.start(1, 2, 'bob');
    vi.advanceTimersByTime(1000);
    expect(typing.names(1, 1)).toEqual(['bob']);
    vi.advanceTimersByTime(TYPING_MS);
    expect(typing.names(1, 1)).toEqual([]);

    typing.start(1, 2, 'bob');
    login(1);
    api.get.mockResolvedValue([]);
    useChatsStore().applyMessage(msg(1, 1, 2), 1, null);
    expect(typing.names(1, 1)).toEqual([]);
  });

  it('is never about me', () => {
    const typing = useTypingStore();
    typing.start(1, 1, 'me');
    expect(typing.names(1, 1)).toEqual([]);
  });
});

describe('presence', () => {
  it('is seeded from the list and kept live by full and approximate frames', () => {
    const presence = usePresenceStore();
    presence.seed([chat(1, { type: 'direct', other_user_id: 2, other_is_online: true }), chat(2, { type: 'direct', other_user_id: 3, other_is_online: false })]);
    expect(presence.isOnline(2)).toBe(true);
    expect(presence.isOnline(3)).toBe(false);
    presence.apply({ user_id: 2, username: 'bob', status: 'offline' });
    expect(presence.seen(2)?.kind).toBe('lastSeen');
    presence.apply({ user_id: 3, username: 'carol', privacy: 'approx_only', last_seen_bucket: 'online' });
    expect(presence.isOnline(3)).toBe(true);
    presence.apply({ user_id: 3, username: 'carol', privacy: 'approx_only', last_seen_bucket: 'recently' });
    expect(presence.seen(3)).toEqual({ kind: 'approx', bucket: 'recently' });
  });

  it('reads a profile as its privacy allows (§5.2)', async () => {
    const presence = usePresenceStore();
    api.get.mockResolvedValueOnce({ id: 2, is_online: false, last_activity: '2026-03-01 10:00:00+00' });
    await presence.lookup(2);
    expect(presence.seen(2)).toEqual({ kind: 'lastSeen', at: '2026-03-01 10:00:00+00' });
    api.get.mockResolvedValueOnce({ id: 3, is_online: null, last_activity: null, last_seen_approx: 'today' });
    await presence.lookup(3);
    expect(presence.seen(3)).toEqual({ kind: 'approx', bucket: 'today' });
    api.get.mockResolvedValueOnce({ id: 4, is_online: null, last_activity: null });
    await presence.lookup(4);
    expect(presence.seen(4)).toEqual({ kind: 'hidden' });
  });
});

describe('the preview line', () => {
  const base = { typing: [] as string[], draft: '', open: false };
  it('says typing, then my draft, then the last message or its kind', () => {
    const group = chat(1, { last_message: 'hello' });
    expect(previewOf(group, { ...base, typing: ['bob'] }, t)).toEqual({ kind: 'typing', text: 'chatlist.preview.typingOne:{"name":"bob"}' });
    expect(previewOf(chat(1, { type: 'direct' }), { ...base, typing: ['bob'] }, t).text).toBe('chatlist.preview.typing');
    expect(previewOf(group, { ...base, draft: 'half\n written ' }, t)).toEqual({ kind: 'draft', text: 'half written' });
    expect(previewOf(group, { ...base, draft: 'half', open: true }, t).text).toBe('hello');
    expect(previewOf(chat(1, { last_message: '' }), { ...base, lastType: 'voice' }, t).text).toBe('chatlist.preview.voice');
    expect(previewOf(chat(1, { last_message: '' }), base, t).text).toBe('chatlist.preview.attachment');
    expect(previewOf(chat(1, { last_message: '' }), { ...base, lastType: 'image' }, t).text).toBe('chatlist.preview.image');
    expect(previewOf(chat(1), base, t).text).toBe('chats.noMessages');
  });
});

describe('this tab\'s presence', () => {
  it('goes away after 30 s without input and 3 s after hiding; input or showing makes it active at once', () => {
    vi.useFakeTimers();
    let now = 0;
    let visible = true;
    const sent: string[] = [];
    const tracker = new ActivityTracker({ send: (s) => sent.push(s), visible: () => visible, now: () => now });
    tracker.start();
    now = IDLE_MS - 1000;
    vi.advanceTimersByTime(CHECK_EVERY_MS);
    tracker.checkIdle();
    expect(sent).toEqual([]);
    now = IDLE_MS + 1;
    tracker.checkIdle();
    expect(sent).toEqual(['away']);
    // Still idle: away again (the session's activity ping may have woken the connection), for a while only.
    now = IDLE_MS + CHECK_EVERY_MS;
    tracker.checkIdle();
    expect(sent).toEqual(['away', 'away']);
    now = 3 * IDLE_MS + CHECK_EVERY_MS;
    tracker.checkIdle();
    expect(sent).toEqual(['away', 'away']);
    sent.length = 1;
    tracker.input();
    expect(sent).toEqual(['away', 'active']);

    visible = false;
    tracker.visibilityChanged(false);
    vi.advanceTimersByTime(HIDDEN_GRACE_MS - 1);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['away', 'active', 'away']);
    visible = true;
    tracker.visibilityChanged(true);
    expect(sent.at(-1)).toBe('active');

    // A quick look away (under the grace) sends nothing.
    tracker.visibilityChanged(false);
    vi.advanceTimersByTime(1000);
    tracker.visibilityChanged(true);
    vi.advanceTimersByTime(HIDDEN_GRACE_MS);
    expect(sent).toEqual(['away', 'active', 'away', 'active']);
    tracker.stop();
  });
});
