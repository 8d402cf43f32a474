// What a user does with messages besides reading them: the open context menu, the
// delete and forward dialogs, selection mode, and the calls behind them (§9.7, §9.8).
// One menu/dialog at a time for the whole app; each remembers where focus was, to
// give it back when it closes.
import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import { api } from '../api';
import type { Message, Role } from '../api/types';
import { parseTimestamp } from '../utils/time';
import { useMessagesStore } from './messages';
import { usePinsStore } from './pins';
import { useReactionsStore } from './reactions';
import { useReceiptsStore } from './receipts';

/** §9.7: nobody deletes for everyone after 48 hours. */
export const DELETE_FOR_EVERYONE_MS = 48 * 3600 * 1000;

export interface MenuState {
  message: Message;
  /** Where the pointer was (right-click), or the "More" button's corner. */
  x: number;
  y: number;
  /** Touch: a bottom sheet instead of a floating menu. */
  sheet: boolean;
}

export interface Notice {
  text: string;
  error: boolean;
}

export const useMessageActionsStore = defineStore('messageActions', () => {
  const menu = ref<MenuState | null>(null);
  /** Messages the delete dialog asks about. */
  const deleting = ref<{ chatId: number; messages: Message[] } | null>(null);
  /** Messages the forward dialog sends on. */
  const forwarding = ref<{ chatId: number; ids: number[] } | null>(null);
  const selection = reactive<{ chatId: number | null; ids: number[] }>({ chatId: null, ids: [] });
  const selecting = computed(() => selection.chatId !== null);
  const roles = reactive<Record<number, Role>>({});
  const notice = ref<Notice | null>(null);
  let noticeTimer: ReturnType<typeof setTimeout> | null = null;
  let returnFocus: HTMLElement | null = null;

  /** Remembers the focused control so that closing gives focus back to it. */
  function rememberFocus(): void {
    const active = document.activeElement;
    returnFocus = active instanceof HTMLElement && active !== document.body ? active : returnFocus;
  }

  function restoreFocus(): void {
    const el = returnFocus;
    returnFocus = null;
    if (el?.isConnected) el.focus();
  }

  function openMenu(state: MenuState, trigger?: HTMLElement | null): void {
    if (trigger) returnFocus = trigger;
    else rememberFocus();
    menu.value = state;
  }

  /** Closing to open a dialog keeps the focus target for the dialog's own close. */
  function closeMenu(restore = true): void {
    menu.value = null;
    if (restore) restoreFocus();
  }

  function askDelete(chatId: number, messages: Message[]): void {
    deleting.value = { chatId, messages };
  }

  function askForward(chatId: number, ids: number[]): void {
    forwarding.value = { chatId, ids: [...ids].sort((a, b) => a - b) };
  }

  function closeDialog(): void {
    deleting.value = null;
    forwarding.value = null;
    restoreFocus();
  }

  function say(text: string, error = false): void {
    notice.value = { text, error };
    if (noticeTimer) clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => (notice.value = null), error ? 8000 : 4000);
  }

  // ---- selection mode
  function startSelection(chatId: number, messageId: number): void {
    selection.chatId = chatId;
    selection.ids = [messageId];
  }

  function toggleSelected(messageId: number): void {
    const at = selection.ids.indexOf(messageId);
    if (at >= 0) selection.ids.splice(at, 1);
    else selection.ids.push(messageId);
  }

  function isSelected(messageId: number): boolean {
    return selection.ids.includes(messageId);
  }

  function endSelection(): void {
    selection.chatId = null;
    selection.ids = [];
  }

  // ---- permissions
  /** My role in the chat (`GET /chats/{id}`), for "delete for everyone" on others' messages. */
  async function loadRole(chatId: number): Promise<void> {
    const chat = await api.get('/chats/{id}', { params: { id: chatId } });
    roles[chatId] = chat.my_role;
  }

  /** §9.7: the sender or a chat owner/admin, within 48 hours. */
  function canDeleteForEveryone(chatId: number, messages: readonly Message[], myId: number | null, now = Date.now()): boolean {
    const role = roles[chatId];
    const admin = role === 'owner' || role === 'admin';
    return (
      messages.length > 0 &&
      messages.every(
        (m) => (m.sender_id === myId || admin) && now - parseTimestamp(m.created_at).getTime() < DELETE_FOR_EVERYONE_MS,
      )
    );
  }

  // ---- calls
  /** Deletes one by one (no batch endpoint); what succeeded leaves the list even if a later one fails. */
  async function remove(chatId: number, ids: readonly number[], forEveryone: boolean): Promise<void> {
    const messages = useMessagesStore();
    const pins = usePinsStore();
    for (const messageId of ids) {
      await api.delete('/chats/{id}/messages/{messageId}', {
        params: { id: chatId, messageId },
        // The client sends the body only when deleting for everyone (§9.7).
        ...(forEveryone ? { body: { for_everyone: true } } : {}),
      });
      messages.drop(chatId, messageId, forEveryone);
      if (forEveryone) pins.deleted(chatId, messageId);
      else pins.unpinned(chatId, messageId);
    }
  }

  /** Forwards to every target; the copies arrive in their chats by the WebSocket.
   *  Returns the targets that refused, with the contract's reason. */
  async function forward(
    fromChatId: number,
    ids: readonly number[],
    targets: readonly number[],
  ): Promise<{ chatId: number; error: unknown }[]> {
    const failed: { chatId: number; error: unknown }[] = [];
    for (const chatId of targets) {
      try {
        await api.post('/chats/{id}/messages/forward', {
          params: { id: chatId },
          body: { from_chat_id: fromChatId, message_ids: [...ids] },
        });
      } catch (error) {
        failed.push({ chatId, error });
      }
    }
    return failed;
  }

  function reset(): void {
    menu.value = null;
    deleting.value = null;
    forwarding.value = null;
    endSelection();
    notice.value = null;
    for (const key of Object.keys(roles)) delete roles[Number(key)];
  }

  return {
    menu,
    deleting,
    forwarding,
    selection,
    selecting,
    roles,
    notice,
    openMenu,
    closeMenu,
    askDelete,
    askForward,
    closeDialog,
    say,
    startSelection,
    toggleSelected,
    isSelected,
    endSelection,
    loadRole,
    canDeleteForEveryone,
    remove,
    forward,
    reset,
  };
});

/** Logging out forgets every message-action state of the previous user. */
export function resetMessageActions(): void {
  useMessageActionsStore().reset();
  usePinsStore().reset();
  useReactionsStore().reset();
  useReceiptsStore().reset();
}
