// Who is typing where (`typing` frames, §16.3). A frame means "typing now": it
// shows for TYPING_MS after the last frame, or until that person's message arrives.
import { defineStore } from 'pinia';
import { reactive } from 'vue';

export const TYPING_MS = 5000;

export const useTypingStore = defineStore('typing', () => {
  /** chat id → user id → the name to show. */
  const byChat = reactive<Record<number, Record<number, string>>>({});
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function start(chatId: number, userId: number, name: string): void {
    (byChat[chatId] ??= {})[userId] = name;
    const key = `${chatId}:${userId}`;
    const previous = timers.get(key);
    if (previous) clearTimeout(previous);
    timers.set(
      key,
      setTimeout(() => stop(chatId, userId), TYPING_MS),
    );
  }

  function stop(chatId: number, userId: number): void {
    const key = `${chatId}:${userId}`;
    const timer = timers.get(key);
    if (timer) clearTimeout(timer);
    timers.delete(key);
    const chat = byChat[chatId];
    if (!chat || !(userId in chat)) return;
    delete chat[userId];
    if (Object.keys(chat).length === 0) delete byChat[chatId];
  }

  /** Names of the people typing in a chat, except me. */
  function names(chatId: number, myId: number | null): string[] {
    return Object.entries(byChat[chatId] ?? {})
      .filter(([id]) => Number(id) !== myId)
      .map(([, name]) => name);
  }

  function reset(): void {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    for (const key of Object.keys(byChat)) delete byChat[Number(key)];
  }

  return { byChat, start, stop, names, reset };
});
