// Live events for profiles and the chat-info panel (§16.3).
import type { On } from '../../stores/realtime';
import { useChatInfoStore } from '../../stores/chatinfo';
import { useChatsStore } from '../../stores/chats';
import { useProfilesStore } from '../../stores/profiles';
import { useSessionStore } from '../../stores/session';

export default function install(on: On): void {
  on('chat_updated', (ev) => useChatInfoStore().applyUpdated(ev));
  on('chat_member_joined', (ev) => {
    useChatInfoStore().applyJoined(ev);
    // The list is not reloaded for joins (it is for leaves): count the newcomer here.
    const chat = useChatsStore().byId(ev.chat_id);
    if (chat) chat.member_count += 1;
  });
  on('chat_member_left', (ev) => useChatInfoStore().applyLeft(ev, useSessionStore().me?.id ?? null));
  on('chat_deleted', (ev) => useChatInfoStore().applyDeleted(ev));
  on('user_profile_updated', (ev) => {
    useProfilesStore().applyProfileUpdate(ev);
    useChatInfoStore().applyProfile(ev);
  });
  on('presence', (ev) => useProfilesStore().applyPresence(ev));
}
