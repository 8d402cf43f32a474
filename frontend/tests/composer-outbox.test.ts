// The send pipeline: optimistic pending entries, the outbox queue (order, retry,
// survival across a reload) and de-duplication of the POST answer and the echo.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import type { Message, SentMessage } from '../src/api/types';
import { memoryQueue, type OutboxQueue } from '../src/utils/outboxQueue';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', async () => ({
  api,
  ApiError: (await import('../src/api/client')).ApiError,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

const { useMessagesStore } = await import('../src/stores/messages');
const { useOutboxStore, useOutboxQueue } = await import('../src/stores/outbox');
const { useSessionStore } = await import('../src/stores/session');

const ME = { id: 1, username: 'alice', display_name: 'Alice', email: 'a@x', bio: null, created_at: '', is_admin: false, avatar_url: null };
let queue: OutboxQueue;
let nextId = 100;

type Body = { content: string; type: string; client_msg_id: string; file_id: number };
const posted = (): Body[] => api.post.mock.calls.map((c) => (c[1] as { body: Body }).body);

function answer(chatId: number, body: Body, id = ++nextId): SentMessage {
  return { id, chat_id: chatId, sender_id: 1, content: body.content, message_type: body.type, type: body.type, created_at: '2026-03-01 12:00:00+00', seq: id };
}

function echo(sent: SentMessage, extra: Partial<Message> = {}): Message {
  return {
    ...sent,
    is_edited: false,
    sender_username: 'alice',
    sender_display_name: 'Alice',
    attachment_url: null,
    reply_to_message_id: null,
    ...extra,
  } as unknown as Message;
}

/** A fresh app on the same stored queue (what a reload does). */
function boot(): void {
  setActivePinia(createPinia());
  useOutboxQueue(() => queue);
  useSessionStore().me = ME;
}

beforeEach(() => {
  vi.resetAllMocks();
  queue = memoryQueue();
  boot();
});

describe('the outbox', () => {
  it('shows the message at once as pending, then as sent on the 201; the later echo completes it once', async () => {
    let release!: () => void;
    api.post.mockImplementation((_p, init: { params: { id: number }; body: Body }) =>
      new Promise((resolve) => (release = () => resolve(answer(init.params.id, init.body, 500)))),
    );
    const messages = useMessagesStore();
    const sending = useOutboxStore().submit(5, { type: 'text', content: 'hello' });
    await vi.waitFor(() => expect(api.post).toHaveBeenCalledTimes(1));
    const [pending] = messages.of(5).items;
    expect(pending).toMatchObject({ content: 'hello', sender_display_name: 'Alice', local: { state: 'sending' } });
    expect(pending!.id).toBeLessThan(0);
    expect(pending!.local?.clientMsgId).toBe(posted()[0]?.client_msg_id);

    release();
    await sending;
    expect(messages.of(5).items).toHaveLength(1);
    expect(messages.of(5).items[0]).toMatchObject({ id: 500, content: 'hello', local: undefined });

    messages.upsert(5, [echo(answer(5, posted()[0]!, 500), { attachment_url: 'http://s3/x.png' })]);
    expect(messages.of(5).items).toHaveLength(1);
    expect(messages.of(5).items[0]?.attachment_url).toBe('http://s3/x.png');
    expect(await queue.all()).toEqual([]);
  });

  it('takes the WebSocket echo that comes before the POST answer as the message: never shown twice', async () => {
    let release!: () => void;
    api.post.mockImplementation((_p, init: { params: { id: number }; body: Body }) =>
      new Promise((resolve) => (release = () => resolve(answer(init.params.id, init.body, 700)))),
    );
    const messages = useMessagesStore();
    messages.upsert(5, [echo(answer(5, { content: 'hello', type: 'text', client_msg_id: '', file_id: 0 }, 90))]);
    const sending = useOutboxStore().submit(5, { type: 'text', content: 'hello' });
    await vi.waitFor(() => expect(api.post).toHaveBeenCalled());
    messages.upsert(5, [echo(answer(5, posted()[0]!, 700), { sender_display_name: 'Alice A.' })]);
    expect(messages.of(5).items.map((m) => m.id)).toEqual([90, 700]);
    release();
    await sending;
    expect(messages.of(5).items.map((m) => m.id)).toEqual([90, 700]);
    expect(messages.of(5).items[1]?.sender_display_name).toBe('Alice A.');
  });

  it('keeps what this tab knows of a sent file (preview, size) through the 201 and the echo', async () => {
    api.post.mockImplementation(async (_p, init: { params: { id: number }; body: Body }) => answer(init.params.id, init.body, 800));
    const messages = useMessagesStore();
    await useOutboxStore().submit(5, { type: 'image', file_id: 3 }, { attachment_filename: 'a.png', attachment_mime_type: 'image/png' }, { previewUrl: 'blob:a', size: 2048 });
    expect(posted()[0]).toMatchObject({ type: 'image', file_id: 3, content: '' });
    expect(messages.of(5).items[0]).toMatchObject({ id: 800, attachment_filename: 'a.png', attachment_url: null, localFile: { previewUrl: 'blob:a', size: 2048 } });
    messages.upsert(5, [echo(answer(5, posted()[0]!, 800), { attachment_url: 'http://s3/a.png', attachment_filename: 'a.png' })]);
    expect(messages.of(5).items).toHaveLength(1);
    expect(messages.of(5).items[0]).toMatchObject({ attachment_url: 'http://s3/a.png', localFile: { size: 2048 } });
  });

  it('keeps messages queued without a network and sends them in order afterwards, with their client_msg_id', async () => {
    api.post.mockRejectedValue(new ApiError(0, 'Network error'));
    const outbox = useOutboxStore();
    const messages = useMessagesStore();
    await outbox.submit(5, { type: 'text', content: 'one' });
    await outbox.submit(6, { type: 'text', content: 'two' });
    await outbox.submit(5, { type: 'text', content: 'three' });
    expect(messages.of(5).items.map((m) => [m.content, m.local?.state])).toEqual([['one', 'queued'], ['three', 'queued']]);
    expect(messages.of(6).items[0]?.local?.state).toBe('queued');
    const firstTry = posted()[0]!.client_msg_id;
    // Only the first was tried each time: the others wait behind it.
    expect(new Set(posted().map((b) => b.content))).toEqual(new Set(['one']));

    api.post.mockReset();
    api.post.mockImplementation(async (_p, init: { params: { id: number }; body: Body }) => answer(init.params.id, init.body));
    outbox.online();
    await outbox.flush();
    expect(posted().map((b) => b.content)).toEqual(['one', 'two', 'three']);
    expect(posted()[0]?.client_msg_id).toBe(firstTry);
    expect(messages.of(5).items.map((m) => [m.content, m.id > 0, m.local?.state])).toEqual([
      ['one', true, undefined],
      ['three', true, undefined],
    ]);
    expect(await queue.all()).toEqual([]);
  });

  it('marks a refused message failed (with the error text), sends the next, and retries or deletes it on request', async () => {
    api.post
      .mockRejectedValueOnce(new ApiError(403, 'Only admins can post in channels'))
      .mockImplementation(async (_p, init: { params: { id: number }; body: Body }) => answer(init.params.id, init.body));
    const outbox = useOutboxStore();
    const messages = useMessagesStore();
    await outbox.submit(5, { type: 'text', content: 'refused' });
    await outbox.submit(5, { type: 'text', content: 'fine' });
    const failed = messages.of(5).items.find((m) => m.content === 'refused');
    expect(failed?.local).toMatchObject({ state: 'failed', error: 'Only admins can post in channels' });
    expect(messages.of(5).items.find((m) => m.content === 'fine')?.id).toBeGreaterThan(0);
    expect((await queue.all()).map((e) => e.state)).toEqual(['failed']);

    await outbox.retry(failed!.local!.clientMsgId);
    expect(posted().map((b) => b.content)).toEqual(['refused', 'fine', 'refused']);
    expect(posted()[2]?.client_msg_id).toBe(posted()[0]?.client_msg_id);
    expect(messages.of(5).items.every((m) => m.id > 0)).toBe(true);

    api.post.mockRejectedValueOnce(new ApiError(400, 'Message too long'));
    await outbox.submit(5, { type: 'text', content: 'x'.repeat(5) });
    const again = messages.of(5).items.find((m) => m.local?.state === 'failed');
    await outbox.discard(again!.local!.clientMsgId);
    expect(messages.of(5).items.some((m) => m.id < 0)).toBe(false);
    expect(await queue.all()).toEqual([]);
  });

  it('survives a reload: the next visit shows and sends what was queued, and only the same user’s', async () => {
    api.post.mockRejectedValue(new ApiError(0, 'Network error'));
    await useOutboxStore().submit(5, { type: 'text', content: 'left behind' });
    await queue.put({ ...(await queue.all())[0]!, clientMsgId: 'other-user', userId: 2, order: 1 });

    boot();
    api.post.mockReset();
    api.post.mockImplementation(async (_p, init: { params: { id: number }; body: Body }) => answer(init.params.id, init.body));
    const outbox = useOutboxStore();
    await outbox.restore();
    expect(useMessagesStore().of(5).items.map((m) => [m.content, m.local?.state])).toEqual([['left behind', 'queued']]);
    await outbox.flush();
    expect(posted().map((b) => b.content)).toEqual(['left behind']);
    expect(useMessagesStore().of(5).items.map((m) => m.id > 0)).toEqual([true]);
    expect((await queue.all()).map((e) => e.clientMsgId)).toEqual(['other-user']);
  });

  it('after a logout and a new login of the same person, shows and sends what was left', async () => {
    api.post.mockRejectedValue(new ApiError(0, 'Network error'));
    const outbox = useOutboxStore();
    await outbox.submit(5, { type: 'text', content: 'pending at logout' });
    const session = useSessionStore();
    session.me = null;
    useMessagesStore().reset();
    await Promise.resolve();
    expect(outbox.entries.size).toBe(0);
    session.me = ME;
    api.post.mockReset();
    api.post.mockImplementation(async (_p, init: { params: { id: number }; body: Body }) => answer(init.params.id, init.body));
    await outbox.flush();
    expect(posted().map((b) => b.content)).toEqual(['pending at logout']);
    expect(useMessagesStore().of(5).items.map((m) => [m.content, m.id > 0])).toEqual([['pending at logout', true]]);
  });
});
