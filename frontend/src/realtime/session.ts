// The tab's one WebSocket session (CONTRACT §16): auth, a subscription per chat,
// the 25 s heartbeat, reconnect with backoff (1 s doubling to 30 s) and, once the
// subscriptions of a connection are in force, catch-up of every known chat by
// `after_seq`; messages are handed on once each (de-duplicated by id), whether they
// came live or by catch-up.
import type { Message, WsClientMessage, WsServerMessage } from '../api/types';

/** What the session needs of a WebSocket (the browser's, or a fake in tests). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type Status = 'connecting' | 'open' | 'closed';
export type ServerEvent = Exclude<WsServerMessage, { type: 'message' }>;

export interface SessionOptions {
  url: string;
  token(): string | null;
  /** Messages of a chat after `afterSeq`, oldest first (one page). */
  fetchAfter(chatId: number, afterSeq: number): Promise<Message[]>;
  onMessage(message: Message): void;
  onEvent?(event: ServerEvent): void;
  onStatus?(status: Status): void;
  /** A connection's catch-up is done (the app reloads what it shows, e.g. the list):
   *  what happened before its subscriptions were in force is not missed. */
  onCaughtUp?(): void;
  /** The access token was refused: refresh it; false ends the session. */
  onAuthFailed?(): Promise<boolean>;
  socket?: (url: string) => SocketLike;
  heartbeatMs?: number;
  /** Whether the tab is visible (activity pings only then). */
  visible?: () => boolean;
  now?: () => number;
}

const OPEN = 1;
const PAGE = 100;
export const MIN_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 30_000;
/** §16.4: an activity ping when the user was active in the last 60 s, the tab is
 *  visible and the last activity ping is older than 120 s. */
const ACTIVE_WITHIN_MS = 60_000;
const ACTIVITY_PING_EVERY_MS = 120_000;

export class RealtimeSession {
  private ws: SocketLike | null = null;
  private readonly chats = new Set<number>();
  private readonly lastSeq = new Map<number, number>();
  private readonly seen = new Set<number>();
  private backoff = MIN_BACKOFF_MS;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** The marker ping sent after a connection's subscriptions is not answered yet. */
  private syncing = false;
  /** A subscribe of this connection failed on the server's side (§16.2 `Internal error`). */
  private subscribeFailed = false;
  /** The last seq seen of each chat when this connection opened: catch-up starts there. */
  private seenBeforeOpen: ReadonlyMap<number, number> = new Map();
  private stopped = true;
  private lastInput = Number.NEGATIVE_INFINITY;
  private lastActivityPing = Number.NEGATIVE_INFINITY;
  status: Status = 'closed';

  constructor(private readonly options: SessionOptions) {}

  start(chatIds: Iterable<number> = []): void {
    for (const id of chatIds) this.chats.add(id);
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.setStatus('closed');
  }

  /** Delivers this chat's events from now on (and after every reconnect). */
  subscribe(chatId: number): void {
    if (this.chats.has(chatId)) return;
    this.chats.add(chatId);
    if (this.ws?.readyState === OPEN) this.send({ type: 'subscribe', chat_id: chatId });
  }

  /** Messages the app loaded itself: known for de-dup and catch-up. */
  note(messages: readonly Message[]): void {
    for (const m of messages) this.remember(m);
  }

  /** A client frame (typing, presence_update); dropped while not connected. */
  sendFrame(frame: WsClientMessage): void {
    this.send(frame as unknown as Record<string, unknown>);
  }

  /** The user did something (key, pointer, focus): feeds the activity ping. */
  noteActivity(): void {
    this.lastInput = this.now();
  }

  /** The delay before the next reconnect attempt. */
  get nextBackoffMs(): number {
    return this.backoff;
  }

  private connect(): void {
    this.setStatus('connecting');
    const make = this.options.socket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    const ws = make(this.options.url);
    this.ws = ws;
    ws.onopen = () => this.opened(ws);
    ws.onmessage = (ev) => this.received(ev.data);
    ws.onclose = () => this.closed(ws);
    ws.onerror = () => undefined;
  }

  private opened(ws: SocketLike): void {
    if (ws !== this.ws) return;
    // Auth, then every subscription at once, then a ping: the server processes a
    // connection's frames in order (§16.1), so its pong says every subscription is in
    // force and a catch-up from then on misses nothing sent before.
    this.send({ type: 'auth', token: this.options.token() ?? '', active: this.visible() });
    for (const id of this.chats) this.send({ type: 'subscribe', chat_id: id });
    this.send({ type: 'ping' });
    this.syncing = true;
    this.seenBeforeOpen = new Map(this.lastSeq);
    this.subscribeFailed = false;
    this.startHeartbeat();
    this.setStatus('open');
  }

  /** The marker pong: catch up, or start over when a subscription failed (a chat
   *  would otherwise stay without live events until the next reconnect). */
  private synced(ws: SocketLike): void {
    this.syncing = false;
    if (this.subscribeFailed) {
      ws.close();
      this.closed(ws);
      return;
    }
    this.backoff = MIN_BACKOFF_MS;
    void this.catchUp(this.seenBeforeOpen);
  }

  private closed(ws: SocketLike): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.stopHeartbeat();
    if (this.stopped) return;
    this.setStatus('closed');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.connect();
    }, this.backoff);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
  }

  private received(data: unknown): void {
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { type?: unknown }).type !== 'string') return;
    const frame = parsed as WsServerMessage;
    if (frame.type === 'message') {
      this.deliver(frame);
      return;
    }
    if (frame.type === 'error' && frame.message === 'Invalid or expired access token') {
      void this.reauthenticate();
      return;
    }
    if (frame.type === 'error' && frame.message === 'Internal error') this.subscribeFailed = true;
    if (frame.type === 'pong' && this.syncing && this.ws) this.synced(this.ws);
    this.options.onEvent?.(frame);
  }

  private async reauthenticate(): Promise<void> {
    const ok = (await this.options.onAuthFailed?.()) ?? false;
    if (!ok) this.stop();
    // When refreshed, the server closes this socket and the reconnect re-auths.
  }

  /** Every chat's messages after the last one seen, page by page (chats never looked
   *  at have nothing to catch up: the chat list, reloaded after it, covers them). */
  private async catchUp(from: ReadonlyMap<number, number>): Promise<void> {
    for (const [chatId, seenSeq] of from) {
      // From what was seen before this connection: a live message of the new
      // connection may be far ahead of the gap.
      let after = seenSeq;
      for (;;) {
        let page: Message[];
        try {
          page = await this.options.fetchAfter(chatId, after);
        } catch {
          break;
        }
        for (const m of page) this.deliver(m);
        const next = Math.max(after, ...page.map((m) => (typeof m.seq === 'number' ? m.seq : 0)));
        if (page.length < PAGE || next <= after) break;
        after = next;
      }
    }
    this.options.onCaughtUp?.();
  }

  private deliver(message: Message): void {
    if (this.seen.has(message.id)) return;
    this.remember(message);
    this.options.onMessage(message);
  }

  private remember(message: Message): void {
    this.seen.add(message.id);
    const seq = typeof message.seq === 'number' ? message.seq : 0;
    if (seq > (this.lastSeq.get(message.chat_id) ?? 0)) this.lastSeq.set(message.chat_id, seq);
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => this.ping(), this.options.heartbeatMs ?? 25_000);
  }

  private ping(): void {
    const now = this.now();
    const active =
      now - this.lastInput < ACTIVE_WITHIN_MS && this.visible() && now - this.lastActivityPing > ACTIVITY_PING_EVERY_MS;
    if (active) this.lastActivityPing = now;
    this.send(active ? { type: 'ping', active: true } : { type: 'ping' });
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private send(frame: Record<string, unknown>): void {
    if (this.ws?.readyState === OPEN) this.ws.send(JSON.stringify(frame));
  }

  private visible(): boolean {
    return this.options.visible ? this.options.visible() : typeof document === 'undefined' || !document.hidden;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  private setStatus(status: Status): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }
}
