// Reactions of the messages on screen (§10): loaded in batches, toggled, kept live.
// A reaction of mine arrives twice — the toggle's answer and the WebSocket echo —
// and the old client counted it twice. Here my own reactions are applied as a
// state ("I have 👍 on 12: yes/no"), so the second arrival changes nothing.
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import { api } from '../api';
import type { ReactionGroup } from '../api/types';

/** The quick picker's first row, then the rest of the full picker. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🔥'] as const;
export const MORE_REACTIONS = ['👎', '🎉', '🙏', '👏', '🤔', '😍', '😎', '🤯', '😡', '💯', '✅', '👀', '🚀', '💔', '🤝', '😴', '🥳', '🙈'] as const;

/** The batch endpoint takes at most 200 ids (§10.2). */
export const BATCH = 200;

export const useReactionsStore = defineStore('reactions', () => {
  /** Groups by message id; a message absent here was never loaded. */
  const byMessage = reactive<Record<number, ReactionGroup[]>>({});
  const loading = new Set<number>();

  function of(messageId: number): readonly ReactionGroup[] {
    return byMessage[messageId] ?? [];
  }

  /** Loads the reactions of the given messages that are not known yet (`again`: all of
   *  them, after a reconnect: what happened meanwhile came by no frame). */
  async function load(chatId: number, messageIds: readonly number[], again = false): Promise<void> {
    const wanted = messageIds.filter((id) => (again || !(id in byMessage)) && !loading.has(id));
    for (let at = 0; at < wanted.length; at += BATCH) {
      const ids = wanted.slice(at, at + BATCH);
      ids.forEach((id) => loading.add(id));
      try {
        const answer = await api.get('/chats/{id}/reactions', {
          params: { id: chatId },
          query: { message_ids: ids.join(',') },
        });
        for (const id of ids) {
          // A live reaction may have arrived meanwhile: the answer is newer or equal, take it.
          byMessage[id] = (answer as Record<string, ReactionGroup[]>)[String(id)] ?? [];
        }
      } finally {
        ids.forEach((id) => loading.delete(id));
      }
    }
  }

  /** Applies one reaction event. Mine is idempotent (state); others' count up or down. */
  function apply(messageId: number, emoji: string, action: 'added' | 'removed', mine: boolean): void {
    const groups = byMessage[messageId];
    if (!groups) return; // not loaded: the batch load will bring it
    const at = groups.findIndex((g) => g.emoji === emoji);
    const group = at >= 0 ? groups[at] : undefined;
    const adding = action === 'added';
    if (mine && group && group.me === adding) return; // already applied (answer or echo)
    if (mine && !group && !adding) return;
    if (adding) {
      if (group) {
        group.count += 1;
        if (mine) group.me = true;
      } else groups.push({ emoji, count: 1, me: mine });
    } else if (group) {
      group.count -= 1;
      if (mine) group.me = false;
      if (group.count <= 0) groups.splice(at, 1);
    }
  }

  /** Toggles my reaction (§10.1); the answer says which way it went. */
  async function toggle(chatId: number, messageId: number, emoji: string): Promise<void> {
    const answer = await api.post('/chats/{id}/messages/{messageId}/reactions', {
      params: { id: chatId, messageId },
      body: { emoji },
    });
    apply(messageId, answer.emoji, answer.action, true);
  }

  function reset(): void {
    for (const key of Object.keys(byMessage)) delete byMessage[Number(key)];
  }

  return { byMessage, of, load, apply, toggle, reset };
});
