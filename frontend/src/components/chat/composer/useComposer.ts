// What the composer of one chat does, apart from its looks: the text and its draft,
// reply and edit, sending (text, attachments, stickers, voice) through the outbox,
// and the typing notice (at most every 3 s).
import { computed, ref, watch } from 'vue';
import type { Message, Sticker } from '../../../api/types';
import { useComposeStore } from '../../../stores/compose';
import { useDraftsStore } from '../../../stores/drafts';
import { useMessagesStore } from '../../../stores/messages';
import { useOutboxStore } from '../../../stores/outbox';
import { useRealtimeStore } from '../../../stores/realtime';
import { useSessionStore } from '../../../stores/session';
import { useUploadsStore } from '../../../stores/uploads';
import { ApiError } from '../../../api';

export const TYPING_EVERY_MS = 3000;

/** The reply fields a pending message shows before the server fills them (§9.2). */
function replyPreview(to: Message | null): Partial<Message> {
  if (!to) return {};
  return {
    reply_to_message_id: to.id,
    reply_to_content: to.content,
    reply_to_type: to.message_type,
    reply_to_sender_username: to.sender_username,
    reply_to_sender_name: to.sender_display_name || to.sender_username,
  };
}

export function useComposer(chatId: number, now: () => number = Date.now) {
  const compose = useComposeStore();
  const drafts = useDraftsStore();
  const messages = useMessagesStore();
  const outbox = useOutboxStore();
  const uploads = useUploadsStore();
  const realtime = useRealtimeStore();
  const session = useSessionStore();

  const state = compose.of(chatId);
  const text = ref<string>(state.editing ? (state.editing.content ?? '') : drafts.text(chatId));
  const error = ref<string | null>(null);
  const attachments = computed(() => uploads.of(chatId));
  const unsent = computed(() => attachments.value.filter((a) => !a.committed && a.state !== 'failed'));
  const canSend = computed(() => text.value.trim() !== '' || (!state.editing && unsent.value.length > 0));
  let lastTyping = Number.NEGATIVE_INFINITY;

  // Starting an edit shows the message's text; ending it brings the draft back.
  watch(
    () => state.editing,
    (editing, before) => {
      if (editing) text.value = editing.content ?? '';
      else if (before) text.value = drafts.text(chatId);
    },
  );

  function input(): void {
    error.value = null;
    if (state.editing) return;
    drafts.set(chatId, text.value);
    if (text.value.trim() !== '' && now() - lastTyping >= TYPING_EVERY_MS) {
      lastTyping = now();
      realtime.send({ type: 'typing', chat_id: chatId });
    }
  }

  /** ↑ in an empty box: edit my last text message. */
  function editLast(): boolean {
    const myId = session.me?.id;
    const mine = [...messages.of(chatId).items].reverse().find((m) => m.id > 0 && m.sender_id === myId && m.message_type === 'text');
    if (!mine) return false;
    compose.edit(chatId, mine);
    return true;
  }

  function cancel(): boolean {
    if (!state.editing && !state.replyTo) return false;
    compose.clear(chatId);
    return true;
  }

  async function submit(): Promise<void> {
    if (!canSend.value) return;
    error.value = null;
    const content = text.value;
    const editing = state.editing;
    if (editing) {
      try {
        if (content !== editing.content) await messages.edit(chatId, editing.id, content);
        compose.clear(chatId);
      } catch (e) {
        error.value = e instanceof ApiError ? e.error : String(e);
      }
      return;
    }
    const replyTo = state.replyTo;
    text.value = '';
    drafts.set(chatId, '');
    compose.clear(chatId);
    if (unsent.value.length > 0) {
      await uploads.sendAll(chatId, content.trim() === '' ? '' : content, replyTo?.id ?? 0);
    } else {
      await outbox.submit(chatId, { type: 'text', content, reply_to_message_id: replyTo?.id ?? 0 }, replyPreview(replyTo));
    }
  }

  function attach(files: readonly File[]): void {
    for (const file of files) uploads.add(chatId, file, file.name || 'file');
  }

  async function sendSticker(sticker: Sticker): Promise<void> {
    const replyTo = state.replyTo;
    compose.clear(chatId);
    await outbox.submit(
      chatId,
      { type: 'sticker', sticker_id: sticker.id, reply_to_message_id: replyTo?.id ?? 0 },
      { sticker_url: sticker.url, sticker_label: sticker.label, ...replyPreview(replyTo) },
    );
  }

  async function sendVoice(blob: Blob, seconds: number): Promise<void> {
    const extension = blob.type.includes('ogg') ? 'ogg' : 'webm';
    const recording = uploads.add(chatId, blob, `voice.${extension}`, seconds);
    await uploads.sendAll(chatId, '', 0, [recording]);
  }

  return { state, text, error, attachments, canSend, input, editLast, cancel, submit, attach, sendSticker, sendVoice, cancelUpload: uploads.cancel };
}
