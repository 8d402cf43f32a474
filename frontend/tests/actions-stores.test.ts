import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../src/api/types';
import type { ServerEvent } from '../src/realtime';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), delete: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', () => ({
  api,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const { useMessagesStore } = await import('../src/stores/messages');
const { useReactionsStore, BATCH } = await import('../src/stores/reactions');
const { usePinsStore } = await import('../src/stores/pins');
const { useReceiptsStore } = await import('../src/stores/receipts');
const { useMessageActionsStore, DELETE_FOR_EVERYONE_MS } = await import('../src/stores/messageActions');
const { useSessionStore } = await import('../src/stores/session');
const install = (await import('../src/realtime/handlers/actions')).default;

const ME = 7;
const BOB = 8;

function msg(id: number, extra: Partial<Message> = {}): Message {
  return {
    id,
    chat_id: 5,
    seq: id,
    sender_id: BOB,
    content: `m${id}`,
    message_type: 'text',
    created_at: '2026-03-01 10:00:00+00',
    is_edited: false,
    reply_to_message_id: null,
    ...extra,
  } as Message;
}

/** The live-frame handlers of this area, as the realtime store would call them. */
function liveHandlers(): (ev: ServerEvent) => void {
  const handlers = new Map<string, (ev: ServerEvent) => void>();
  install(((type: string, handler: (ev: ServerEvent) => void) => handlers.set(type, handler)) as never);
  return (ev) => handlers.get(ev.type)?.(ev);
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.resetAllMocks();
  useSessionStore().me = { id: ME, username: 'alice', display_name: 'Alice' } as never;
});

describe('reactions', () => {
  it('count my reaction once although the answer and the WebSocket echo both report it', async () => {
    const reactions = useReactionsStore();
    const live = liveHandlers();
    api.get.mockResolvedValue({});
    await reactions.load(5, [12]);
    api.post.mockResolvedValue({ message_id: 12, emoji: '👍', action: 'added' });
    await reactions.toggle(5, 12, '👍');
    live({ type: 'reaction', chat_id: 5, message_id: 12, user_id: ME, emoji: '👍', action: 'added' });
    expect(reactions.of(12)).toEqual([{ emoji: '👍', count: 1, me: true }]);

    // Echo first, answer second: still one.
    live({ type: 'reaction', chat_id: 5, message_id: 12, user_id: ME, emoji: '🔥', action: 'added' });
    api.post.mockResolvedValue({ message_id: 12, emoji: '🔥', action: 'added' });
    await reactions.toggle(5, 12, '🔥');
    expect(reactions.of(12).find((g) => g.emoji === '🔥')).toEqual({ emoji: '🔥', count: 1, me: true });
    expect(api.post).toHaveBeenCalledWith('/chats/{id}/messages/{messageId}/reactions', {
      params: { id: 5, messageId: 12 },
      body: { emoji: '🔥' },
    });
  });

  it('add and remove others\' reactions live, and my removal once', async () => {
    const reactions = useReactionsStore();
    const live = liveHandlers();
    api.get.mockResolvedValue({ '12': [{ emoji: '👍', count: 1, me: true }] });
    await reactions.load(5, [12]);
    live({ type: 'reaction', chat_id: 5, message_id: 12, user_id: BOB, emoji: '👍', action: 'added' });
    expect(reactions.of(12)).toEqual([{ emoji: '👍', count: 2, me: true }]);
    api.post.mockResolvedValue({ message_id: 12, emoji: '👍', action: 'removed' });
    await reactions.toggle(5, 12, '👍');
    live({ type: 'reaction', chat_id: 5, message_id: 12, user_id: ME, emoji: '👍', action: 'removed' });
    expect(reactions.of(12)).toEqual([{ emoji: '👍', count: 1, me: false }]);
    live({ type: 'reaction', chat_id: 5, message_id: 12, user_id: BOB, emoji: '👍', action: 'removed' });
    expect(reactions.of(12)).toEqual([]);
    // A message never loaded is left to its batch load.
    live({ type: 'reaction', chat_id: 5, message_id: 99, user_id: BOB, emoji: '👍', action: 'added' });
    expect(reactions.byMessage[99]).toBeUndefined();
  });

  it('load in batches of at most 200 ids, each message once', async () => {
    const reactions = useReactionsStore();
    api.get.mockResolvedValue({ '3': [{ emoji: '😂', count: 2, me: false }] });
    const ids = Array.from({ length: BATCH + 5 }, (_, i) => i + 1);
    await reactions.load(5, ids);
    expect(api.get).toHaveBeenCalledTimes(2);
    const [path, init] = api.get.mock.calls[0] as [string, { params: unknown; query: { message_ids: string } }];
    expect(path).toBe('/chats/{id}/reactions');
    expect(init.params).toEqual({ id: 5 });
    expect(init.query.message_ids.split(',')).toHaveLength(BATCH);
    expect(reactions.of(3)).toEqual([{ emoji: '😂', count: 2, me: false }]);
    expect(reactions.byMessage[1]).toEqual([]);
    await reactions.load(5, ids);
    expect(api.get).toHaveBeenCalledTimes(2);
    // After a reconnect they load again, replacing what was known.
    api.get.mockResolvedValue({ '3': [{ emoji: '😂', count: 3, me: true }] });
    await reactions.load(5, [3], true);
    expect(reactions.of(3)).toEqual([{ emoji: '😂', count: 3, me: true }]);
  });
});

describe('edit and delete', () => {
  it('edit saves by PUT and live edits update the bubble', async () => {
    const messages = useMessagesStore();
    messages.upsert(5, [msg(1, { sender_id: ME }), msg(2)]);
    api.put.mockResolvedValue({ id: 1, content: 'fixed', is_edited: true, updated_at: '2026-03-01 10:05:00+00' });
    await messages.edit(5, 1, 'fixed');
    expect(api.put).toHaveBeenCalledWith('/chats/{id}/messages/{messageId}', { params: { id: 5, messageId: 1 }, body: { content: 'fixed' } });
    expect(messages.of(5).items[0]).toMatchObject({ content: 'fixed', is_edited: true });
    liveHandlers()({ type: 'message_updated', chat_id: 5, message_id: 2, content: 'bob fixed', updated_at: '2026-03-01 10:06:00+00' });
    expect(messages.of(5).items[1]).toMatchObject({ content: 'bob fixed', is_edited: true });
  });

  it('delete for everyone sends the body, drops the message and its text from replies; for me sends none', async () => {
    const messages = useMessagesStore();
    const actions = useMessageActionsStore();
    messages.upsert(5, [msg(1), msg(2, { reply_to_message_id: 1, reply_to_content: 'm1' } as Partial<Message>), msg(3)]);
    api.delete.mockResolvedValue(undefined);
    await actions.remove(5, [1], true);
    expect(api.delete).toHaveBeenCalledWith('/chats/{id}/messages/{messageId}', {
      params: { id: 5, messageId: 1 },
      body: { for_everyone: true },
    });
    expect(messages.of(5).items.map((m) => m.id)).toEqual([2, 3]);
    expect(messages.of(5).items[0]?.reply_to_content).toBeNull();
    await actions.remove(5, [3], false);
    expect(api.delete).toHaveBeenLastCalledWith('/chats/{id}/messages/{messageId}', { params: { id: 5, messageId: 3 } });
    expect(messages.of(5).items.map((m) => m.id)).toEqual([2]);
    liveHandlers()({ type: 'message_deleted', chat_id: 5, message_id: 2, deleted_by: BOB, for_everyone: true });
    expect(messages.of(5).items).toEqual([]);
    // Catch-up hands on a message deleted meanwhile as an emptied row: it is not shown.
    messages.upsert(5, [msg(6)]);
    messages.upsert(5, [msg(6, { is_deleted: true, content: '' }), msg(7, { is_deleted: true, content: '' })]);
    expect(messages.of(5).items).toEqual([]);
  });

  it('allows delete for everyone to the sender or a chat admin, within 48 hours', () => {
    const actions = useMessageActionsStore();
    const now = Date.parse('2026-03-02T10:00:00Z');
    const mine = msg(1, { sender_id: ME });
    const bobs = msg(2);
    const old = msg(3, { sender_id: ME, created_at: '2026-02-27 09:00:00+00' });
    actions.roles[5] = 'member';
    expect(actions.canDeleteForEveryone(5, [mine], ME, now)).toBe(true);
    expect(actions.canDeleteForEveryone(5, [mine, bobs], ME, now)).toBe(false);
    expect(actions.canDeleteForEveryone(5, [old], ME, now)).toBe(false);
    expect(now - Date.parse('2026-02-27T09:00:00Z')).toBeGreaterThan(DELETE_FOR_EVERYONE_MS);
    actions.roles[5] = 'admin';
    expect(actions.canDeleteForEveryone(5, [mine, bobs], ME, now)).toBe(true);
    expect(actions.canDeleteForEveryone(5, [], ME, now)).toBe(false);
  });
});

describe('forward, pins, receipts', () => {
  it('forwards to every target and names the ones that refused', async () => {
    const actions = useMessageActionsStore();
    api.post.mockResolvedValueOnce([]).mockRejectedValueOnce(new Error('Only admins can post in channels'));
    const failed = await actions.forward(5, [1, 2], [10, 11]);
    expect(api.post).toHaveBeenNthCalledWith(1, '/chats/{id}/messages/forward', {
      params: { id: 10 },
      body: { from_chat_id: 5, message_ids: [1, 2] },
    });
    expect(failed.map((f) => f.chatId)).toEqual([11]);
  });

  it('keeps the one pinned message live', async () => {
    const pins = usePinsStore();
    const live = liveHandlers();
    api.get.mockResolvedValueOnce(null);
    await pins.load(5);
    expect(pins.of(5)).toBeNull();
    api.post.mockResolvedValue({ pinned_message_id: 1, message: msg(1), pinned_at: '', pinned_by: ME });
    await pins.pin(5, 1);
    expect(pins.isPinned(5, 1)).toBe(true);
    live({ type: 'message_pinned', chat_id: 5, message_id: 2, pinned_by: BOB, message: msg(2) });
    expect(pins.of(5)?.id).toBe(2);
    live({ type: 'message_unpinned', chat_id: 5, message_id: 1 });
    expect(pins.of(5)?.id).toBe(2);
    live({ type: 'message_deleted', chat_id: 5, message_id: 2, deleted_by: BOB, for_everyone: true });
    expect(pins.of(5)?.content).toBe('');
    live({ type: 'message_unpinned', chat_id: 5, message_id: 2 });
    expect(pins.of(5)).toBeNull();
  });

  it('ticks: ✓ sent, ✓✓ once another member read it, none when my receipts are off', async () => {
    const receipts = useReceiptsStore();
    const live = liveHandlers();
    api.get.mockImplementation(async (path: string) =>
      path === '/settings' ? { read_receipts_enabled: true } : [{ user_id: BOB, last_read_msg_id: 10, read_at: '' }],
    );
    await receipts.load(5);
    expect(receipts.tick(5, 10)).toBe('read');
    expect(receipts.tick(5, 11)).toBe('sent');
    live({ type: 'read_receipt', chat_id: 5, user_id: ME, last_read_msg_id: 11 });
    expect(receipts.tick(5, 11)).toBe('sent');
    live({ type: 'read_receipt', chat_id: 5, user_id: BOB, last_read_msg_id: 11 });
    expect(receipts.tick(5, 11)).toBe('read');
    live({ type: 'read_receipt', chat_id: 5, user_id: BOB, last_read_msg_id: 3 });
    expect(receipts.tick(5, 11)).toBe('read');

    api.get.mockReset();
    api.get.mockResolvedValueOnce({ read_receipts_enabled: false });
    await receipts.load(5);
    expect(api.get).toHaveBeenCalledTimes(1);
    expect(receipts.tick(5, 1)).toBeNull();
  });
});
