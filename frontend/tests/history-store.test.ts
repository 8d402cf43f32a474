import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../src/api/types';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', () => ({
  api,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const { useMessagesStore, PAGE_SIZE } = await import('../src/stores/messages');
const { useChatSearchStore, SEARCH_PAGE } = await import('../src/stores/chatSearch');
const { useSessionStore } = await import('../src/stores/session');

const ME = 1;
function msg(id: number, senderId = 2): Message {
  const at = `2026-03-01 10:00:00.${String(id).padStart(6, '0')}+00`;
  return { id, chat_id: 5, seq: id, sender_id: senderId, content: `m${id}`, message_type: 'text', created_at: at } as Message;
}
const range = (from: number, to: number, senderId = 2) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i, senderId));

beforeEach(() => {
  setActivePinia(createPinia());
  vi.resetAllMocks();
  useSessionStore().me = { id: ME, username: 'alice', display_name: 'Alice' } as never;
});

describe('opening a chat', () => {
  it('loads the newest page and puts the divider at the first unread message', async () => {
    api.get.mockResolvedValueOnce(range(951, 1000));
    const store = useMessagesStore();
    await store.openChat(5, 30);
    expect(api.get).toHaveBeenCalledWith('/chats/{id}/messages', { params: { id: 5 }, query: { limit: 50 } });
    expect(store.of(5).firstUnreadId).toBe(971);
  });

  it('puts the divider where it belongs once scrolling up loads the first unread message', async () => {
    api.get.mockResolvedValueOnce(range(951, 1000)).mockResolvedValueOnce(range(851, 950));
    const store = useMessagesStore();
    await store.openChat(5, 120);
    expect(api.get).toHaveBeenCalledTimes(1);
    expect(store.of(5).firstUnreadId).toBeNull();
    await store.loadOlder(5, 100);
    expect(api.get).toHaveBeenLastCalledWith('/chats/{id}/messages', {
      params: { id: 5 },
      query: { limit: 100, before: msg(951).created_at },
    });
    expect(store.of(5).items[0]?.id).toBe(851);
    expect(store.of(5).firstUnreadId).toBe(881);
  });
});

describe('a jump to a message', () => {
  it('loads the page up to it and the page after it when it is not loaded, and focuses it', async () => {
    api.get.mockImplementation(async (_p, { query }: { query: { before?: string; after_id?: number } }) =>
      query.before === '501' ? range(451, 500) : query.after_id === 500 ? range(501, 550) : [],
    );
    const store = useMessagesStore();
    const { found } = await store.jumpTo(5, 500);
    expect(found).toBe(true);
    const s = store.of(5);
    expect(s.items.map((m) => m.id)).toEqual(range(451, 550).map((m) => m.id));
    expect(s).toMatchObject({ hasOlder: true, hasNewer: true, loaded: true });
    expect(s.focus?.id).toBe(500);
    const nonce = s.focus?.nonce;
    // Already loaded: no request, a new focus.
    api.get.mockClear();
    await store.jumpTo(5, 520);
    expect(api.get).not.toHaveBeenCalled();
    expect(s.focus?.nonce).not.toBe(nonce);
  });

  it('says when the message is not there, and changes nothing', async () => {
    api.get.mockResolvedValueOnce(range(1, 3)).mockResolvedValueOnce([]).mockResolvedValueOnce(range(1, 4)).mockResolvedValueOnce([]);
    const store = useMessagesStore();
    await store.loadLatest(5);
    const { found } = await store.jumpTo(5, 99);
    expect(found).toBe(false);
    expect(store.of(5).items.map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it('then loads newer pages by after_seq until the newest, and live messages wait meanwhile', async () => {
    api.get.mockImplementation(async (_p, { query }: { query: { before?: string; after_id?: number; after_seq?: number } }) => {
      if (query.before) return range(451, 500);
      if (query.after_id) return range(501, 550);
      if (query.after_seq === 550) return range(551, 600);
      if (query.after_seq === 600) return range(601, 610);
      return [];
    });
    const store = useMessagesStore();
    await store.jumpTo(5, 500);
    const s = store.of(5);
    store.upsert(5, [msg(700)]);
    expect(s.items.some((m) => m.id === 700)).toBe(false);
    expect(s.missedNewer).toBe(1);
    await store.loadNewer(5);
    expect(api.get).toHaveBeenLastCalledWith('/chats/{id}/messages', { params: { id: 5 }, query: { limit: PAGE_SIZE, after_seq: 550 } });
    expect(s.hasNewer).toBe(true);
    await store.loadNewer(5);
    expect(s.hasNewer).toBe(false);
    expect(s.missedNewer).toBe(0);
    expect(s.items.at(-1)?.id).toBe(610);
    // At the newest again: live messages join the list.
    store.upsert(5, [msg(611)]);
    expect(s.items.at(-1)?.id).toBe(611);
  });

  it('pages newer from the highest seq loaded, not from the last message shown', async () => {
    // Two senders committed out of seq order: the last by time carries a lower seq.
    const early = { ...msg(501), seq: 560 } as Message;
    const late = { ...msg(550), seq: 549 } as Message;
    api.get.mockImplementation(async (_p, { query }: { query: { before?: string; after_id?: number; after_seq?: number } }) =>
      query.before ? range(451, 500) : query.after_id ? [early, ...range(502, 549), late] : [],
    );
    const store = useMessagesStore();
    await store.jumpTo(5, 500);
    await store.loadNewer(5);
    expect(api.get).toHaveBeenLastCalledWith('/chats/{id}/messages', { params: { id: 5 }, query: { limit: PAGE_SIZE, after_seq: 560 } });
    expect(store.of(5).hasNewer).toBe(false);
  });

  it('goes back to the newest messages when I write while reading old ones', async () => {
    api.get.mockImplementation(async (_p, { query }: { query: { before?: string; after_id?: number } }) =>
      query.before ? range(451, 500) : query.after_id ? range(501, 550) : range(951, 1001),
    );
    const store = useMessagesStore();
    await store.jumpTo(5, 500);
    store.upsert(5, [msg(1001, ME)]);
    await vi.waitFor(() => expect(store.of(5).hasNewer).toBe(false));
    expect(store.of(5).items.map((m) => m.id)).toEqual(range(951, 1001).map((m) => m.id));
  });
});

describe('in-chat search', () => {
  it('pages newest first by before_id, steps through results and jumps to each', async () => {
    const page1 = Array.from({ length: SEARCH_PAGE }, (_, i) => msg(1000 - i * 10));
    api.get.mockImplementation(async (path: string, { query }: { query: Record<string, unknown> }) => {
      if (path.endsWith('/search')) return query.before_id ? [msg(5)] : page1;
      return query.before ? range(Number(query.before) - 50, Number(query.before) - 1) : [];
    });
    const search = useChatSearchStore();
    const messages = useMessagesStore();
    search.open(5);
    await search.search('  m1 ');
    expect(api.get).toHaveBeenCalledWith('/chats/{id}/messages/search', { params: { id: 5 }, query: { q: 'm1', limit: SEARCH_PAGE } });
    expect(search.hasMore).toBe(true);
    expect(search.highlightFor(5)).toBe('m1');
    expect(search.highlightFor(6)).toBe('');
    expect(await search.older()).toBe(true);
    expect(search.index).toBe(0);
    expect(messages.of(5).focus?.id).toBe(1000);
    expect(await search.newer()).toBe(false);
    search.index = SEARCH_PAGE - 1;
    expect(await search.older()).toBe(true);
    expect(api.get).toHaveBeenCalledWith('/chats/{id}/messages/search', {
      params: { id: 5 },
      query: { q: 'm1', limit: SEARCH_PAGE, before_id: page1.at(-1)?.id },
    });
    expect(search.current?.id).toBe(5);
    expect(search.hasMore).toBe(false);
    search.close();
    expect(search.highlightFor(5)).toBe('');
  });

  it('ignores the answer to a query that was replaced meanwhile', async () => {
    let answer: (v: Message[]) => void = () => undefined;
    api.get.mockReturnValueOnce(new Promise((r) => (answer = r))).mockResolvedValueOnce([msg(2)]);
    const search = useChatSearchStore();
    search.open(5);
    const first = search.search('old');
    await search.search('new');
    answer([msg(1)]);
    await first;
    expect(search.results.map((m) => m.id)).toEqual([2]);
    expect(search.query).toBe('new');
  });
});
