import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatListItem, Message } from '../src/api/types';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', () => ({
  api,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const { useChatsStore, chatTitle } = await import('../src/stores/chats');
const { useMessagesStore, PAGE_SIZE } = await import('../src/stores/messages');
const { useSessionStore } = await import('../src/stores/session');

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

function msg(id: number, chatId: number, at: string, senderId = 2, content = `m${id}`): Message {
  return { id, chat_id: chatId, seq: id, sender_id: senderId, content, message_type: 'text', created_at: at } as Message;
}

describe('the chats store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.resetAllMocks();
  });

  it('updates preview, time, unread and order on a new message, keeping pinned chats first', async () => {
    api.get.mockResolvedValue([
      chat(1, { is_pinned: true, updated_at: '2026-03-01 09:00:00+00' }),
      chat(2, { updated_at: '2026-03-01 10:00:00+00' }),
      chat(3, { updated_at: '2026-03-01 08:00:00+00' }),
    ]);
    const chats = useChatsStore();
    await chats.load();
    chats.applyMessage(msg(50, 3, '2026-03-01 11:00:00+00', 2, 'hi there'), 1, null);
    expect(chats.list.map((c) => c.id)).toEqual([1, 3, 2]);
    expect(chats.byId(3)).toMatchObject({ last_message: 'hi there', last_at: '2026-03-01 11:00:00+00', unread_count: 1 });

    // Mine, or in the open chat: no unread.
    chats.applyMessage(msg(51, 3, '2026-03-01 11:01:00+00', 1), 1, null);
    chats.applyMessage(msg(52, 2, '2026-03-01 11:02:00+00', 2), 1, 2);
    expect(chats.byId(3)?.unread_count).toBe(1);
    expect(chats.byId(2)?.unread_count).toBe(0);
    expect(chats.list.map((c) => c.id)).toEqual([1, 2, 3]);
  });

  it('a list fetched before a pin was saved does not unpin the chat', async () => {
    api.get.mockResolvedValueOnce([chat(3), chat(4)]);
    const chats = useChatsStore();
    await chats.load();
    let saved: (value: unknown) => void = () => undefined;
    api.post.mockReturnValueOnce(new Promise((resolve) => (saved = resolve)));
    const pin = chats.setPinned(4, true);
    // A reload answered from before the pin reached the server.
    api.get.mockResolvedValueOnce([chat(3), chat(4)]);
    const reload = chats.load();
    saved(undefined);
    await pin;
    await reload;
    expect(chats.byId(4)?.is_pinned).toBe(true);
    expect(chats.list.map((c) => c.id)).toEqual([4, 3]);
  });

  it('a list fetched before a live message arrived does not roll the preview back; a newer list wins', async () => {
    api.get.mockResolvedValueOnce([chat(7)]);
    const chats = useChatsStore();
    await chats.load();
    // A reload starts (a new chat's frame), then the chat's first message arrives live.
    let answer: (list: ChatListItem[]) => void = () => undefined;
    api.get.mockReturnValueOnce(new Promise<ChatListItem[]>((resolve) => (answer = resolve)));
    const reload = chats.load();
    chats.applyMessage(msg(60, 7, '2026-03-01 12:00:00+00', 2, 'first!'), 1, null);
    answer([chat(7), chat(8)]);
    await reload;
    expect(chats.byId(7)).toMatchObject({ last_message: 'first!', last_at: '2026-03-01 12:00:00+00', unread_count: 1 });
    expect(chats.byId(8)).toBeDefined();

    // A later reload that has the message (or a deletion since) is taken as it is.
    api.get.mockResolvedValueOnce([chat(7, { last_message: null, last_at: null, unread_count: 0 })]);
    await chats.load();
    expect(chats.byId(7)).toMatchObject({ last_message: null, last_at: null, unread_count: 0 });
  });

  it('names direct chats after the other user', () => {
    expect(chatTitle(chat(1, { type: 'direct', title: '', other_display_name: 'Bob', other_username: 'bob' }))).toBe('Bob');
    expect(chatTitle(chat(2, { title: 'Dev Team' }))).toBe('Dev Team');
  });

  it('marks a chat read on the server and locally', async () => {
    api.get.mockResolvedValue([chat(4, { unread_count: 3 })]);
    api.post.mockResolvedValue(undefined);
    const chats = useChatsStore();
    await chats.load();
    await chats.markRead(4);
    expect(chats.byId(4)?.unread_count).toBe(0);
    expect(api.post).toHaveBeenCalledWith('/chats/{id}/read', { params: { id: 4 } });
  });
});

describe('the messages store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.resetAllMocks();
  });

  it('loads the latest page, then older pages before the oldest created_at', async () => {
    const latest = Array.from({ length: PAGE_SIZE }, (_, i) => msg(100 + i, 5, `2026-03-01 10:${String(i).padStart(2, '0')}:00+00`));
    api.get.mockResolvedValueOnce(latest).mockResolvedValueOnce([msg(1, 5, '2026-03-01 09:00:00+00')]);
    const store = useMessagesStore();
    await store.loadLatest(5);
    expect(store.of(5).hasOlder).toBe(true);
    await store.loadOlder(5);
    expect(api.get).toHaveBeenLastCalledWith('/chats/{id}/messages', {
      params: { id: 5 },
      query: { limit: PAGE_SIZE, before: '2026-03-01 10:00:00+00' },
    });
    expect(store.of(5).items[0]?.id).toBe(1);
    expect(store.of(5).hasOlder).toBe(false);
  });

  it('keeps one entry per id: the echo completes the short POST answer', async () => {
    api.post.mockResolvedValue({ id: 9, chat_id: 5, sender_id: 1, content: 'yo', message_type: 'text', type: 'text', created_at: '2026-03-01 12:00:00+00' });
    const store = useMessagesStore();
    useSessionStore().me = { id: 1, username: 'alice', display_name: 'Alice', email: '', bio: null, created_at: '', is_admin: false, avatar_url: null };
    await store.send(5, 'yo');
    expect(store.of(5).items).toHaveLength(1);
    expect(store.of(5).items[0]).toMatchObject({ sender_display_name: 'Alice', content: 'yo' });
    store.upsert(5, [{ ...msg(9, 5, '2026-03-01 12:00:00+00', 1, 'yo'), sender_display_name: 'Alice A.' } as Message]);
    expect(store.of(5).items).toHaveLength(1);
    expect(store.of(5).items[0]?.sender_display_name).toBe('Alice A.');
    const body = api.post.mock.calls[0]?.[1] as { body: { content: string; client_msg_id: string } };
    expect(body.body.content).toBe('yo');
    expect(body.body.client_msg_id).toMatch(/\w/);
  });
});
