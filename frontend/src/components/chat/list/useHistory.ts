// How ChatView drives the history: opens the chat (newest messages, the unread
// divider, then marks it read), follows the route `/c/{id}/{messageId}` (a jump),
// and loads older/newer pages for the list. Errors go to `onError` as the contract's text.
import { watch, type WatchSource } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRoute } from 'vue-router';
import type { Message } from '../../../api/types';
import { useChatsStore } from '../../../stores/chats';
import { MAX_PAGE, useMessagesStore } from '../../../stores/messages';
import { useRealtimeStore } from '../../../stores/realtime';
import { errorText } from '../../../utils/errors';

/** The chat list arrives with the app; a deep link may open a chat before it did. */
function chatsLoaded(): Promise<void> {
  const chats = useChatsStore();
  if (chats.loaded) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, 3000);
    const stop = watch(
      () => chats.loaded,
      (loaded) => loaded && done(),
    );
    function done(): void {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}

export function useHistory(chatIdSource: WatchSource<number>, onError: (text: string | null) => void) {
  const { t } = useI18n();
  const route = useRoute();
  const chats = useChatsStore();
  const messages = useMessagesStore();
  const realtime = useRealtimeStore();
  let chatId = 0;

  const target = (): number | null => (route.params.messageId ? Number(route.params.messageId) : null);

  async function guarded(load: () => Promise<readonly Message[]>): Promise<void> {
    try {
      realtime.note(await load());
    } catch (e) {
      onError(errorText(e, t));
    }
  }

  async function jump(messageId: number): Promise<Message[] | null> {
    const { found, loaded } = await messages.jumpTo(chatId, messageId);
    if (!found) onError(t('history.notFound'));
    return found ? loaded : null;
  }

  watch(
    chatIdSource,
    async (id) => {
      chatId = id;
      onError(null);
      realtime.openChatId = id;
      const messageId = target();
      await guarded(async () => {
        const jumped = messageId === null ? null : await jump(messageId);
        if (jumped) return jumped;
        await chatsLoaded();
        return messages.openChat(id, chats.byId(id)?.unread_count ?? 0);
      });
      await chats.markRead(id);
    },
    { immediate: true },
  );

  // Another message of the same chat by URL (the chat view stays, keyed by chat).
  watch(target, (messageId, previous) => {
    if (messageId !== null && messageId !== previous) void guarded(async () => (await jump(messageId)) ?? []);
  });

  return {
    // Scrolling pages are the largest the server gives: half the round trips through a long history.
    older: () => guarded(() => messages.loadOlder(chatId, MAX_PAGE)),
    newer: () => guarded(() => messages.loadNewer(chatId, MAX_PAGE)),
    latest: () => guarded(() => messages.backToLatest(chatId)),
  };
}
