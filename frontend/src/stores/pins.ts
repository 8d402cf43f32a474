// The pinned message of each chat (§9.9: at most one), loaded on open and kept live.
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import { api } from '../api';
import type { Message } from '../api/types';

export const usePinsStore = defineStore('pins', () => {
  /** null: nothing pinned; absent: not loaded. */
  const byChat = reactive<Record<number, Message | null>>({});

  function of(chatId: number): Message | null {
    return byChat[chatId] ?? null;
  }

  function isPinned(chatId: number, messageId: number): boolean {
    return byChat[chatId]?.id === messageId;
  }

  async function load(chatId: number): Promise<void> {
    const answer = await api.get('/chats/{id}/pinned-message', { params: { id: chatId } });
    byChat[chatId] = answer?.message ?? null;
  }

  async function pin(chatId: number, messageId: number): Promise<void> {
    const answer = await api.post('/chats/{id}/messages/{messageId}/pin', { params: { id: chatId, messageId } });
    byChat[chatId] = answer.message;
  }

  async function unpin(chatId: number, messageId: number): Promise<void> {
    await api.delete('/chats/{id}/messages/{messageId}/pin', { params: { id: chatId, messageId } });
    unpinned(chatId, messageId);
  }

  /** `message_pinned` (mine too: the same message again changes nothing). */
  function pinned(chatId: number, message: Message): void {
    byChat[chatId] = message;
  }

  function unpinned(chatId: number, messageId: number): void {
    if (byChat[chatId]?.id === messageId) byChat[chatId] = null;
  }

  /** The pinned message stays pinned when deleted for everyone, without its text (§9.9). */
  function deleted(chatId: number, messageId: number): void {
    const m = byChat[chatId];
    if (m?.id === messageId) byChat[chatId] = { ...m, content: '', attachment_filename: null, sticker_label: null };
  }

  function edited(chatId: number, messageId: number, content: string): void {
    const m = byChat[chatId];
    if (m?.id === messageId) byChat[chatId] = { ...m, content, is_edited: true };
  }

  function reset(): void {
    for (const key of Object.keys(byChat)) delete byChat[Number(key)];
  }

  return { byChat, of, isPinned, load, pin, unpin, pinned, unpinned, deleted, edited, reset };
});
