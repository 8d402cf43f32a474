// What the composer of each chat is doing besides writing a new message: replying
// to a message or editing one of mine. Message actions set it; the composer shows
// it above the text box and sends accordingly; Esc clears it.
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type { Message } from '../api/types';

export interface ComposeState {
  replyTo: Message | null;
  editing: Message | null;
}

export const useComposeStore = defineStore('compose', () => {
  const chats = reactive<Record<number, ComposeState>>({});

  function of(chatId: number): ComposeState {
    chats[chatId] ??= { replyTo: null, editing: null };
    return chats[chatId];
  }

  function reply(chatId: number, message: Message): void {
    Object.assign(of(chatId), { replyTo: message, editing: null });
  }

  function edit(chatId: number, message: Message): void {
    Object.assign(of(chatId), { replyTo: null, editing: message });
  }

  function clear(chatId: number): void {
    Object.assign(of(chatId), { replyTo: null, editing: null });
  }

  function reset(): void {
    for (const key of Object.keys(chats)) delete chats[Number(key)];
  }

  return { chats, of, reply, edit, clear, reset };
});
