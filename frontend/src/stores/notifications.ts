// Browser notifications for new messages in unmuted chats while the tab is hidden,
// and the unread total in the tab title. `enabled` is what a settings toggle binds:
// turning it on asks the browser's permission.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ChatListItem, Message } from '../api/types';

const KEY = 'chorus.notifications';
const PROMPT_KEY = 'chorus.notifications.prompted';

/** "(3) Chorus": the unread total in front of the app's name. */
export function tabTitle(unread: number, base = 'Chorus'): string {
  return unread > 0 ? `(${unread > 999 ? '999+' : unread}) ${base}` : base;
}

export interface NotificationText {
  title: string;
  body: string;
}

function storedChoice(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not remembered: asked again next time
  }
}

export const useNotificationsStore = defineStore('notifications', () => {
  const supported = ref(typeof window !== 'undefined' && 'Notification' in window);
  const permission = ref<NotificationPermission>(supported.value ? Notification.permission : 'denied');
  // The desktop app shows native notifications instead (../platform/desktop.ts).
  let native: ((text: NotificationText, chatId: number) => void) | null = null;
  function useNative(show: (text: NotificationText, chatId: number) => void): void {
    native = show;
    supported.value = true;
    permission.value = 'granted';
  }
  const wanted = ref(storedChoice() === 'on');
  const prompted = ref(storedChoice() !== null || localStorage.getItem(PROMPT_KEY) === '1');

  /** On only when I want them and the browser allows them. */
  const enabled = computed<boolean>({
    get: () => wanted.value && permission.value === 'granted',
    set: (on) => void setEnabled(on),
  });

  /** The first-use prompt shows until I answered it once (or the browser decided). */
  const shouldPrompt = computed(() => supported.value && !prompted.value && permission.value !== 'denied');

  async function setEnabled(on: boolean): Promise<void> {
    wanted.value = on;
    store(KEY, on ? 'on' : 'off');
    prompted.value = true;
    if (on && supported.value && permission.value !== 'granted') {
      permission.value = await Notification.requestPermission();
    }
  }

  function dismissPrompt(): void {
    prompted.value = true;
    store(PROMPT_KEY, '1');
  }

  // The view provides the words and the way to open a chat (the store knows neither).
  let describe: (message: Message, chat: ChatListItem) => NotificationText = (m) => ({ title: 'Chorus', body: m.content ?? '' });
  let open: (chatId: number) => void = () => undefined;
  function configure(options: { describe: typeof describe; open: typeof open }): void {
    describe = options.describe;
    open = options.open;
  }

  /** A message from someone else in an unmuted chat (the chats store checks both). */
  function messageArrived(message: Message, chat: ChatListItem): void {
    if (!enabled.value || typeof document === 'undefined') return;
    // The desktop window also notifies when it is merely behind another window.
    if (!document.hidden && !(native && !document.hasFocus())) return;
    const { title, body } = describe(message, chat);
    if (native) {
      native({ title, body }, chat.id);
      return;
    }
    try {
      const shown = new Notification(title, { body, tag: `chorus-chat-${chat.id}` });
      shown.onclick = () => {
        window.focus();
        open(chat.id);
        shown.close();
      };
    } catch {
      // some browsers only notify from a service worker: the tab title still counts
    }
  }

  /** Opens a chat the way a notification click does (the desktop app's native ones). */
  function openChat(chatId: number): void {
    open(chatId);
  }

  return { supported, permission, enabled, shouldPrompt, setEnabled, dismissPrompt, configure, messageArrived, useNative, openChat };
});
