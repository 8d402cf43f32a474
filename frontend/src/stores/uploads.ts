// Files being attached in each chat's composer: uploaded at once (§12.1) with
// progress and cancel; pressing Send turns each into a message (an image, a file,
// a voice message) as soon as its upload is done, in the order they were added.
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import { ApiError } from '../api';
import type { UploadedFile } from '../api/types';
import { uploadFile, UploadCancelled, type UploadHandle } from '../api/upload';
import { useOutboxStore } from './outbox';

export interface Attachment {
  key: number;
  chatId: number;
  name: string;
  size: number;
  mime: string;
  progress: number;
  state: 'uploading' | 'ready' | 'failed';
  error: string | null;
  /** Send was pressed: it becomes a message once uploaded (and is no longer editable). */
  committed: boolean;
  previewUrl: string | null;
  /** A voice recording's length: sent as a `voice` message (§12.3). */
  voiceSeconds: number | null;
}

/** How a sent attachment is typed (§9.1): `image/*` shows inline, the rest as a file. */
export function messageTypeOf(mime: string): string {
  return mime.startsWith('image/') ? 'image' : 'file';
}

let keys = 0;

export const useUploadsStore = defineStore('uploads', () => {
  const chats = reactive<Record<number, Attachment[]>>({});
  const handles = new Map<number, { handle: UploadHandle; done: Promise<UploadedFile | null> }>();

  function of(chatId: number): Attachment[] {
    chats[chatId] ??= [];
    return chats[chatId];
  }

  function find(key: number): Attachment | undefined {
    for (const list of Object.values(chats)) {
      const found = list.find((a) => a.key === key);
      if (found) return found;
    }
    return undefined;
  }

  function add(chatId: number, file: File | Blob, name: string, voiceSeconds: number | null = null): Attachment {
    const mime = file.type || 'application/octet-stream';
    of(chatId).push({
      key: ++keys,
      chatId,
      name,
      size: file.size,
      mime,
      progress: 0,
      state: 'uploading',
      error: null,
      committed: false,
      voiceSeconds,
      previewUrl: mime.startsWith('image/') || mime.startsWith('audio/') ? URL.createObjectURL(file) : null,
    });
    // The reactive copy: updates through it re-render the tray.
    const attachment = of(chatId).at(-1) as Attachment;
    const handle = uploadFile(file, name, (fraction) => (attachment.progress = fraction));
    const done = handle.done.then(
      (uploaded) => {
        attachment.state = 'ready';
        attachment.progress = 1;
        return uploaded;
      },
      (e: unknown) => {
        if (e instanceof UploadCancelled) return null;
        attachment.state = 'failed';
        attachment.error = e instanceof ApiError ? e.error : String(e);
        return null;
      },
    );
    handles.set(attachment.key, { handle, done });
    return attachment;
  }

  function drop(key: number): void {
    const a = find(key);
    if (!a) return;
    const list = of(a.chatId);
    list.splice(list.indexOf(a), 1);
    handles.delete(key);
  }

  /** Cancels an upload (or removes a finished or failed one that was not sent). */
  function cancel(key: number): void {
    const a = find(key);
    handles.get(key)?.handle.cancel();
    if (a?.previewUrl) URL.revokeObjectURL(a.previewUrl);
    drop(key);
  }

  /** Sends the chat's attachments (the caption goes with the first), each once its
   *  upload is done, keeping their order. Resolves when all are queued. */
  async function sendAll(chatId: number, caption: string, replyTo: number, only: Attachment[] | null = null): Promise<void> {
    const outbox = useOutboxStore();
    const pending = (only ?? of(chatId)).filter((a) => !a.committed && a.state !== 'failed');
    pending.forEach((a) => (a.committed = true));
    let first = true;
    for (const a of pending) {
      const uploaded = await handles.get(a.key)?.done;
      if (!uploaded) continue; // cancelled or failed: the tray says so
      const type = a.voiceSeconds !== null ? 'voice' : messageTypeOf(a.mime);
      await outbox.submit(
        chatId,
        {
          type,
          content: first ? caption : '',
          file_id: uploaded.id,
          reply_to_message_id: first ? replyTo : 0,
          duration_seconds: a.voiceSeconds ?? 0,
        },
        { attachment_filename: uploaded.filename, attachment_mime_type: uploaded.mime_type },
        { previewUrl: a.previewUrl ?? undefined, size: a.size },
      );
      first = false;
      drop(a.key);
    }
    // Every upload failed or was cancelled: the words still go.
    if (first && caption.trim() !== '') await outbox.submit(chatId, { type: 'text', content: caption, reply_to_message_id: replyTo });
  }

  return { chats, of, add, cancel, sendAll };
});
