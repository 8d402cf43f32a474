// Where the outbox keeps messages not yet accepted by the server: IndexedDB in the
// browser (survives reloads and a lost session), memory where there is none (tests).
// The store only sees this small interface.
import type { Message, SendMessageRequest } from '../api/types';

export type OutgoingBody = Required<{ [K in Exclude<keyof SendMessageRequest, 'client_msg_id'>]: NonNullable<SendMessageRequest[K]> }>;

export interface OutboxEntry {
  clientMsgId: string;
  /** Whose message it is: another account logging in on this browser must not send it. */
  userId: number;
  chatId: number;
  /** Send order: increasing in the order the person pressed Send. */
  order: number;
  body: OutgoingBody;
  /** What the pending bubble shows before the server knows the message. */
  preview: Partial<Message>;
  state: 'queued' | 'failed';
  error?: string;
}

export interface OutboxQueue {
  all(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  remove(clientMsgId: string): Promise<void>;
}

export function memoryQueue(): OutboxQueue {
  const entries = new Map<string, OutboxEntry>();
  return {
    all: async () => [...entries.values()].map((e) => JSON.parse(JSON.stringify(e)) as OutboxEntry),
    put: async (entry) => void entries.set(entry.clientMsgId, JSON.parse(JSON.stringify(entry)) as OutboxEntry),
    remove: async (id) => void entries.delete(id),
  };
}

const STORE = 'outbox';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export function indexedDbQueue(name = 'chorus-outbox'): OutboxQueue {
  let db: Promise<IDBDatabase> | null = null;
  function open(): Promise<IDBDatabase> {
    db ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'clientMsgId' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
    });
    return db;
  }
  async function store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await open()).transaction(STORE, mode).objectStore(STORE);
  }
  return {
    all: async () => request((await store('readonly')).getAll() as IDBRequest<OutboxEntry[]>),
    put: async (entry) => void (await request((await store('readwrite')).put(JSON.parse(JSON.stringify(entry)) as OutboxEntry))),
    remove: async (id) => void (await request((await store('readwrite')).delete(id))),
  };
}

/** IndexedDB when the browser has it (private modes may refuse it: then memory). */
export function defaultQueue(): OutboxQueue {
  if (typeof indexedDB === 'undefined') return memoryQueue();
  const idb = indexedDbQueue();
  const memory = memoryQueue();
  let broken = false;
  const guard =
    <A extends unknown[], R>(f: (q: OutboxQueue) => (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      if (!broken) {
        try {
          return await f(idb)(...a);
        } catch {
          broken = true;
        }
      }
      return f(memory)(...a);
    };
  return { all: guard((q) => q.all), put: guard((q) => q.put), remove: guard((q) => q.remove) };
}
