// Live frames of message actions (§16.3): edits, deletes, pins, reactions, receipts.
import type { On } from '../../stores/realtime';
import { useChatsStore } from '../../stores/chats';
import { useMessagesStore } from '../../stores/messages';
import { useMessageActionsStore } from '../../stores/messageActions';
import { usePinsStore } from '../../stores/pins';
import { useReactionsStore } from '../../stores/reactions';
import { useReceiptsStore } from '../../stores/receipts';
import { useSessionStore } from '../../stores/session';

export default function install(on: On): void {
  on('message_updated', (ev) => {
    const messages = useMessagesStore();
    messages.applyEdit(ev.chat_id, ev.message_id, ev.content, ev.updated_at);
    usePinsStore().edited(ev.chat_id, ev.message_id, ev.content);
    // The list's preview follows when the edited message is the chat's last one.
    const edited = messages.chats[ev.chat_id]?.items.find((m) => m.id === ev.message_id);
    const chat = useChatsStore().byId(ev.chat_id);
    if (chat && edited && edited.created_at === chat.last_at) chat.last_message = ev.content;
  });
  on('message_deleted', (ev) => {
    useMessagesStore().drop(ev.chat_id, ev.message_id, true);
    // The preview may have been that message: the list knows what comes before it.
    void useChatsStore().load();
    usePinsStore().deleted(ev.chat_id, ev.message_id);
    const actions = useMessageActionsStore();
    if (actions.isSelected(ev.message_id)) actions.toggleSelected(ev.message_id);
    if (actions.menu?.message.id === ev.message_id) actions.closeMenu();
  });
  on('message_pinned', (ev) => usePinsStore().pinned(ev.chat_id, ev.message));
  on('message_unpinned', (ev) => usePinsStore().unpinned(ev.chat_id, ev.message_id));
  on('reaction', (ev) => {
    const mine = ev.user_id === useSessionStore().me?.id;
    useReactionsStore().apply(ev.message_id, ev.emoji, ev.action, mine);
  });
  on('read_receipt', (ev) => {
    useReceiptsStore().apply(ev.chat_id, ev.user_id, ev.last_read_msg_id, useSessionStore().me?.id ?? null);
  });
}
