// Read ticks of my messages (§11): how far the other members have read, and whether
// I show receipts at all (my `read_receipts_enabled`, §6 — off means I neither send
// nor see them). Members who turned receipts off are never listed by the server, so
// their chats simply stay at ✓.
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import { api } from '../api';

export type Tick = 'sent' | 'read' | null;

export const useReceiptsStore = defineStore('receipts', () => {
  /** chat → user → last read message id (other members only). */
  const byChat = reactive<Record<number, Record<number, number>>>({});
  const enabled = ref(true);

  /** Loads my setting and the chat's read positions (on every chat open: the setting may have changed). */
  async function load(chatId: number): Promise<void> {
    const settings = await api.get('/settings');
    enabled.value = settings.read_receipts_enabled;
    const receipts = enabled.value ? await api.get('/chats/{id}/read-receipts', { params: { id: chatId } }) : [];
    const positions: Record<number, number> = {};
    for (const r of receipts) positions[r.user_id] = r.last_read_msg_id;
    byChat[chatId] = positions;
  }

  /** `read_receipt`: positions never move backwards; my own reads are not ticks. */
  function apply(chatId: number, userId: number, lastRead: number, myId: number | null): void {
    if (userId === myId) return;
    const positions = (byChat[chatId] ??= {});
    if ((positions[userId] ?? 0) < lastRead) positions[userId] = lastRead;
  }

  /** ✓✓ once any other member read it (as in groups elsewhere), else ✓; nothing when off. */
  function tick(chatId: number, messageId: number): Tick {
    if (!enabled.value) return null;
    const positions = byChat[chatId];
    if (!positions) return 'sent';
    return Object.values(positions).some((p) => p >= messageId) ? 'read' : 'sent';
  }

  function reset(): void {
    for (const key of Object.keys(byChat)) delete byChat[Number(key)];
    enabled.value = true;
  }

  return { byChat, enabled, load, apply, tick, reset };
});
