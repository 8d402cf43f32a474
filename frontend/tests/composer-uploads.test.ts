// Attachments: several at once, each with its own progress and cancel; sending keeps
// the order they were added in, whatever order their uploads finish in.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { UploadedFile } from '../src/api/types';
import { memoryQueue } from '../src/utils/outboxQueue';

const api = vi.hoisted(() => ({ get: vi.fn(), post: vi.fn(), put: vi.fn(), refresh: vi.fn() }));
vi.mock('../src/api', async () => ({
  api,
  ApiError: (await import('../src/api/client')).ApiError,
  tokens: { get: () => null, set: vi.fn(), clear: vi.fn() },
  onLoggedOut: vi.fn(),
  websocketUrl: () => 'ws://test/ws',
}));

interface FakeUpload {
  name: string;
  progress: (f: number) => void;
  finish: (id: number) => void;
  fail: (e: unknown) => void;
  cancelled: boolean;
}
const uploads: FakeUpload[] = [];
vi.mock('../src/api/upload', async () => {
  class UploadCancelled extends Error {}
  return {
    UploadCancelled,
    uploadFile: (file: Blob, name: string, progress: (f: number) => void) => {
      const entry = { name, progress, cancelled: false } as FakeUpload;
      const done = new Promise<UploadedFile>((resolve, reject) => {
        entry.finish = (id) => resolve({ id, filename: name, mime_type: file.type || 'application/octet-stream', object_key: `uploads/${name}` } as UploadedFile);
        entry.fail = reject;
      });
      uploads.push(entry);
      return {
        done,
        cancel: () => {
          entry.cancelled = true;
          entry.fail(new UploadCancelled());
        },
      };
    },
  };
});

const { useUploadsStore } = await import('../src/stores/uploads');
const { useOutboxQueue } = await import('../src/stores/outbox');
const { useSessionStore } = await import('../src/stores/session');
const { useMessagesStore } = await import('../src/stores/messages');
const { ApiError } = await import('../src/api/client');

type Body = { content: string; type: string; file_id: number; duration_seconds: number; reply_to_message_id: number };
const posted = (): Body[] => api.post.mock.calls.map((c) => (c[1] as { body: Body }).body);

beforeEach(() => {
  vi.resetAllMocks();
  uploads.length = 0;
  setActivePinia(createPinia());
  useOutboxQueue(memoryQueue);
  useSessionStore().me = { id: 1, username: 'alice', display_name: 'Alice', email: '', bio: null, created_at: '', is_admin: false, avatar_url: null };
  let id = 100;
  api.post.mockImplementation(async (_p, init: { params: { id: number }; body: Body }) => ({
    id: ++id, chat_id: init.params.id, sender_id: 1, content: init.body.content, message_type: init.body.type, type: init.body.type, created_at: '2026-03-01 12:00:00+00', seq: id,
  }));
});

describe('attachments', () => {
  it('upload with progress; send in the order added (caption on the first), images as image, others as file', async () => {
    const store = useUploadsStore();
    store.add(3, new File(['a'], 'a.png', { type: 'image/png' }), 'a.png');
    store.add(3, new File(['b'], 'b.pdf', { type: 'application/pdf' }), 'b.pdf');
    uploads[0]!.progress(0.5);
    expect(store.of(3).map((a) => [a.name, a.state, a.progress])).toEqual([['a.png', 'uploading', 0.5], ['b.pdf', 'uploading', 0]]);

    const sending = store.sendAll(3, 'two files', 0);
    uploads[1]!.finish(12); // the second finishes first
    await Promise.resolve();
    expect(api.post).not.toHaveBeenCalled();
    uploads[0]!.finish(11);
    await sending;
    expect(posted().map((b) => [b.type, b.file_id, b.content])).toEqual([['image', 11, 'two files'], ['file', 12, '']]);
    expect(store.of(3)).toEqual([]);
    expect(useMessagesStore().of(3).items.map((m) => m.attachment_filename)).toEqual(['a.png', 'b.pdf']);
  });

  it('cancels one upload without sending it; a failed one shows its error and is not sent', async () => {
    const store = useUploadsStore();
    const keep = store.add(3, new File(['k'], 'keep.txt', { type: 'text/plain' }), 'keep.txt');
    const drop = store.add(3, new File(['d'], 'drop.txt', { type: 'text/plain' }), 'drop.txt');
    store.add(3, new File(['x'], 'big.bin'), 'big.bin');
    store.cancel(drop.key);
    expect(uploads[1]!.cancelled).toBe(true);
    uploads[2]!.fail(new ApiError(413, 'File too large (max 50 MB)'));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.of(3).map((a) => [a.name, a.state, a.error])).toEqual([
      ['keep.txt', 'uploading', null],
      ['big.bin', 'failed', 'File too large (max 50 MB)'],
    ]);
    uploads[0]!.finish(21);
    await store.sendAll(3, '', 0);
    expect(posted().map((b) => b.file_id)).toEqual([21]);
    expect(keep.key).toBeGreaterThan(0);
  });

  it('still sends the caption when every attachment failed or was cancelled', async () => {
    const store = useUploadsStore();
    store.add(3, new File(['x'], 'x.txt', { type: 'text/plain' }), 'x.txt');
    const sending = store.sendAll(3, 'see attached', 44);
    uploads[0]!.fail(new ApiError(502, 'Object storage upload failed'));
    await sending;
    expect(posted()).toEqual([expect.objectContaining({ type: 'text', content: 'see attached', reply_to_message_id: 44, file_id: 0 })]);
  });

  it('sends a recording as a voice message with its duration (§12.3)', async () => {
    const store = useUploadsStore();
    const voice = store.add(3, new Blob(['ogg'], { type: 'audio/webm' }), 'voice.webm', 4);
    uploads[0]!.finish(31);
    await store.sendAll(3, '', 0, [voice]);
    expect(posted()).toEqual([expect.objectContaining({ type: 'voice', file_id: 31, duration_seconds: 4, content: '' })]);
  });
});
