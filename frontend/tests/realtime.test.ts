import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '../src/api/types';
import { MAX_BACKOFF_MS, RealtimeSession, type SocketLike } from '../src/realtime';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
  push(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function message(id: number, chatId: number, seq: number): Message {
  return {
    id,
    chat_id: chatId,
    seq,
    sender_id: 2,
    content: `m${id}`,
    message_type: 'text',
    created_at: `2026-03-01 10:00:${String(seq).padStart(2, '0')}+00`,
  } as Message;
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1] as FakeSocket;

describe('the realtime session', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => vi.useRealTimers());

  function session(fetchAfter = vi.fn(async (_chatId: number, _afterSeq: number): Promise<Message[]> => [])) {
    const received: Message[] = [];
    const s = new RealtimeSession({
      url: 'ws://test/ws',
      token: () => 'tok',
      fetchAfter,
      onMessage: (m) => received.push(m),
      socket: (url) => new FakeSocket(url),
    });
    return { s, received, fetchAfter };
  }

  it('authenticates, subscribes to every chat and pings every 25 s', () => {
    const { s } = session();
    s.start([5, 7]);
    last().open();
    expect(last().sent).toEqual([
      { type: 'auth', token: 'tok', active: true },
      { type: 'subscribe', chat_id: 5 },
      { type: 'subscribe', chat_id: 7 },
      { type: 'ping' },
    ]);
    s.subscribe(9);
    expect(last().sent.at(-1)).toEqual({ type: 'subscribe', chat_id: 9 });
    vi.advanceTimersByTime(25_000);
    expect(last().sent.at(-1)).toEqual({ type: 'ping' });
    s.stop();
  });

  it('sends an activity ping after input, at most every 120 s, and only while visible', () => {
    let visible = true;
    const s = new RealtimeSession({
      url: 'ws://x',
      token: () => 't',
      fetchAfter: async () => [],
      onMessage: () => undefined,
      socket: (url) => new FakeSocket(url),
      visible: () => visible,
      now: () => Date.now(),
    });
    s.start([]);
    last().open();
    const pings = () => last().sent.filter((f) => f.type === 'ping');
    s.noteActivity();
    vi.advanceTimersByTime(25_000);
    expect(pings().at(-1)).toEqual({ type: 'ping', active: true });
    s.noteActivity();
    vi.advanceTimersByTime(25_000);
    expect(pings().at(-1)).toEqual({ type: 'ping' }); // < 120 s since the last one
    vi.advanceTimersByTime(100_000);
    s.noteActivity();
    visible = false;
    vi.advanceTimersByTime(25_000);
    expect(pings().at(-1)).toEqual({ type: 'ping' }); // hidden tab
    visible = true;
    s.noteActivity();
    vi.advanceTimersByTime(25_000);
    expect(pings().at(-1)).toEqual({ type: 'ping', active: true });
    s.stop();
  });

  it('reconnects with backoff from 1 s doubling to 30 s, and resets it once its subscriptions are in force', () => {
    const { s } = session();
    s.start([1]);
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = FakeSocket.all.length;
      delays.push(s.nextBackoffMs);
      last().drop();
      vi.advanceTimersByTime(s.nextBackoffMs / 2 - 1);
      vi.advanceTimersByTime(delays[i]! - (s.nextBackoffMs / 2 - 1) - 1);
      expect(FakeSocket.all.length).toBe(before);
      vi.advanceTimersByTime(1);
      expect(FakeSocket.all.length).toBe(before + 1);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(s.nextBackoffMs).toBe(MAX_BACKOFF_MS);
    last().open();
    expect(s.nextBackoffMs).toBe(MAX_BACKOFF_MS);
    last().push({ type: 'pong' });
    expect(s.nextBackoffMs).toBe(1000);
    s.stop();
  });

  it('catches up each seen chat by after_seq after a reconnect, delivering each message once', async () => {
    const fetchAfter = vi.fn(async (chatId: number, afterSeq: number): Promise<Message[]> => {
      if (chatId !== 5) return [];
      // The server's pages: seq 3 is a duplicate of a live one; 4 and 5 are new.
      return afterSeq === 2 ? [message(103, 5, 3), message(104, 5, 4), message(105, 5, 5)] : [];
    });
    const { s, received } = session(fetchAfter);
    s.start([5, 6]);
    last().open();
    last().push({ type: 'pong' }); // nothing seen yet: nothing to fetch
    s.note([message(101, 5, 1)]);
    last().push({ type: 'message', ...message(102, 5, 2) });
    last().push({ type: 'message', ...message(102, 5, 2) }); // the echo of our own POST, again
    expect(received.map((m) => m.id)).toEqual([102]);
    expect(fetchAfter).not.toHaveBeenCalled();

    last().drop();
    vi.advanceTimersByTime(1000);
    last().open();
    // A live frame that races the catch-up, which waits for the subscriptions and
    // starts from what was seen before this connection.
    last().push({ type: 'message', ...message(103, 5, 3) });
    expect(fetchAfter).not.toHaveBeenCalled();
    last().push({ type: 'pong' });
    await vi.runOnlyPendingTimersAsync();
    expect(fetchAfter).toHaveBeenCalledWith(5, 2);
    expect(fetchAfter).not.toHaveBeenCalledWith(6, expect.anything());
    expect(received.map((m) => m.id)).toEqual([102, 103, 104, 105]);
    s.stop();
  });

  it('catches up on the first connection too, once its subscriptions are in force (not before)', async () => {
    const fetchAfter = vi.fn(async (_chatId: number, afterSeq: number): Promise<Message[]> =>
      afterSeq === 1 ? [message(102, 5, 2)] : [],
    );
    let caughtUp = 0;
    const received: Message[] = [];
    const s = new RealtimeSession({
      url: 'ws://x',
      token: () => 't',
      fetchAfter,
      onMessage: (m) => received.push(m),
      onCaughtUp: () => caughtUp++,
      socket: (url) => new FakeSocket(url),
    });
    // The open chat's first page was loaded before the socket was up; 102 was sent
    // between that page and the subscription.
    s.note([message(101, 5, 1)]);
    s.start([5]);
    last().open();
    last().push({ type: 'auth_ok', user_id: 1 });
    last().push({ type: 'subscribed', chat_id: 5 });
    await vi.runOnlyPendingTimersAsync();
    expect(caughtUp).toBe(0);
    last().push({ type: 'pong' });
    await vi.runOnlyPendingTimersAsync();
    expect(fetchAfter).toHaveBeenCalledWith(5, 1);
    expect(received.map((m) => m.id)).toEqual([102]);
    expect(caughtUp).toBe(1);
    // A heartbeat's pong later is not a new sync.
    vi.advanceTimersByTime(25_000);
    last().push({ type: 'pong' });
    await vi.runOnlyPendingTimersAsync();
    expect(caughtUp).toBe(1);
    s.stop();
  });

  it('starts over with backoff when a subscription failed on the server', async () => {
    const { s, fetchAfter } = session();
    s.start([5, 6]);
    const first = last();
    first.open();
    first.push({ type: 'subscribed', chat_id: 5 });
    first.push({ type: 'error', message: 'Internal error' });
    first.push({ type: 'pong' });
    expect(first.readyState).toBe(3);
    expect(fetchAfter).not.toHaveBeenCalled();
    vi.advanceTimersByTime(999);
    expect(last()).toBe(first);
    vi.advanceTimersByTime(1);
    expect(last()).not.toBe(first);
    last().open();
    last().push({ type: 'pong' });
    expect(s.nextBackoffMs).toBe(1000);
    s.stop();
  });

  it('hands other frames to onEvent and stops for good on stop()', () => {
    const events: unknown[] = [];
    const s = new RealtimeSession({
      url: 'ws://x',
      token: () => 't',
      fetchAfter: async () => [],
      onMessage: () => undefined,
      onEvent: (e) => events.push(e),
      socket: (url) => new FakeSocket(url),
    });
    s.start([]);
    last().open();
    last().push({ type: 'typing', chat_id: 1, user_id: 2 });
    last().push('not json');
    expect(events).toEqual([{ type: 'typing', chat_id: 1, user_id: 2 }]);
    s.stop();
    const count = FakeSocket.all.length;
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all.length).toBe(count);
  });
});
