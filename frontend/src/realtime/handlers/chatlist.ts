// Live events for the chat list, presence and typing (§16.3). Frames that carry
// what the list needs patch it in place; only a new chat (whose frame lacks the
// list's fields) reloads the list, once per burst.
import type { On } from '../../stores/realtime';
import { useChatsStore } from '../../stores/chats';
import { useMessagesStore } from '../../stores/messages';
import { usePresenceStore } from '../../stores/presence';
import { useSessionStore } from '../../stores/session';
import { useTypingStore } from '../../stores/typing';

export default function install(on: On): void {
  on('chat_created', () => useChatsStore().reloadSoon());
  on('chat_updated', (ev) => useChatsStore().applyUpdated(ev));
  on('chat_deleted', (ev) => useChatsStore().forget(ev.chat_id));
  on('chat_member_joined', (ev) => useChatsStore().applyMemberJoined(ev));
  on('chat_member_left', (ev) => useChatsStore().applyMemberLeft(ev));
  on('presence', (ev) => usePresenceStore().apply(ev));
  on('typing', (ev) => {
    // The server echoes my own typing to my connections (§16.2).
    if (ev.user_id === useSessionStore().me?.id) return;
    const chat = useChatsStore().byId(ev.chat_id);
    // A group names the typist as their messages do (the frame has only the username).
    const known = useMessagesStore().chats[ev.chat_id]?.items.find((m) => m.sender_id === ev.user_id)?.sender_display_name;
    const name = chat?.type === 'direct' ? (chat.other_display_name ?? ev.username ?? '') : (known || ev.username || '');
    useTypingStore().start(ev.chat_id, ev.user_id, name);
  });
}
