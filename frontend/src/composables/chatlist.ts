// What the chat list does for the whole tab while it is shown: the unread count in
// the tab title, notifications that open their chat, the Ctrl/Cmd+K and Alt+↑/↓
// shortcuts, and reporting this tab's presence (active/away).
import { onBeforeUnmount, onMounted, watch, watchEffect, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { ChatListItem } from '../api/types';
import { messageKindLabel } from '../components/chats/preview';
import { ActivityTracker } from '../realtime/activity';
import { chatTitle, isSavedMessages, useChatsStore } from '../stores/chats';
import { tabTitle, useNotificationsStore } from '../stores/notifications';
import { useRealtimeStore } from '../stores/realtime';

export function useTabTitle(): void {
  const chats = useChatsStore();
  const { t } = useI18n();
  watchEffect(() => {
    document.title = tabTitle(chats.unreadTotal, t('app.name'));
  });
  onBeforeUnmount(() => (document.title = t('app.name')));
}

/** Every listed chat is subscribed on the socket, also one that comes back from the archive. */
export function useSubscriptions(): void {
  const chats = useChatsStore();
  const realtime = useRealtimeStore();
  watch(
    () => chats.list.map((c) => c.id),
    (ids) => ids.forEach((id) => realtime.subscribe(id)),
    { immediate: true },
  );
}

export function useNotificationWiring(): void {
  const notifications = useNotificationsStore();
  const router = useRouter();
  const { t } = useI18n();
  notifications.configure({
    describe: (message, chat) => ({
      title: isSavedMessages(chat) ? t('chatlist.saved') : chatTitle(chat),
      body: message.message_type === 'text' ? (message.content ?? '') : messageKindLabel(message.message_type, t),
    }),
    open: (chatId) => void router.push({ name: 'chat', params: { id: chatId } }),
  });
}

/** Ctrl/Cmd+K opens the switcher; Alt+↑/↓ goes to the previous/next chat of the list. */
export function useChatShortcuts(options: { ordered: Ref<readonly ChatListItem[]>; activeId: Ref<number | null>; openSwitcher: () => void }): void {
  const router = useRouter();
  function onKeydown(ev: KeyboardEvent): void {
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && ev.key.toLowerCase() === 'k') {
      ev.preventDefault();
      options.openSwitcher();
      return;
    }
    if (!ev.altKey || ev.ctrlKey || ev.metaKey || (ev.key !== 'ArrowUp' && ev.key !== 'ArrowDown')) return;
    const list = options.ordered.value;
    if (list.length === 0) return;
    ev.preventDefault();
    const at = list.findIndex((c) => c.id === options.activeId.value);
    const next = at < 0 ? 0 : Math.max(0, Math.min(list.length - 1, at + (ev.key === 'ArrowDown' ? 1 : -1)));
    const target = list[next];
    if (target && target.id !== options.activeId.value) void router.push({ name: 'chat', params: { id: target.id } });
  }
  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}

export function usePresenceReporter(): void {
  const realtime = useRealtimeStore();
  const tracker = new ActivityTracker({
    send: (status) => realtime.send({ type: 'presence_update', status }),
    visible: () => !document.hidden,
  });
  const onInput = () => tracker.input();
  const onVisibility = () => tracker.visibilityChanged(!document.hidden);
  const onBlur = () => tracker.visibilityChanged(false);
  const onFocus = () => tracker.visibilityChanged(!document.hidden);
  watch(
    () => realtime.status,
    (status) => {
      if (status === 'open') tracker.connected();
    },
    { immediate: true },
  );
  onMounted(() => {
    tracker.start();
    for (const name of ['keydown', 'pointerdown', 'wheel'] as const) window.addEventListener(name, onInput, { passive: true });
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('blur', onBlur);
    window.addEventListener('focus', onFocus);
  });
  onBeforeUnmount(() => {
    tracker.stop();
    for (const name of ['keydown', 'pointerdown', 'wheel'] as const) window.removeEventListener(name, onInput);
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('blur', onBlur);
    window.removeEventListener('focus', onFocus);
  });
}
