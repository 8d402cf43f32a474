// Per-chat drafts, kept in localStorage so they survive reloads and a lost
// session (a 401 that returns to login must not lose what was being written).
import { defineStore } from 'pinia';
import { reactive } from 'vue';

const KEY = 'chorus.drafts';

function loadAll(): Record<number, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<number, string>) : {};
  } catch {
    return {};
  }
}

export const useDraftsStore = defineStore('drafts', () => {
  const drafts = reactive<Record<number, string>>(loadAll());

  function text(chatId: number): string {
    return drafts[chatId] ?? '';
  }

  function set(chatId: number, value: string): void {
    if (value.trim() === '') delete drafts[chatId];
    else drafts[chatId] = value;
    try {
      localStorage.setItem(KEY, JSON.stringify(drafts));
    } catch {
      // storage full or disabled: the draft lives until the tab closes
    }
  }

  /** Logging out on purpose forgets them (another person may log in next). */
  function clearAll(): void {
    for (const key of Object.keys(drafts)) delete drafts[Number(key)];
    localStorage.removeItem(KEY);
  }

  return { drafts, text, set, clearAll };
});
